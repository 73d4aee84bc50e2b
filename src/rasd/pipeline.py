"""The pipeline: ingest → clean → analyse stages → Doc, once per article.

Stages are registered by name with `@stage("name")`; each is a class with
`name`, `requires`, `assigns` and `__call__(doc) -> doc`, built once per process
with the loaded resources. `Pipeline` checks that every stage's `requires` is
assigned by an earlier stage.
"""

from __future__ import annotations

import gc
import importlib
import itertools
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from rasd.clean import clean_article
from rasd.doc import Article, Doc, Quarantined
from rasd.errors import RasdError, ResourceError


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, doc: Doc) -> Doc: ...


STAGES: dict[str, Callable[[], Stage]] = {}

# Modules whose import registers stages. A module absent from this checkout is skipped.
_STAGE_MODULES = (
    "rasd.analyze.tokens",
    "rasd.analyze.entities",
    "rasd.analyze.attributions",
    "rasd.analyze.events",
    "rasd.analyze.notes",
)
DEFAULT_STAGES = ("tokens", "entities", "attributions", "events", "notes")


def stage(name: str) -> Callable[[type], type]:
    """Class decorator: register a stage factory under `name`."""

    def register(cls: type) -> type:
        STAGES[name] = cls
        return cls

    return register


def _load_stage_modules() -> None:
    for module in _STAGE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise


@dataclass(slots=True)
class PipelineConfig:
    stages: tuple[str, ...] = DEFAULT_STAGES


class Pipeline:
    """Clean and analyse articles. Build once; call for each article."""

    def __init__(self, config: PipelineConfig | None = None) -> None:
        _load_stage_modules()
        self.config = config or PipelineConfig()
        names = [n for n in self.config.stages if n in STAGES]
        self.stages: list[Stage] = [STAGES[n]() for n in names]
        self._check_order()
        self._resources_frozen = False

    def _check_order(self) -> None:
        assigned = {"text", "title", "body", "published"}
        for s in self.stages:
            missing = set(s.requires) - assigned
            if missing:
                raise RasdError(f"stage {s.name!r} requires {sorted(missing)}, assigned by no earlier stage")
            assigned |= set(s.assigns)

    def __call__(self, article: Article) -> Doc:
        title, body, dropped = clean_article(article)
        doc = Doc(
            id=article.id,
            title=title,
            body=body,
            published=article.published,
            source=article.source,
            url=article.url,
            path=article.path,
            dropped=dropped,
        )
        for s in self.stages:
            doc = s(doc)
        if not self._resources_frozen:
            self._freeze_resources()
        return doc

    def _freeze_resources(self) -> None:
        """After the first article every lexicon, the KB, the gazetteer and the model are
        loaded: hundreds of thousands of long-lived objects that the cyclic garbage collector
        would otherwise walk again at each full collection (0.3-0.5 ms per article early in
        a run). Freezing moves them out of its sight; they are never garbage anyway."""
        gc.collect()
        gc.freeze()
        self._resources_frozen = True


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def analyze(
    text: str,
    published: str | None = None,
    *,
    title: str | None = None,
    id: str = "text",
    source: str | None = None,
    url: str | None = None,
) -> Doc:
    """Analyse one article given as text. Without `title`, the first non-empty line is the headline."""
    article = Article(id=id, text=text, title=title, published=published, source=source, url=url)
    return default_pipeline()(article)


def analyze_file(path: str | Path, published: str | None = None) -> Doc:
    """Analyse one file (text or HTML). Raises `RasdError` if it cannot be read."""
    from rasd.ingest import read_paths

    items = list(read_paths([path]))
    if not items:
        raise RasdError(f"{path}: no article found")
    item = items[0]
    if isinstance(item, Quarantined):
        raise RasdError(f"{item.path}{f':{item.line}' if item.line else ''}: {item.reason}")
    if published:
        item.published = published
    return default_pipeline()(item)


# ---- many articles, optionally in worker processes -------------------------------------------

_WORKER: Pipeline | None = None
_FINISH: Callable[[Doc, Article], Any] | None = None
_INIT_ERROR: str | None = None


def _init_worker(finish: Callable[[Doc, Article], Any] | None = None) -> None:
    # A failure here must not escape: multiprocessing would start another worker, which fails
    # again, for ever, and the run would hang without a word. The first article reports it.
    global _WORKER, _FINISH, _INIT_ERROR
    try:
        _WORKER = Pipeline()
    except Exception as error:  # noqa: BLE001 - any failure is reported by `_work`
        _INIT_ERROR = f"{type(error).__name__}: {error}"
    _FINISH = finish


def _work(article: Article) -> Any:
    if _WORKER is None:
        raise ResourceError(f"the analysis pipeline could not start in a worker process ({_INIT_ERROR})")
    return _safe_analyse(_WORKER, article, _FINISH)


def _safe_analyse(pipeline: Pipeline, article: Article,
                  finish: Callable[[Doc, Article], Any] | None = None) -> Any:
    """An analysis error quarantines that one article instead of stopping the batch."""
    try:
        doc = pipeline(article)
        return finish(doc, article) if finish is not None else doc
    except Exception as error:  # noqa: BLE001 - any failure must not lose the rest of the batch
        return Quarantined(
            path=article.path or article.id,
            line=None,
            reason=f"analysis failed: {type(error).__name__}: {error}",
            raw=article.text.encode("utf-8", "replace")[:100_000],
            article_id=article.id,
        )


def analyze_many(
    items: Iterable[Article | Quarantined],
    workers: int | None = None,
    published: str | None = None,
    finish: Callable[[Doc, Article], Any] | None = None,
) -> Iterator[Any]:
    """Analyse a stream of articles in input order; quarantined items pass through.

    `workers` > 1 uses that many processes (default: number of cores). `finish(doc, article)`,
    a picklable module-level function, runs where the article was analysed (in the worker)
    and its result is yielded instead of the Doc: `rasd ingest` turns each Doc into the
    rows to store there, so the main process only writes. A failure in `finish`
    quarantines the article like an analysis failure.
    """
    workers = workers or os.cpu_count() or 1

    def prepared() -> Iterator[Article | Quarantined]:
        for item in items:
            if isinstance(item, Article) and published and not item.published:
                item.published = published
            yield item

    if workers <= 1:
        pipeline = default_pipeline()
        for item in prepared():
            yield item if isinstance(item, Quarantined) else _safe_analyse(pipeline, item, finish)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with _Pool(workers, initializer=_init_worker, initargs=(finish,), context=context) as pool:
        # The input is read here, in the calling thread, a batch at a time (`rasd ingest`'s
        # input queries the store, which only this thread may use), and the next batch is
        # submitted before this one's results are handed out: while the caller stores the
        # last results of a batch, the workers already analyse the next.
        source = prepared()
        running = _submit(pool, source)
        while running is not None:
            following = _submit(pool, source)
            yield from running
            running = following


class _Pool(multiprocessing.pool.Pool):
    """`multiprocessing.Pool` without its worker-maintenance thread's busy wait.

    CPython's Pool (3.8+) wakes that thread whenever the result pipe is readable, and it
    stays readable until the result thread has read each result: on 2,000 articles the
    thread woke 11-15 thousand times under `rasd analyze` and 22-25 thousand under
    `rasd ingest` (whose main thread, busy writing, reads later), spending 0.3-0.5 s of
    the main process's CPU that the workers need. It only has to wake when a worker exits
    (the workers' own sentinels, still waited on) or the pool changes state or drains
    (the change notifier): with these alone it woke twice.
    """

    def _get_sentinels(self) -> list[Any]:
        notifier = getattr(self, "_change_notifier", None)
        return [notifier._reader] if notifier is not None else super()._get_sentinels()  # type: ignore[misc]


BATCH = 256  # articles submitted to the pool at once


def _submit(pool: multiprocessing.pool.Pool, items: Iterator[Article | Quarantined]) -> Iterator[Any] | None:
    """Queue the next `BATCH` items in the pool; their results in input order, or None when none are left."""
    batch = list(itertools.islice(items, BATCH))
    if not batch:
        return None
    articles = [item for item in batch if isinstance(item, Article)]
    results = pool.imap(_work, articles, chunksize=4)

    def ordered() -> Iterator[Any]:
        for item in batch:
            yield item if isinstance(item, Quarantined) else next(results)

    return ordered()
