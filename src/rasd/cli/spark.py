"""`rasd spark-analyze`: the pipeline over archives larger than one machine."""

from __future__ import annotations

import click

from rasd.cli.common import fields_option, parse_fields


@click.command("spark-analyze")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Output folder (local path or hdfs://, s3a://...); must not exist.")
@click.option("--master", default="local[*]", show_default=True, help="Spark master URL (local[*], yarn, spark://host:7077).")
@click.option("--partitions", type=int, default=None, help="Minimum number of partitions per input.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for articles that carry none.")
@fields_option
def spark_analyze(inputs: tuple[str, ...], out: str, master: str, partitions: int | None,
                  published: str | None, fields: tuple[str, ...]) -> None:
    """Analyse JSONL archives with Apache Spark (needs `pip install rasd[spark]` and Java 17+).

    Each INPUT is a JSONL file, .gz or glob Spark can read (one article per line:
    id, title, text, published, source, url). Writes OUT/analyses (one SCHEMA.md
    object per line) and OUT/quarantine (lines that could not be read, with reasons).

    \b
    Examples:
      rasd spark-analyze archive/*.jsonl.gz --out /data/rasd-out
      rasd spark-analyze hdfs:///news/2015/ --out hdfs:///rasd/2015 --master yarn --partitions 400
    """
    try:
        from rasd.spark import run_spark_job
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(f"Spark is not installed: pip install 'rasd[spark]' ({error})") from error
    counts = run_spark_job(list(inputs), out, master=master, partitions=partitions,
                           fields=parse_fields(fields), published=published)
    click.echo(f"analysed {counts['analysed']}, quarantined {counts['quarantined']} → {out}", err=True)


commands = [spark_analyze]
