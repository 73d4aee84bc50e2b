"""Benchmark: `rasd ingest` into SQLite against `rasd analyze`, and search latency on the corpus.

On the first N articles of the SaudiNewsNet corpus, the two real commands, each a fresh
process with `--workers W`, alternated for `--rounds` rounds (best of each kept):
  1. `rasd analyze SAMPLE --format jsonl` (read, analyse, serialise each Doc to stdout),
  2. `rasd ingest SAMPLE --db sqlite:///fresh.db` (read, analyse, store, near-duplicates, incidents);
the target is ingest >= 80% of analyse throughput. Both are timed as wall clock and as CPU
of the command and its workers; each command's start-up (loading the lexicons and models,
timed on a 2-article file) is reported and also taken out, for the per-article rate of a
long run. Then, in this process: the store's own work per article (preparing rows in the
workers, writing them in the main process), a re-run over unchanged input, and search
latency (target < 100 ms) over a store holding the whole corpus text (`--search-n`,
default all 30,940 articles, stored without analysis so that building it takes minutes,
not hours) plus the analysed N. Text-only articles carry no events, so filtered queries
are easy there: `--search-db URL` also measures a store that holds the analysed corpus
(`rasd ingest` of the whole corpus).

    python benchmarks/bench_ingest.py [--n 2000] [--workers 2] [--rounds 2] [--search-n 30940] [--corpus PATH]
                                      [--search-db sqlite:////tmp/corpus.db]

Prints a table and a JSON line.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.doc import Doc
from rasd.ingest import read_paths
from rasd.pipeline import analyze_many
from rasd.store import Filters, Store, open_store
from rasd.store.loader import BATCH, ingest

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/data/corpus/saudinewsnet.jsonl.gz"
QUERIES: list[tuple[str, Filters | None]] = [
    ("الحشد", None), ("والحشد الشعبي", None), ("سوروتش", None), ("تفجير انتحاري", None),
    ("غارة جوية", Filters(country="YE")), ("داعش", Filters(date_from="2015-07-20", date_to="2015-07-25")),
    ("قتلى", Filters(near=(36.97, 38.42, 50))), ("", Filters(types=("Battles",))),
    ("التحالف العربي صنعاء", None), ("مظاهرة", Filters(types=("Protests",))),
]


def write_sample(corpus: Path, n: int, folder: Path, name: str = "sample.jsonl") -> Path:
    """The first `n` lines of `corpus` (gzip or plain JSONL) as `folder/name`."""
    path = folder / name
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(source):
            if i >= n:
                break
            out.write(line)
    return path


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = fn()
    return time.perf_counter() - start, count


QUARANTINED_SOME = 2  # exit status when some inputs were quarantined (the corpus has lines without text)


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds of the command and of all its workers


def run_command(*args: str) -> Run:
    """Run `python -m rasd ARGS` to its end; stdout is discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # counts the workers too, once reaped
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rasd", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode not in (0, QUARANTINED_SOME):
        raise SystemExit(f"rasd {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Run(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def analyse_command(sample: Path, workers: int) -> Run:
    return run_command("analyze", str(sample), "--format", "jsonl", "--workers", str(workers))


def ingest_command(sample: Path, workers: int, db: Path) -> Run:
    db.unlink(missing_ok=True)
    return run_command("ingest", str(sample), "--db", f"sqlite:///{db}", "--workers", str(workers))


def best(runs: list[Run]) -> Run:
    """The fastest wall clock and the least CPU of several runs (other load slows runs, never speeds them)."""
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs))


def commands(folder: Path, sample: Path, n: int, workers: int, rounds: int) -> dict[str, Any]:
    """Throughput of `rasd analyze` and `rasd ingest` on `sample` (`n` articles), as the user runs them."""
    tiny = write_sample(sample, 2, folder, "tiny.jsonl")
    db = folder / "command.db"
    analyse_command(tiny, workers)  # the page cache: Python modules, lexicons, models
    runs: dict[str, list[Run]] = {"analyse": [], "ingest": [], "analyse_startup": [], "ingest_startup": []}
    for _ in range(rounds):  # alternated: a slow spell of the machine hits both
        runs["analyse"].append(analyse_command(sample, workers))
        runs["ingest"].append(ingest_command(sample, workers, db))
        runs["analyse_startup"].append(analyse_command(tiny, workers))
        runs["ingest_startup"].append(ingest_command(tiny, workers, folder / "startup.db"))
    analyse, ingest_run = best(runs["analyse"]), best(runs["ingest"])
    start_a, start_i = best(runs["analyse_startup"]), best(runs["ingest_startup"])
    rates = {
        "analyse_per_s": n / analyse.wall, "ingest_per_s": n / ingest_run.wall,
        "analyse_per_s_after_startup": n / (analyse.wall - start_a.wall),
        "ingest_per_s_after_startup": n / (ingest_run.wall - start_i.wall),
        "analyse_cpu_ms_per_article": 1000 * (analyse.cpu - start_a.cpu) / n,
        "ingest_cpu_ms_per_article": 1000 * (ingest_run.cpu - start_i.cpu) / n,
        "startup_s": {"analyse": start_a.wall, "ingest": start_i.wall},
    }
    rates["ingest_vs_analyse"] = rates["ingest_per_s"] / rates["analyse_per_s"]
    rates["ingest_vs_analyse_after_startup"] = rates["ingest_per_s_after_startup"] / rates["analyse_per_s_after_startup"]
    rates["ingest_vs_analyse_cpu"] = rates["analyse_cpu_ms_per_article"] / rates["ingest_cpu_ms_per_article"]
    # Each round's two runs, a few seconds apart, see the same state of a shared machine: the
    # median of the rounds' own ratios moves less with its slow and fast spells than the ratio
    # of the two bests, which may come from different spells.
    paired = sorted(a.wall / i.wall for a, i in zip(runs["analyse"], runs["ingest"], strict=True))
    rates["paired_ratio"] = {"median": statistics.median(paired), "min": paired[0], "max": paired[-1]}
    return {k: round(v, 3) if isinstance(v, float) else {x: round(y, 3) for x, y in v.items()} for k, v in rates.items()}


def store_only(folder: Path, path: Path, workers: int) -> tuple[float, float]:
    """Milliseconds per article of (preparing the rows, writing them) on analysed docs, fresh store.

    `rasd ingest` prepares the rows (normalisation, MinHash, terms, JSON) in the analysis
    workers; only the writing happens in the main process.
    """
    docs = [d for d in analyze_many(read_paths([path]), workers=workers) if isinstance(d, Doc)]
    with open_store(f"sqlite:///{folder / 'store-only.db'}") as store:
        prepare = store.preparer() or (lambda doc, article: doc)
        for doc in docs[:20]:  # the tokenizer's tables load on first use, as analysis has done in a worker
            prepare(doc, None)
        start = time.perf_counter()
        rows = [prepare(doc, None) for doc in docs]
        prepare_ms = 1000 * (time.perf_counter() - start) / max(1, len(docs))
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):  # as `rasd ingest` commits
            store.add_docs(rows[i : i + BATCH])
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
    """Latency of `QUERIES`: a first pass, whose pages may have to come from disk (the first query
    of a process also loads the tokenizer lexicon), then `rounds` warm passes."""
    first: list[float] = []
    times: list[float] = []
    hits: dict[str, int] = {}
    for round_number in range(rounds + 1):
        for text, filters in QUERIES:
            start = time.perf_counter()
            found = store.search(text, filters, limit=20)
            (times if round_number else first).append(1000 * (time.perf_counter() - start))
            hits[text or str(filters)] = len(found)
    times.sort()
    return {"cold_first_ms": round(first[0], 1), "first_pass_max_ms": round(max(first), 1),
            "median_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * len(times)) - 1], 2),
            "max_ms": round(times[-1], 2), "queries": len(times), "hits": hits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--search-n", type=int, default=31_000)
    parser.add_argument("--search-db", metavar="URL", help="Also measure search on this (analysed) store.")
    parser.add_argument("--rounds", type=int, default=2, help="Alternating analyse/ingest rounds (best kept).")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sample = write_sample(args.corpus, args.n, Path(folder))
        rates = commands(Path(folder), sample, args.n, args.workers, args.rounds)
        prepare_ms, store_ms = store_only(Path(folder), sample, args.workers)
        store = open_store(f"sqlite:///{Path(folder) / 'command.db'}")  # the sample, as the last ingest left it
        rerun_s, _ = timed(lambda: ingest_into(store, sample, args.workers))
        fill_s, filled = timed(lambda: fill_text_only(store, args.corpus, args.search_n))
        latency = search_latency(store)
        stats = store.stats()
        store.close()
    result = {
        "articles": args.n, "workers": args.workers, **rates,
        "prepare_ms_per_article": round(prepare_ms, 2), "store_ms_per_article": round(store_ms, 2),
        "rerun_unchanged_per_s": round(args.n / rerun_s, 1), "search_store_articles": stats["articles"],
        "text_only_fill_per_s": round(filled / fill_s, 1) if filled else None, "search": latency,
        "search_analysed": _analysed_latency(args.search_db),
        "events": stats["events"], "incidents": stats["incidents"], "duplicates": stats["duplicates"],
    }
    startup = rates["startup_s"]
    print(f"{args.n} articles, {args.workers} workers, best of {args.rounds} alternated runs of each command")
    print(f"rasd analyze      {rates['analyse_per_s']:8.2f} articles/s  ({rates['analyse_per_s_after_startup']:.2f}"
          f" after its {startup['analyse']:.1f} s start-up)")
    print(f"rasd ingest       {rates['ingest_per_s']:8.2f} articles/s  ({rates['ingest_per_s_after_startup']:.2f}"
          f" after its {startup['ingest']:.1f} s start-up)")
    print(f"ingest / analyze  {100 * rates['ingest_vs_analyse']:7.0f}%  ({100 * rates['ingest_vs_analyse_after_startup']:.0f}%"
          " after start-up; target >= 80%)")
    paired = rates["paired_ratio"]
    print(f"  each round's own ratio: median {100 * paired['median']:.0f}%, {100 * paired['min']:.0f}-{100 * paired['max']:.0f}%"
          f" over {args.rounds} rounds")
    print(f"CPU, command and workers, start-up left out: analyze {rates['analyse_cpu_ms_per_article']:.2f} ms/article,"
          f" ingest {rates['ingest_cpu_ms_per_article']:.2f} ms/article = {100 * rates['ingest_vs_analyse_cpu']:.0f}%"
          " of analyze's rate on busy cores")
    print(f"preparing rows    {result['prepare_ms_per_article']:8.2f} ms/article (in the workers)")
    print(f"writing alone     {result['store_ms_per_article']:8.2f} ms/article (main process, fresh SQLite)")
    print(f"re-run unchanged  {result['rerun_unchanged_per_s']:8.1f} articles/s")
    print(f"search over {stats['articles']:,} articles: {_latency_line(latency)}")
    analysed = result["search_analysed"]
    if analysed:
        print(f"search over {analysed['articles']:,} analysed articles ({analysed['events']:,} events):"
              f" {_latency_line(analysed)}")
    print(json.dumps(result, ensure_ascii=False))


def _latency_line(latency: dict[str, Any]) -> str:
    return (f"median {latency['median_ms']} ms, p95 {latency['p95_ms']} ms, max {latency['max_ms']} ms"
            f" (target < 100 ms); first pass: first query {latency['cold_first_ms']} ms, slowest"
            f" {latency['first_pass_max_ms']} ms (pages read from disk if not in the OS cache)")


def _analysed_latency(url: str | None) -> dict[str, Any] | None:
    if not url:
        return None
    with open_store(url) as store:
        return {"articles": store.stats()["articles"], "events": store.stats()["events"], **search_latency(store)}


if __name__ == "__main__":
    main()
