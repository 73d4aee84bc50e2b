#!/usr/bin/env python
"""Precompute the NER tagger's name lean of every rare word of the corpus vocabulary.

The entity stage tags only around rare words whose own features do not rule a name out
(`NerModel.name_leans`). Featurising a word the process has not seen costs tens of
microseconds, and fresh news brings dozens per article, so the leans of the rare forms of
`wordfreq_ar.tsv` are computed here once, from the shipped model, into
`src/rasd/data/models/ner-leans.npz` (tied to the model by its digest: after retraining,
rerun this; a stale file is ignored and the leans are computed as words come).

    .venv/bin/python scripts/build_ner_leans.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rasd.analyze.entities import NER_TRIGGER_COUNT  # noqa: E402
from rasd.analyze.ner_model import NerModel  # noqa: E402
from rasd.text.tokens import strip_article, word_count, word_forms  # noqa: E402


def rare_keys() -> list[str]:
    """Token keys (article off) of the vocabulary's forms rare enough to seed tagging."""
    keys = {strip_article(form) for form in word_forms()}
    return sorted(k for k in keys if word_count(k) + word_count("ال" + k) < NER_TRIGGER_COUNT)


def build(model: NerModel) -> Path:
    out = model.path.with_name(model.path.stem + "-leans.npz")
    model.export_leans(rare_keys(), out)
    return out


def main() -> None:
    start = time.process_time()
    model = NerModel.load()
    out = build(model)
    print(f"{len(rare_keys())} words -> {out} ({out.stat().st_size / 1e3:.0f} kB) in {time.process_time() - start:.0f} s")


if __name__ == "__main__":
    main()
