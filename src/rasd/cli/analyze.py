"""`rasd analyze`: read articles, analyse them, print the result."""

from __future__ import annotations

import functools
import itertools
import json
import sys
from collections.abc import Iterator

import click

from rasd.cli.common import fields_option, parse_fields, progress_over, report_quarantined
from rasd.doc import Article, Doc, Quarantined

FEW_ARTICLES = 16  # below this, starting worker processes costs more than it saves


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--format", "fmt", type=click.Choice(["pretty", "json", "jsonl"]), default="pretty", show_default=True,
    help="pretty: a readable summary; json: one indented JSON document per article; "
    "jsonl: one SCHEMA.md object per line (for score.py and other tools).",
)
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for articles that carry none.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: number of cores).")
@click.option("--explain", is_flag=True, help="Also show every line the cleaner dropped, and why.")
@fields_option
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a terminal).")
def analyze(paths: tuple[str, ...], fmt: str, published: str | None, workers: int | None, explain: bool,
            fields: tuple[str, ...], progress: bool | None) -> None:
    """Analyse Arabic news articles: clean text, entities, places, events, sources.

    PATHS are files or directories: plain text (first line = headline), HTML
    pages, or JSONL (one article per line: id, title, text, published, source, url).

    \b
    Examples:
      rasd analyze article.txt
      rasd analyze ../shared/data/dev/input.jsonl --format jsonl > out.jsonl
      rasd analyze page.html --published 2019-05-20 --explain
      rasd analyze export.jsonl --field text=content --field title=headline

    Unreadable files or lines are reported on stderr (file:line: reason) and
    skipped; the exit status is then 2.
    """
    from rasd.ingest import read_paths
    from rasd.pipeline import analyze_many

    items = read_paths(paths, parse_fields(fields))
    head = list(itertools.islice(items, FEW_ARTICLES))
    stream: Iterator = itertools.chain(head, items)
    if len(head) < FEW_ARTICLES:
        workers = 1
    # JSON is written where the article was analysed: shipping the text back is cheaper
    # than shipping the whole Doc with its tokens.
    finish = None if fmt == "pretty" else functools.partial(serialise_doc, explain=explain, indent=2 if fmt == "json" else None)
    results = analyze_many(stream, workers=workers, published=published, finish=finish)
    show_bar = progress if progress is not None else (sys.stderr.isatty() and len(head) >= FEW_ARTICLES)
    quarantined: list[str] = []
    with progress_over(results, "analysing", enabled=show_bar) as tracked:
        for result in tracked:
            if isinstance(result, Quarantined):
                quarantined.append(result.describe())
            elif isinstance(result, str):
                sys.stdout.write(result + "\n")
            else:
                _emit(result, fmt, explain)
    report_quarantined(quarantined)
    if quarantined:
        sys.exit(2)


def serialise_doc(doc: Doc, article: Article, *, explain: bool = False, indent: int | None = None) -> str:
    """A Doc as `--format json/jsonl` prints it (an `analyze_many` finish step, run in the workers)."""
    return json.dumps(doc.to_dict(explain=explain), ensure_ascii=False, indent=indent)


def _emit(doc, fmt: str, explain: bool) -> None:
    if fmt == "jsonl":
        sys.stdout.write(json.dumps(doc.to_dict(explain=explain), ensure_ascii=False) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps(doc.to_dict(explain=explain), ensure_ascii=False, indent=2) + "\n")
    else:
        from rasd.cli.pretty import print_doc

        print_doc(doc, explain=explain)


commands = [analyze]
