"""Write the NER validation split as a CoNLL file, so that `rasd ner-tag` reproduces the score.

    .venv/bin/python scripts/ner_validation_split.py > /tmp/ner-val.conll
    .venv/bin/rasd ner-tag /tmp/ner-val.conll -o /tmp/ner-val.pred    # P/R/F1 per type on stderr

The split is the one scripts/train_ner.py holds out: every 10th sentence of the ANERcorp
(CAMeL Lab) train file, PERS written PER; `--tail` gives the last 10% instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/ner/anercorp-camellab-train.txt"


def sentences(path: Path) -> list[list[tuple[str, str]]]:
    out, current = [], []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if not line.strip():
            if current:
                out.append(current)
                current = []
            continue
        token, tag = line.split()
        current.append((token.lstrip("\u200e"), tag.replace("PERS", "PER")))
    if current:
        out.append(current)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--tail", action="store_true", help="the last 10%% of sentences instead")
    args = parser.parse_args()
    sents = sentences(args.data)
    held = sents[-round(len(sents) * 0.1):] if args.tail else [s for i, s in enumerate(sents) if i % 10 == 9]
    for sent in held:
        sys.stdout.write("".join(f"{token} {tag}\n" for token, tag in sent) + "\n")


if __name__ == "__main__":
    main()
