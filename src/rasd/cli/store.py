"""`rasd ingest`, `rasd search`, `rasd incidents`, `rasd stats`, `rasd export`: the database commands."""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from rasd.cli.common import fields_option, parse_fields, report_quarantined

FEW_ARTICLES = 16  # below this, worker processes cost more than they save

db_option = click.option(
    "--db", metavar="URL", default=None,
    help="sqlite:///path.db or postgresql://user:pass@host/db (default: $RASD_DB, else rasd.db in the user data dir).",
)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters shared by search and incidents."""
    options = [
        click.option("--type", "types", multiple=True, help="Event type or sub-event type (repeatable)."),
        click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. IQ."),
        click.option("--admin1", help="First-level region, e.g. Baghdad."),
        click.option("--near", metavar="LAT,LON,KM", help="Within KM kilometres of a point."),
        click.option("--from", "date_from", metavar="YYYY-MM-DD", help="On or after this day."),
        click.option("--to", "date_to", metavar="YYYY-MM-DD", help="On or before this day."),
        click.option("--actor", help="Substring of actor1 or actor2 (case-insensitive)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(types: tuple[str, ...], country: str | None, admin1: str | None, near: str | None,
             date_from: str | None, date_to: str | None, actor: str | None) -> Any:
    from rasd.store import Filters
    from rasd.store.search import parse_day, parse_near

    try:
        return Filters(types=tuple(types), country=country, admin1=admin1, near=parse_near(near) if near else None,
                       date_from=parse_day(date_from), date_to=parse_day(date_to), actor=actor)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def _open(db: str | None) -> Any:
    from rasd.errors import RasdError
    from rasd.store import open_store

    try:
        return open_store(db)
    except RasdError as error:
        raise click.ClickException(str(error)) from error


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@db_option
@click.option("--workers", type=int, default=None, help="Worker processes (default: number of cores).")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for articles that carry none.")
@fields_option
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the summary.")
def ingest(paths: tuple[str, ...], db: str | None, workers: int | None, published: str | None,
           fields: tuple[str, ...], progress: bool | None, fmt: str) -> None:
    """Analyse articles and store them, with their events, duplicates and incidents.

    Safe to re-run and to interrupt: articles already stored unchanged are skipped
    before analysis, a changed article (same id or URL, new content) is replaced, and
    each batch is one transaction, so a killed run loses nothing on the next one.
    Identical or near-identical text under another id (another outlet's copy) is
    stored and linked as a duplicate.

    \b
    Examples:
      rasd ingest ../shared/data/corpus/saudinewsnet.jsonl.gz
      rasd ingest articles/ --db postgresql://rasd:rasd@localhost/rasd --workers 8
      rasd ingest export.jsonl --field text=content --published 2024-05-01

    Exit status 2 if anything was quarantined (unreadable input or failed analysis).
    """
    from rasd.ingest import read_paths
    from rasd.store.loader import ingest as run

    items = read_paths(paths, parse_fields(fields))
    head = list(itertools.islice(items, FEW_ARTICLES))
    if len(head) < FEW_ARTICLES:
        workers = 1
    show = progress if progress is not None else sys.stderr.isatty()
    started = time.monotonic()
    skipped: list[str] = []  # descriptions only: the raw bytes are in the store's quarantine
    with _open(db) as store:
        summary = _drive(run(store, itertools.chain(head, items), workers=workers, published=published,
                             on_quarantined=lambda item: skipped.append(item.describe())), show)
    elapsed = time.monotonic() - started
    report_quarantined(skipped)
    _print_summary(summary.to_dict(), elapsed, fmt)
    if summary.quarantined:
        sys.exit(2)


def _drive(batches: Iterator[Any], show: bool) -> Any:
    """Consume the loader's running summaries, showing articles/s on stderr."""
    summary = None
    if not show:
        for running in batches:
            summary = running
        return summary
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    with Progress(SpinnerColumn(), TextColumn("[bold]ingesting"), TextColumn("{task.fields[info]}"),
                  TimeElapsedColumn(), console=Console(stderr=True)) as bar:
        task = bar.add_task("ingest", total=None, info="")
        for summary in batches:
            done = summary.stored + summary.updated + summary.unchanged
            rate = (summary.stored + summary.updated) / max(time.monotonic() - started, 1e-6)
            bar.update(task, info=f"{done:,} articles ({summary.stored:,} new, {summary.unchanged:,} unchanged)"
                                  f"  {rate:,.1f} articles/s")
    return summary


def _print_summary(counts: dict[str, int], elapsed: float, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({**counts, "seconds": round(elapsed, 2)}))
        return
    click.echo(f"stored {counts['stored']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
               f"duplicates {counts['duplicates']}, quarantined {counts['quarantined']}; "
               f"events {counts['events']}, incidents opened {counts['incidents_new']}, "
               f"joined {counts['incidents_joined']} ({elapsed:.1f} s)")


@click.command()
@click.argument("text", default="")
@filter_options
@db_option
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(text: str, types: tuple[str, ...], country: str | None, admin1: str | None, near: str | None,
           date_from: str | None, date_to: str | None, actor: str | None, db: str | None, limit: int,
           offset: int, fmt: str) -> None:
    """Search stored articles and their events.

    TEXT is matched Arabic-normalised and clitic-stripped: "الحشد" finds والحشد and
    للحشد. The filters keep articles with at least one matching event.

    \b
    Examples:
      rasd search "الحشد الشعبي" --country IQ
      rasd search "" --type "Suicide bomb" --from 2015-07-20 --to 2015-07-22 --format json
      rasd search غارة --near 15.35,44.2,50
    """
    filters = _filters(types, country, admin1, near, date_from, date_to, actor)
    with _open(db) as store:
        hits = store.search(text, filters, limit=limit, offset=offset)
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    rows = [[h["article_id"], h["published"] or "", h["source"] or "", h["title"] or "",
             "; ".join(_event_line(e) for e in h["events"][:3])] for h in hits]
    _table(["article", "published", "outlet", "title", "events"], rows)


def _event_line(event: dict[str, Any]) -> str:
    place = (event.get("location") or {}).get("name") or "?"
    return f"{event['sub_event_type'] or event['event_type']} @ {place} {event['date'] or ''}".strip()


@click.command()
@filter_options
@db_option
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--members", is_flag=True, help="Include each member event and why it was merged.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def incidents(types: tuple[str, ...], country: str | None, admin1: str | None, near: str | None,
              date_from: str | None, date_to: str | None, actor: str | None, db: str | None, limit: int,
              offset: int, members: bool, fmt: str) -> None:
    """List incidents: the same real event reported by several articles, merged.

    \b
    Examples:
      rasd incidents --format table
      rasd incidents --country TR --from 2015-07-20 --members --format json
    """
    filters = _filters(types, country, admin1, near, date_from, date_to, actor)
    with _open(db) as store:
        found = store.query_incidents(filters, limit=limit, offset=offset, members=members)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    rows = [[i["id"], i["date"] or "", i["sub_event_type"] or i["event_type"],
             ((i["location"] or {}).get("name") or ""), ((i["location"] or {}).get("country") or ""),
             "" if i["fatalities"] is None else str(i["fatalities"]), str(i["n_articles"]),
             ", ".join(i["outlets"])] for i in found]
    _table(["incident", "date", "type", "place", "cc", "killed", "articles", "outlets"], rows)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats(db: str | None, fmt: str) -> None:
    """Counts of what the database holds: articles, events, incidents, quarantined..."""
    with _open(db) as store:
        counts = store.stats()
    if fmt == "json":
        click.echo(json.dumps(counts))
        return
    _table(["what", "count"], [[k, str(v)] for k, v in counts.items()])


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "jsonl", "parquet"]), default="csv",
              show_default=True)
@click.option("--what", type=click.Choice(["events", "incidents"]), default="events", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File (default: stdout).")
def export(db: str | None, fmt: str, what: str, output: Path | None) -> None:
    """Export events or incidents: CSV with ACLED-like columns, GeoJSON, JSONL or Parquet.

    \b
    Examples:
      rasd export --format csv -o events.csv
      rasd export --what incidents --format geojson -o incidents.geojson
      rasd export --format parquet -o events.parquet
    """
    from rasd.export import export as run

    with _open(db) as store:
        try:
            count = run(store, fmt, what, output, sys.stdout)
        except (ValueError, RuntimeError) as error:
            raise click.ClickException(str(error)) from error
    if output:
        click.echo(f"wrote {count} {what} to {output}", err=True)


def _table(headers: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*headers)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


commands = [ingest, search, incidents, stats, export]
