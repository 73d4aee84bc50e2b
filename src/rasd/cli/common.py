"""Helpers shared by the command modules: field mapping, progress bars, error reports."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click

T = TypeVar("T")

fields_option = click.option(
    "--field", "fields", multiple=True, metavar="NAME=KEY",
    help="Read JSONL field NAME (id, title, text, published, source, url) from KEY, e.g. text=content.",
)


def parse_fields(pairs: Iterable[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, key = pair.partition("=")
        if not sep or name not in ("id", "title", "text", "published", "source", "url") or not key:
            raise click.BadParameter(f"{pair!r}: expected NAME=KEY with NAME one of id, title, text, published, source, url")
        mapping[name] = key
    return mapping


@contextmanager
def progress_over(items: Iterable[T], label: str, enabled: bool) -> Iterator[Iterable[T]]:
    """Wrap `items` in a rich progress display on stderr showing items/s."""
    if not enabled:
        yield items
        return
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    with Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
        console=Console(stderr=True), transient=False,
    ) as bar:
        task = bar.add_task(label, total=None, rate="")

        def tracked() -> Iterator[T]:
            for n, item in enumerate(items, 1):
                yield item
                elapsed = max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=n, rate=f"{n / elapsed:,.0f} articles/s")

        yield tracked()


def report_quarantined(descriptions: list[str]) -> None:
    """On stderr, each quarantined input as `file:line: reason` (`Quarantined.describe`), then a count."""
    for description in descriptions:
        click.echo(f"rasd: skipped {description}", err=True)
    if descriptions:
        click.echo(f"rasd: {len(descriptions)} input(s) could not be read or analysed; see the messages above",
                   err=True)
