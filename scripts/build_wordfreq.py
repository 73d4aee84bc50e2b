"""Build the word-frequency lexicon that guides clitic segmentation.

Counts normalised word forms in the SaudiNewsNet corpus (CC BY-NC-SA 4.0; only
derived counts are shipped, no text) and writes
`src/rasd/data/lexicons/wordfreq_ar.tsv` (`form<TAB>count`, most frequent first).

    python scripts/build_wordfreq.py [--corpus ../shared/data/corpus/saudinewsnet.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from rasd.text.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared/data/corpus/saudinewsnet.jsonl.gz"
OUT = REPO / "src/rasd/data/lexicons/wordfreq_ar.tsv"
ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
MIN_COUNT = 3  # forms seen fewer times are mostly typos and add size without guidance
MAX_FORMS = 120_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            text = f"{article.get('title') or ''}\n{article.get('text') or ''}"
            counts.update(ARABIC_WORD.findall(normalize(text)))
    rows = [(form, n) for form, n in counts.most_common(MAX_FORMS) if n >= MIN_COUNT]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        out.write("# source: SaudiNewsNet corpus (M. Alhagri, CC BY-NC-SA 4.0), derived counts only\n")
        out.write("form\tcount\n")
        out.writelines(f"{form}\t{n}\n" for form, n in rows)
    print(f"wrote {len(rows)} forms to {args.out}")


if __name__ == "__main__":
    main()
