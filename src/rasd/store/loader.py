"""Read → skip what is stored → analyse → store in batches: what `rasd ingest` runs.

Idempotent and resumable: an article whose id (or, for a JSONL line without an id,
whose URL) is stored with the same content hash is skipped before analysis; each batch
is written in one transaction, so a run killed at any moment loses at most the batch in
flight, and the next run redoes exactly that.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.doc import Article, Quarantined
from rasd.store.base import AddSummary, Store
from rasd.store.sql import content_hash

# Articles per transaction: small enough to lose little on a kill, large enough that each commit
# rewrites the pages the batch touched (full-text, index, LSH) rarely: 250 writes half the bytes
# and spends half the system time of 100 (76 → 38 KB of WAL per article on the corpus); 500
# takes another 0.1 s off 2,000 articles, and more as the store grows (the LSH and index pages
# that each commit rewrites are spread over more of the file).
BATCH = 500
CHECK_AHEAD = 256  # articles whose stored hashes are looked up in one query


def stable_id(article: Article) -> str:
    """The article's id; a JSONL line without an id (reader-made `<stem>-<line>`) is known by its URL."""
    generated = article.extra.get("id_generated") or (
        article.format == "jsonl" and article.path is not None
        and article.id == f"{Path(article.path.rsplit(':', 1)[0]).stem}-{article.path.rsplit(':', 1)[-1]}"
    )
    if (generated or not article.id) and article.url:
        return "url-" + hashlib.sha1(article.url.encode("utf-8")).hexdigest()[:20]
    return article.id


@dataclass(slots=True)
class _Run:
    summary: AddSummary = field(default_factory=AddSummary)
    pending: dict[str, list[Article]] = field(default_factory=dict)  # analysed, not yet stored; an id may repeat
    input_read: bool = False  # every input item has been handed to analysis


def _fresh(store: Store, items: Iterable[Article | Quarantined], published: str | None,
           run: _Run) -> Iterator[Article | Quarantined]:
    """Pass through quarantined items and the articles not stored unchanged; count the rest."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, CHECK_AHEAD)):
        articles = [a for a in chunk if isinstance(a, Article)]
        for article in articles:
            article.id = stable_id(article)
            if published and not article.published:
                article.published = published
        known = store.known_hashes(articles)
        for item in chunk:
            if isinstance(item, Article):
                stored = known.get(item.id)
                if stored is not None and stored == content_hash(item):
                    run.summary.unchanged += 1
                    continue
                run.pending.setdefault(item.id, []).append(item)
            yield item
    run.input_read = True


def ingest(store: Store, items: Iterable[Article | Quarantined], *, workers: int | None = None,
           published: str | None = None, batch: int = BATCH,
           on_quarantined: Callable[[Quarantined], None] | None = None) -> Iterator[AddSummary]:
    """Analyse and store `items`; yield the running summary after each stored batch.
    `on_quarantined` sees each unreadable input or failed analysis as it is quarantined."""
    from rasd.pipeline import analyze_many

    run = _Run()
    results = analyze_many(_fresh(store, items, published, run), workers=workers,
                           finish=store.preparer())  # the store's pure per-article work runs in the workers
    buffered: list[Any] = []  # Docs, or what the store's preparer made of them; Quarantined
    stored_any = False
    with _cycles_collected_per_batch():
        for result in results:
            buffered.append(result)
            if len(buffered) < batch and not run.input_read:
                continue
            # Once the input is all read, a batch's transaction also takes the results still to come,
            # writing each as it arrives: the last one leaves one article to write, not a whole batch.
            # Only then, for the last few seconds, does ingest hold the write lock while it waits.
            following = itertools.islice(results, batch - len(buffered)) if run.input_read else ()
            _store(store, itertools.chain(buffered, following), run, on_quarantined)
            buffered = []
            stored_any = True
            gc.collect()
            yield run.summary
        if buffered or not stored_any:
            _store(store, buffered, run, on_quarantined)
            yield run.summary


@contextmanager
def _cycles_collected_per_batch() -> Iterator[None]:
    """Receiving and writing a batch allocates hundreds of thousands of short-lived rows, lists
    and dicts, freed by reference counting; the cyclic collector, triggered by allocations alone,
    walked them and the transaction's caches some 3,700 times over the whole corpus (4.2 s of the
    writing process's 50 s). It is paused for the run, and collects once after each batch: 0.9 s."""
    if not gc.isenabled():
        yield
        return
    gc.collect()
    gc.freeze()  # what is loaded by now (modules, lexicons) lives as long as the process: not walked again
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _store(store: Store, results: Iterable[Any], run: _Run,
           on_quarantined: Callable[[Quarantined], None] | None) -> None:
    """Store one batch of results in one transaction; quarantine the failed analyses in it."""
    articles: dict[str, Article] = {}  # the inputs of the docs handed to the store so far

    def docs() -> Iterator[Any]:
        for result in results:
            if isinstance(result, Quarantined):
                run.summary.quarantined += store.add_quarantined([result])
                if on_quarantined is not None:
                    on_quarantined(result)
                if result.article_id:
                    _take(run.pending, result.article_id)
                continue
            article = _take(run.pending, result.id)
            if article is not None:
                articles.setdefault(result.id, article)
            yield result

    run.summary.add(store.add_docs(docs(), articles))


def _take(pending: dict[str, list[Article]], article_id: str) -> Article | None:
    queue = pending.get(article_id)
    if not queue:
        return None
    article = queue.pop(0)
    if not queue:
        del pending[article_id]
    return article
