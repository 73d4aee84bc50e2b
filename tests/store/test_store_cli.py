"""The database commands through click, on both back ends: ingest (idempotent, quarantine), search,
incidents, stats, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import cli

ARTICLES = [
    {"id": "t1", "title": "مقتل 5 في تفجير ببغداد", "published": "2019-05-20", "source": "outlet-a",
     "url": "https://a.example/1",
     "text": "قتل خمسة أشخاص وأصيب عشرة آخرون في انفجار سيارة مفخخة في حي الكرادة وسط بغداد أمس، "
             "بحسب ما أفاد مصدر في الشرطة العراقية.\n\nوقال المصدر إن قوات الأمن طوقت المكان."},
    {"id": "t2", "title": "الحشد الشعبي يعلن السيطرة على قرية", "published": "2019-05-20", "source": "outlet-b",
     "url": "https://b.example/2",
     "text": "أعلنت قيادة الحشد الشعبي أن قواتها سيطرت على قرية قرب الموصل بعد اشتباكات مع مسلحي داعش.\n\n"
             "وقال متحدث باسم الحشد إن العملية مستمرة."},
    {"id": "t3", "title": "مقتل 5 في تفجير ببغداد", "published": "2019-05-20", "source": "outlet-c",
     "url": "https://c.example/3",
     "text": "قتل خمسة أشخاص وأصيب عشرة آخرون في انفجار سيارة مفخخة في حي الكرادة وسط بغداد أمس، "
             "بحسب ما أفاد مصدر في الشرطة العراقية.\n\nوقال المصدر إن قوات الأمن طوقت المكان."},
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _stats(db: str) -> dict:
    code, out = _run("stats", "--db", db, "--format", "json")
    assert code == 0
    return json.loads(out)


def test_ingest_is_idempotent_and_quarantines(corpus: Path, db_url: str) -> None:
    code, out = _run("ingest", str(corpus), "--db", db_url, "--workers", "1", "--format", "json")
    assert code == 2, out  # one malformed line
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["stored"], summary["quarantined"], summary["duplicates"]) == (3, 1, 1)
    first = _stats(db_url)
    assert (first["articles"], first["quarantined"]) == (3, 1)
    code, out = _run("ingest", str(corpus), "--db", db_url, "--workers", "1", "--format", "json")
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["stored"], summary["unchanged"]) == (0, 3)
    assert _stats(db_url) == first


def test_ingest_names_each_quarantined_input_on_stderr(corpus: Path, db_url: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--db", db_url, "--workers", "1", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert f"rasd: skipped {corpus}:4: malformed JSON" in result.stderr
    assert "1 input(s) could not be read or analysed" in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["stored"] == 3  # the readable lines are stored


def test_query_commands(corpus: Path, db_url: str, tmp_path: Path) -> None:
    _run("ingest", str(corpus), "--db", db_url, "--workers", "1")
    code, out = _run("search", "والحشد", "--db", db_url, "--format", "json")
    assert code == 0 and [h["article_id"] for h in json.loads(out)] == ["t2"]
    code, out = _run("search", "الحشد", "--db", db_url)
    assert code == 0 and "t2" in out
    code, out = _run("incidents", "--db", db_url, "--format", "json")
    assert code == 0
    for incident in json.loads(out):
        assert {"id", "event_type", "sub_event_type", "date", "location", "fatalities", "articles",
                "sources"} <= set(incident)
    code, _ = _run("export", "--db", db_url, "--format", "csv", "-o", str(tmp_path / "e.csv"))
    assert code == 0 and (tmp_path / "e.csv").read_text(encoding="utf-8").startswith("event_id,event_date")
    code, out = _run("search", "x", "--db", db_url, "--near", "bad")
    assert code == 2 and "LAT,LON,KM" in out


def test_lines_without_id_are_known_by_url(tmp_path: Path, db_url: str) -> None:
    records = [{k: v for k, v in a.items() if k != "id"} for a in ARTICLES]
    path = tmp_path / "noid.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    _run("ingest", str(path), "--db", db_url, "--workers", "1")
    records[1]["text"] += "\n\nوأضاف أن القوات تواصل تمشيط المنطقة."
    reordered = [records[2], records[1], records[0]]  # other line numbers, same URLs
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in reordered) + "\n", encoding="utf-8")
    code, out = _run("ingest", str(path), "--db", db_url, "--workers", "1", "--format", "json")
    summary = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and (summary["stored"], summary["updated"], summary["unchanged"]) == (0, 1, 2)
    assert _stats(db_url)["articles"] == 3
