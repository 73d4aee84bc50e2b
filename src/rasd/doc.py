"""The data model: one place for every record rasd reads, builds and writes.

`Doc` is the container that flows through the pipeline. Its `text` is the clean
text (headline, a blank line, then the body) and is frozen once cleaning has run:
every annotation (token, mention, place, event field, attribution) stores
`start`/`end` character offsets into `Doc.text`.

`Doc.to_dict()` writes the interchange format of `../shared/eval/SCHEMA.md`
(with richer fields); `Doc.from_dict()` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC"]
PER, ORG, LOC = "PER", "ORG", "LOC"

VIOLENT_EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
)
STRATEGIC = "Strategic developments"

# Modalities an event can be reported with; only HAPPENED_MODALITIES make violent events.
MODALITIES = (
    "asserted", "reported", "claimed", "denied", "threatened", "planned",
    "foiled", "question", "hypothetical", "condemned",
)
HAPPENED_MODALITIES = frozenset({"asserted", "reported", "claimed"})


@dataclass(slots=True)
class Span:
    """A stretch of `Doc.text`: the evidence for any extracted field."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Span | None:
        if not data:
            return None
        return cls(int(data["start"]), int(data["end"]), str(data.get("text", "")))


@dataclass(slots=True)
class Token:
    """A whitespace/punctuation word with its clitics split off.

    `start`/`end` cover the whole written word (ببغداد); `stem_start`/`stem_end`
    cover the stem (بغداد). `norm` is the normalised stem used for matching.
    """

    start: int
    end: int
    text: str
    stem_start: int
    stem_end: int
    norm: str
    prefixes: tuple[str, ...] = ()
    suffix: str = ""

    @property
    def stem(self) -> str:
        return self.text[self.stem_start - self.start : self.stem_end - self.start]

    @property
    def is_word(self) -> bool:
        # The tokeniser makes a token of letters, of digits, or of one other mark.
        return self.text[:1].isalpha()


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    token_start: int  # index of the first token in Doc.tokens
    token_end: int  # one past the last token


@dataclass(slots=True)
class Place:
    """A geocoded place: gazetteer row plus the precision of its tie to an event."""

    name: str  # Arabic name as written in the text, clitics removed
    name_en: str | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    geo_precision: int | None = None  # 1 town/landmark, 2 near/part of region, 3 admin1/country
    feature: str | None = None  # city, admin1, country, landmark, district, region
    place_id: str | None = None  # gazetteer id (geonames:NNN, yemen:..., landmark:...)
    population: int | None = None

    def to_dict(self) -> dict[str, Any]:
        # every field is a scalar: read them in order rather than deep-copying through `asdict`
        return {k: v for k in self.__dataclass_fields__ if (v := getattr(self, k)) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Place | None:
        if not data:
            return None
        known = {k: data.get(k) for k in cls.__dataclass_fields__}
        known["name"] = known.get("name") or ""
        return cls(**known)


@dataclass(slots=True)
class Entity:
    """One distinct named entity of an article, with every mention of it."""

    text: str  # main Arabic surface form without clitics
    type: str  # PER, ORG or LOC
    name_en: str | None = None
    kb_id: str | None = None  # knowledge-base id, when linked
    kind: str | None = None  # finer kind: armed_group, military, outlet, city, country, person...
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    place: Place | None = None  # for LOC entities resolved in the gazetteer
    origin: str = "kb"  # kb, gazetteer, model, or a combination such as kb+model
    id: str = ""  # local id within the document (E1, E2, ...)
    # False for an actor named by description (الحكومة التركية): kept for events, but not
    # a named entity of the schema, so it is written under "actor_descriptions".
    named: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "type": self.type,
            "name_en": self.name_en,
            "aliases": self.aliases,
            "kb_id": self.kb_id,
            "kind": self.kind,
            "country": self.country,
            "origin": self.origin,
            "mentions": [m.to_dict() for m in self.mentions],
        }
        if self.place is not None:
            out["place"] = self.place.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            text=data.get("text", ""),
            type=data.get("type", ""),
            name_en=data.get("name_en"),
            kb_id=data.get("kb_id"),
            kind=data.get("kind"),
            country=data.get("country"),
            mentions=[s for s in (Span.from_dict(m) for m in data.get("mentions", [])) if s],
            aliases=list(data.get("aliases", [])),
            place=Place.from_dict(data.get("place")),
            origin=data.get("origin", "kb"),
            id=data.get("id", ""),
            named=bool(data.get("named", True)),
        )


@dataclass(slots=True)
class Attribution:
    """Who the article says reported something, and through whom (the chain)."""

    source: str  # English name or English description ("two diplomatic sources")
    source_ar: str  # Arabic as written
    kind: str  # outlet, official, monitor, government, military, anonymous, description
    named: bool
    span: Span  # the source's words in the text
    cue: str = ""  # the reporting expression (قال، أفاد، نقل عن، بحسب...)
    cue_span: Span | None = None
    via: list[str] = field(default_factory=list)  # English names of whom this source quotes
    kb_id: str | None = None
    sentence: int | None = None  # index into Doc.sentences
    supports: list[str] = field(default_factory=list)  # event ids
    id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "source_ar": self.source_ar,
            "kind": self.kind,
            "named": self.named,
            "via": self.via,
            "kb_id": self.kb_id,
            "cue": self.cue,
            "span": self.span.to_dict(),
            "cue_span": self.cue_span.to_dict() if self.cue_span else None,
            "sentence": self.sentence,
            "supports": self.supports,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        return cls(
            source=data.get("source", ""),
            source_ar=data.get("source_ar", ""),
            kind=data.get("kind", ""),
            named=bool(data.get("named")),
            span=Span.from_dict(data.get("span")) or Span(0, 0, ""),
            cue=data.get("cue", ""),
            cue_span=Span.from_dict(data.get("cue_span")),
            via=list(data.get("via", [])),
            kb_id=data.get("kb_id"),
            sentence=data.get("sentence"),
            supports=list(data.get("supports", [])),
            id=data.get("id", ""),
        )


@dataclass(slots=True)
class Event:
    """One ACLED event: one type, one actor pair, one place, one day."""

    event_type: str
    sub_event_type: str
    evidence: Span
    plover: str | None = None  # PLOVER category: ASSAULT, PROTEST, THREATEN...
    date: str | None = None  # ISO day
    time_precision: int | None = None  # ACLED: 1 day, 2 week, 3 month
    location: Place | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = 0
    injuries: int | None = None
    modality: str = "asserted"
    sources: list[str] = field(default_factory=list)  # English names of those cited
    notes: str = ""
    trigger: str = ""  # lexicon entry that fired
    arguments: dict[str, Span] = field(default_factory=dict)  # field name -> evidence
    mentions: list[Span] = field(default_factory=list)  # every span that states it (headline, lead...)
    attribution_ids: list[str] = field(default_factory=list)
    id: str = ""

    @property
    def is_violent(self) -> bool:
        return self.event_type in VIOLENT_EVENT_TYPES

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "plover": self.plover,
            "date": self.date,
            "time_precision": self.time_precision,
            "location": self.location.to_dict() if self.location else None,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "fatalities": self.fatalities,
            "injuries": self.injuries,
            "modality": self.modality,
            "sources": self.sources,
            "notes": self.notes,
            "evidence": self.evidence.text,
            "evidence_span": self.evidence.to_dict(),
            "trigger": self.trigger,
            "arguments": {k: v.to_dict() for k, v in self.arguments.items()},
            "mentions": [m.to_dict() for m in self.mentions],
            "attribution_ids": self.attribution_ids,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        evidence = Span.from_dict(data.get("evidence_span")) or Span(0, 0, data.get("evidence") or "")
        return cls(
            event_type=data.get("event_type", ""),
            sub_event_type=data.get("sub_event_type", ""),
            evidence=evidence,
            plover=data.get("plover"),
            date=data.get("date"),
            time_precision=data.get("time_precision"),
            location=Place.from_dict(data.get("location")),
            actor1=data.get("actor1"),
            actor2=data.get("actor2"),
            fatalities=data.get("fatalities"),
            injuries=data.get("injuries"),
            modality=data.get("modality", "asserted"),
            sources=list(data.get("sources", [])),
            notes=data.get("notes", ""),
            trigger=data.get("trigger", ""),
            arguments={
                k: s for k, s in ((k, Span.from_dict(v)) for k, v in (data.get("arguments") or {}).items()) if s
            },
            mentions=[s for s in (Span.from_dict(m) for m in data.get("mentions", [])) if s],
            attribution_ids=list(data.get("attribution_ids", [])),
            id=data.get("id", ""),
        )


@dataclass(slots=True)
class Dropped:
    """A line the cleaner removed, and the rule that removed it (for --explain)."""

    line: str
    rule: str
    reason: str


@dataclass(slots=True)
class Article:
    """An article as read by ingest, before cleaning."""

    id: str
    text: str
    title: str | None = None  # None: the first non-empty line of text is the headline
    published: str | None = None  # ISO day
    source: str | None = None  # outlet
    url: str | None = None
    path: str | None = None  # where it was read from (file, or file:line)
    format: str = "text"  # text, html, jsonl
    encoding: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Doc:
    """An analysed article: clean text plus every annotation with offsets into `text`."""

    id: str
    title: str
    body: str
    published: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Headline, blank line, body: the string all offsets point into."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body

    @property
    def body_offset(self) -> int:
        return len(self.title) + 2 if self.title else 0

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def to_dict(self, *, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "entities": [e.to_dict() for e in self.entities if e.named],
            "actor_descriptions": [{**e.to_dict(), "named": False} for e in self.entities if not e.named],
            "events": [e.to_dict() for e in self.events],
            "attributions": [a.to_dict() for a in self.attributions],
        }
        if self.warnings:
            out["warnings"] = self.warnings
        if explain:
            out["dropped"] = [asdict(d) for d in self.dropped]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Doc:
        return cls(
            id=str(data.get("id", "")),
            title=data.get("title") or "",
            body=data.get("body") or "",
            published=data.get("published"),
            source=data.get("source"),
            url=data.get("url"),
            entities=[Entity.from_dict(e) for e in data.get("entities", []) + data.get("actor_descriptions", [])],
            events=[Event.from_dict(e) for e in data.get("events", [])],
            attributions=[Attribution.from_dict(a) for a in data.get("attributions", [])],
            dropped=[Dropped(**d) for d in data.get("dropped", [])],
            warnings=list(data.get("warnings", [])),
        )


# The public name used in the API and README: an analysis is a Doc.
Analysis = Doc


@dataclass(slots=True)
class Quarantined:
    """Something that could not be read or analysed: kept with its reason, never lost."""

    path: str
    line: int | None
    reason: str
    raw: bytes = b""  # the raw bytes of the file or line (truncated for huge inputs)
    article_id: str | None = None

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"
