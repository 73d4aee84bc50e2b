"""`rasd evaluate`: run the pipeline over the gold dev set and print score.py's report."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from rasd.cli.common import report_quarantined

_SHARED = Path.cwd().parent / "shared"


@click.command()
@click.option("--shared", "shared", type=click.Path(path_type=Path, file_okay=False), default=_SHARED, show_default=True,
              help="The shared data folder holding eval/score.py and data/dev/.")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), help="Also keep the system JSONL here.")
@click.option("--verbose", is_flag=True, help="List missed and spurious events and entities.")
@click.option("--json", "as_json", is_flag=True, help="Print score.py's JSON summary.")
def evaluate(shared: Path, output: Path | None, verbose: bool, as_json: bool) -> None:
    """Score rasd on the gold dev articles (input.jsonl plus the raw seed article).

    \b
    Example (from the repository root, with ../shared beside it):
      rasd evaluate
      rasd evaluate --verbose --output /tmp/dev-system.jsonl
    """
    from rasd.ingest import read_paths
    from rasd.pipeline import analyze_many

    dev = shared / "data" / "dev"
    scorer = shared / "eval" / "score.py"
    for needed in (dev / "input.jsonl", dev / "gold.jsonl", scorer):
        if not needed.exists():
            raise click.ClickException(f"{needed} not found (use --shared to point at the shared data folder)")
    inputs = [dev / "input.jsonl", *sorted((dev / "raw").glob("*.txt"))]
    system = output or Path(tempfile.mkstemp(suffix=".jsonl")[1])
    skipped: list[str] = []
    with system.open("w", encoding="utf-8") as out:
        for doc in analyze_many(read_paths(inputs), workers=1):
            if hasattr(doc, "to_dict"):
                out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            else:
                skipped.append(doc.describe())
    report_quarantined(skipped)
    args = [sys.executable, str(scorer), str(dev / "gold.jsonl"), str(system)]
    args += ["--verbose"] if verbose else []
    args += ["--json"] if as_json else []
    result = subprocess.run(args, check=False, capture_output=True, text=True)
    click.echo(result.stdout, nl=False)
    if result.returncode:
        raise click.ClickException(result.stderr.strip() or "score.py failed")


commands = [evaluate]
