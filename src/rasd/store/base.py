"""The storage interface every back end implements (SQLite, PostgreSQL).

Callers (the CLI, the REST API, exports) use only what is declared here; they never
see SQL. Open a store with `rasd.store.open_store(url)`; use it as a context manager
or call `close()`.

Records come back as plain JSON-ready dicts:

- **event** (`query_events`, `iter_events`, inside `get_article` and `search`):
  `id` (`"<article_id>#<local id>"`), `article_id`, `incident_id`, `event_type`,
  `sub_event_type`, `plover`, `date`, `time_precision`, `location`
  (`{name, name_en, lat, lon, admin1, country, geo_precision, place_id}` or None),
  `actor1`, `actor2`, `fatalities`, `injuries`, `modality`, `sources` (list),
  `notes`, `trigger`, `evidence` (text), `evidence_span` (`{start, end, text}`,
  offsets into the article's clean text), `arguments`, `mentions`, `article`
  (`{id, title, source, url, published}`).
- **incident** (`query_incidents`, `iter_incidents`): `id`, `event_type`,
  `sub_event_type`, `date`, `date_range` ([min, max]), `time_precision`, `location`,
  `actor1`, `actor2`, `fatalities` (the merged figure, see `rasd.dedup.incidents`; None
  when no member gives a toll or the tolls are disputed),
  `fatalities_range` ([min, max] of the tolls reported), `articles` (ids),
  `outlets`, `sources`, `n_events`, and, with `members=True`, `members`
  (`[{event_id, article_id, score, reasons}]`: why each event was merged).
- **article** (`get_article`): the stored `Doc.to_dict()` (clean `title`, `body`,
  every entity with its mention spans, events, attributions) plus `raw`, `path`,
  `content_hash`, `duplicates` (`[{article_id, kind: exact|near, similarity}]`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rasd.doc import Article, Doc, Quarantined


@dataclass(slots=True)
class Filters:
    """Which events (or incidents) a query keeps. Every field is optional; set ones are ANDed.

    `types` matches `event_type` or `sub_event_type` exactly; `country` is ISO alpha-2;
    `admin1` is compared case-insensitively; `near` is `(lat, lon, km)`; `date_from` /
    `date_to` are ISO days, inclusive; `actor` is a case-insensitive substring of
    actor1 or actor2.
    """

    types: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None
    near: tuple[float, float, float] | None = None
    date_from: str | None = None
    date_to: str | None = None
    actor: str | None = None

    def is_empty(self) -> bool:
        return not (self.types or self.country or self.admin1 or self.near
                    or self.date_from or self.date_to or self.actor)


@dataclass(slots=True)
class AddSummary:
    """What one `add_docs` call did, article by article."""

    stored: int = 0  # new articles
    updated: int = 0  # known id/URL whose content changed: re-analysed and replaced
    unchanged: int = 0  # known id/URL with the same content hash: left alone
    duplicates: int = 0  # stored articles linked to another as exact or near copy
    events: int = 0  # events written
    incidents_new: int = 0  # incidents opened
    incidents_joined: int = 0  # events that joined an existing incident
    quarantined: int = 0

    def add(self, other: AddSummary) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


MAX_LIMIT = 10_000  # the largest `limit` any listing honours


class Store(ABC):
    """A rasd database. Writes are batched: each `add_docs` call is one transaction.

    One `Store` may be shared by the threads of one process (calls are serialised by a
    lock); processes each open their own. Several processes may read while one writes.
    """

    url: str

    # ---- writing ------------------------------------------------------------------------
    @abstractmethod
    def add_docs(self, docs: Iterable[Doc], articles: Mapping[str, Article] | None = None) -> AddSummary:
        """Store analysed articles in one transaction, link duplicates, cluster events into incidents.

        `articles` maps doc id to the `Article` it was analysed from: its raw text and its
        content hash are stored (without it the hash is taken from the clean text). An id
        already stored with the same hash is counted unchanged and not touched; with a
        different hash it is replaced (old events leave their incidents). A doc with an
        empty id is stored under an id derived from its URL (`url-<sha1>`), so one URL is
        one article; `rasd ingest` does the same for JSONL lines that carry no id.
        Identical text under another id is stored and linked as an exact duplicate,
        similar text (MinHash) as a near duplicate. Returns what was done.

        `docs` may also hold what `preparer()` made of a doc (and its article), in another
        process: then only the writing happens here (the raw text is taken from `articles`).
        """

    def preparer(self) -> Callable[[Doc, Article | None], Any] | None:
        """A picklable pure function `(doc, article) -> item` that `add_docs` accepts in place of the doc.

        `rasd ingest` runs it in the analysis workers, so the process that writes does only
        that. None: docs go to `add_docs` as they are.
        """
        return None

    @abstractmethod
    def add_quarantined(self, items: Iterable[Quarantined]) -> int:
        """Keep what could not be read or analysed (path, line, reason, raw bytes). Idempotent."""

    @abstractmethod
    def known_hashes(self, articles: Iterable[Article]) -> dict[str, str]:
        """Map each given article's id to the content hash stored under that id (absent: not stored).

        Used by ingest to skip unchanged articles before analysing them.
        """

    # ---- reading ------------------------------------------------------------------------
    @abstractmethod
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """One article: clean text, every span, events, duplicates; None if unknown."""

    @abstractmethod
    def query_events(self, filters: Filters | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Events matching `filters`, newest date first (then id)."""

    @abstractmethod
    def query_incidents(
        self, filters: Filters | None = None, limit: int = 50, offset: int = 0, *, members: bool = False
    ) -> list[dict[str, Any]]:
        """Incidents matching `filters` (on their merged fields), newest first."""

    @abstractmethod
    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        """One incident with its `members` (event, article, score, merge reasons); None if unknown."""

    @abstractmethod
    def query_entities(
        self, text: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Distinct entities (by normalised text and type) with article and mention counts.

        `text` matches a normalised prefix of the entity text or its English name.
        """

    @abstractmethod
    def search(
        self, text: str, filters: Filters | None = None, limit: int = 20, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Full-text search over articles, Arabic-normalised and clitic-stripped.

        Returns article hits, best first: `{article_id, title, source, url, published,
        score, events}` where `events` are the article's events that pass `filters`.
        With any filter set, only articles with at least one such event are returned.
        An empty `text` lists articles with matching events, newest first.
        """

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts: articles, events, incidents, quarantined, duplicates, entities, schema_version."""

    @abstractmethod
    def iter_events(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        """Every event (for exports), in id order, streamed."""

    @abstractmethod
    def iter_incidents(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        """Every incident (for exports), streamed."""

    @abstractmethod
    def iter_quarantined(self) -> Iterator[dict[str, Any]]:
        """Every quarantined item: path, line, reason, raw (bytes), article_id."""

    # ---- lifecycle ----------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
