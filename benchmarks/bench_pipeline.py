"""Benchmark (CPU time of this process, so that other work on the machine skews it less): articles/s per core and peak RSS of the full pipeline, against a regex floor.

Runs, in one process and on the same texts (the first N articles of the
SaudiNewsNet corpus):
  1. the regex floor: `re.findall(r"\\w+", text)` over each article (the cheapest
     possible "analysis"),
  2. the text layer alone (cleaning + sentence split + clitic tokenisation), with cold
     and then warm per-word caches,
  3. the full pipeline (`rasd.pipeline.Pipeline`) on one core, then on the next N
     articles (unseen text, caches warm: a long ingest's steady state).

    python benchmarks/bench_pipeline.py [--n 2000] [--corpus PATH]

Prints a table and a JSON line; peak RSS is the process maximum (ru_maxrss).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import time
from pathlib import Path

from rasd.clean import clean_text
from rasd.doc import Article
from rasd.pipeline import Pipeline
from rasd.text.sentences import split_sentences
from rasd.text.tokens import tokenize

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/data/corpus/saudinewsnet.jsonl.gz"
WORD = re.compile(r"\w+")


def load(corpus: Path, n: int) -> list[Article]:
    articles = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles.append(Article(id=str(record["id"]), text=record["text"], title=record.get("title"),
                                    published=record.get("published"), source=record.get("source")))
            if len(articles) >= n:
                break
    return articles


def timed(label: str, fn, articles: list[Article]) -> dict:
    start = time.process_time()
    for article in articles:
        fn(article)
    seconds = time.process_time() - start
    return {"stage": label, "seconds": round(seconds, 3), "articles_per_s": round(len(articles) / seconds, 1),
            "ms_per_article": round(1000 * seconds / len(articles), 3)}


def text_layer(article: Article) -> None:
    title, body, _ = clean_text(article.text, title=article.title)
    text = f"{title}\n\n{body}"
    split_sentences(text)
    tokenize(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    articles = load(args.corpus, 2 * args.n)
    articles, later = articles[: args.n], articles[args.n :]
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    load_start = time.process_time()
    pipeline = Pipeline()
    pipeline(articles[0])  # load lexicons, KB, gazetteer and model before timing
    load_seconds = time.process_time() - load_start
    rows = [
        timed("regex floor", lambda a: WORD.findall(a.text), articles),
        # First pass: every new word is segmented once (cold caches, as at the start of a run);
        # second pass: the per-word caches are warm, as in a long ingest.
        timed("text layer", text_layer, articles),
        timed("text (warm)", text_layer, articles),
        timed("full pipeline", pipeline, articles),
        # The same on the next N articles, after the pass above: the steady state of a long
        # ingest, where per-word caches are warm but every article still brings new words.
        timed("full, next N", pipeline, later),
    ]
    floor = rows[0]["seconds"]
    for row in rows:
        row["x_regex_floor"] = round(row["seconds"] / floor, 1)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(articles)} articles, {words:.0f} words on average; stages: {[s.name for s in pipeline.stages]}")
    print(f"resource load (first article): {load_seconds:.2f} s")
    print(f"{'stage':15s} {'s':>8s} {'art/s/core':>11s} {'ms/article':>11s} {'x floor':>8s}")
    for row in rows:
        print(f"{row['stage']:15s} {row['seconds']:8.2f} {row['articles_per_s']:11.1f} {row['ms_per_article']:11.3f} {row['x_regex_floor']:8.1f}")
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(json.dumps({"articles": len(articles), "rows": rows, "peak_rss_mb": round(peak_mb), "load_s": round(load_seconds, 2)}))


if __name__ == "__main__":
    main()
