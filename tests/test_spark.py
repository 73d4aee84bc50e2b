"""The Spark job on a local master: same analyses as the plain pipeline, bad lines quarantined."""

from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("pyspark")
pytestmark = pytest.mark.slow


def test_spark_job_analyses_jsonl_and_quarantines_bad_lines(tmp_path, dev_input_path):
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime")
    from rasd.spark import run_spark_job

    lines = dev_input_path.read_text(encoding="utf-8").splitlines()[:6]
    lines.insert(3, '{"id": "broken", "text": "سطر غير مكتمل')
    source = tmp_path / "archive.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = run_spark_job([str(source)], str(tmp_path / "out"), master="local[1]", partitions=2)
    assert counts == {"analysed": 6, "quarantined": 1}
    docs = [json.loads(x) for f in sorted((tmp_path / "out/analyses").glob("part-*")) for x in f.read_text().splitlines()]
    assert sorted(d["id"] for d in docs) == sorted(json.loads(x)["id"] for x in lines if "broken" not in x)
    assert all(d["title"] and d["body"] for d in docs)
    (bad,) = [json.loads(x) for f in (tmp_path / "out/quarantine").glob("part-*") for x in f.read_text().splitlines()]
    assert bad["line"] == 4 and "malformed JSON" in bad["reason"] and bad["path"] == str(source)
