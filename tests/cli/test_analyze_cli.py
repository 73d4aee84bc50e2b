"""`rasd analyze` end to end through the CLI, on the seed and the dev set."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from rasd.cli import cli
from rasd.text.normalize import normalize_key


def _token_f1(gold: str, system: str) -> float:
    g, s = Counter(normalize_key(gold).split()), Counter(normalize_key(system).split())
    tp = sum((g & s).values())
    p, r = tp / max(1, sum(s.values())), tp / max(1, sum(g.values()))
    return 2 * p * r / (p + r) if p + r else 0.0


def test_seed_jsonl_title_once_clean_body(seed_path, dev_gold):
    result = CliRunner().invoke(cli, ["analyze", str(seed_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.stdout.splitlines() if x.strip()]
    doc = json.loads(line)
    gold = dev_gold["seed-baghdad-rocket"]
    assert doc["id"] == "seed-baghdad-rocket"
    assert doc["title"] == gold["title"]
    assert _token_f1(gold["body"], doc["body"]) >= 0.98
    assert gold["title"] not in doc["body"]
    for furniture in ("التعليقات (0)", "الأكثر قراءة", "أهم المواضيع", "أهم التصنيفات"):
        assert furniture not in doc["body"]


def test_dev_set_titles_exact_and_bodies_match(dev_input_path, dev_gold):
    result = CliRunner().invoke(cli, ["analyze", str(dev_input_path), "--format", "jsonl", "--workers", "1"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert len(docs) == 34
    tp = n_sys = n_gold = 0
    for doc in docs:
        gold = dev_gold[doc["id"]]
        assert normalize_key(doc["title"]) == normalize_key(gold["title"])
        g, s = Counter(normalize_key(gold["body"]).split()), Counter(normalize_key(doc["body"]).split())
        tp, n_sys, n_gold = tp + sum((g & s).values()), n_sys + sum(s.values()), n_gold + sum(g.values())
    p, r = tp / n_sys, tp / n_gold
    assert 2 * p * r / (p + r) >= 0.99


def test_bad_file_among_good_ones_is_reported_and_exit_status_says_so(tmp_path, seed_path):
    (tmp_path / "a.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\xff" * 100)
    (tmp_path / "c.txt").write_text("عنوان الخبر\nقتل ثلاثة أشخاص في انفجار.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 2
    ids = [json.loads(x)["id"] for x in result.stdout.splitlines() if x.strip()]
    assert ids == ["a", "c"]
    assert f"{tmp_path / 'b.txt'}: binary file" in result.stderr


def test_explain_lists_dropped_lines_and_rules(seed_path):
    result = CliRunner().invoke(cli, ["analyze", str(seed_path), "--format", "json", "--explain"])
    doc = json.loads(result.stdout)
    rules = {d["rule"] for d in doc["dropped"]}
    assert {"repeated_headline", "comment_counter", "most_read"} <= rules


def test_pretty_output_shows_headline_and_entities(seed_path):
    result = CliRunner().invoke(cli, ["analyze", str(seed_path)])
    assert result.exit_code == 0
    assert "سقوط صاروخ قرب السفارة" in result.stdout
    assert "Reuters" in result.stdout and "Green Zone" in result.stdout


def test_published_option_and_field_mapping(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"guid": "g1", "content": "قتل ثلاثة أشخاص في انفجار ببغداد.", "headline": "انفجار في بغداد"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--format", "jsonl", "--field", "id=guid",
                                      "--field", "text=content", "--field", "title=headline", "--published", "2015-07-20"])
    doc = json.loads(result.stdout)
    assert (doc["id"], doc["title"], doc["published"]) == ("g1", "انفجار في بغداد", "2015-07-20")


def test_help_teaches():
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    assert "Examples" in result.stdout and "--format" in result.stdout and "jsonl" in result.stdout
