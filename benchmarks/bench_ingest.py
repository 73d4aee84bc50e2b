"""Benchmark: `rasd ingest` into SQLite against plain analysis, and search latency on the corpus.

On the first N articles of the SaudiNewsNet corpus:
  1. analyse only (what `rasd analyze` does: read, analyse, serialise each Doc),
  2. ingest into a fresh SQLite file (read, analyse, store, near-duplicates, incidents),
  3. ingest again (everything unchanged: skipped before analysis);
the target is ingest >= 80% of analyse throughput. Then search latency (target < 100 ms)
over a store holding the whole corpus text (`--search-n`, default all 30,940 articles,
stored without analysis so that building it takes minutes, not hours) plus the analysed N.
Text-only articles carry no events, so filtered queries are easy there: `--search-db URL`
also measures a store that holds the analysed corpus (`rasd ingest` of the whole corpus).

    python benchmarks/bench_ingest.py [--n 1000] [--workers 2] [--rounds 2] [--search-n 30940] [--corpus PATH]
                                      [--search-db sqlite:////tmp/corpus.db]

Prints a table and a JSON line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasd.cli.analyze import serialise_doc
from rasd.doc import Article, Doc
from rasd.ingest import read_paths
from rasd.pipeline import analyze_many
from rasd.store import Filters, Store, open_store
from rasd.store.loader import ingest

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/data/corpus/saudinewsnet.jsonl.gz"
QUERIES: list[tuple[str, Filters | None]] = [
    ("الحشد", None), ("والحشد الشعبي", None), ("سوروتش", None), ("تفجير انتحاري", None),
    ("غارة جوية", Filters(country="YE")), ("داعش", Filters(date_from="2015-07-20", date_to="2015-07-25")),
    ("قتلى", Filters(near=(36.97, 38.42, 50))), ("", Filters(types=("Battles",))),
    ("التحالف العربي صنعاء", None), ("مظاهرة", Filters(types=("Protests",))),
]


def write_sample(corpus: Path, n: int, folder: Path) -> Path:
    path = folder / "sample.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(source):
            if i >= n:
                break
            out.write(line)
    return path


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = fn()
    return time.perf_counter() - start, count


def cpu_seconds() -> float:
    """CPU time of this process and of its reaped children (the pool's workers, once it is closed)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed_cpu(fn: Callable[[], int]) -> tuple[float, int, float]:
    """(wall seconds, count, CPU seconds in all processes) of `fn`.

    Wall-clock rates swing with other load on the machine; CPU time much less, and the
    ratio of CPU per article is the ratio of rates that the two reach on free cores.
    """
    start_cpu, start = cpu_seconds(), time.perf_counter()
    count = fn()
    return time.perf_counter() - start, count, cpu_seconds() - start_cpu


def pool_startup(workers: int) -> float:
    """CPU seconds to start `workers` analysis processes (loading their resources) and stop them."""
    start = cpu_seconds()
    list(analyze_many(iter([Article(id="warm", text="نص قصير")] * workers * 2), workers=workers))
    return cpu_seconds() - start


def analyse_only(path: Path, workers: int) -> int:
    """What `rasd analyze --format jsonl` does: the workers analyse and serialise."""
    return sum(isinstance(r, str) for r in analyze_many(read_paths([path]), workers=workers, finish=serialise_doc))


def store_only(folder: Path, path: Path, workers: int) -> tuple[float, float]:
    """Milliseconds per article of (preparing the rows, writing them) on analysed docs, fresh store.

    `rasd ingest` prepares the rows (normalisation, MinHash, terms, JSON) in the analysis
    workers; only the writing happens in the main process.
    """
    docs = [d for d in analyze_many(read_paths([path]), workers=workers) if isinstance(d, Doc)]
    with open_store(f"sqlite:///{folder / 'store-only.db'}") as store:
        prepare = store.preparer() or (lambda doc, article: doc)
        start = time.perf_counter()
        rows = [prepare(doc, None) for doc in docs]
        prepare_ms = 1000 * (time.perf_counter() - start) / max(1, len(docs))
        start = time.perf_counter()
        for i in range(0, len(rows), 100):
            store.add_docs(rows[i : i + 100])
        return prepare_ms, 1000 * (time.perf_counter() - start) / max(1, len(docs))


def ingest_into(store: Store, path: Path, workers: int) -> int:
    summary = None
    for running in ingest(store, read_paths([path]), workers=workers):
        summary = running
    return (summary.stored + summary.updated + summary.unchanged) if summary else 0


def fill_text_only(store: Store, corpus: Path, n: int) -> int:
    """Store the corpus text (no analysis: clean text = raw text) for search-scale measurement."""
    batch: list[Doc] = []
    stored = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as source:
        for i, line in enumerate(source):
            if i >= n:
                break
            record = json.loads(line)
            batch.append(Doc(id="text-only-" + str(record["id"]), title=record.get("title") or "",
                             body=record["text"], published=record.get("published"), source=record.get("source")))
            if len(batch) == 500:
                stored += store.add_docs(batch).stored
                batch = []
    if batch:
        stored += store.add_docs(batch).stored
    return stored


def search_latency(store: Store, rounds: int = 5) -> dict[str, Any]:
    """Latency of `QUERIES`, warm (the first query of a process also loads the tokenizer lexicon)."""
    start = time.perf_counter()
    store.search(QUERIES[0][0], None, limit=20)
    cold = 1000 * (time.perf_counter() - start)
    times: list[float] = []
    hits: dict[str, int] = {}
    for _ in range(rounds):
        for text, filters in QUERIES:
            start = time.perf_counter()
            found = store.search(text, filters, limit=20)
            times.append(1000 * (time.perf_counter() - start))
            hits[text or str(filters)] = len(found)
    times.sort()
    return {"cold_first_ms": round(cold, 1), "median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
            "max_ms": round(times[-1], 2), "queries": len(times), "hits": hits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--search-n", type=int, default=31_000)
    parser.add_argument("--search-db", metavar="URL", help="Also measure search on this (analysed) store.")
    parser.add_argument("--rounds", type=int, default=2, help="Alternating analyse/ingest rounds (best kept).")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample(args.corpus, args.n, Path(folder))
        analyse_only(sample, 1)  # warm the page cache and the lexicon caches of this process
        # alternate the two measurements and keep the best of each: other load on the machine hits both alike
        analyse_runs, ingest_runs = [], []
        for round_number in range(args.rounds):
            analyse_runs.append(timed_cpu(lambda: analyse_only(sample, args.workers)))
            db = Path(folder) / f"bench-{round_number}.db"
            with open_store(f"sqlite:///{db}") as fresh:
                ingest_runs.append(timed_cpu(lambda fresh=fresh: ingest_into(fresh, sample, args.workers)))
        analyse_s, analysed, _ = min(analyse_runs)
        ingest_s, ingested, _ = min(ingest_runs)
        startup = pool_startup(args.workers)  # the same in both: left out of CPU per article
        analyse_cpu = min(1000 * (cpu - startup) / max(1, n) for _, n, cpu in analyse_runs)
        ingest_cpu = min(1000 * (cpu - startup) / max(1, n) for _, n, cpu in ingest_runs)
        prepare_ms, store_ms = store_only(Path(folder), sample, args.workers)
        store = open_store(f"sqlite:///{Path(folder) / 'bench-0.db'}")
        rerun_s, _ = timed(lambda: ingest_into(store, sample, args.workers))
        fill_s, filled = timed(lambda: fill_text_only(store, args.corpus, args.search_n))
        latency = search_latency(store)
        stats = store.stats()
        store.close()
    result = {
        "articles": args.n, "workers": args.workers,
        "analyse_per_s": round(analysed / analyse_s, 2), "ingest_per_s": round(ingested / ingest_s, 2),
        "ingest_vs_analyse": round((ingested / ingest_s) / (analysed / analyse_s), 3),
        "analyse_cpu_ms_per_article": round(analyse_cpu, 2), "ingest_cpu_ms_per_article": round(ingest_cpu, 2),
        "ingest_vs_analyse_cpu": round(analyse_cpu / ingest_cpu, 3), "pool_startup_cpu_s": round(startup, 2),
        "prepare_ms_per_article": round(prepare_ms, 2), "store_ms_per_article": round(store_ms, 2), "rerun_unchanged_per_s": round(args.n / rerun_s, 1), "search_store_articles": stats["articles"],
        "text_only_fill_per_s": round(filled / fill_s, 1) if filled else None, "search": latency,
        "search_analysed": _analysed_latency(args.search_db),
        "events": stats["events"], "incidents": stats["incidents"], "duplicates": stats["duplicates"],
    }
    print(f"{args.n} articles, {args.workers} workers")
    print(f"analyse only      {result['analyse_per_s']:8.2f} articles/s")
    print(f"ingest (SQLite)   {result['ingest_per_s']:8.2f} articles/s  = {100 * result['ingest_vs_analyse']:.0f}%"
          " of analyse (target >= 80%)")
    print(f"CPU, all processes: analyse {result['analyse_cpu_ms_per_article']:.2f} ms/article, ingest"
          f" {result['ingest_cpu_ms_per_article']:.2f} ms/article = {100 * result['ingest_vs_analyse_cpu']:.0f}%"
          f" of analyse's rate on free cores (pool start-up, {startup:.1f} s, left out)")
    print(f"preparing rows    {result['prepare_ms_per_article']:8.2f} ms/article (in the workers)")
    print(f"writing alone     {result['store_ms_per_article']:8.2f} ms/article (main process, fresh SQLite)")
    print(f"re-run unchanged  {result['rerun_unchanged_per_s']:8.1f} articles/s")
    print(f"search over {stats['articles']:,} articles: median {latency['median_ms']} ms, p95 {latency['p95_ms']} ms,"
          f" max {latency['max_ms']} ms (target < 100 ms); first query of a process {latency['cold_first_ms']} ms")
    analysed = result["search_analysed"]
    if analysed:
        print(f"search over {analysed['articles']:,} analysed articles ({analysed['events']:,} events):"
              f" median {analysed['median_ms']} ms, p95 {analysed['p95_ms']} ms, max {analysed['max_ms']} ms")
    print(json.dumps(result, ensure_ascii=False))


def _analysed_latency(url: str | None) -> dict[str, Any] | None:
    if not url:
        return None
    with open_store(url) as store:
        return {"articles": store.stats()["articles"], "events": store.stats()["events"], **search_latency(store)}


if __name__ == "__main__":
    main()
