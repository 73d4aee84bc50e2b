"""Analyse archives larger than one machine with Apache Spark.

The same pipeline runs inside each Spark partition (built once per executor
process); input is JSONL (plain or .gz, local or any Hadoop file system path),
output is a folder of JSONL part files in the SCHEMA.md format plus a
`quarantine/` folder with every line that could not be read or analysed
(source path, line number, reason, the raw line).

    rasd spark-analyze hdfs:///news/2015/*.jsonl.gz --out hdfs:///rasd/2015 --master yarn
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from rasd.doc import Quarantined
from rasd.errors import InputError

_PIPELINE = None  # one pipeline per executor process, built on first use


def _pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from rasd.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE


def analyse_lines(
    numbered: Iterable[tuple[str, int]], source: str, fields: dict[str, str], published: str | None
) -> Iterator[tuple[str, str]]:
    """(line, 0-based index) → ("doc" | "quarantine", JSON string). Runs inside a partition."""
    from rasd.ingest.readers import article_from_json_line
    from rasd.pipeline import _safe_analyse

    for line, index in numbered:
        if not line.strip():
            continue
        number = index + 1
        try:
            article = article_from_json_line(line.encode("utf-8"), fields, Path(source), number)
        except InputError as error:
            yield "quarantine", _quarantine_json(Quarantined(source, number, str(error).split(": ", 1)[-1], line.encode()))
            continue
        if published and not article.published:
            article.published = published
        result = _safe_analyse(_pipeline(), article)
        if isinstance(result, Quarantined):
            yield "quarantine", _quarantine_json(result)
        else:
            yield "doc", json.dumps(result.to_dict(), ensure_ascii=False)


def _quarantine_json(item: Quarantined) -> str:
    return json.dumps({"path": item.path, "line": item.line, "reason": item.reason,
                       "raw": item.raw.decode("utf-8", "replace")}, ensure_ascii=False)


def run_spark_job(
    inputs: list[str], out: str, master: str = "local[*]", partitions: int | None = None,
    fields: dict[str, str] | None = None, published: str | None = None,
) -> dict[str, int]:
    """Analyse `inputs` with Spark and write `out/analyses` and `out/quarantine`. Returns counts."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        # Local workers must run this interpreter (the one rasd is installed in), not PATH's python3.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master(master).appName("rasd").getOrCreate()
    try:
        context = spark.sparkContext
        fields = fields or {}
        results = None
        for source in inputs:
            lines = context.textFile(source, minPartitions=partitions) if partitions else context.textFile(source)
            tagged = lines.zipWithIndex().mapPartitions(
                lambda rows, src=source: analyse_lines(rows, src, fields, published)
            )
            results = tagged if results is None else results.union(tagged)
        if results is None:
            return {"analysed": 0, "quarantined": 0}
        results = results.cache()
        results.filter(lambda kv: kv[0] == "doc").values().saveAsTextFile(f"{out}/analyses")
        results.filter(lambda kv: kv[0] == "quarantine").values().saveAsTextFile(f"{out}/quarantine")
        counts = results.countByKey()
        return {"analysed": int(counts.get("doc", 0)), "quarantined": int(counts.get("quarantine", 0))}
    finally:
        spark.stop()
