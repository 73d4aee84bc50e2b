"""The `Store` implementation shared by the SQL back ends.

Back ends supply a connection and a few hooks (transactions, row fetching,
full-text indexing); every query here is written once with `?` placeholders.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np

from rasd.dedup import incidents as inc
from rasd.dedup import minhash
from rasd.doc import HAPPENED_MODALITIES, Article, Attribution, Doc, Entity, Event, Place, Quarantined, Span
from rasd.store.base import MAX_LIMIT, AddSummary, Filters, Store
from rasd.store.schema import MIGRATIONS, Step, article_batches
from rasd.store.search import near_condition, query_terms, terms_of_doc, where
from rasd.text.normalize import normalize_key

# Articles whose deferred rows (full text, entities, mentions...) are written together: few
# statements, and when ingest writes results as they arrive, little left to write after the last.
DEFERRED_ROWS = 100
SIGNATURE_BATCH = 10_000  # stored signatures read per query when the LSH index is built
MAX_NEAR_LINKS = 20  # near-duplicate links kept per article (the most similar)
MAX_CANDIDATES = 200  # incidents compared per event (most recently updated first)
MAX_MEMBERS_COMPARED = 100  # an event is compared with this many of an incident's latest members
RAW_LIMIT = 2_000_000  # bytes of raw article text kept

ARTICLE_COLUMNS = ("url", "title", "body", "raw", "published", "source", "path", "content_hash", "text_hash",
                   "doc_json", "terms", "minhash")
EVENT_COLUMNS = (
    "id, article_id, local_id, event_type, sub_event_type, plover, date, time_precision, place_key,"
    " location_name, location_name_en, latitude, longitude, admin1, country, geo_precision, actor1, actor2,"
    " fatalities, injuries, modality, sources, notes, trig, evidence, evidence_start, evidence_end,"
    " arguments, mentions, attribution_ids"
)
# An entity's and an attribution's row: everything `Entity.to_dict` / `Attribution.to_dict` holds
# but the mentions (their own table), so `get_article` rebuilds them; `ordinal` keeps their order.
ENTITY_COLUMNS = ("article_id, local_id, text, norm, type, name_en, kb_id, kind, country, origin, place_id, ordinal,"
                  " named, aliases, place")
ATTRIBUTION_COLUMNS = ("article_id, local_id, source, source_ar, kind, named, span_start, span_end, span_text, cue,"
                       " via, kb_id, supports, ordinal, cue_start, cue_end, sentence")
INCIDENT_COLUMNS = (
    "id, event_type, sub_event_type, date, date_min, date_max, time_precision, location_name,"
    " location_name_en, latitude, longitude, admin1, country, geo_precision, actor1, actor2, fatalities,"
    " fatalities_min, fatalities_max, n_events, n_articles, articles, outlets, sources, centroid, updated_at,"
    " date_lo, date_hi"
)
CANDIDATE_COLUMNS = (  # what clustering reads of a candidate incident (`_incident_point`, `_merge_split`)
    "id, event_type, date, time_precision, latitude, longitude, geo_precision, country, actor1, actor2, n_events,"
    " updated_at, date_lo, date_hi"
)
MEMBER_COLUMNS = (  # what `inc.summarise` reads of each member event
    "e.id, e.article_id, e.event_type, e.sub_event_type, e.date, e.time_precision, e.place_key, e.location_name,"
    " e.location_name_en, e.latitude, e.longitude, e.admin1, e.country, e.geo_precision, e.actor1, e.actor2,"
    " e.fatalities, e.sources, e.embedding"
)


_LAST_NOW = [0]  # microseconds since the epoch of the last `now()` in this process


def now() -> str:
    """The time of a write, to the microsecond and strictly later than the previous one.

    Clustering orders candidate incidents by `updated_at` and members by `joined_at`. With
    whole seconds, writes of the same second tied and were ordered by id instead, so which
    incidents made the 200 candidates, or the 100 members compared, depended on where the
    second boundaries fell: two ingests of the corpus differed on 7 of 9,442 events. Strictly
    increasing times give the order of the writes, the same on every run.
    """
    micros = max(time.time_ns() // 1000, _LAST_NOW[0] + 1)
    _LAST_NOW[0] = micros
    second, fraction = divmod(micros, 1_000_000)
    return f"{_second_of(second)}.{fraction:06d}+00:00"  # as `isoformat(timespec="microseconds")` writes it


@lru_cache(maxsize=1)  # a batch's thousands of writes fall in a few seconds
def _second_of(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def content_hash(article: Article) -> str:
    """What makes an article 'changed': its title, text, date, outlet and URL."""
    payload = json.dumps([article.title, article.text, article.published, article.source, article.url],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _doc_hash(doc: Doc) -> str:
    payload = json.dumps([doc.title, doc.body, doc.published, doc.source, doc.url], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _leftover_json(doc: Doc) -> str:
    """`Doc.to_dict()` less what has its own columns or tables (text, metadata, entities, events,
    attributions), from which `get_article` rebuilds the rest. Repeating the entities and
    attributions here took 2.9 KB an article (15% of the whole-corpus database) and 0.1 ms of
    preparing each article."""
    return _dumps({"warnings": doc.warnings}) if doc.warnings else "{}"


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # `json.dumps` with an argument builds one per call


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


_name_key = lru_cache(maxsize=65_536)(normalize_key)  # entity and place names recur across articles


def doc_id(doc: Doc) -> str:
    """The stored id: the doc's own, else one derived from its URL, else from its text."""
    if doc.id:
        return doc.id
    key = doc.url or doc.text
    return "url-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] if doc.url else \
        "text-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


# ---- what storing an article needs, computed without the database -----------------------------


@dataclass(slots=True)
class PreparedEvent:
    eid: str
    place: list[Any] | None  # a `places` row
    row: list[Any]  # `EVENT_COLUMNS` values, then `terms`
    sources: list[str]
    point: inc.Point | None  # what clustering compares; None: not clustered (not reported as happened)


@dataclass(slots=True)
class Prepared:
    """One analysed article as the rows the store writes: built by `prepare`, in a worker process.

    Everything here is pure computation on the Doc (normalisation, MinHash signature,
    full-text terms, JSON serialisation, evidence stems), so `rasd ingest` does it in
    the analysis workers and the process that owns the database only writes.
    """

    id: str
    content_hash: str
    text_hash: str
    terms: str | bytes  # bytes: UTF-8, from `prepare_in_worker_utf8`
    signature: bytes | None
    values: list[Any]  # `ARTICLE_COLUMNS` values
    entities: list[list[Any]] = field(default_factory=list)
    mentions: list[list[Any]] = field(default_factory=list)
    attributions: list[list[Any]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    events: list[PreparedEvent] = field(default_factory=list)
    raw_from_article: bool = False  # `values` lacks the raw text: `add_docs` takes it from its `articles`


_RAW_COLUMN = ARTICLE_COLUMNS.index("raw")
_TERMS_COLUMN = ARTICLE_COLUMNS.index("terms")
# The long texts of an article row, that `prepare_in_worker_utf8` sends as UTF-8 bytes.
UTF8_COLUMNS = ("body", "doc_json", "terms")
_UTF8_INDEXES = tuple(ARTICLE_COLUMNS.index(column) for column in UTF8_COLUMNS)


def _marks(columns: str) -> str:
    """One `?` per column of a comma-separated column list."""
    return ", ".join("?" for _ in columns.split(","))


@lru_cache(maxsize=4)
def _article_marks(text_param: str) -> tuple[str, ...]:
    """The placeholders of `ARTICLE_COLUMNS`, in order (`text_param` for `UTF8_COLUMNS`)."""
    return tuple(text_param if column in UTF8_COLUMNS else "?" for column in ARTICLE_COLUMNS)


def _raw(article: Article | None) -> str | None:
    return article.text[:RAW_LIMIT] if article else None


def prepare_in_worker(doc: Doc, article: Article | None) -> Prepared:
    """`prepare` as `rasd ingest`'s workers run it: without the raw text. The worker was sent the
    article by the process that writes, which still holds it; sending its text back too made a
    fifth of the bytes each result carries (measured: 0.1 ms an article of pickling and piping)."""
    return prepare(doc, article, with_raw=False)


def prepare_in_worker_utf8(doc: Doc, article: Article | None) -> Prepared:
    """`prepare_in_worker` with the long texts (`UTF8_COLUMNS`) as UTF-8 bytes, for a store that
    writes them as TEXT from bytes (SQLite: `CAST(? AS TEXT)`). The writing process then only
    copies them: decoding them from the pickle and encoding them again to bind them cost it
    0.07 ms an article (measured on 2,000 corpus articles)."""
    return prepare(doc, article, with_raw=False, utf8=True)


def prepare(doc: Doc, article: Article | None = None, *, with_raw: bool = True, utf8: bool = False) -> Prepared:
    """The rows that store `doc` (and `article`, its input: raw text and content hash).
    `with_raw=False`: the raw text is left for `add_docs` to take from its `articles`;
    `utf8`: the `UTF8_COLUMNS` as UTF-8 bytes (see `prepare_in_worker_utf8`)."""
    did = doc_id(doc)
    chash = content_hash(article) if article else _doc_hash(doc)
    text_terms = terms_of_doc(doc)
    # The text hash and the signature read the full-text terms: normalised, clitic-stripped words.
    # An outlet's verbatim copy has the same hash whatever its punctuation, hamza spelling or
    # clitics (وكان for كان, a copy desk's usual change); a light edit, a near signature.
    terms_utf8 = text_terms.encode("utf-8")
    sig, text_hash = minhash.signature_of_joined(terms_utf8), minhash.text_hash(terms_utf8)
    raw = _raw(article) if with_raw else None
    path = doc.path or (article.path if article else None)
    sig_bytes = minhash.to_bytes(sig) if sig is not None else None
    values = [doc.url, doc.title, doc.body, raw, doc.published, doc.source, path, chash, text_hash,
              _leftover_json(doc), text_terms, sig_bytes]
    if utf8:  # the terms are encoded already
        for index in _UTF8_INDEXES:
            values[index] = terms_utf8 if index == _TERMS_COLUMN else values[index].encode("utf-8")
    terms = values[_TERMS_COLUMN]  # (one object: pickled once)
    out = Prepared(id=did, content_hash=chash, text_hash=text_hash, terms=terms, signature=sig_bytes,
                   values=values, raw_from_article=article is not None and not with_raw)
    for i, entity in enumerate(doc.entities):
        local = entity.id or f"E{i + 1}"
        place = entity.place
        out.entities.append([did, local, entity.text, _name_key(entity.text), entity.type, entity.name_en,
                             entity.kb_id, entity.kind, entity.country, entity.origin,
                             place.place_id if place else None, i, int(entity.named),
                             _dumps(entity.aliases) if entity.aliases else None,
                             _dumps(place.to_dict()) if place else None])
        out.mentions += [[did, local, m.start, m.end, m.text] for m in entity.mentions]
    for i, a in enumerate(doc.attributions):
        cue = a.cue_span
        out.attributions.append([did, a.id or f"A{i + 1}", a.source, a.source_ar, a.kind, int(a.named), a.span.start,
                                 a.span.end, a.span.text, a.cue, _dumps(a.via), a.kb_id, _dumps(a.supports), i,
                                 cue.start if cue else None, cue.end if cue else None, a.sentence])
    sources = {(a.source, a.kind) for a in doc.attributions if a.source}
    if doc.source:
        sources.add((doc.source, "outlet"))
    out.sources = sorted(sources)
    seen: set[str] = set()
    for i, event in enumerate(doc.events):
        local = event.id or f"V{i + 1}"
        if local in seen:
            local = f"{local}.{i + 1}"
        seen.add(local)
        out.events.append(_prepare_event(did, local, event, doc))
    return out


def _prepare_event(did: str, local: str, e: Event, doc: Doc) -> PreparedEvent:
    eid = f"{did}#{local}"
    terms = inc.evidence_terms(e.evidence.text or doc.title)  # content stems, kept for matching
    place = e.location
    place_key = place_row = None
    if place is not None and place.name:
        place_key = place.place_id or f"{_name_key(place.name)}|{place.country or ''}"
        place_row = [place_key, place.place_id, place.name, place.name_en, place.lat, place.lon, place.admin1,
                     place.country, place.feature]
    row = [eid, did, local, e.event_type, e.sub_event_type, e.plover, e.date, e.time_precision, place_key,
           place.name if place else None, place.name_en if place else None, place.lat if place else None,
           place.lon if place else None, place.admin1 if place else None, place.country if place else None,
           place.geo_precision if place else None, e.actor1, e.actor2, e.fatalities, e.injuries, e.modality,
           _dumps(e.sources), e.notes, e.trigger, e.evidence.text, e.evidence.start, e.evidence.end,
           _dumps({k: v.to_dict() for k, v in e.arguments.items()}), _dumps([m.to_dict() for m in e.mentions]),
           _dumps(e.attribution_ids), " ".join(sorted(terms))]
    point = _event_point(e, doc, terms) if e.modality in HAPPENED_MODALITIES and e.event_type else None
    return PreparedEvent(eid=eid, place=place_row, row=row, sources=list(dict.fromkeys(e.sources)), point=point)


def _event_point(event: Event, doc: Doc, terms: frozenset[str]) -> inc.Point:
    place = event.location
    date, precision = event.date, event.time_precision
    if not date and doc.published:
        date, precision = doc.published, 2  # "around publication": a week-precise date
    return inc.Point(
        event_type=event.event_type, date=date, time_precision=precision,
        lat=place.lat if place else None, lon=place.lon if place else None,
        geo_precision=place.geo_precision if place else None, country=place.country if place else None,
        place_key=(place.place_id if place else None), actor1=event.actor1, actor2=event.actor2,
        text=event.evidence.text or doc.title, terms=terms,
    )


@dataclass(slots=True)
class _Deferred:
    """Rows of the articles stored so far in a batch that no later article's storing reads.

    `add_docs` writes them with one statement per table every `DEFERRED_ROWS` articles (or
    before an article is replaced), instead of a few statements per article. The full-text
    rows wait for the end of the transaction (`index`): FTS5 writes the terms it holds as a
    new segment at each statement that opens a statement journal (a multi-row UPDATE, as when
    clustering folds two incidents), and each extra segment is written and merged again.
    """

    terms: list[tuple[str, str | bytes]] = field(default_factory=list)  # (article id, its stored `terms`)
    index: list[tuple[str, str | bytes]] = field(default_factory=list)  # `terms` already written but not yet indexed
    entities: list[list[Any]] = field(default_factory=list)
    mentions: list[list[Any]] = field(default_factory=list)
    attributions: list[list[Any]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)

    def add(self, p: Prepared) -> None:
        self.terms.append((p.id, p.terms))
        self.entities += p.entities
        self.mentions += p.mentions
        self.attributions += p.attributions
        self.sources += p.sources

    def clear(self) -> None:
        for rows in (self.terms, self.entities, self.mentions, self.attributions, self.sources):
            rows.clear()


_MEMBER_JOIN = "incident_members m JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id"


@dataclass(slots=True)
class _Members:
    """One incident's members in `_refresh_incident`'s order (`joined_at`, then event id), as
    clustering read them during the current transaction and kept in step with its own writes."""

    ids: list[str]
    joined: list[str]  # `joined_at`
    terms: list[frozenset[str]]  # evidence stems, what `_similarity` compares
    rows: list[dict[str, Any]] | None  # `MEMBER_COLUMNS` and outlet; None: not read yet (similarity needs none)
    sources: list[list[str]]  # each row's `sources`, parsed once

    @classmethod
    def of(cls, rows: list[dict[str, Any]], full: bool) -> _Members:
        return cls(ids=[r["id"] for r in rows], joined=[r["joined_at"] for r in rows],
                   terms=[frozenset(r["terms"].split()) for r in rows], rows=rows if full else None,
                   sources=[json.loads(r["sources"]) for r in rows] if full else [])

    def append(self, row: dict[str, Any]) -> None:
        self.ids.append(row["id"])
        self.joined.append(row["joined_at"])
        self.terms.append(frozenset(row["terms"].split()))
        if self.rows is not None:
            self.rows.append(row)
            self.sources.append(json.loads(row["sources"]))

    def reorder(self, start: int, ids: list[str]) -> None:
        """Put the members from `start` on in the order of `ids` (the same members)."""
        where = {eid: start + i for i, eid in enumerate(self.ids[start:])}
        picks = [where[eid] for eid in ids]
        for seq in (self.ids, self.joined, self.terms, self.rows, self.sources):
            if seq:
                seq[start:] = [seq[i] for i in picks]

    def latest(self, n: int) -> list[frozenset[str]] | None:
        """The stems of the `n` members joined last; None when a tie on `joined_at` makes that ambiguous."""
        if len(self.terms) <= n:
            return self.terms
        if self.joined[-n] != self.joined[-n - 1]:
            return self.terms[-n:]
        return None


_CANDIDATE_VALUES = [c.strip() for c in CANDIDATE_COLUMNS.split(",") if c.strip() != "id"]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # dates that compare alike in Python and in any SQL collation
_CANDIDATE_SELECT = f"SELECT {CANDIDATE_COLUMNS} FROM incidents WHERE event_type = ? AND time_precision "


class _KeptIncidents:
    """The candidate columns of the incidents clustering has read during one transaction, kept in
    step with its writes (`put`, `drop`): what each event's candidate lookup would read, by event
    type and time precision, for the date ranges read so far, filed by country. An event then
    reads the database only for the days of its windows that no earlier event of the batch
    covered, instead of scanning the index range and every incident row in it again.

    Dates are compared in Python: a type and precision holding a date not written YYYY-MM-DD
    (none that rasd writes) is given up (`lost`) and left to SQL, whose collation may order it otherwise.
    """

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}  # id -> row (replaced, never changed: callers keep old ones)
        self.filed: dict[str, tuple[tuple[str, int | None, str | None], str]] = {}  # id -> (its `days` key, date)
        self.days: dict[tuple[str, int | None, str | None], list[tuple[str, str]]] = {}  # (type, precision,
        # country) -> sorted (date, id); undated incidents under date ""
        self.countries: dict[tuple[str, int | None], set[str | None]] = {}
        self.covered: dict[tuple[str, int | None], list[tuple[str, str]]] = {}  # date ranges read: closed, disjoint
        self.lost: set[tuple[str, int | None]] = set()

    def dated(self, fetch: Callable[..., list[dict[str, Any]]], key: tuple[str, int], lo: str, hi: str,
              country: str | None) -> list[dict[str, Any]] | None:
        """Incidents of the (type, precision) dated `lo`..`hi` (`date BETWEEN lo AND hi`), of `country`
        or none (any, without one); None: ask SQL."""
        covered = self.covered.setdefault(key, [])
        if not any(a <= lo and hi <= z for a, z in covered):
            for start, closed, end, last in _gaps(covered, lo, hi):
                self._read(fetch, key, f"{_CANDIDATE_SELECT}= ? AND date {'>=' if closed else '>'} ?"
                                       f" AND date {'<=' if last else '<'} ?", [key[0], key[1], start, end])
            joined = [iv for iv in covered if iv[1] >= lo and iv[0] <= hi]
            covered[:] = sorted([iv for iv in covered if iv not in joined]
                                + [(min([lo, *(a for a, _ in joined)]), max([hi, *(z for _, z in joined)]))])
        if key in self.lost:
            return None
        out: list[dict[str, Any]] = []
        rows = self.rows
        for place in self._places(key, country):
            days = self.days.get((*key, place))
            if days:
                first, end = bisect.bisect_left(days, (lo, "")), bisect.bisect_right(days, (hi, "\U0010ffff"))
                out += [rows[i] for _, i in days[first:end]]
        return out

    def undated(self, fetch: Callable[..., list[dict[str, Any]]], event_type: str,
                country: str | None) -> list[dict[str, Any]]:
        """Incidents of the type that no member dates (`time_precision IS NULL`), of `country` or none."""
        key = (event_type, None)
        if key not in self.covered:
            self._read(fetch, key, f"{_CANDIDATE_SELECT}IS NULL", [event_type])
            self.covered[key] = []
        return [self.rows[i] for place in self._places(key, country) for _, i in self.days.get((*key, place), ())]

    def _places(self, key: tuple[str, int | None], country: str | None) -> Iterable[str | None]:
        return (country, None) if country else self.countries.get(key, ())

    def _read(self, fetch: Callable[..., list[dict[str, Any]]], key: tuple[str, int | None], sql: str,
              params: list[Any]) -> None:
        for row in fetch(sql, params):
            self._file(key, row)

    def put(self, row: dict[str, Any]) -> None:
        """An incident as just written: filed again where a lookup would now find it."""
        self.drop(row["id"])
        key, day = (row["event_type"], row["time_precision"]), row["date"]
        if key not in self.covered:
            return  # not read yet: a lookup will read it from the database
        if key[1] is None or (day is not None and any(a <= day <= z for a, z in self.covered[key])):
            self._file(key, row)
        elif day is not None and not _DAY.fullmatch(day):
            self.lost.add(key)  # (a range read later would have to place it by Python's order)

    def drop(self, incident_id: str) -> None:
        filed = self.filed.pop(incident_id, None)
        if filed is not None:
            key, day = filed
            days = self.days[key]
            del days[bisect.bisect_left(days, (day, incident_id))]
            del self.rows[incident_id]

    def _file(self, key: tuple[str, int | None], row: dict[str, Any]) -> None:
        if row["id"] in self.filed:  # (a range read twice: never listed twice)
            self.drop(row["id"])
        day = row["date"] or ""
        if key[1] is not None and not _DAY.fullmatch(day):
            self.lost.add(key)
            return
        self.rows[row["id"]] = row
        self.filed[row["id"]] = ((*key, row["country"]), day)
        self.countries.setdefault(key, set()).add(row["country"])
        bisect.insort(self.days.setdefault((*key, row["country"]), []), (day, row["id"]))


def _gaps(covered: list[tuple[str, str]], lo: str, hi: str) -> list[tuple[str, bool, str, bool]]:
    """The parts of `lo`..`hi` outside the sorted, disjoint closed ranges `covered`, as
    (start, start included, end, end included)."""
    gaps, start, closed = [], lo, True
    for a, z in covered:
        if z < start or a > hi:
            continue
        if start < a:
            gaps.append((start, closed, a, False))
        if z >= hi:
            return gaps
        start, closed = z, False
    gaps.append((start, closed, hi, True))
    return gaps


@dataclass(slots=True)
class _Kept:
    """What clustering read during the current transaction, kept in step with its own writes."""

    members: dict[str, _Members] = field(default_factory=dict)
    incidents: _KeptIncidents = field(default_factory=_KeptIncidents)


@lru_cache(maxsize=8)
def _upsert_incident(columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO incidents (id, {', '.join(columns)}) VALUES (?, {', '.join('?' for _ in columns)})"
            f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns)}")


class SQLStore(Store):
    """Everything but connection handling, transactions and full-text search."""

    blob_type = "BLOB"
    article_events = "events e"  # one article's events, read by its article index whatever the filters
    real_type = "REAL"
    pk_type = "INTEGER PRIMARY KEY AUTOINCREMENT"

    def __init__(self, url: str) -> None:
        self.url = url
        self._use_encoder = inc.encoder_available()
        self._lock = threading.RLock()  # one connection: threads take turns, a transaction is one turn
        self._depth = 0  # transactions nest: only the outermost one begins and commits
        self._kept: _Kept | None = None  # clustering's reads, for the outermost transaction
        self._bands: minhash.BandIndex | None = None  # the LSH index, built when first needed
        self._bands_generation = 0  # `store_state.articles_generation` as the index reflects it
        self._articles_changed = False  # in the current transaction

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            # Incidents and members read by clustering stay valid while the transaction holds
            # the write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory WRITE_LOCK): only
            # this connection's own writes change them, and those update what is kept. Dropped
            # at the end, commit or not.
            self._kept = _Kept()
            try:
                with self._outermost_transaction():
                    self._check_band_index()
                    yield
                    self._count_article_changes()
            except BaseException:
                self._bands = None  # it holds what the rollback undid
                raise
            finally:
                self._depth = 0
                self._kept = None

    # ---- hooks for back ends --------------------------------------------------------------
    def _outermost_transaction(self) -> AbstractContextManager[Any]:
        """Begin a transaction; commit when the block ends, roll back if it raises."""
        raise NotImplementedError

    def _fetch(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list[Iterable[Any]]) -> None:
        raise NotImplementedError

    def _fts_index(self, rows: list[tuple[str, str | bytes]]) -> None:
        """Add the stored articles (new, or whose old version `_fts_delete` removed) to the
        full-text index: `(article id, terms)`, the terms exactly as stored in `articles.terms`."""
        raise NotImplementedError

    def _fts_delete(self, article_id: str) -> None:
        raise NotImplementedError

    def _fts_hits(self, terms: list[tuple[str, ...]], cond: str, params: list[Any], limit: int,
                  offset: int) -> list[dict[str, Any]]:
        """Rows `{id, score}` of articles matching all `terms` and the event condition `cond`."""
        raise NotImplementedError

    def _insert_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """Insert many rows at once (a migration rebuilding a table); PostgreSQL copies them."""
        self._executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                          rows)  # fixed names from the migration, never input

    def extra_migrations(self) -> list[tuple[int, str, list[Step]]]:
        return []

    # ---- migrations -----------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply missing migration steps; return the schema version."""
        with self._transaction():
            self._execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                          " description TEXT NOT NULL, applied_at TEXT NOT NULL)")
        current = self.schema_version()
        steps = sorted(MIGRATIONS + self.extra_migrations(), key=lambda step: step[0])
        types = {"blob": self.blob_type, "real": self.real_type, "pk": self.pk_type}
        for version, description, statements in steps:
            if version <= current:
                continue
            with self._transaction():
                for statement in statements:
                    if isinstance(statement, str):
                        self._execute(statement.format(**types))
                    else:
                        statement(self)
                self._execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                              [version, description, now()])
            current = version
        return current

    def column_names(self, table: str) -> set[str]:
        """The columns `table` has (a migration adds those it lacks)."""
        raise NotImplementedError

    def schema_version(self) -> int:
        rows = self._fetch("SELECT MAX(version) AS v FROM schema_version")
        return int(rows[0]["v"] or 0) if rows else 0

    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        rows = self._fetch(sql, params)
        return rows[0] if rows else None

    def _count(self, table: str) -> int:
        # `table` comes from a fixed list in `stats`, never from input
        row = self._one(f"SELECT COUNT(*) AS n FROM {table}")
        return int(row["n"]) if row else 0

    # ---- writing --------------------------------------------------------------------------
    def known_hashes(self, articles: Iterable[Article]) -> dict[str, str]:
        wanted = list(articles)
        out: dict[str, str] = {}
        for row in self._articles_by_id("content_hash", [a.id for a in wanted if a.id]):
            out[row["id"]] = row["content_hash"]
        return out

    def _articles_by_id(self, columns: str, ids: list[str]) -> Iterator[dict[str, Any]]:
        """The id and `columns` (fixed names) of the stored articles among `ids`, in no set order."""
        for chunk in _chunks(ids, 500):
            marks = ", ".join("?" for _ in chunk)
            yield from self._fetch(f"SELECT id, {columns} FROM articles WHERE id IN ({marks})", chunk)

    def add_docs(self, docs: Iterable[Doc | Prepared],
                 articles: Mapping[str, Article] | None = None) -> AddSummary:
        summary = AddSummary()
        with self._transaction():
            later = _Deferred()
            for doc in docs:
                article = articles.get(doc.id) if articles else None
                if not isinstance(doc, Prepared):
                    doc = prepare(doc, article)
                elif doc.raw_from_article:
                    doc.values[_RAW_COLUMN] = _raw(article)
                self._add_prepared(doc, summary, later)
                if len(later.terms) >= DEFERRED_ROWS:
                    self._write_deferred(later, index=False)
            self._write_deferred(later)
        return summary

    def preparer(self) -> Callable[[Doc, Article | None], Prepared]:
        return prepare_in_worker

    # How the SQL takes a TEXT value of `UTF8_COLUMNS`: a back end that can cast UTF-8 bytes to
    # text sets the cast here and prepares with `prepare_in_worker_utf8` (`SQLiteStore`).
    text_param = "?"

    def _add_prepared(self, p: Prepared, summary: AddSummary, later: _Deferred) -> None:
        did = p.id
        existing = self._one("SELECT content_hash FROM articles WHERE id = ?", [did])
        if existing and existing["content_hash"] == p.content_hash:
            summary.unchanged += 1
            return
        # Looked up before the article is written: its own row, which the text-hash index would
        # find too, is then not read (the query's `ingested_at` lies past its long texts).
        exact = self._exact_duplicate(did, p.text_hash)
        if existing:
            self._write_deferred(later)  # clearing the old version deletes (and reads) what is deferred
            self._update_article(did, p.values)
            summary.updated += 1
        else:
            stamp = now()
            self._execute(f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, ingested_at, updated_at, id)"
                          f" VALUES ({', '.join(_article_marks(self.text_param))}, ?, ?, ?)",
                          [*p.values, stamp, stamp, did])
            summary.stored += 1
        later.add(p)
        sig = minhash.from_bytes(p.signature) if p.signature is not None else None
        if self._link_duplicates(did, exact, sig):
            summary.duplicates += 1
        self._write_events(p, summary)

    def _write_deferred(self, later: _Deferred, index: bool = True) -> None:
        """Write the rows that storing the next articles never reads, one statement per table;
        `index`: the full-text rows too (see `_Deferred`)."""
        if later.terms:
            self._write_deferred_rows(later)
        if index and later.index:
            self._fts_index(later.index)
            later.index.clear()

    def _write_deferred_rows(self, later: _Deferred) -> None:
        self._executemany("DELETE FROM quarantine WHERE article_id = ?",  # an earlier failure, now stored
                          [[did] for did, _ in later.terms])
        self._executemany(f"INSERT INTO entities ({ENTITY_COLUMNS}) VALUES ({_marks(ENTITY_COLUMNS)})"
                          " ON CONFLICT (article_id, local_id) DO NOTHING", later.entities)
        self._executemany("INSERT INTO mentions (article_id, entity_id, start_offset, end_offset, text)"
                          " VALUES (?, ?, ?, ?, ?)", later.mentions)
        self._executemany(f"INSERT INTO attributions ({ATTRIBUTION_COLUMNS}) VALUES ({_marks(ATTRIBUTION_COLUMNS)})"
                          " ON CONFLICT (article_id, local_id) DO NOTHING", later.attributions)
        self._executemany("INSERT INTO sources (name, kind) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                          list(dict.fromkeys(later.sources)))  # in order: the first kind seen wins, as before
        later.index += later.terms  # their full-text rows wait for `_write_deferred(index=True)`
        later.clear()

    def _update_article(self, did: str, values: list[Any]) -> None:
        """Replace a changed article: its derived rows go, its incidents are recomputed without it."""
        affected = self._clear_article(did)
        marks = _article_marks(self.text_param)
        assignments = ", ".join(f"{column} = {mark}" for column, mark in zip(ARTICLE_COLUMNS, marks, strict=True))
        self._execute(f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?", [*values, now(), did])
        for incident_id in affected:
            self._refresh_incident(incident_id)

    def _clear_article(self, did: str) -> list[str]:
        """Delete an article's derived rows before rewriting it; return the incidents it was in."""
        affected = [r["incident_id"] for r in self._fetch(
            "SELECT DISTINCT m.incident_id FROM incident_members m JOIN events e ON e.id = m.event_id"
            " WHERE e.article_id = ?", [did])]
        self._execute("DELETE FROM incident_members WHERE article_id = ?", [did])
        self._execute("DELETE FROM event_sources WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
                      [did])
        for table in ("events", "mentions", "entities", "attributions"):
            self._execute(f"DELETE FROM {table} WHERE article_id = ?", [did])  # fixed table names
        old = self._one("SELECT minhash FROM articles WHERE id = ?", [did])
        if old and old["minhash"] is not None and self._bands is not None:
            self._bands.remove(did, minhash.band_keys(minhash.from_bytes(old["minhash"])))
        self._articles_changed = True
        self._execute("DELETE FROM article_duplicates WHERE article_id = ?", [did])
        self._fts_delete(did)
        return affected

    # ---- duplicates -------------------------------------------------------------------------
    def _exact_duplicate(self, did: str, text_hash: str) -> str | None:
        """The first stored other article with the same normalised text, if any."""
        row = self._one("SELECT id FROM articles WHERE text_hash = ? AND id <> ? ORDER BY ingested_at, id LIMIT 1",
                        [text_hash, did])
        return row["id"] if row else None

    def _link_duplicates(self, did: str, exact: str | None, sig: np.ndarray | None) -> bool:
        """Link the article to `exact` (`_exact_duplicate`) and to its near duplicates; True if any."""
        links: dict[str, tuple[str, float]] = {}
        if exact:
            links[exact] = ("exact", 1.0)
        if sig is not None:
            keys = minhash.band_keys(sig)
            index = self._band_index(without=did)
            for other, similarity in self._near_candidates(did, sig, index.candidates(keys)):
                links.setdefault(other, ("near", similarity))
            index.add(did, keys)
        self._articles_changed = True
        self._executemany("INSERT INTO article_duplicates (article_id, duplicate_of, kind, similarity)"
                          " VALUES (?, ?, ?, ?) ON CONFLICT (article_id, duplicate_of) DO NOTHING",
                          [[did, other, kind, sim] for other, (kind, sim) in links.items()])
        return bool(links)

    def _near_candidates(self, did: str, sig: np.ndarray, ids: set[str]) -> list[tuple[str, float]]:
        """The `MAX_NEAR_LINKS` most similar of the articles `ids` at `NEAR_DUPLICATE` or above.
        Read in id order: equally similar ones keep it, whatever the back end's collation."""
        ordered = sorted(ids - {did})
        signatures = {r["id"]: r["minhash"] for r in self._articles_by_id("minhash", ordered)}
        scored = []
        for other in ordered:
            signature = signatures.get(other)
            if signature is None:
                continue
            similarity = minhash.similarity(sig, minhash.from_bytes(signature))
            if similarity >= minhash.NEAR_DUPLICATE:
                scored.append((other, similarity))
        scored.sort(key=lambda pair: -pair[1])  # stable: ties stay in id order
        return scored[:MAX_NEAR_LINKS]

    # ---- the LSH index, in memory -------------------------------------------------------------
    # Built from the stored signatures when an article is first linked (one read of the
    # `minhash` column), then kept in step with this connection's writes. It was a table of
    # (band, bucket, article) rows: each article added 32 random B-tree entries, and at 30,000
    # articles each batch's commit rewrote most of that table's pages (a fifth of ingest's
    # writing time). Another connection's writes bump `store_state.articles_generation`, and
    # a transaction that finds it changed builds the index again.
    def _band_index(self, without: str) -> minhash.BandIndex:
        """The index of every stored article but `without` (written already, and added after its lookup)."""
        if self._bands is None:
            self._bands = minhash.BandIndex.of(self._stored_signatures(without))
            self._bands_generation = self._articles_generation()
        return self._bands

    def _stored_signatures(self, without: str) -> Iterator[list[tuple[str, np.ndarray]]]:
        for rows in article_batches(self, "minhash", SIGNATURE_BATCH):
            yield [(r["id"], minhash.from_bytes(r["minhash"])) for r in rows
                   if r["minhash"] is not None and r["id"] != without]

    def _articles_generation(self) -> int:
        row = self._one("SELECT value FROM store_state WHERE name = 'articles_generation'")
        return int(row["value"]) if row else 0

    def _check_band_index(self) -> None:
        """At the start of a transaction: drop the index if another connection changed the articles."""
        self._articles_changed = False
        if self._bands is not None and self._articles_generation() != self._bands_generation:
            self._bands = None

    def _count_article_changes(self) -> None:
        """At the end of a transaction that changed articles: tell the other connections."""
        if self._articles_changed:
            self._execute("UPDATE store_state SET value = value + 1 WHERE name = 'articles_generation'")
            if self._bands is not None:
                self._bands_generation = self._articles_generation()

    # ---- events and incidents ---------------------------------------------------------------
    def _write_events(self, p: Prepared, summary: AddSummary) -> None:
        for event in p.events:
            if event.place is not None:
                self._execute("INSERT INTO places (place_key, place_id, name, name_en, lat, lon, admin1, country,"
                              " feature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (place_key) DO NOTHING",
                              event.place)
            self._execute(f"INSERT INTO events ({EVENT_COLUMNS}, terms) VALUES ({', '.join('?' for _ in range(31))})",
                          event.row)
            self._executemany("INSERT INTO event_sources (event_id, source) VALUES (?, ?) ON CONFLICT DO NOTHING",
                              [[event.eid, source] for source in event.sources])
            summary.events += 1
            if event.point is not None:
                joined = self._cluster(event.eid, p.id, event.point)
                summary.incidents_joined += joined
                summary.incidents_new += not joined

    def _cluster(self, eid: str, did: str, point: inc.Point) -> bool:
        """Put the event in the best matching incident, or open one. True if it joined one."""
        matches: list[tuple[inc.Match, dict[str, Any]]] = []
        for row in self._incident_candidates(point):
            candidate = self._incident_point(row)
            result = inc.match(point, candidate, self._similarity(eid, point, candidate, row), self._use_encoder)
            if result:
                matches.append((result, row))
        if not matches:
            incident_id = "inc-" + hashlib.sha1(eid.encode("utf-8")).hexdigest()[:16]
            self._add_member(incident_id, eid, did, 1.0, ["opened the incident"])
            self._refresh_incident(incident_id, reread=False)
            return False
        matches.sort(key=lambda pair: (-pair[0].score, pair[1]["id"]))
        best, row = matches[0]
        self._add_member(row["id"], eid, did, best.score, best.reasons)
        if best.precise:
            self._merge_split(row, [(m, r) for m, r in matches[1:] if m.precise], eid)
        self._refresh_incident(row["id"], reread=False)
        return True

    def _merge_split(self, keep: dict[str, Any], others: list[tuple[inc.Match, dict[str, Any]]], eid: str) -> None:
        """Fold incidents that the same event matches precisely into the largest of them.

        Only incidents whose place and date span stay within one window of the target's
        (`inc.can_fold`) are folded: a merge never chains two neighbouring days' fighting.
        """
        if not others:
            return
        group = sorted([keep] + [r for _, r in others], key=lambda r: (-r["n_events"], r["id"]))
        target = group[0]["id"]
        span = self._incident_point(group[0])
        folded = False
        for row in group[1:]:
            other = self._incident_point(row)
            if not inc.can_fold(span, other):
                continue
            lows = [d for d in (span.date_lo or span.date, other.date_lo or other.date) if d]
            highs = [d for d in (span.date_hi or span.date, other.date_hi or other.date) if d]
            span.date_lo, span.date_hi = min(lows, default=None), max(highs, default=None)
            folded = True
            note = _dumps(f"incident {row['id']} merged into {target}: event {eid} matches both")
            self._execute("UPDATE incident_members SET incident_id = ?, reasons = SUBSTR(reasons, 1,"
                          " LENGTH(reasons) - 1) || ', ' || ? || ']' WHERE incident_id = ?", [target, note, row["id"]])
            self._execute("DELETE FROM incidents WHERE id = ?", [row["id"]])
            self._forget_members(row["id"], target)  # the target's members are reread, in joining order
            if self._kept is not None:
                self._kept.incidents.drop(row["id"])
        if folded and target != keep["id"]:
            self._refresh_incident(target)

    def _similarity(self, eid: str, point: inc.Point, candidate: inc.Point,
                    row: dict[str, Any]) -> Callable[[], float]:
        def compute() -> float:
            if self._use_encoder:
                if point.vector is None:
                    point.vector = self._event_vector(eid, point.text)
                if candidate.vector is None:
                    candidate.vector = self._incident_vector(row["id"])
                return float(np.dot(point.vector, candidate.vector))
            return max((inc.jaccard(point.terms, terms) for terms in self._compared_terms(row["id"])), default=0.0)

        return compute

    def _compared_terms(self, incident_id: str) -> list[frozenset[str]]:
        """The evidence stems of the incident's `MAX_MEMBERS_COMPARED` latest members (by `joined_at`)."""
        members = self._members(incident_id, full=False)
        latest = members.latest(MAX_MEMBERS_COMPARED) if members is not None else None
        if latest is not None:
            return latest
        # Not kept, or more members than compared with a tie on `joined_at` across the cut: the
        # database's own choice of the tied ones, so that the outcome does not depend on the cache.
        rows = self._fetch("SELECT e.terms FROM incident_members m JOIN events e ON e.id = m.event_id"
                           " WHERE m.incident_id = ? ORDER BY m.joined_at DESC LIMIT ?",
                           [incident_id, MAX_MEMBERS_COMPARED])
        return [frozenset(r["terms"].split()) for r in rows]

    def _event_vector(self, eid: str, text: str) -> np.ndarray:
        vector = inc.embed([text])[0]
        self._execute("UPDATE events SET embedding = ? WHERE id = ?", [vector.astype("<f4").tobytes(), eid])
        return vector

    def _incident_vector(self, incident_id: str) -> np.ndarray:
        row = self._one("SELECT centroid FROM incidents WHERE id = ?", [incident_id])
        if row and row["centroid"] is not None:
            return np.frombuffer(bytes(row["centroid"]), dtype="<f4")
        members = self._fetch("SELECT e.id, e.evidence, e.embedding FROM incident_members m JOIN events e"
                              " ON e.id = m.event_id WHERE m.incident_id = ?", [incident_id])
        vectors = [np.frombuffer(bytes(m["embedding"]), dtype="<f4") if m["embedding"] is not None
                   else self._event_vector(m["id"], m["evidence"]) for m in members]
        self._forget_members(incident_id)  # their embeddings were just written
        center = inc.centroid(vectors)
        assert center is not None
        self._execute("UPDATE incidents SET centroid = ? WHERE id = ?", [center.astype("<f4").tobytes(), incident_id])
        return center

    def _incident_candidates(self, point: inc.Point) -> list[dict[str, Any]]:
        """Incidents that `point` may join: compatible type, anchor date within the window, nearby.

        One index range (`incidents_candidates`: type, time precision, date) per incident
        time precision, each only as wide as that precision's window, so the lookup reads
        the incidents of a few days, not of the whole store: ingest stays as fast with a
        million articles stored as with none. Only the columns clustering compares are read
        (not the article and outlet lists, long for a large incident).
        """
        types = sorted(inc.COMPATIBLE_TYPES.get(point.event_type, {point.event_type}))
        if not point.date and point.lat is None and not point.country:
            return []  # nothing to anchor a comparison: the event stands alone
        kept = self._kept_candidates(point, types)
        if kept is not None:
            return kept
        type_marks = ", ".join("?" for _ in types)
        common, common_params = [], []
        if point.lat is not None and point.lon is not None:
            sql, near_params = near_condition((point.lat, point.lon, max(inc.RADIUS_KM.values())), "incidents")
            common.append(f"(latitude IS NULL OR {sql})")
            common_params += near_params
        if point.country:
            common.append("(country IS NULL OR country = ?)")
            common_params.append(point.country)
        rest = "".join(f" AND {c}" for c in common)
        branches, params = [], []
        if point.date:
            for precision in sorted(inc.DATE_WINDOW):
                window = inc.date_window(max(precision, point.time_precision or 1))
                branches.append(f"SELECT {CANDIDATE_COLUMNS} FROM incidents WHERE event_type IN ({type_marks})"
                                f" AND time_precision = ? AND date BETWEEN ? AND ?{rest}")
                params += [*types, precision, _shift(point.date, -window), _shift(point.date, window), *common_params]
            branches.append(f"SELECT {CANDIDATE_COLUMNS} FROM incidents WHERE event_type IN ({type_marks})"
                            f" AND time_precision IS NULL{rest}")  # no member had a date
            params += [*types, *common_params]
        else:
            branches.append(f"SELECT {CANDIDATE_COLUMNS} FROM incidents WHERE event_type IN ({type_marks}){rest}")
            params += [*types, *common_params]
        union = " UNION ALL ".join(branches)
        return self._fetch(f"SELECT * FROM ({union}) candidates ORDER BY updated_at DESC, id LIMIT {MAX_CANDIDATES}",
                           params)

    def _kept_candidates(self, point: inc.Point, types: list[str]) -> list[dict[str, Any]] | None:
        """`_incident_candidates`'s rows from the incidents kept for the transaction (reading only the
        date ranges not read yet), the same conditions checked in Python; None: left to SQL."""
        if self._kept is None or not point.date:
            return None
        index, fetch = self._kept.incidents, self._fetch
        found: list[dict[str, Any]] = []
        for precision in sorted(inc.DATE_WINDOW):
            window = inc.date_window(max(precision, point.time_precision or 1))
            lo, hi = _shift(point.date, -window), _shift(point.date, window)
            if not (_DAY.fullmatch(lo) and _DAY.fullmatch(hi)):
                return None
            for event_type in types:
                rows = index.dated(fetch, (event_type, precision), lo, hi, point.country)
                if rows is None:
                    return None
                found += rows
        for event_type in types:
            found += index.undated(fetch, event_type, point.country)
        if point.lat is not None and point.lon is not None:
            found = _near(found, point.lat, point.lon)
            if found is None:
                return None
        if len(found) > MAX_CANDIDATES:  # which ones: the database's order, as the query gives it
            return None
        found.sort(key=lambda r: r["id"])
        found.sort(key=lambda r: r["updated_at"], reverse=True)  # stable: ORDER BY updated_at DESC, id
        return found

    @staticmethod
    def _incident_point(row: dict[str, Any]) -> inc.Point:
        return inc.Point(
            event_type=row["event_type"], date=row["date"], time_precision=row["time_precision"],
            lat=row["latitude"], lon=row["longitude"], geo_precision=row["geo_precision"], country=row["country"],
            actor1=row["actor1"], actor2=row["actor2"], date_lo=row.get("date_lo"), date_hi=row.get("date_hi"),
        )

    def _add_member(self, incident_id: str, eid: str, did: str, score: float, reasons: list[str]) -> None:
        self._execute("INSERT INTO incident_members (event_id, incident_id, article_id, score, reasons, joined_at)"
                      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                      [eid, incident_id, did, score, _dumps(reasons), now()])
        kept = self._kept.members.get(incident_id) if self._kept is not None else None
        if kept is None or eid in kept.ids:
            return
        # the row as the database now holds it (values and `joined_at` as a reread would give them)
        rows = self._fetch(f"SELECT {MEMBER_COLUMNS if kept.rows is not None else 'e.id'}, a.source AS outlet,"
                           f" e.terms, m.joined_at, m.incident_id FROM {_MEMBER_JOIN} WHERE m.event_id = ?", [eid])
        if not rows or rows[0]["incident_id"] != incident_id:  # already a member elsewhere: nothing was added
            self._forget_members(incident_id)
            return
        self._place_member(kept, rows[0])

    def _place_member(self, kept: _Members, row: dict[str, Any]) -> None:
        """Append a new member where `ORDER BY m.joined_at, e.id` puts it: after the earlier joins, and
        among those of the same second in the database's order of event ids (its collation, not Python's)."""
        joined = row["joined_at"]
        if kept.joined and joined < kept.joined[-1]:  # the clock went back: let a reread order them
            self._forget_members(row["incident_id"])
            return
        first = bisect.bisect_left(kept.joined, joined)
        kept.append(row)
        if first < len(kept.ids) - 1 and kept.rows is not None:  # (stems alone: only join times matter, see `latest`)
            tied = kept.ids[first:]
            marks = ", ".join("?" for _ in tied)
            kept.reorder(first, [r["id"] for r in self._fetch(f"SELECT id FROM events WHERE id IN ({marks}) ORDER BY id",
                                                              tied)])

    def _members(self, incident_id: str, full: bool) -> _Members | None:
        """The incident's members in joining order, from the transaction's cache or read (and kept).
        `full`: with the columns `_refresh_incident` needs; else ids, stems and join times only.
        None outside a transaction (nothing is kept)."""
        if self._kept is None:
            return None
        cache = self._kept.members
        kept = cache.get(incident_id)
        if kept is None or (full and kept.rows is None):
            kept = cache[incident_id] = self._read_members(incident_id, full)
        return kept

    def _read_members(self, incident_id: str, full: bool) -> _Members:
        """The incident's members from the database, in joining order (see `_members`)."""
        columns = f"{MEMBER_COLUMNS}, a.source AS outlet" if full else "e.id"
        join = _MEMBER_JOIN if full else "incident_members m JOIN events e ON e.id = m.event_id"
        return _Members.of(self._fetch(f"SELECT {columns}, e.terms, m.joined_at FROM {join} WHERE m.incident_id = ?"
                                       " ORDER BY m.joined_at, e.id", [incident_id]), full)

    def _forget_members(self, *incident_ids: str) -> None:
        if self._kept is not None:
            for incident_id in incident_ids:
                self._kept.members.pop(incident_id, None)

    def _refresh_incident(self, incident_id: str, reread: bool = True) -> None:
        """Recompute an incident's merged fields from its members (delete it if none are left).

        `reread`: read the members from the database. Clustering passes False for an incident
        whose only change since it was read is `_add_member`'s, which kept the cache in step:
        a bombing with hundreds of reports is then not reread on every join.
        """
        if reread:
            self._forget_members(incident_id)
        kept = self._members(incident_id, full=True)
        if kept is None:  # outside a transaction: read as before, nothing kept
            kept = self._read_members(incident_id, full=True)
        members = kept.rows
        assert members is not None
        if not members:
            self._forget_members(incident_id)
            self._execute("DELETE FROM incidents WHERE id = ?", [incident_id])
            if self._kept is not None:
                self._kept.incidents.drop(incident_id)
            return
        merged = inc.summarise(members)
        articles = sorted({m["article_id"] for m in members})
        outlets = sorted({m["outlet"] for m in members if m["outlet"]})
        sources = sorted({s for listed in kept.sources for s in listed})
        vectors = [np.frombuffer(bytes(m["embedding"]), dtype="<f4") for m in members if m["embedding"] is not None]
        center = inc.centroid(vectors) if len(vectors) == len(members) else None
        values = {**merged, "n_articles": len(articles), "articles": _dumps(articles), "outlets": _dumps(outlets),
                  "sources": _dumps(sources), "centroid": center.astype("<f4").tobytes() if center is not None
                  else None, "updated_at": now()}
        self._execute(_upsert_incident(tuple(values)), [incident_id, *values.values()])
        if self._kept is not None:
            self._kept.incidents.put({"id": incident_id, **{c: values[c] for c in _CANDIDATE_VALUES}})

    def add_quarantined(self, items: Iterable[Quarantined]) -> int:
        rows = []
        for q in items:
            key = hashlib.sha256(_dumps([q.path, q.line, q.reason]).encode("utf-8")).hexdigest()
            rows.append([key, q.path, q.line, q.reason, bytes(q.raw or b"")[:RAW_LIMIT], q.article_id, now()])
        with self._transaction():
            self._executemany("INSERT INTO quarantine (key, path, line, reason, raw, article_id, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING", rows)
        return len(rows)

    # ---- reading ----------------------------------------------------------------------------
    def get_article(self, article_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT id, title, body, published, source, url, raw, path, content_hash, doc_json,"
                        " ingested_at, updated_at FROM articles WHERE id = ?", [article_id])
        if row is None:
            return None
        doc = Doc(id=row["id"], title=row["title"], body=row["body"], published=row["published"],
                  source=row["source"], url=row["url"], entities=self._stored_entities(article_id))
        doc.attributions = self._stored_attributions(article_id, doc.text)
        out = doc.to_dict()
        out.update(json.loads(row["doc_json"]))  # what has no table of its own (warnings)
        out.update(raw=row["raw"], path=row["path"], content_hash=row["content_hash"],
                   ingested_at=row["ingested_at"], updated_at=row["updated_at"])
        out["events"] = self._events_where("e.article_id = ?", [article_id], 10_000, 0)
        out["duplicates"] = self._fetch(
            "SELECT duplicate_of AS article_id, kind, similarity FROM article_duplicates WHERE article_id = ?"
            " UNION SELECT article_id, kind, similarity FROM article_duplicates WHERE duplicate_of = ?"
            " ORDER BY article_id", [article_id, article_id])
        return out

    def _stored_entities(self, article_id: str) -> list[Entity]:
        spans: dict[str, list[Span]] = {}
        for m in self._fetch("SELECT entity_id, start_offset, end_offset, text FROM mentions WHERE article_id = ?"
                             " ORDER BY start_offset, end_offset", [article_id]):
            spans.setdefault(m["entity_id"], []).append(Span(m["start_offset"], m["end_offset"], m["text"]))
        rows = self._fetch("SELECT local_id, text, type, name_en, kb_id, kind, country, origin, named, aliases, place"
                           " FROM entities WHERE article_id = ? ORDER BY ordinal, local_id", [article_id])
        return [Entity(text=r["text"], type=r["type"], name_en=r["name_en"], kb_id=r["kb_id"], kind=r["kind"],
                       country=r["country"], mentions=spans.get(r["local_id"], []),
                       aliases=json.loads(r["aliases"]) if r["aliases"] else [],
                       place=Place.from_dict(json.loads(r["place"])) if r["place"] else None,
                       origin=r["origin"], id=r["local_id"], named=bool(r["named"])) for r in rows]

    def _stored_attributions(self, article_id: str, text: str) -> list[Attribution]:
        rows = self._fetch(f"SELECT {ATTRIBUTION_COLUMNS} FROM attributions WHERE article_id = ?"
                           " ORDER BY ordinal, local_id", [article_id])
        return [Attribution(source=r["source"], source_ar=r["source_ar"], kind=r["kind"], named=bool(r["named"]),
                            span=Span(r["span_start"], r["span_end"], r["span_text"]), cue=r["cue"],
                            cue_span=None if r["cue_start"] is None else
                            Span(r["cue_start"], r["cue_end"], text[r["cue_start"]:r["cue_end"]]),
                            via=json.loads(r["via"]), kb_id=r["kb_id"], sentence=r["sentence"],
                            supports=json.loads(r["supports"]), id=r["local_id"]) for r in rows]

    def _events_where(self, cond: str, params: list[Any], limit: int, offset: int,
                      order: str = "e.date IS NULL, e.date DESC, e.id", source: str = "events e") -> list[dict[str, Any]]:
        rows = self._fetch(
            f"SELECT {', '.join('e.' + c.strip() for c in EVENT_COLUMNS.split(','))}, m.incident_id,"
            " a.title AS a_title, a.source AS a_source, a.url AS a_url, a.published AS a_published"
            f" FROM {source} JOIN articles a ON a.id = e.article_id"
            f" LEFT JOIN incident_members m ON m.event_id = e.id WHERE {cond} ORDER BY {order}"
            " LIMIT ? OFFSET ?", [*params, _limit(limit), max(0, offset)])
        return [_event_dict(r) for r in rows]

    def query_events(self, filters: Filters | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        cond, params = where(filters, "e")
        return self._events_where(cond, params, limit, offset)

    def query_incidents(self, filters: Filters | None = None, limit: int = 50, offset: int = 0, *,
                        members: bool = False) -> list[dict[str, Any]]:
        cond, params = where(filters, "i", incident=True)
        rows = self._fetch(
            f"SELECT {', '.join('i.' + c.strip() for c in INCIDENT_COLUMNS.split(','))} FROM incidents i"
            f" WHERE {cond} ORDER BY i.date IS NULL, i.date DESC, i.id LIMIT ? OFFSET ?",
            [*params, _limit(limit), max(0, offset)])
        return [self._incident_dict(r, members) for r in rows]

    def _incident_dict(self, row: dict[str, Any], members: bool) -> dict[str, Any]:
        out = _incident_dict(row)
        if members:
            out["members"] = [
                {"event_id": m["event_id"], "article_id": m["article_id"], "score": m["score"],
                 "reasons": json.loads(m["reasons"])}
                for m in self._fetch("SELECT event_id, article_id, score, reasons FROM incident_members"
                                     " WHERE incident_id = ? ORDER BY joined_at, event_id", [row["id"]])
            ]
        return out

    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        rows = self._fetch(f"SELECT {', '.join('i.' + c.strip() for c in INCIDENT_COLUMNS.split(','))}"
                           " FROM incidents i WHERE i.id = ?", [incident_id])
        return self._incident_dict(rows[0], members=True) if rows else None

    def query_entities(self, text: str | None = None, type: str | None = None, limit: int = 50,
                       offset: int = 0) -> list[dict[str, Any]]:
        parts, params = ["1=1"], []
        if text:
            parts.append("(en.norm LIKE ? OR LOWER(en.name_en) LIKE LOWER(?))")
            params += [normalize_key(text) + "%", text + "%"]
        if type:
            parts.append("en.type = ?")
            params.append(type.upper())
        return self._fetch(
            "SELECT MIN(en.text) AS text, en.type AS type, en.norm AS norm, MAX(en.name_en) AS name_en,"
            " MAX(en.kb_id) AS kb_id, MAX(en.kind) AS kind, COUNT(DISTINCT en.article_id) AS articles"
            f" FROM entities en WHERE {' AND '.join(parts)} GROUP BY en.norm, en.type"
            " ORDER BY articles DESC, en.norm LIMIT ? OFFSET ?", [*params, _limit(limit), max(0, offset)])

    def search(self, text: str, filters: Filters | None = None, limit: int = 20,
               offset: int = 0) -> list[dict[str, Any]]:
        cond, params = where(filters, "e")
        has_filters = filters is not None and not filters.is_empty()
        # the matching events' articles, as one set: a correlated EXISTS let SQLite walk every event of the
        # country (events_country) for each matching article, 0.3-0.5 s for "غارة جوية" in Yemen on the corpus
        exists = f"a.id IN (SELECT e.article_id FROM events e WHERE {cond})" if has_filters else "1=1"
        terms = query_terms(text or "")
        if terms:
            hits = self._fts_hits(terms, exists, params if has_filters else [], _limit(limit), max(0, offset))
        elif has_filters:  # driven by the (far fewer) events, newest event first
            hits = self._fetch(f"SELECT e.article_id AS id, 0.0 AS score, MAX(e.date) AS day FROM events e"
                               f" WHERE {cond} GROUP BY e.article_id ORDER BY day DESC NULLS LAST, e.article_id"
                               " LIMIT ? OFFSET ?", [*params, _limit(limit), max(0, offset)])
        else:
            hits = self._fetch("SELECT a.id, 0.0 AS score FROM articles a ORDER BY a.published DESC NULLS LAST,"
                               " a.id LIMIT ? OFFSET ?", [_limit(limit), max(0, offset)])
        return [self._hit(h["id"], float(h["score"]), cond, params) for h in hits]

    def _hit(self, article_id: str, score: float, cond: str, params: list[Any]) -> dict[str, Any]:
        row = self._one("SELECT id, title, source, url, published FROM articles WHERE id = ?", [article_id]) or {}
        events = self._events_where(f"e.article_id = ? AND {cond}", [article_id, *params], 100, 0,
                                    source=self.article_events)
        return {"article_id": article_id, "title": row.get("title"), "source": row.get("source"),
                "url": row.get("url"), "published": row.get("published"), "score": round(score, 4),
                "events": events}

    def stats(self) -> dict[str, Any]:
        counts = {name: self._count(table) for name, table in (
            ("articles", "articles"), ("events", "events"), ("incidents", "incidents"),
            ("quarantined", "quarantine"), ("duplicates", "article_duplicates"), ("entities", "entities"))}
        multi = self._one("SELECT COUNT(*) AS n FROM incidents WHERE n_articles > 1")
        counts["incidents_multi_article"] = int(multi["n"]) if multi else 0
        counts["schema_version"] = self.schema_version()
        counts["backend"] = self.url.split(":", 1)[0]
        return counts

    def iter_events(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        cond, params = where(filters, "e")
        last = ""
        while True:
            page = self._events_where(f"e.id > ? AND {cond}", [last, *params], 1000, 0, order="e.id")
            yield from page
            if len(page) < 1000:
                return
            last = page[-1]["id"]

    def iter_incidents(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        cond, params = where(filters, "i", incident=True)
        last = ""
        while True:
            rows = self._fetch(f"SELECT {', '.join('i.' + c.strip() for c in INCIDENT_COLUMNS.split(','))}"
                               f" FROM incidents i WHERE i.id > ? AND {cond} ORDER BY i.id LIMIT 1000",
                               [last, *params])
            for row in rows:
                yield self._incident_dict(row, members=True)
            if len(rows) < 1000:
                return
            last = rows[-1]["id"]

    def iter_quarantined(self) -> Iterator[dict[str, Any]]:
        for row in self._fetch("SELECT path, line, reason, raw, article_id, created_at FROM quarantine"
                               " ORDER BY path, line"):
            row["raw"] = bytes(row["raw"]) if row["raw"] is not None else b""
            yield row


def _limit(limit: int) -> int:
    return max(0, min(int(limit), MAX_LIMIT))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _near(rows: list[dict[str, Any]], lat: float, lon: float) -> list[dict[str, Any]] | None:
    """The rows `near_condition` within the largest clustering radius keeps (or placed nowhere); None
    when one lies so close to the edge that the database's own arithmetic (PostgreSQL's `rasd_km`)
    might decide otherwise."""
    radius_km = max(inc.RADIUS_KM.values())
    _, (lat_lo, lat_hi, lon_lo, lon_hi, *_) = near_condition((lat, lon, radius_km), "incidents")
    out = []
    for row in rows:
        if row["latitude"] is None:
            out.append(row)
            continue
        if row["longitude"] is None or not (lat_lo <= row["latitude"] <= lat_hi and lon_lo <= row["longitude"] <= lon_hi):
            continue
        distance = inc.km(row["latitude"], row["longitude"], lat, lon)  # as SQLite's rasd_km calls it
        if abs(distance - radius_km) < 1e-6:
            return None
        if distance <= radius_km:
            out.append(row)
    return out


@lru_cache(maxsize=4096)  # each event shifts its date by the same few windows
def _shift(day: str, days: int) -> str:
    from datetime import date, timedelta

    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return day


def _location(row: dict[str, Any]) -> dict[str, Any] | None:
    if not row.get("location_name") and row.get("latitude") is None:
        return None
    return {"name": row["location_name"], "name_en": row["location_name_en"], "lat": row["latitude"],
            "lon": row["longitude"], "admin1": row["admin1"], "country": row["country"],
            "geo_precision": row["geo_precision"]}


def _event_dict(row: dict[str, Any]) -> dict[str, Any]:
    location = _location(row)
    if location is not None:
        location["place_id"] = row["place_key"]
    return {
        "id": row["id"], "article_id": row["article_id"], "incident_id": row.get("incident_id"),
        "event_type": row["event_type"], "sub_event_type": row["sub_event_type"], "plover": row["plover"],
        "date": row["date"], "time_precision": row["time_precision"], "location": location,
        "actor1": row["actor1"], "actor2": row["actor2"], "fatalities": row["fatalities"],
        "injuries": row["injuries"], "modality": row["modality"], "sources": json.loads(row["sources"]),
        "notes": row["notes"], "trigger": row["trig"], "evidence": row["evidence"],
        "evidence_span": {"start": row["evidence_start"], "end": row["evidence_end"], "text": row["evidence"]},
        "arguments": json.loads(row["arguments"]), "mentions": json.loads(row["mentions"]),
        "article": {"id": row["article_id"], "title": row.get("a_title"), "source": row.get("a_source"),
                    "url": row.get("a_url"), "published": row.get("a_published")},
    }


def _incident_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "event_type": row["event_type"], "sub_event_type": row["sub_event_type"],
        "date": row["date"], "date_range": [row["date_min"], row["date_max"]],
        "time_precision": row["time_precision"], "location": _location(row), "actor1": row["actor1"],
        "actor2": row["actor2"], "fatalities": row["fatalities"],
        "fatalities_range": [row["fatalities_min"], row["fatalities_max"]], "n_events": row["n_events"],
        "n_articles": row["n_articles"], "articles": json.loads(row["articles"]),
        "outlets": json.loads(row["outlets"]), "sources": json.loads(row["sources"]),
    }
