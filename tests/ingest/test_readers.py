"""Ingest: every encoding, bad input quarantined with file and line, nothing lost."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from rasd.doc import Article, Quarantined
from rasd.ingest import read_paths

ARTICLE = "مقتل 27 في انفجار ببلدة تركية على حدود سوريا\nقالت وزارة الداخلية التركية في بيان اليوم إن انفجارا في بلدة سروج أسفر عن مقتل 27 شخصا."


def _one(path: Path) -> Article | Quarantined:
    items = list(read_paths([path]))
    assert len(items) == 1
    return items[0]


# ISO-8859-6 has no hamza-on-alef forms beyond the basic set; this sentence uses only letters it encodes.
ISO_TEXT = "قالت وزارة الداخلية في بيان ان انفجارا في بلدة سروج اسفر عن مقتل 27 شخصا"


@pytest.mark.parametrize(
    ("encoding", "text", "data"),
    [
        ("utf-8", ARTICLE, ARTICLE.encode("utf-8")),
        ("utf-8-sig", ARTICLE, codecs.BOM_UTF8 + ARTICLE.encode("utf-8")),
        ("utf-16", ARTICLE, ARTICLE.encode("utf-16")),
        ("utf-16-le", ARTICLE, ARTICLE.encode("utf-16-le")),
        ("windows-1256", ARTICLE, ARTICLE.encode("windows-1256")),
        ("iso-8859-6", ISO_TEXT, ISO_TEXT.encode("iso-8859-6")),
    ],
)
def test_each_encoding_is_detected_and_decoded(tmp_path, encoding, text, data):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(data)
    article = _one(path)
    assert isinstance(article, Article), article
    assert article.text == text
    assert article.id == f"article-{encoding}"


def test_binary_file_is_quarantined_with_its_reason(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 40)
    item = _one(path)
    assert isinstance(item, Quarantined)
    assert "binary" in item.reason and item.path == str(path)
    assert item.raw  # the bytes are kept


def test_control_characters_without_nul_mark_a_binary_but_tabs_and_form_feeds_do_not(tmp_path):
    binary = tmp_path / "dump.txt"
    binary.write_bytes(bytes(b for b in range(1, 128) if b not in (9, 10, 12, 13)) * 40)  # valid UTF-8, no NUL
    item = _one(binary)
    assert isinstance(item, Quarantined) and "control characters" in item.reason
    text = tmp_path / "tabs.txt"
    text.write_text("سقوط صاروخ في بغداد\n\n\tقالت مصادر أمنية\f إن صاروخا سقط في المنطقة الخضراء.\r\n", encoding="utf-8")
    article = _one(text)
    assert isinstance(article, Article) and "المنطقة الخضراء" in article.text


def test_empty_files_are_quarantined(tmp_path):
    for name in ("empty.txt", "empty.jsonl", "blank.html"):
        (tmp_path / name).write_text("  \n" if name == "blank.html" else "", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert [type(i) for i in items] == [Quarantined] * 3
    assert all("empty" in i.reason for i in items)


def test_malformed_jsonl_line_among_good_ones(tmp_path):
    good = [{"id": f"a{i}", "title": "عنوان", "text": ARTICLE, "published": "2015-07-20"} for i in range(3)]
    lines = [json.dumps(good[0], ensure_ascii=False), '{"id": "broken", "text": "غير مكتمل', json.dumps(good[1], ensure_ascii=False),
             json.dumps({"id": "no-text"}), json.dumps(good[2], ensure_ascii=False)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_paths([path]))
    articles = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert [a.id for a in articles] == ["a0", "a1", "a2"]
    assert [(q.line, q.path) for q in bad] == [(2, str(path)), (4, str(path))]
    assert "malformed JSON" in bad[0].reason and bad[0].raw.startswith(b'{"id": "broken"')
    assert "text" in bad[1].reason


def test_field_mapping_reads_other_names(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps({"guid": "x1", "headline": "عنوان الخبر", "content": ARTICLE, "date": "2015-07-20T10:00:00"},
                               ensure_ascii=False), encoding="utf-8")
    (article,) = read_paths([path], {"id": "guid", "title": "headline", "text": "content", "published": "date"})
    assert (article.id, article.title, article.published) == ("x1", "عنوان الخبر", "2015-07-20")


def test_huge_file_is_quarantined_and_the_batch_goes_on(tmp_path):
    huge = tmp_path / "a-huge.txt"
    line = ("انفجار في بغداد " * 40 + "\n").encode("utf-8")
    with huge.open("wb") as handle:
        for _ in range(20_000_000 // len(line) + 1):
            handle.write(line)
    assert huge.stat().st_size >= 20_000_000
    (tmp_path / "b-small.txt").write_text(ARTICLE, encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert isinstance(items[0], Quarantined) and "MB" in items[0].reason and "limit" in items[0].reason
    assert isinstance(items[1], Article) and items[1].id == "b-small"


def test_html_page_main_text_without_comments(html_page):
    (article,) = read_paths([html_page])
    assert isinstance(article, Article) and article.format == "html"
    assert len(article.text) > 500 and article.title
    assert "<div" not in article.text
    assert article.published and article.published[:2] == "20"


def test_missing_path_is_reported(tmp_path):
    (item,) = read_paths([tmp_path / "nope.txt"])
    assert isinstance(item, Quarantined) and "no such file" in item.reason


def test_a_line_without_id_gets_a_flagged_made_up_one(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "url": "http://example.org/a"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_paths([path])
    assert article.id == "feed-1" and article.extra.get("id_generated") is True
    assert article.url == "http://example.org/a"
