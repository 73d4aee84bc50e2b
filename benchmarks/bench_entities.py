"""Benchmark (CPU time of this process, so that other work on the machine skews it less): entity recognition + linking per article, and KB + gazetteer load cost.

    python benchmarks/bench_entities.py [--n 1000]

Measures, on SaudiNewsNet articles N+1..2N (tokens computed beforehand; the per-word
caches warmed on articles 1..N first, as in a long ingest run, so the measured articles
still bring the new words that unseen news does):
  - load time and RSS growth of the KB, the gazetteer and the recogniser's name index;
  - ms per article of the entity stage with and without the NER model, and the same
    scaled to a 300-word article (the issue's yardstick).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import DEFAULT_CORPUS, load  # noqa: E402

from rasd.analyze.tokens import Tokenizer  # noqa: E402
from rasd.clean import clean_text  # noqa: E402
from rasd.doc import Doc  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    before = rss_mb()
    start = time.process_time()
    from rasd.analyze.entities import EntityRecognizer, default_name_index
    from rasd.analyze.gazetteer import default_gazetteer
    from rasd.analyze.kb import default_kb

    default_kb()
    t_kb = time.process_time()
    default_gazetteer()
    t_gaz = time.process_time()
    default_name_index()
    t_index = time.process_time()
    print(f"load: KB {t_kb - start:.2f} s, gazetteer {t_gaz - t_kb:.2f} s, name index {t_index - t_gaz:.2f} s; "
          f"RSS +{rss_mb() - before:.0f} MB")
    tokenizer = Tokenizer()
    docs = []
    for article in load(DEFAULT_CORPUS, 2 * args.n):
        title, body, _ = clean_text(article.text, title=article.title)
        docs.append(tokenizer(Doc(id=article.id, title=title, body=body)))
    warm, docs = docs[: args.n], docs[args.n :]
    # A real run streams articles; here 2N tokenised docs stay alive, and the cyclic garbage
    # collector would re-scan their million objects again and again: leave them out of it.
    gc.freeze()
    # Words as a reader counts them: tokens of letters or digits, not punctuation (clitics
    # stay on their word, so وببغداد is one word).
    words = sum(1 for d in docs for t in d.tokens if t.text[:1].isalnum()) / len(docs)
    for label, use_model in (("dictionary only", False), ("with NER model", True)):
        stage = EntityRecognizer(use_model=use_model)
        for doc in warm:
            stage(doc)
        start = time.process_time()
        for doc in docs:
            stage(doc)
        ms = 1000 * (time.process_time() - start) / len(docs)
        print(f"{label:16s}: {ms:.2f} ms/article ({words:.0f} words), {ms * 300 / words:.2f} ms per 300 words")


if __name__ == "__main__":
    main()
