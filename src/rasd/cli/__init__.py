"""The `rasd` command line: a click group whose commands live one module per task.

Each module in this package exposes `commands`, a list of click commands; the
group adds them all. Modules import their heavy dependencies inside the command
bodies so that `rasd --help` stays fast.
"""

from __future__ import annotations

import importlib
import sys

import click

# Modules that contribute commands, in the order `rasd --help` lists them.
_COMMAND_MODULES = ("analyze", "store", "serve", "kb", "gazetteer", "ner", "evaluate", "spark")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="rasd")
def cli() -> None:
    """rasd (رصد): Arabic news in, a geocoded, source-attributed event record out.

    \b
    Start here:
      rasd analyze article.txt                 read one article, print what it reports
      rasd analyze corpus.jsonl --format jsonl one JSON object per article (SCHEMA.md)
      rasd ingest corpus.jsonl                 analyse and store into the embedded SQLite
      rasd incidents --format table            the same event across outlets, merged
      rasd serve                               map, timeline and evidence in the browser

    Every command has its own --help with examples.
    """


def _register() -> None:
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"rasd.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"rasd.cli.{name}":
                continue  # a command module not written yet in this checkout
            raise
        for command in module.commands:
            cli.add_command(command)


_register()


def main() -> None:
    from rasd.errors import RasdError

    try:
        cli()
    except RasdError as error:  # a problem the user can act on: its message, not a traceback
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
