"""The events stage: ACLED events with their arguments, each backed by a span of the text.

1. Triggers (`triggers.tsv`) are found per sentence in one pass over the tokens; triggers of
   one kind of action form a clause, and the tokens up to the neighbouring clauses are its
   region.
2. Per clause: sub-type cues (`cues_subtype.tsv`), modality (`modality.py`), places (LOC
   entities of the region, else the sentence, the paragraph, the dateline, the headline), date
   (`dates.py`), casualties (`numbers.py`), actors (entities and `generic_actors.tsv`) and the
   attributions of the sentence.
3. Assembly: one event per place (a report of strikes on three towns is three events);
   mentions of the same event (headline, lead, body) are merged; events older than 30 days,
   unlocated events and events not reported as having happened are left out (ANNOTATION.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fnmatch import fnmatchcase
from functools import lru_cache

from rasd.analyze import dates as date_mod
from rasd.analyze.attributions import cited_names, entity_mentions, reporting_cues, token_index
from rasd.analyze.gazetteer import default_gazetteer
from rasd.analyze.lexicon import DIGITS, Hit, PhraseMatcher, TokenIndex, matcher, phrase_keys, read_rows
from rasd.analyze.modality import DROP, SENTENCE, is_question, modality_at, sentence_cues
from rasd.analyze.modality import LEXICON as MODALITY
from rasd.analyze.numbers import COMMAS, COUNTED_KINDS, Casualties, casualties, casualty_kind
from rasd.analyze.numbers import CUE_LEXICON as CASUALTY_CUES
from rasd.doc import HAPPENED_MODALITIES, LOC, STRATEGIC, Attribution, Doc, Entity, Event, Place, Span, Token
from rasd.pipeline import stage
from rasd.text.normalize import normalize
from rasd.text.tokens import tokenize

# ANNOTATION.md: only events of the 30 days before publication.
MAX_AGE_DAYS = 30
# A clause whose lowest death toll is this high tells a tally (a war's dead, an epidemic,
# history: "غارات جوية على هامبورغ: ثلاثون ألف قتيل"), not one event of one day and place;
# ANNOTATION.md codes no event for cumulative tallies.
CUMULATIVE_TOLL = 1000
# A dateline is a short first body line ("عين اليوم – بغداد").
DATELINE_MAX_TOKENS = 8
WEAK, GENERIC_STRENGTH = 1, 2
NOT_AN_EVENT = "-"
# Where a mention without a place of its own gets one; a headline's place alone makes no event
# (opinion pieces and summaries name a country in the title).
PARAGRAPH, DATELINE, HEADLINE = "paragraph", "dateline", "headline"  # triggers.tsv rows for figures of speech
# A date this close after a reporting verb dates the statement: "وقال البيان الذي صدر اليوم".
STATEMENT_DATE_GAP = 4
# A province named in a sentence next to one naming a town in it is the same report, told
# first broadly then precisely ("غارات في محافظة أبين" ... "في مدينة زنجبار").
NEARBY_SENTENCES = 2
# Tolls of two sides add up when stated this close (in sentences) to each other.
SIDES_SENTENCES = 3
# A toll alone repeated by an event at its place in a sentence beside it is that event's when it
# is at least this many dead (one or two dead are too common a figure to tell events apart).
SAME_TOLL_MIN = 3
# A headline's place this close to a body event's is a summary of the body's events.
HEADLINE_RADIUS_KM = 50.0
# How far after a killed figure its victims are named: "قتلى سقطوا في صفوف المقاومة".
VICTIM_WINDOW = 5
# Specific triggers this close are one expression ("قصف ... بالبراميل المتفجرة").
ADJACENT_TOKENS = 3
COUNTED_BEFORE = 4  # "قتلوا اثنين من جنوده": how far before a casualty its casualty word may be
COUNTED_AFTER = 3  # "5 جنود قتلوا"
CASUALTY = "casualty"  # generic_actors.tsv role: a victim where counted among the dead or wounded
GENERIC_REACH = 6

# KB kinds that can be ACLED actors; outlets, monitors, NGOs and persons are sources or
# victims, not the parties of an event.
_STATE_KINDS = frozenset({"military", "police", "government", "intelligence"})
_ACTOR_KINDS = _STATE_KINDS | frozenset({"armed_group", "militia", "party", "coalition", "descriptor"})
# Trigger groups that need no violent corroboration: a protest is an event by itself.
_SELF_EVIDENT_GROUPS = frozenset({"protest", "riot"})
_COARSE_FEATURES = frozenset({"country", "admin1", "region"})
_FINER_FEATURES = frozenset({"district", "landmark", "subdistrict", "neighbourhood"})
_ADMIN_DISTRICT_IDS = ("yemen:district:", "yemen:uzlah:")  # gazetteer ids of administrative districts
# A town this close to the one the sentence before names, for the same kind of action and
# without a second toll, is that report told more precisely.
NEIGHBOUR_TOWN_KM = 10.0
# A quarter or landmark this close to a named city is inside it.
CITY_RADIUS_KM = 20.0
_REGAIN = ("Battles", "Government regains territory")
# Trigger groups whose sub-type is only a default ("انفجار" may be any kind of explosion): a
# mention from one of them may join an event of another sub-type.
_GENERIC_GROUPS = frozenset({"explosion", "attack", "kill", "fire", "target", "strike"})
UNIDENTIFIED = "Unidentified Armed Group ({country})"
CIVILIANS = "Civilians ({country})"
_CIVILIAN_TARGETS = frozenset({"Violence against civilians"})
_ARMED_SIDES = frozenset({"Battles"})
_UNARMED = ("Civilians", "Protesters")
_CROWDS = {"Protests": "Protesters ({country})", "Riots": "Rioters ({country})"}
_CROWD_WORDS = ("Protesters", "Rioters")
_UNIDENTIFIED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_DEMONSTRATIVES = frozenset({"تلك", "هذه", "ذلك", "هذا", "هذين", "هاتين", "هولاء"})
_UNTYPED_CLASH_GROUPS = frozenset({"clash", "kill", "fire"})
# Sub-types placed, when the text names no place, in the country of the state that acts
_LOCATED_BY_ACTOR = frozenset({"Arrests"})
# Sub-types told as a state going on "since" a day that happened on that day: a detention
# "since Friday" is Friday's arrest ("تعتقل المخابرات ... منذ يوم الجمعة"), not background
_DATED_FROM_START = frozenset({"Arrests"})
_STATE_LABELS = ("Military Forces of", "Police Forces of", "Security Forces of")  # ACLED state actor labels
_ACTING = ("actor", "agent")  # `_actors` roles of a party that may be the one acting
_PROTESTERS = frozenset({"متظاهرين", "متظاهرون", "محتجين", "محتجون"})
_PROTEST_TYPES = frozenset({"Protests", "Riots"})
ANOTHER_WINDOW = 3  # "تصدت المقاومة لهجمات أخرى"
# How far after a definite trigger a relative pronoun may tell what that known event did
# ("التفجير في بلدة سروج، جنوب شرقي البلاد، والذي خلف أكثر من ثلاثين قتيلاً").
REFERENCE_REACH = 10
# How far before the gap word an after word may stand ("بعد وقت قصير على مقتل").
REFERENCE_GAP = 3
_ANOTHER = frozenset({"اخري", "اخر", "اخرين"})  # أخرى، آخر after a trigger: one more event
_PREPOSITIONS = frozenset({"في", "من", "علي", "عند", "داخل", "بين", "بينها", "بينهما"})
_FUNCTION_WORDS = frozenset({"من", "مع", "علي", "عن", "في"})


TRIGGERS, SUBTYPE_CUES, GENERIC_ACTORS, REPORTING = "triggers", "cues_subtype", "generic_actors", "attribution_cues"
INCIDENT_PLACES = "incident_places"
ACTOR_ROLES = "actor_roles"
CLAUSE_HEADS = "clause_heads"
TARGET_VERB = "target_verb"  # generic_actors.tsv role
ANAPHOR = "anaphor"  # generic_actors.tsv role
BLAME_MARKER = "blame_marker"  # generic_actors.tsv role
REFERENCE_CUES = "reference_cues"
# How a mention recalls a known event (_Candidate.recalls).
AFTER, RESPONSE, INTERVAL, RELATIVE, ANAPHORIC = "after", "response", "interval", "relative", "anaphoric"


@lru_cache(maxsize=1)
def _triggers() -> PhraseMatcher:
    return matcher(TRIGGERS)


@lru_cache(maxsize=1)
def _subtype_cues() -> PhraseMatcher:
    return matcher(SUBTYPE_CUES)


@lru_cache(maxsize=1)
def _generic_actors() -> PhraseMatcher:
    return matcher(GENERIC_ACTORS)


@lru_cache(maxsize=1)
def _actor_roles() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], str]]:
    """From actor_roles.tsv: (sub_event_type → the patterns of the ACLED labels that can be its
    actor1, (sub_event_type, country or "") → the actor1 of an event of it that names none)."""
    rows = read_rows(ACTOR_ROLES)
    capable = {row["sub_event_type"]: tuple(p.strip() for p in row["actor1"].split("|") if p.strip())
               for row in rows if row["actor1"]}
    return capable, {(row["sub_event_type"], row["country"]): row["unnamed"] for row in rows if row["unnamed"]}


def _fit_roles(sub_type: str | None, actors: tuple[str | None, str | None, bool, dict[str, Span]],
               others: Sequence[tuple[str, Span]] = ()) -> tuple[str | None, str | None, bool, dict[str, Span]]:
    """`_actors`' pair, with a party that cannot act in `sub_type` (actor_roles.tsv) moved to the
    target's place: the other party acts if it can, else the first of the clause's `others` that
    can ("قال مسؤول في الاتحاد الوطني الكردستاني مقتل قيادي في داعش في غارة لطيران التحالف":
    the coalition, not the party of the official, who is neither side), else nobody named does."""
    actor1, actor2, state, spans = actors
    patterns = _actor_roles()[0].get(sub_type or "")
    if not patterns or actor1 is None or _matches(actor1, patterns):
        return actors
    if actor2 is not None and _matches(actor2, patterns):
        swapped = {role: spans[other] for role, other in (("actor1", "actor2"), ("actor2", "actor1")) if other in spans}
        return actor2, actor1, actor2.startswith(_STATE_LABELS), swapped
    capable = next(((name, span) for name, span in others if _matches(name, patterns)), None)
    if capable is not None:
        target = actor2 if actor2 is not None else actor1
        target_span = spans.get("actor2" if actor2 is not None else "actor1")
        return capable[0], target, capable[0].startswith(_STATE_LABELS), {
            "actor1": capable[1], **({"actor2": target_span} if target_span is not None else {})}
    if actor2 is None:
        return None, actor1, False, {"actor2": spans["actor1"]} if "actor1" in spans else {}
    return None, actor2, False, {k: v for k, v in spans.items() if k == "actor2"}


def _matches(label: str, patterns: tuple[str, ...]) -> bool:
    """`label` fits one of the patterns and none of the excluding ones (written with a leading !)."""
    return (any(fnmatchcase(label, p) for p in patterns if not p.startswith("!"))
            and not any(fnmatchcase(label, p[1:]) for p in patterns if p.startswith("!")))


@lru_cache(maxsize=4096)  # (keyed by the entry, not by its names: an anaphor checks every party before it)
def _name_heads(kb_id: str | None, text: str) -> frozenset[str]:
    """The first words (normalised stems) of an entity's text and of its KB entry's names."""
    from rasd.analyze.kb import default_kb

    entry = default_kb().get(kb_id) if kb_id else None
    names = (text, *(entry.aliases if entry is not None else ()))
    return frozenset(tokens[0].norm for name in names if (tokens := [t for t in tokenize(name) if t.is_word]))


@lru_cache(maxsize=1)
def _clause_heads() -> frozenset[str]:
    return frozenset(normalize(form) for row in read_rows(CLAUSE_HEADS) for form in row["form"].split("|"))


@lru_cache(maxsize=1)
def _reference_cues() -> PhraseMatcher:
    return matcher(REFERENCE_CUES)


@lru_cache(maxsize=1)
def _qualifier_norms() -> frozenset[str]:
    """Content words of the place qualifiers (قرب، شمال؛ not the من of بالقرب من)."""
    norms: set[str] = set()
    for row in read_rows("place_qualifiers"):
        for form in row["form"].split("|"):
            norms.update(k for k in phrase_keys(form) if k not in _FUNCTION_WORDS)
    return frozenset(norms)


@lru_cache(maxsize=1)
def _place_cue_norms() -> frozenset[str]:
    return frozenset(k for row in read_rows("place_cues") for f in row["form"].split("|") for k in phrase_keys(f))


@lru_cache(maxsize=1)
def _unit_norms() -> frozenset[str]:
    """Place unit words (مدينة، قرية، مزرعة...) of name_cues.tsv, as token norms."""
    firsts = [tokenize(row["cue"])[0] for row in read_rows("name_cues") if row["kind"] == "unit"]
    return frozenset(t.norm for t in firsts if not t.prefixes)  # (ولاية, وادي read as و + ... are left out)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    return {row["iso"]: row["name"] for row in read_rows("countries")}


# ---- clause candidates ----------------------------------------------------------------------


@dataclass(slots=True)
class _Clause:
    hits: list[Hit]
    sentence: int
    start: int = 0  # region, token indices
    end: int = 0
    place_start: int = 0  # where its own places may begin (see _set_regions)

    @property
    def main(self) -> Hit:
        return max(self.hits, key=lambda h: int(h.entry.get("strength")))

    @property
    def groups(self) -> set[str]:
        return {h.entry.get("group") for h in self.hits}


@dataclass(slots=True)
class _Candidate:
    """One event as one mention states it (one clause, one place)."""

    event_type: str
    sub_event_type: str
    rank: int  # how specific the sub-type evidence is
    plover: str
    trigger: Hit
    trigger_text: str
    sentence: int
    paragraph: int
    place: Place | None
    place_span: Span | None
    place_direct: bool  # named in the clause or sentence, not inherited from context
    day: str | None
    precision: int | None
    day_explicit: bool
    day_span: Span | None
    casualties: Casualties
    casualty_span: Span | None
    actor1: str | None
    actor2: str | None
    actor_spans: dict[str, Span]
    modality: str
    evidence: Span
    attributions: list[Attribution] = field(default_factory=list)
    victim_tolls: list[tuple[int, str]] = field(default_factory=list)  # (killed, whose)
    context: str = ""  # where an inherited place came from: paragraph, dateline, headline
    headline: bool = False  # stated in the headline
    another: bool = False  # "لهجمات أخرى", "غارة أخرى": told as one more event than those before
    anaphoric: bool = False  # "تلك الغارات", "هذه الاشتباكات": an event told before
    unknown_place: bool = False  # names a place we cannot geocode; located near the context's town
    recalls_protest: bool = False  # "لتفريق المتظاهرين": the protesters of a protest just told
    references: frozenset[str] = frozenset()  # places named only to say where its own lies (_place_key)
    # how it is introduced as an event known before, if it is (see _recalls): AFTER "في أعقاب
    # الهجوم", RESPONSE "ردا على الهجوم", INTERVAL "بعد ثلاثة أيام على هجوم", RELATIVE "التفجير
    # الذي شهدته سروج", ANAPHORIC "هذا التفجير"; else ""
    recalls: str = ""
    own_date: bool = False  # its date comes from a date expression of its own clause


@dataclass(frozen=True, slots=True)
class _Dating:
    """An event's date as `_Extractor._date` finds it."""

    day: str | None
    precision: int | None
    explicit: bool = False  # from a date expression of its sentence, not a default
    span: Span | None = None
    cue_start: int | None = None  # the token where that expression begins
    own: bool = False  # the expression is in the event's own clause


def _place_of(entity: Entity) -> Place | None:
    place = entity.place
    if place is None or place.lat is None or place.lon is None:
        return None
    return place


def _km(a: Place, b: Place) -> float:
    from math import asin, cos, radians, sin, sqrt

    lat1, lon1, lat2, lon2 = (radians(float(x)) for x in (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * asin(min(1.0, sqrt(h)))


def _is_coarse(place: Place) -> bool:
    return (place.feature or "") in _COARSE_FEATURES or (place.geo_precision or 1) >= 3


@dataclass(slots=True)
class _RoleCues:
    """What the words read so far in a clause say of the role of the next party named."""

    agent: bool = False  # after an agent marker: "بأيدي"، "برصاص"
    target: bool = False  # after a target marker or a target verb: "ضد"، "مواقع"، "استهدف"
    blamed: bool = False  # after a blame marker, in a violent event: "نسبته الحكومة إلى"
    # Where the subject of a target verb heading its clause would stand: right after it ("كما
    # استهدفت المليشيات الحوثية منفذ الطوال"); a party further on is its object ("استهدفت عربات
    # عسكرية تابعة للحوثيين").
    subject_at: int = -1

    def mark(self, role: str, violent: bool) -> None:
        if role == "agent_marker":
            self.agent = True
        elif role == BLAME_MARKER and violent:
            self.blamed, self.target = True, False
        elif role == "target_marker":
            self.target = True

    def role(self, i: int, base: str = "actor", *, agent: bool = False, marked_target: bool = True) -> str:
        """The role of the party (`base`: "actor" or "victim") named at token `i`; the cues before it
        are then spent. `marked_target`: a target marker makes it the target."""
        acting = base == "actor"
        if agent or self.agent or (acting and (self.blamed or i == self.subject_at)):
            role = "agent"
        elif marked_target and self.target:
            role = "target"
        else:
            role = base
        if acting:
            self.blamed = False
        self.agent = self.target = False
        return role


class _Extractor:
    """Per-document state for the events stage."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tokens = doc.tokens
        self.starts = [t.start for t in doc.tokens]
        self.sentence_ends = [s.token_end for s in doc.sentences]
        self.index = TokenIndex.of(doc.tokens)
        self.date_candidates = sorted(
            {i for name in date_mod.CANDIDATE_LEXICONS for i in self.index.positions(name)} | set(self.index.positions(DIGITS)))
        self._dates_cache: dict[tuple[int, int], tuple[list[date_mod.DateCue], list[date_mod.DateCue]]] = {}
        self.entities = entity_mentions(doc)
        self._entity_starts = sorted(self.entities)
        self.entity_tokens = self._entity_token_set()
        self.paragraph = self._paragraphs()
        self.by_sentence: dict[int, list[Attribution]] = {}
        for attribution in doc.attributions:
            if attribution.sentence is not None:
                self.by_sentence.setdefault(attribution.sentence, []).append(attribution)
        self.source_starts = {a.span.start for a in doc.attributions}
        self.headline_places = self._places(0, self._headline_end(), bare=True)
        self.dateline_places = self._dateline_places()
        self.last_place: dict[int, tuple[Place, Span]] = {}
        self._others: list[tuple[int, int]] = []  # place regions of the sentence's other clauses
        self._breaks: list[int] = []  # clause breaks of the current sentence
        self.carry: tuple[str, int] | None = None  # latest explicit event date (ISO, precision)  # paragraph → latest event place

    # -- document layout --

    def _entity_token_set(self) -> set[int]:
        covered: set[int] = set()
        for i, (_, stop) in self.entities.items():
            covered.update(range(i, stop))
        return covered

    def _paragraphs(self) -> list[int]:
        text, out, number, last = self.doc.text, [], 0, 0
        for sentence in self.doc.sentences:
            number += text.count("\n", last, sentence.start)
            last = sentence.start
            out.append(number)
        return out

    def _headline_end(self) -> int:
        title_end = len(self.doc.title)
        return next((s.token_end for s in self.doc.sentences if s.end >= title_end), 0) if title_end else 0

    def _dateline_places(self) -> list[tuple[Place, Span, int]]:
        body_start = self.doc.body_offset
        for sentence in self.doc.sentences:
            if sentence.start < body_start:
                continue
            if sentence.token_end - sentence.token_start <= DATELINE_MAX_TOKENS:
                return self._places(sentence.token_start, sentence.token_end, bare=True)
            return []
        return []

    def _places(self, start: int, end: int, *, bare: bool = False) -> list[tuple[Place, Span, int]]:
        """Geocoded places in tokens[start:end] (span, token index); those introduced by a
        locative word (في، قرب، بلدة...) when there are any."""
        introduced: list[tuple[Place, Span, int]] = []
        previous_introduced = False
        for i in range(start, end):
            ent = self.entities.get(i)
            if not ent or ent[0].type != LOC:
                continue
            place = _place_of(ent[0])
            if place is None or not place.country or self._is_common_word(i, ent[1]) or self._is_source(i):
                continue  # ("أعلنت جنوب أفريقيا مقتل أحد مواطنيها": a government cited, no place;
                # "الشرق الأوسط": a region of several countries is where no event can be coded)
            first, last = self.tokens[i], self.tokens[ent[1] - 1]
            item = (place, self.doc.span(self._mention_start(i, ent[0]), last.end), i)
            if _is_coarse(place):
                item = self._region(item) or item
            cued = self._introduced(i) or (previous_introduced and "و" in first.prefixes)
            if cued or bare:
                introduced.append(item)
            previous_introduced = cued
        # A place named without a locative word is a topic or a party ("اتفاق أنقرة وواشنطن"),
        # not where something happened.
        return introduced

    def _mention_start(self, i: int, entity: Entity) -> int:
        """Where the mention starting at token i begins: the stem, unless the recogniser read
        a letter the segmenter took for a clitic as part of the name (كابل is not ك + ابل)."""
        token = self.tokens[i]
        return next((m.start for m in entity.mentions if token.start <= m.start < token.stem_start), token.stem_start)

    def _region(self, item: tuple[Place, Span, int]) -> tuple[Place, Span, int] | None:
        """"في شمال العراق", "جنوب شرقي تركيا": a direction word before a country or province
        names a region of it; the gazetteer's region when it has one (the recogniser reads
        the direction word as a cue and the name as the whole country)."""
        place, span, i = item
        k = i
        while k > 0 and i - k < 2 and self.tokens[k - 1].norm in _qualifier_norms() and self.tokens[k - 1].is_word:
            k -= 1
        if k == i:
            return None
        words = [self.tokens[j].stem if j == k else self.tokens[j].text for j in range(k, i)]
        name = self.doc.text[self.tokens[i].stem_start : span.end]
        for phrase in (" ".join(words), " ".join(w[:-1] if w.endswith("ي") else w for w in words)):
            found = [r for r in default_gazetteer().candidates(f"{phrase} {name}")
                     if r.feature == "region" and r.country == place.country]
            if found:
                region = found[0].to_place(f"{phrase} {name}")
                return region, self.doc.span(self.tokens[k].stem_start, span.end), i
        return None

    def _drop_containers(self, places: list[tuple[Place, Span, int]]) -> list[tuple[Place, Span, int]]:
        """"بلدة بيت جن بريف دمشق", "حرستا بالغوطة الشرقية", "خواكورك بناحية سيدكان", "حفطنين
        شمال دهوك": a place written with ب or a direction word right after another place only
        says where that one lies."""
        stops = {self.entities[i][1] for _, _, i in places}
        cues = _place_cue_norms()
        nouns = cues - _qualifier_norms() - _PREPOSITIONS
        kept = []
        for item in places:
            i = item[2]
            token = self.tokens[i]
            before = self.tokens[i - 1] if i > 0 else None
            if "ب" in token.prefixes and i in stops:
                continue
            k = i
            if k > 0 and self.tokens[k - 1].norm in nouns and self.tokens[k - 2].norm in _qualifier_norms():
                k -= 1  # "برقين جنوب غرب مدينة جنين"
            while k > 0 and i - k < 3 and self.tokens[k - 1].norm in _qualifier_norms():
                k -= 1  # "حفطنين شمال دهوك", "جمعية الزهراء شمال غرب حلب"
            if k < i and k in stops:
                continue
            if before is not None and i - 1 in stops and (
                    ("ب" in before.prefixes and before.norm in cues) or (before.norm[:1] == "ب" and before.norm[1:] in cues)):
                continue
            kept.append(item)
        return kept or places

    def _drop_references(self, places: list[tuple[Place, Span, int]]) -> list[tuple[Place, Span, int]]:
        """"في مدينة بعقوبة شمال شرقي بغداد": a town after a direction word only locates the
        town before it. (Applied to tolls only: for other triggers the dev set scored better
        keeping both, because the reference town is often the only one the gazetteer knows.)"""
        plain = [p for p in places if not self._qualified(p[1])]
        return plain or places

    def _corroborated(self, clause: _Clause, main: Hit, rank: int) -> bool:
        """A generic word ("استهدف"، "هجوم"، "مواجهة") makes an event only with something
        violent beside it: a weapon or sub-type cue, a casualty, or an armed actor. ("البرنامج
        يستهدف الأسر", "مواجهته مع زميله" are not events.)"""
        if int(main.entry.get("strength")) > GENERIC_STRENGTH or rank > int(main.entry.get("strength")):
            return True
        if main.entry.get("group") in _SELF_EVIDENT_GROUPS:
            return True
        if any(int(h.entry.get("strength")) > GENERIC_STRENGTH for h in clause.hits):
            return True
        toll = casualties(self.tokens, clause.start, clause.end, self.index)
        if toll.deaths_reported or toll.injured:
            return True
        return any((e.kind or "") in _ACTOR_KINDS and e.kind != "descriptor"
                   for i, (e, _) in self.entities.items() if clause.start <= i < clause.end)

    def _coordinated(self, i: int) -> bool:
        """The place at token i is joined by و to the one before: "بلدروز والمقدادية",
        "في قضاء تلعفر وفي الموصل"."""
        if "و" in self.tokens[i].prefixes:
            return True
        before = self.tokens[i - 1] if i > 0 else None
        if before is None:
            return False
        cues = _place_cue_norms()
        # وفي stays one token (its stem is too short to split): look at the letters.
        return ("و" in before.prefixes and before.norm in cues) or (before.norm[:1] == "و" and before.norm[1:] in cues)

    def _anaphoric_place(self, start: int, end: int) -> bool:
        """A definite locative noun that names no place itself ("في المدينة", "بالبلدة"):
        it points back to the place named before."""
        nouns = _place_cue_norms() - _qualifier_norms() - _PREPOSITIONS
        for k in range(start, end):
            token = self.tokens[k]
            if token.norm in nouns and "ال" in token.prefixes and k not in self.entity_tokens and (
                    k + 1 >= end or k + 1 not in self.entities):
                return True
        return False

    def _names_a_place(self, start: int, end: int) -> bool:
        """The clause has a locative noun ("في منطقة الشعب") for a place we could not geocode:
        it is somewhere else than the other places of the sentence."""
        nouns = _place_cue_norms() - _qualifier_norms() - _PREPOSITIONS
        return any(self.tokens[k].norm in nouns for k in range(start, end))

    def _names_unknown_place(self, start: int, end: int) -> bool:
        """"في مزرعة المشهور", "بقرية X": a unit word (name_cues.tsv) in construct with a word
        that is no known name, after في or ب: a place the gazetteer lacks."""
        units = _unit_norms()
        for k in range(start, end - 1):
            token, name = self.tokens[k], self.tokens[k + 1]
            if token.norm not in units or "ال" in token.prefixes or not name.is_word or k + 1 in self.entity_tokens:
                continue
            if "ب" in token.prefixes or (k > 0 and self.tokens[k - 1].norm == "في"):
                return True
        return False

    def _cited(self, sentence: int) -> list[Attribution]:
        """The sentence's attributions; without any, the latest one earlier in the article (a
        report goes on after "قالت الوزارة إن ...", over paragraphs too, without repeating who
        says it: on the dev set, sources recall 0.49 -> 0.58 against the paragraph alone)."""
        own = self.by_sentence.get(sentence)
        if own:
            return list(own)
        for k in range(sentence - 1, -1, -1):
            if self.by_sentence.get(k):  # what its latest cue cited: an outlet, and who told it
                latest = self.by_sentence[k]
                return [a for a in latest if a.cue_span == latest[-1].cue_span]
        return []

    def _is_source(self, i: int) -> bool:
        """The entity at token i is cited as a source ("قالت الحكومة"), not acting."""
        return self.tokens[i].stem_start in self.source_starts

    def _is_common_word(self, i: int, stop: int) -> bool:
        """A one-word "place" that is a direction or locative noun (غرب، شرقي، البلاد): a
        recogniser's slip, never an event location."""
        return stop - i == 1 and (self.tokens[i].norm in _place_cue_norms() or self.tokens[i].norm in _qualifier_norms())

    def _country_at(self, i: int) -> bool:
        ent = self.entities.get(i)
        return bool(ent and ent[0].place is not None and ent[0].place.feature == "country")

    def _introduced(self, i: int) -> bool:
        cues = _place_cue_norms()
        if "ب" in self.tokens[i].prefixes:
            return True  # ببغداد، بحلب
        if self.tokens[i].norm in cues and not self._country_at(i):
            return True  # a name that is itself locative: منفذ الطوال، مطار كويرس (not جنوب أفريقيا)
        k = i - 1
        while k >= 0 and not self.tokens[k].is_word and self.tokens[k].text in "()«»\"“”":
            k -= 1
        if k < 0:
            return False
        norm = self.tokens[k].norm
        # بحي، بمدينة: the tokenizer keeps short stems whole, so strip the preposition here.
        return norm in cues or (len(norm) > 2 and norm[0] in "بول" and norm[1:] in cues)

    # -- clauses --

    def run(self) -> list[Event]:
        candidates: list[_Candidate] = []
        for number, sentence in enumerate(self.doc.sentences):
            candidates.extend(self._sentence(number, sentence.token_start, sentence.token_end))
        self._incident_places(candidates)
        _told_just_before(candidates)
        return _assemble(candidates, self.doc)

    def _incident_places(self, candidates: list[_Candidate]) -> None:
        """"قتلوا في إقليم شرناق ... إثر انفجار قنبلة" then "أن الحادث وقع في مدينة سيلوبي": a
        sentence that says where the incident took place gives the event told just before it,
        placed only in a region holding that place, its precise place."""
        for hit in matcher(INCIDENT_PLACES).scan(self.tokens, 0, len(self.tokens), self.index.positions(INCIDENT_PLACES)):
            number = self._sentence_of(hit.start)
            places = self._places(hit.end, min(self.sentence_ends[number], hit.end + GENERIC_REACH))
            if not places:
                continue
            where, span, _ = places[0]
            earlier = [c for c in candidates if c.place is not None and c.sentence < number
                       and number - c.sentence <= NEARBY_SENTENCES and not c.headline]
            if not earlier:
                continue
            latest = max(earlier, key=lambda c: c.sentence)
            if latest.place is not None and _contains(latest.place, where) and where.geo_precision == 1:
                latest.place, latest.place_span, latest.place_direct = where, span, True
                latest.attributions.extend(a for a in self.by_sentence.get(number, ()) if a not in latest.attributions)

    def _sentence(self, number: int, start: int, end: int) -> list[_Candidate]:
        hits = [h for h in _triggers().scan(self.tokens, start, end, self.index.positions(TRIGGERS))
                if h.start not in self.entity_tokens and h.entry.get("event_type") != NOT_AN_EVENT]
        if not hits:
            return []
        if any(int(h.entry.get("strength")) > WEAK for h in hits):
            hits = [h for h in hits if int(h.entry.get("strength")) > WEAK or h.entry.get("group") == "kill"]
        breaks = self._breaks = _break_positions(self.tokens, start, end)
        clauses = _clauses(hits, number, breaks, self.tokens)
        _set_regions(clauses, start, end, breaks)
        clauses = self._fold_tolls(clauses, start, end, breaks)
        # (a name is no cue: بعقوبة is not ب + عقوبة, "a penalty")
        cues = [c for c in sentence_cues(self.tokens, start, end, self.index.positions(MODALITY))
                if c.start not in self.entity_tokens]
        question = is_question(self.doc.text[self.doc.sentences[number].start : self.doc.sentences[number].end],
                               self.tokens, start, end)
        out: list[_Candidate] = []
        for clause in clauses:
            self._others = [(c.place_start, c.end) for c in clauses if c is not clause]
            out.extend(self._clause(clause, cues, question, start, end))
        return out

    def _fold_tolls(self, clauses: list[_Clause], start: int, end: int, breaks: Sequence[int]) -> list[_Clause]:
        """A casualty clause with no place of its own ("، فيما قتل 12 من عناصره") is the toll of
        the clause before it."""
        kept: list[_Clause] = []
        pending: list[Hit] = []  # a leading toll waits for the clause after it
        for clause in clauses:
            weak = all(int(h.entry.get("strength")) <= WEAK for h in clause.hits)
            if weak and not self._places(clause.start, clause.end):
                if kept:
                    kept[-1].hits.extend(clause.hits)
                else:
                    pending.extend(clause.hits)
                continue
            if pending and any(pending[-1].end <= b < clause.hits[0].start and _tells_earlier(self.tokens, b)
                               for b in breaks):
                # "قتل شرطيين ... ، وذلك في رد على هجوم انتحاري في سوروج": a break between
                # them, the toll is its own report, not the bombing's
                kept.append(_Clause(pending, clause.sentence))
            else:
                clause.hits[:0] = pending
            pending = []
            kept.append(clause)
        if pending:
            kept.append(_Clause(pending, clauses[0].sentence))
        _set_regions(kept, start, end, breaks)
        return kept

    def _clause(self, clause: _Clause, cues: list, question: bool, s_start: int, s_end: int) -> list[_Candidate]:
        main = clause.main
        # a cue before an earlier clause governs that clause: "اقتحم منازل من أجل إجراء اعتقالات،
        # وبعدها اندلعت مواجهات" (the clash is no plan)
        cues = [c for c in cues if c.reach == SENTENCE or c.start >= clause.start]
        modality = modality_at(cues, self.tokens[main.start], main.start, main.entry.get("group"), question,
                               reported=bool(self.by_sentence.get(clause.sentence)))
        if modality == DROP:
            return []
        event_type, sub_type, rank = self._subtype(clause)
        region = (clause.start, clause.end)
        if not self._corroborated(clause, main, rank):
            return []
        places = self._places(clause.place_start, clause.end)
        if not places and clause.place_start > region[0] and self._anaphoric_place(clause.place_start, region[1]):
            places = self._places(*region)  # "... في المدينة": the town named just before
        if not places and int(main.entry.get("strength")) > GENERIC_STRENGTH and not self._names_a_place(*region):
            # the sentence's places, less those another clause of it names ("وتصدت القوات
            # للمحاولتين ... وصعدت قوات التحالف غاراتها ... في محافظة صعدة")
            # (and less those past a clause break: "... وقتل مهاجم، وقال ديمبيلي إن رعايا من
            # جنوب أفريقيا وفرنسا بداخله" names no place of the shooting)
            places = [p for p in self._places(s_start, s_end) if not any(a <= p[2] < b for a, b in self._others)
                      and not any(min(p[2], clause.start) < b <= max(p[2], clause.end - 1) for b in self._breaks)]
        direct = bool(places)
        located = self._drop_containers(places)
        references = frozenset(_place_key(p[0]) for p in places if p not in located)
        places = located
        if all(int(h.entry.get("strength")) <= WEAK for h in clause.hits):
            places = self._drop_references(places)
        places = _finest(places)
        found = self._actors(clause, region, claimed=modality == "claimed", armed=event_type in _ARMED_SIDES,
                             violent=event_type in _UNIDENTIFIED_TYPES)
        actors = _fit_roles(sub_type, _pick_actors(found), [(f[1], f[4]) for f in found if f[2] in _ACTING])
        if (event_type, sub_type) == ("Battles", "Non-state actor overtakes territory") and actors[2]:
            event_type, sub_type = _REGAIN
        if sub_type not in _DATED_FROM_START and self._ongoing(region, main.start):
            return []
        dating = self._date(region, (s_start, s_end), main.start)
        day, precision, explicit, day_span = dating.day, dating.precision, dating.explicit, dating.span
        before = date_mod.reference_before(self.tokens, region[0], main.start)
        own_date = dating.own
        if before and day and not self._dates_the_reference(dating.cue_start, before[1], main.end):
            day = (date.fromisoformat(day) - timedelta(days=before[0])).isoformat()
            # ("الجمعة ... وذلك بعد أربعة أيام على تفجير": a count from a day the sentence names)
            own_date, explicit = explicit, True
        toll = casualties(self.tokens, *region, self.index)
        if toll.killed is not None and toll.killed >= CUMULATIVE_TOLL:
            return []
        victim_tolls = [(value, whose) for value, at in toll.killed_figures
                        if value is not None and (whose := self._victims(at, region[1]))]
        evidence = self._evidence(clause, places)
        anaphoric = ((main.start > 0 and self.tokens[main.start - 1].norm in _DEMONSTRATIVES
                      and not self.tokens[main.start - 1].prefixes)  # (كذلك is "likewise")
                     # "أعلنت حركة الشباب مسؤوليتها عن الهجوم": a claim for the attack told before
                     or (modality == "claimed" and "ال" in self.tokens[main.start].prefixes
                         and main.entry.get("group") in _GENERIC_GROUPS))
        base = dict(
            event_type=event_type, sub_event_type=sub_type, rank=rank, plover=main.entry.get("plover"),
            trigger=main, trigger_text=self.doc.text[self.tokens[main.start].start : self.tokens[main.end - 1].end],
            sentence=clause.sentence, paragraph=self.paragraph[clause.sentence],
            day=day, precision=precision, day_explicit=explicit, day_span=day_span,
            casualties=toll, casualty_span=self._casualty_span(toll), actor1=actors[0], actor2=actors[1],
            actor_spans=actors[3], modality=modality, evidence=evidence,
            attributions=self._cited(clause.sentence), victim_tolls=victim_tolls,
            headline=self.doc.sentences[clause.sentence].start < len(self.doc.title),
            anaphoric=anaphoric, recalls=ANAPHORIC if anaphoric else self._recalls(clause), own_date=own_date,
            references=references,
            recalls_protest=main.entry.get("group") == "protest" and "ال" in self.tokens[main.start].prefixes
            and self.tokens[main.start].norm in _PROTESTERS,
            another=any(t.norm in _ANOTHER for t in self.tokens[main.end : min(main.end + ANOTHER_WINDOW, region[1])]),
        )
        if not places:
            inherited = self._context_place(clause.sentence)
            # "اشتباكات عنيفة ... اندلعت في مزرعة المشهور": a place we cannot geocode, near the
            # town the article is about (ACLED: precision 2)
            unknown = (inherited is not None and int(main.entry.get("strength")) > GENERIC_STRENGTH
                       and not _is_coarse(inherited[0]) and self._names_unknown_place(clause.place_start, region[1]))
            place = _with_precision(inherited[0], True) if unknown else inherited[0] if inherited else None
            if place is None and sub_type in _LOCATED_BY_ACTOR:
                # "تعتقل المخابرات العامة الاردنية منذ يوم الجمعة ...": where the state that arrests
                # is, at country level (ACLED's precision 3), when nothing else places it
                place = _actor_country_place(actors[0])
            return [_Candidate(place=place, place_span=inherited[1] if inherited else None,
                               place_direct=False, context=inherited[2] if inherited else "", unknown_place=unknown,
                               **base)]
        shared = 1 + sum(self._coordinated(p[2]) for p in places[1:])
        if shared > 1 and toll.killed:
            # One toll for a list of places ("مقتل 10 في بلدروز والمقدادية"): ACLED splits it evenly.
            toll = replace(toll, killed=toll.killed // shared)
        base["casualties"] = toll
        out = []
        for place, span, _ in places:
            qualified = self._qualified(span)
            located = _with_precision(place, qualified)
            self.last_place[self.paragraph[clause.sentence]] = (located, span)
            out.append(_Candidate(place=located, place_span=span, place_direct=direct, **base))
        return out

    def _subtype(self, clause: _Clause) -> tuple[str, str, int]:
        main = clause.main
        best = (main.entry.get("event_type"), main.entry.get("sub_event_type"), int(main.entry.get("strength")))
        best_rank = 0
        groups = {main.entry.get("group")}
        for hit in _subtype_cues().scan(self.tokens, clause.start, clause.end, self.index.positions(SUBTYPE_CUES)):
            if hit.start in self.entity_tokens and hit.entry.get("rank") != "5" and not self._in_org(hit.start):
                continue  # (a weapon word inside a force's name counts: "طائرات التحالف الدولي")
            cue_groups = set(hit.entry.get("groups").split(","))
            rank = int(hit.entry.get("rank"))
            if cue_groups & groups and rank > best_rank:
                best_rank = rank
                best = (hit.entry.get("event_type"), hit.entry.get("sub_event_type"), best[2] + rank)
        return best

    def _in_org(self, i: int) -> bool:
        """Token i starts an ORG mention."""
        ent = self.entities.get(i)
        return ent is not None and ent[0].type == "ORG"

    def _context_place(self, sentence: int) -> tuple[Place, Span, str] | None:
        """No place in the sentence: the paragraph's latest event place, the dateline, the headline."""
        paragraph = self.paragraph[sentence]
        if paragraph in self.last_place:
            return (*self.last_place[paragraph], PARAGRAPH)
        for places, origin in ((self.dateline_places, DATELINE), (self.headline_places, HEADLINE)):
            finest = _finest(places)
            if origin == DATELINE and finest and finest[0][0].feature == "country":
                continue  # a byline country ("إسرائيل") locates no event
            if finest:
                return finest[0][0], finest[0][1], origin
        return None

    def _qualified(self, span: Span) -> bool:
        """"قرب بغداد", "شمال حلب": the event is near or in part of the place."""
        i = token_index(self.tokens, span.start, self.starts)
        words = _qualifier_norms()
        for k in range(max(0, i - 3), i):
            token = self.tokens[k]
            if token.norm in words and token.is_word:
                return True
        return False

    def _date(self, region: tuple[int, int], sentence: tuple[int, int], anchor: int) -> _Dating:
        """The event's date expression nearest its trigger; else the latest event date of the
        article so far (narration goes on about the same day; tried per paragraph, or within a
        few sentences, that did worse on the dev set) unless it is later than the date of the
        statement reporting the event; else that statement's date ("أفاد المرصد أمس
        بسيطرة..."); else the publication date."""
        published = date_mod.parse_iso(self.doc.published)
        if published is None:
            return _Dating(None, None)
        own = self._event_date(region, anchor, published)
        cue = own or self._event_date(sentence, anchor, published)
        if cue is None:
            said = self._statement_dates(anchor, published)
            # "وقالت تركيا يوم السبت إن ... مقتل 32 شخصا في سروج": what a statement of Saturday
            # reports happened by Saturday, whatever day ("أمس") an earlier sentence told
            if self.carry is not None and not (said and self.carry[0] > said[0].day.isoformat()):
                return _Dating(*self.carry)
            if said:
                return _Dating(said[0].day.isoformat(), said[0].precision)
            return _Dating(published.isoformat(), date_mod.DAY)
        first, last = self.tokens[cue.start], self.tokens[cue.end - 1]
        self.carry = (cue.day.isoformat(), cue.precision)
        return _Dating(cue.day.isoformat(), cue.precision, True, self.doc.span(first.start, last.end), cue.start,
                       own is not None)

    def _dates_the_reference(self, cue: int | None, phrase: int, trigger_end: int) -> bool:
        """The date expression at token `cue` is the known event's own, told after it in one
        stretch ("بعد ثلاثة أيام على الهجوم الانتحاري الذي أوقع 32 قتيلاً ... قبيل ظهر
        الاثنين": the attack was on Monday, not three days before), not the date of the
        sentence the reference phrase at `phrase` counts from ("وغداة الهجوم، أقيمت صلاة
        الميت أمس الثلاثاء"), nor that of another clause ("غداة قصف جوي ... ردا على مقتل شرطيين
        الأسبوع الماضي")."""
        if cue is None or cue < phrase:
            return False
        return cue >= trigger_end and not any(t.text in COMMAS for t in self.tokens[trigger_end:cue]) and not any(
            trigger_end <= b < cue for b in self._breaks)

    def _recalls(self, clause: _Clause) -> str:
        """How the clause is introduced as an event known before, not as news: its first
        trigger comes after words that put it before the sentence's time ("في أعقاب الهجوم":
        AFTER; "ردا على الهجوم": RESPONSE; "بعد وقت قصير على مقتل 32 شخصا": INTERVAL), or is
        followed by a relative clause telling what that event did ("التفجير الذي شهدته مدينة
        سروج": RELATIVE) (reference_cues.tsv); else ""."""
        first = clause.hits[0]
        return self._after_reference(first.start, clause.start) or (
            RELATIVE if self._relative_reference(first, clause) else "")

    def _after_reference(self, i: int, start: int) -> str:
        """AFTER or RESPONSE: "بعد الهجوم", "ردا على التفجير" before the definite trigger at
        token i; INTERVAL: "بعد وقت قصير على", "بعد يومين من" before any trigger; else ""."""
        if "ال" in self.tokens[i].prefixes:
            for k in range(max(start, i - 3), i):
                hit = _reference_cues().match_at(self.tokens, k, i)
                if hit is not None and hit.end == i and hit.entry.get("kind") in (AFTER, RESPONSE):
                    return hit.entry.get("kind")
        if i - 1 < start or self._reference_cue(i - 1, i) != "gap":
            return ""
        after = any(self._reference_cue(k, i - 1) in (AFTER, RESPONSE)
                    for k in range(max(start, i - 2 - REFERENCE_GAP), i - 2))
        return INTERVAL if after else ""

    def _relative_reference(self, hit: Hit, clause: _Clause) -> bool:
        """A trigger, a relative pronoun a few words on, and a verb of what a known event did:
        "التفجير في بلدة سروج، جنوب شرقي البلاد، والذي خلف أكثر من ثلاثين قتيلاً". The trigger
        is definite, or the pronoun takes و, which resumes the head of the phrase before it
        ("تفجير بلدة سروج والذي أسفر عن مقتل 32 شخصًا"); else الذي may describe a place
        ("هجوم على المركز الذي ..."). Or the trigger is the toll such a clause tells
        ("الاعتداء الذي أوقع 32 قتيلاً")."""
        definite = "ال" in self.tokens[hit.start].prefixes
        end = self.sentence_ends[clause.sentence]
        for k in range(hit.end, min(hit.end + REFERENCE_REACH, clause.end, end - 1)):
            if self._reference_cue(k, k + 1) == "relative":
                return (definite or "و" in self.tokens[k].prefixes) and self._reference_cue(k + 1, end) == "recall"
        for k in range(max(clause.start, hit.start - REFERENCE_GAP - 2), hit.start - 1):
            if self._reference_cue(k, k + 1) == "relative" and self._reference_cue(k + 1, hit.start) == "recall":
                return True
        return False

    def _reference_cue(self, i: int, end: int) -> str | None:
        """The kind of the reference_cues.tsv phrase at token i (ending by `end`), or None."""
        hit = _reference_cues().match_at(self.tokens, i, end)
        return hit.entry.get("kind") if hit is not None else None

    def _ongoing(self, region: tuple[int, int], anchor: int) -> bool:
        """"التي تشهد اشتباكات بين الشرطة والمسلحين منذ الأسبوع الماضي": fighting told as going
        on since a day is a background description, not an event of that day."""
        published = date_mod.parse_iso(self.doc.published)
        if published is None:
            return False
        cue = self._event_date(region, anchor, published)
        return cue is not None and cue.kind == date_mod.SINCE and cue.start > anchor

    def _event_date(self, span: tuple[int, int], anchor: int, published: date) -> date_mod.DateCue | None:
        """Dates in tokens[span] that date the event, not the statement ("قال البيان اليوم")."""
        cues = [c for c in self._sentence_dates(anchor, published) if span[0] <= c.start and c.end <= span[1]]
        if not cues:
            return None
        return date_mod.nearest(cues, anchor)

    def _sentence_of(self, token: int) -> int:
        return bisect_left(self.sentence_ends, token + 1)

    def _dates_of(self, anchor: int, published: date) -> tuple[list[date_mod.DateCue], list[date_mod.DateCue]]:
        """(event dates, statement dates) of the sentence holding token `anchor`, computed once."""
        sentence = self.doc.sentences[self._sentence_of(anchor)]
        key = (sentence.token_start, sentence.token_end)
        if key not in self._dates_cache:
            said = [end for _, end in reporting_cues(self.tokens, *key, self.index.positions(REPORTING))]
            events: list[date_mod.DateCue] = []
            statements: list[date_mod.DateCue] = []
            for c in date_mod.find_dates(self.tokens, *key, published, self.date_candidates):
                is_statement = any(0 <= c.start - end <= STATEMENT_DATE_GAP for end in said)
                (statements if is_statement else events).append(c)
            self._dates_cache[key] = (events, statements)
        return self._dates_cache[key]

    def _sentence_dates(self, anchor: int, published: date) -> list[date_mod.DateCue]:
        return self._dates_of(anchor, published)[0]

    def _statement_dates(self, anchor: int, published: date) -> list[date_mod.DateCue]:
        return self._dates_of(anchor, published)[1]

    def _casualty_span(self, toll: Casualties) -> Span | None:
        spans = toll.killed_spans or toll.injured_spans
        if not spans:
            return None
        a, b = spans[0]
        return self.doc.span(self.tokens[a].start, self.tokens[b - 1].end)

    def _evidence(self, clause: _Clause, places: list[tuple[Place, Span, int]]) -> Span:
        start = min(self.tokens[h.start].start for h in clause.hits)
        end = max(self.tokens[h.end - 1].end for h in clause.hits)
        for _, span, _ in places:
            start, end = min(start, span.start), max(end, span.end)
        return self.doc.span(start, end)

    def _actors(self, clause: _Clause, region: tuple[int, int], *, claimed: bool = False,
                armed: bool = False, violent: bool = False) -> list[tuple[int, str, str, bool, Span]]:
        """The parties the clause names, as (token, name, role, state force, span), for `_pick_actors`.
        In a claim ("أعلنت حركة طالبان مسؤوليتها عن التفجير") the party cited is the one who
        acted; in `violent` events, so is the party blamed ("نسبته الحكومة إلى التنظيم")."""
        found: list[tuple[int, str, str, bool, Span]] = []  # (token, name, role, state, span)
        cues = _RoleCues()
        after = region[0]
        for i in self._actor_candidates(*region):
            if i < after:
                continue
            ent = self.entities.get(i)
            if ent and ent[0].type != LOC:
                entity, stop = ent
                source = self._is_source(i)
                state = (entity.kind or "") in _STATE_KINDS
                if cues.blamed and state:
                    after = stop  # the authority that lays the blame is no party to the event
                    continue
                if (entity.kind or "") in _ACTOR_KINDS and (claimed or not source):
                    span = self.doc.span(self.tokens[i].stem_start, self.tokens[stop - 1].end)
                    found.append((i, _actor_name(entity), cues.role(i, agent=claimed and source), state, span))
                cues.agent = cues.target = False
                after = stop
                continue
            hit = _generic_actors().match_at(self.tokens, i, region[1])
            if hit:
                role = hit.entry.get("role")
                if role == ANAPHOR:  # (definite only: "بحركة" names a movement yet to be told)
                    antecedent = self._antecedent(i) if "ال" in self.tokens[i].prefixes else None
                    if antecedent is not None:
                        span = self.doc.span(self.tokens[i].stem_start, self.tokens[hit.end - 1].end)
                        found.append((i, _actor_name(antecedent), cues.role(i),
                                      (antecedent.kind or "") in _STATE_KINDS, span))
                elif role in ("actor", "victim") or (role == CASUALTY and self._counted(i, hit.end)):
                    span = self.doc.span(self.tokens[i].stem_start, self.tokens[hit.end - 1].end)
                    role = "victim" if role == CASUALTY else role
                    found.append((i, hit.entry.get("actor"), cues.role(i, role, marked_target=False), False, span))
                elif role == TARGET_VERB:
                    cues.target = True
                    cues.subject_at = hit.end if self._heads_clause(i, clause.sentence) else -1
                else:
                    cues.mark(role, violent)
                after = hit.end
        sides = [f for f in found if not f[1].startswith(_UNARMED)]
        if armed and len({f[1] for f in sides}) >= 2:
            found = sides  # a battle between two armed parties: the civilians killed in it are no side
        return found

    def _antecedent(self, i: int) -> Entity | None:
        """The party "التنظيم" or "الحركة" at token `i` refers to: the latest actor named before
        it one of whose names starts with that word (تنظيم داعش, حركة طالبان)."""
        head = self.tokens[i].norm
        for j in reversed(self._entity_starts[: bisect_left(self._entity_starts, i)]):
            entity = self.entities[j][0]
            if entity.type != LOC and (entity.kind or "") in _ACTOR_KINDS and head in _name_heads(entity.kb_id, entity.text):
                return entity
        return None

    def _heads_clause(self, i: int, sentence: int) -> bool:
        """The verb at token `i` opens its clause (clause_heads.tsv): its subject comes after it."""
        token = self.tokens[i]
        if i <= self.doc.sentences[sentence].token_start or "و" in token.prefixes or "ف" in token.prefixes:
            return True
        before = self.tokens[i - 1]
        return not before.is_word or normalize(before.text) in _clause_heads()

    def _counted(self, start: int, end: int) -> bool:
        """The phrase at tokens [start, end) is counted among the dead or wounded: a casualty
        word a few tokens before it ("مقتل 3 جنود", "قتلوا اثنين من جنوده") or right after it
        ("5 جنود قتلوا"); "أحد الجنود أطلق النار" counts no victim."""
        positions = self.index.positions(CASUALTY_CUES)
        k = bisect_left(positions, start - COUNTED_BEFORE)
        while k < len(positions) and positions[k] < end + COUNTED_AFTER:
            p = positions[k]
            if not start <= p < end and casualty_kind(self.tokens, p, len(self.tokens)) in COUNTED_KINDS:
                return True
            k += 1
        return False

    def _victims(self, start: int, end: int) -> str | None:
        """Whose dead a figure counts: the party named right after it ("تسعة من قوات النظام",
        "ثمانية عشر حوثياً", "اربعة قتلى سقطوا في صفوف المقاومة")."""
        for i in range(start, min(end, start + VICTIM_WINDOW)):
            ent = self.entities.get(i)
            if ent and ent[0].type != LOC:
                return _actor_name(ent[0]) if (ent[0].kind or "") in _ACTOR_KINDS else None
            hit = _generic_actors().match_at(self.tokens, i, end)
            if hit and hit.entry.get("role") == "actor":
                return hit.entry.get("actor")
        return None

    def _actor_candidates(self, start: int, end: int) -> list[int]:
        """Token indices in [start, end) where an entity or a generic actor phrase starts."""
        generic = self.index.positions(GENERIC_ACTORS)
        lo, hi = bisect_left(generic, start), bisect_left(generic, end)
        return sorted({i for i in self.entities if start <= i < end} | set(generic[lo:hi]))


def _pick_actors(found: list[tuple[int, str, str, bool, Span]]) -> tuple[str | None, str | None, bool, dict[str, Span]]:
    """actor1: an agent ("بأيدي مستوطنين"), else the first acting party; actor2: a target
    ("ضد داعش"), a victim (مدنيين) or the next party."""
    acting = sorted((f for f in found if f[2] in _ACTING), key=lambda f: (f[2] != "agent", f[0]))
    first = acting[0] if acting else None
    rest = sorted((f for f in found if f is not first and (first is None or f[1] != first[1])),
                  key=lambda f: (f[2] not in ("target", "victim"), f[0]))
    second = rest[0] if rest else None
    spans = {name: f[4] for name, f in (("actor1", first), ("actor2", second)) if f is not None}
    return (first[1] if first else None, second[1] if second else None, bool(first and first[3]), spans)


def _actor_name(entity: Entity) -> str:
    """The KB's ACLED actor label when there is one, else the English name."""
    if entity.kb_id:
        from rasd.analyze.kb import default_kb

        entry = default_kb().get(entity.kb_id)
        if entry is not None and entry.acled:
            return entry.acled
    return entity.name_en or entity.text


@lru_cache(maxsize=1)
def _break_words() -> tuple[tuple[tuple[str, ...], str], ...]:
    """clause_breaks.tsv forms as tuples of written words (normalised, clitics kept), each
    with its `links` cell."""
    return tuple((words, row.get("links", "")) for row in read_rows("clause_breaks")
                 for form in row["form"].split("|") if (words := tuple(normalize(w) for w in form.split())))


@lru_cache(maxsize=1)
def _break_forms() -> dict[str, list[tuple[str, ...]]]:
    """The break forms by first word."""
    forms: dict[str, list[tuple[str, ...]]] = {}
    for words, _ in _break_words():
        forms.setdefault(words[0], []).append(words)
    return forms


@lru_cache(maxsize=1)
def _earlier_breaks() -> frozenset[tuple[str, ...]]:
    """Break forms after which an earlier event is told (links=earlier)."""
    return frozenset(words for words, links in _break_words() if links == "earlier")


def _tells_earlier(tokens: Sequence[Token], at: int) -> bool:
    """The clause break at token `at` introduces an earlier event ("ردا على", "عقب")."""
    earlier = _earlier_breaks()
    written = tuple(normalize(t.text) for t in tokens[at : at + max(map(len, earlier), default=0)])
    return any(written[: len(form)] == form for form in earlier)


@lru_cache(maxsize=1)
def _break_norms() -> frozenset[str]:
    """Token norms a break's first word can have (a cheap test before normalising the word)."""
    norms: set[str] = set()
    for first in _break_forms():
        norms.update(t.norm for t in tokenize(first))
        norms.update({first, first[1:]})
    return frozenset(norms)


def _break_positions(tokens: Sequence[Token], start: int, end: int) -> list[int]:
    """Token indices in [start, end) where a clause break (clause_breaks.tsv) begins."""
    forms = _break_forms()
    maybe = _break_norms()
    found: list[int] = []
    for k in range(start, end):
        if tokens[k].norm not in maybe:
            continue
        candidates = forms.get(normalize(tokens[k].text))
        if candidates and any(
            k + len(f) <= end and all(normalize(tokens[k + j].text) == w for j, w in enumerate(f[1:], 1))
            for f in candidates
        ):
            found.append(k)
    return found


def _clauses(hits: list[Hit], sentence: int, breaks: Sequence[int], tokens: Sequence[Token]) -> list[_Clause]:
    """Group a sentence's triggers: each specific trigger opens a clause ("قصفت ... جرود
    القلمون، كما قصفت ... بيت جن" is two strikes); generic and casualty words, and a specific
    word right after another ("شن غارات جوية"), join the clause they stand in."""
    clauses: list[_Clause] = []
    for hit in hits:
        strength = int(hit.entry.get("strength"))
        current = clauses[-1] if clauses else None
        if current is None or any(current.hits[-1].end <= b < hit.start for b in breaks):
            clauses.append(_Clause([hit], sentence))
        elif strength <= GENERIC_STRENGTH or _adjacent(current, hit, tokens):
            current.hits.append(hit)
        elif all(int(h.entry.get("strength")) <= GENERIC_STRENGTH for h in current.hits):
            current.hits.append(hit)  # "مقتل عشرة ... بضربة جوية": the specific word decides
        else:
            clauses.append(_Clause([hit], sentence))
    return clauses


def _set_regions(clauses: list[_Clause], start: int, end: int, breaks: Sequence[int] = ()) -> None:
    """Each clause reaches from the previous clause's last trigger to the next one's first,
    and no further than the clause breaks around it ("قصفت ... جرود القلمون، فيما قضى رجل
    ... في حرستا": حرستا is not where the shelling was)."""
    for k, clause in enumerate(clauses):
        first, last = clause.hits[0].start, clause.hits[-1].end
        clause.start = clauses[k - 1].hits[-1].end if k else start
        clause.end = clauses[k + 1].hits[0].start if k + 1 < len(clauses) else end
        clause.start = max([clause.start] + [b for b in breaks if b <= first])
        clause.end = min([clause.end] + [b for b in breaks if b >= last])
        # A place between two triggers with no break between them follows the first one
        # ("دارت اشتباكات على أطراف حي الخالدية ..، ترافق مع قصف متبادل"): the later
        # trigger's own places start at the trigger.
        clause.place_start = first if k and clause.start < first and not any(
            clauses[k - 1].hits[-1].end <= b < first for b in breaks) else clause.start


def _adjacent(clause: _Clause, hit: Hit, tokens: Sequence[Token]) -> bool:
    """A specific trigger right after the clause's last specific one: "انفجار سيارتين مفخختين"."""
    strong = [h for h in clause.hits if int(h.entry.get("strength")) > GENERIC_STRENGTH]
    # a word whose sub-type is only a default reaches further back: "سيارة مفخخة مركونة على
    # جانب الطريق انفجرت" is one explosion
    reach = GENERIC_REACH if hit.entry.get("group") in _GENERIC_GROUPS else ADJACENT_TOKENS
    # and never across a comma: "لإجراء اعتقالات، وبعدها اندلعت مواجهات" is two actions
    return bool(strong) and hit.start - strong[-1].end <= reach and not any(
        t.text in COMMAS for t in tokens[strong[-1].end : hit.start])


def _finest(places: list[tuple[Place, Span, int]]) -> list[tuple[Place, Span, int]]:
    """The most precise places, one per cluster of nearby places (first mentioned wins)."""
    if not places:
        return []
    fine = [p for p in places if not _is_coarse(p[0])]
    fine = [p for p in fine if not _contains_finer(p[0], fine)]
    pool = fine or places
    if not fine:
        level = min(_coarse_level(p[0]) for p in pool)
        pool = [p for p in pool if _coarse_level(p[0]) == level]
    kept: list[tuple[Place, Span, int]] = []
    for candidate in pool:
        if not any(_same_location(candidate[0], k[0]) for k in kept):
            kept.append(candidate)
    return kept


def _contains_finer(place: Place, others: list[tuple[Place, Span, int]]) -> bool:
    """A city named beside one of its quarters or landmarks ("حي الدمينة بمنطقة دار سعد ...
    عدن"): the quarter is the more precise location."""
    if place.feature != "city":
        return False
    return any(o[0].feature in _FINER_FEATURES and _km(place, o[0]) <= CITY_RADIUS_KM for o in others)


def _same_location(a: Place, b: Place) -> bool:
    """One place named twice, or a city and a quarter or landmark inside it. Two towns are two
    places however close (تلبيسة and الغنطو, 3 km apart, are two events)."""
    if (a.place_id and a.place_id == b.place_id) or a.name == b.name:
        return True
    if not (_quarter(a) or _quarter(b)):
        return False
    if _quarter(a) and _quarter(b):
        return False  # two named quarters (البياع، الشرطة الرابعة) are two places
    return "city" in (a.feature, b.feature) and _km(a, b) <= CITY_RADIUS_KM


def _quarter(place: Place) -> bool:
    """A quarter or landmark, which may lie inside a town; a Yemeni district (مديرية صرواح,
    an administrative area named after its seat) lies beside the towns around it."""
    return place.feature in _FINER_FEATURES and not (place.place_id or "").startswith(_ADMIN_DISTRICT_IDS)


def _coarse_level(place: Place) -> int:
    return 2 if place.feature == "country" else 1


def _with_precision(place: Place, qualified: bool) -> Place:
    precision = 3 if _is_coarse(place) else (2 if qualified else 1)
    return Place(**{**{k: getattr(place, k) for k in Place.__dataclass_fields__}, "geo_precision": precision})


# ---- assembly --------------------------------------------------------------------------------


def _happened(candidate: _Candidate) -> bool:
    return candidate.modality in HAPPENED_MODALITIES


def _same_event(event: _Candidate, other: _Candidate) -> bool:
    if event.event_type != other.event_type or event.place is None or other.place is None:
        return False
    if event.sub_event_type != other.sub_event_type and _specific(event) and _specific(other):
        return False  # shelling and air strikes on one town the same day are two events
    if not _dates_agree(event, other):
        return False
    if _is_coarse(other.place) and not _is_coarse(event.place):
        # A country or province named by a summary (the headline, "in Syria") is the event
        # at a town in it; a region a body clause names ("جرود القلمون") is an event of its own.
        summary = (other.place.feature == "country" or other.headline or not other.place_direct
                   or 0 < abs(other.sentence - event.sentence) <= NEARBY_SENTENCES)
        return summary and other.place.country == event.place.country and (
            other.place.feature == "country" or other.place.admin1 == event.place.admin1)
    if (event.another or other.another) and not _same_location(event.place, other.place):
        return False  # "كما تصدت المقاومة لهجمات أخرى ... بجبهة صرواح": not the clash told before
    if _near_the_reference(event, other) or _near_the_reference(other, event):
        return True
    if (event.sentence == other.sentence and event.actor1 and other.actor1 and event.actor1 != other.actor1
            and UNIDENTIFIED not in (event.actor1, other.actor1)):
        return False  # "استأنفت الفصائل استهداف الفوعة بالقصف، بينما نفذ الطيران السوري غارات": two pairs of actors
    if _district_and_town(event, other) or _district_and_town(other, event):
        return True
    if _is_coarse(event.place) and _is_coarse(other.place):
        return (event.place.place_id or event.place.name) == (other.place.place_id or other.place.name)
    if _is_coarse(event.place):
        return False
    if (event.headline or other.headline) and _km(event.place, other.place) <= CITY_RADIUS_KM:
        return True  # a headline names the town or district around the body's village
    if (2 in (event.place.geo_precision, other.place.geo_precision) and _km(event.place, other.place) <= CITY_RADIUS_KM
            and not {event.place.feature, other.place.feature} & _FINER_FEATURES
            and event.sub_event_type == other.sub_event_type
            and abs(event.sentence - other.sentence) <= NEARBY_SENTENCES):
        return True  # "قرب مدينة جنين" then "في قرية برقين جنوب غرب مدينة جنين": one event
    if (abs(event.sentence - other.sentence) == 1 and event.sub_event_type == other.sub_event_type
            and _km(event.place, other.place) <= NEIGHBOUR_TOWN_KM
            and not (event.casualties.killed and other.casualties.killed)):
        return True  # "اشتباكات ... في مدينة الضالع" then "وأوضح أن مواجهات اندلعت ... في منطقة سناح"
    return _same_location(event.place, other.place)


def _near_the_reference(vague: _Candidate, precise: _Candidate) -> bool:
    """"قتل 21 مسلحا في معارك شمال شرقي بعقوبة وقالت مصادر إن القوات اشتبكت ... في ناحية كفري
    ... شمال شرقي بعقوبة": an event placed only near a town, beside one in the same or next
    sentence whose place is said to lie near that town, is that event."""
    return (vague.place is not None and vague.place.geo_precision == 2 and precise.place_direct
            and abs(vague.sentence - precise.sentence) <= 1 and _place_key(vague.place) in precise.references)


def _place_key(place: Place) -> str:
    return place.place_id or place.name or ""


def _specific(candidate: _Candidate) -> bool:
    """The mention's sub-type is stated (a specific trigger or a weapon cue), not a default."""
    return (candidate.trigger.entry.get("group") not in _GENERIC_GROUPS
            or candidate.rank > int(candidate.trigger.entry.get("strength")))


def _district_and_town(broad: _Candidate, fine: _Candidate) -> bool:
    """A district named in the headline or a sentence beside one naming a village of it
    ("اشتباكات ... في مديرية أرحب" then "اندلعت في قرية الجنادبة"): one event, told broadly
    then precisely."""
    a, b = broad.place, fine.place
    if a is None or b is None or a.feature != "district" or b.feature == "district" or _is_coarse(b):
        return False
    told_twice = broad.headline or 0 < abs(broad.sentence - fine.sentence) <= NEARBY_SENTENCES
    return told_twice and a.admin1 == b.admin1 and a.country == b.country and _km(a, b) <= HEADLINE_RADIUS_KM


def _assemble(candidates: list[_Candidate], doc: Doc) -> list[Event]:
    # (an anaphoric mention needs no place: "أعلنت طالبان مسؤوليتها عن هذا التفجير")
    kept = [c for c in candidates if (c.place is not None or c.anaphoric) and _recent(c, doc)]
    groups: list[list[_Candidate]] = []
    # Mentions that name their place first, precise ones before coarse ones, so that a
    # headline's "in Syria" joins the town-level event.
    # (and mentions that recall an event after the events they may recall)
    for candidate in sorted(kept, key=lambda c: (c.place is None, c.anaphoric, _weak(c), not c.place_direct,
                                                 c.place is not None and _is_coarse(c.place), c.sentence)):
        # of several events it could be, the one of its own sub-type told nearest to it
        group = _same_toll_group(groups, candidate) if candidate.place is not None and _weak(candidate) else None
        group = group if group is not None or candidate.place is None else min(
            (g for g in groups if _same_event(g[0], candidate)), default=None,
            key=lambda g: (g[0].sub_event_type != candidate.sub_event_type,
                           min(abs(c.sentence - candidate.sentence) for c in g)))
        if group is None and candidate.place is None:
            group = _anaphora_group(groups, candidate)
            if group is not None:
                candidate.place = group[0].place  # (the place of the event it recalls)
                group.append(candidate)
            continue
        if group is None and _weak(candidate):
            # "مقتل 24 عراقياً في بعقوبة": a toll alone is part of what happened there.
            group = min((g for g in groups if _same_place(g[0], candidate)), default=None,
                        key=lambda g: min(abs(c.sentence - candidate.sentence) for c in g))
        if group is None and candidate.anaphoric:
            group = _anaphora_group(groups, candidate)
        if group is None and candidate.recalls_protest:
            # "اندلعت مواجهات بين قوات الأمن ومتظاهرين في غازي عثمان باشا. واستخدم الأمن القنابل
            # لتفريق المتظاهرين الذين احتجوا على العمليات ... في شمال العراق": the same protest
            group = max((g for g in groups if g[0].event_type in _PROTEST_TYPES
                         and 0 <= candidate.sentence - max(c.sentence for c in g) <= NEARBY_SENTENCES),
                        default=None, key=lambda g: max(c.sentence for c in g))
        if group is None and not candidate.place_direct and candidate.context != PARAGRAPH:
            # (a place carried over from the paragraph's latest event is where this one is:
            # "استمرار الاشتباكات ... في المدينة" after "قصفها لمناطق في مدينة الزبداني")
            group = _context_group(groups, candidate)
        if group is not None:
            group.append(candidate)
        elif candidate.place_direct or candidate.unknown_place or (not _weak(candidate) and candidate.context != HEADLINE):
            groups.append([candidate])
    groups = _fold_clashes_into_riots(_drop_country_level(_fold_headline_groups(groups)))
    _carry_actors(groups, candidates)
    events = [_merge(group) for group in groups if any(_happened(c) for c in group)]
    events.sort(key=lambda e: e.evidence.start)
    _link(events, doc)
    return events


def _same_toll_group(groups: list[list[_Candidate]], candidate: _Candidate) -> list[_Candidate] | None:
    """The event at the same place that a sentence beside a toll alone tells, with its sub-type
    stated and the same dead ("كشف العميد عن مقتل 42 من عناصر داعش بالقرب من بوابة الموصل. وقال
    إن سيارة مفخخة انفجرت ... ما أسفر عن مقتل 42 منهم"): the same deaths, not a clash, which is
    only what a toll alone defaults to."""
    killed = candidate.casualties.killed
    if not killed or killed < SAME_TOLL_MIN:
        return None
    return min((g for g in groups if _same_place(g[0], candidate) and any(
        c.casualties.killed == killed and abs(c.sentence - candidate.sentence) <= 1 and _specific(c)
        and c.sub_event_type != candidate.sub_event_type for c in g)),
        default=None, key=lambda g: min(abs(c.sentence - candidate.sentence) for c in g))


def _anaphora_group(groups: list[list[_Candidate]], candidate: _Candidate) -> list[_Candidate] | None:
    """"وتأتي تلك الغارات مع ... بمأرب": the strikes told before, wherever this sentence puts
    them."""
    generic = candidate.trigger.entry.get("group") in _GENERIC_GROUPS  # "الهجوم" may be any attack
    return max((g for g in groups if (g[0].event_type == candidate.event_type
                                      or (generic and g[0].event_type not in _PROTEST_TYPES))
                and min(c.sentence for c in g) < candidate.sentence
                and any(_happened(c) for c in g)), default=None,  # (not a plan told before)
               key=lambda g: max(c.sentence for c in g if c.sentence < candidate.sentence))


def _fold_clashes_into_riots(groups: list[list[_Candidate]]) -> list[list[_Candidate]]:
    """"قتل شاب برصاص الجيش خلال مواجهات في قرية برقين" beside "اندلعت مواجهات بين شبان
    فلسطينيين وقوات الجيش" (a riot, by its cue): clashes told with no armed group, where and when
    a riot is told, are that riot; مواجهات alone does not say which."""
    riots = [g for g in groups if g[0].event_type == "Riots" and g[0].place is not None]
    if not riots:
        return groups
    kept = []
    for group in groups:
        if group[0].event_type == "Battles" and all(_untyped_clash(c) for c in group):
            riot = next((r for r in riots if all(_dates_agree(c, r[0]) for c in group)
                         and _km(r[0].place, group[0].place) <= CITY_RADIUS_KM), None)  # type: ignore[arg-type]
            if riot is not None:
                riot.extend(group)
                continue
        kept.append(group)
    return kept


def _untyped_clash(candidate: _Candidate) -> bool:
    """A clash, killing or shooting mention with no sub-type cue and no non-state armed actor."""
    return (candidate.trigger.entry.get("group") in _UNTYPED_CLASH_GROUPS and candidate.rank == _base_rank(candidate)
            and all(a is None or a.startswith(_STATE_LABELS) for a in (candidate.actor1, candidate.actor2)))


def _base_rank(candidate: _Candidate) -> int:
    return int(candidate.trigger.entry.get("strength"))


def _carry_actors(groups: list[list[_Candidate]], candidates: list[_Candidate]) -> None:
    """An event told without its actor ("ست من ثماني غارات ... نفذت قرب الحسكة") is by the
    actor of the latest mention of that sub-type before it ("طائرات الحلفاء تشن 27 غارة")."""
    for group in groups:
        if any(c.actor1 for c in group):
            continue
        first = min(group, key=lambda c: c.sentence)
        earlier = [c for c in candidates if c.actor1 and c.sub_event_type == first.sub_event_type
                   and c.sentence <= first.sentence and c is not first
                   and c.actor1 not in {whose for _, whose in c.victim_tolls}]  # "مقتل 27 من حزب الله"
        if earlier:
            donor = max(earlier, key=lambda c: c.sentence)
            first.actor1 = donor.actor1
            if not first.actor2 and donor.actor2:
                first.actor2 = donor.actor2


def _fold_headline_groups(groups: list[list[_Candidate]]) -> list[list[_Candidate]]:
    """A headline whose place the body does not repeat ("اشتباكات مع المقاومة بأرحب" over a body
    at الجنادبة) tells the body's nearest event of that region: it joins that event when the type
    agrees, and is no event of its own beside one."""
    body = [g for g in groups if not all(c.headline for c in g)]
    kept = list(body)
    for group in groups:
        if group in body:
            continue
        place = group[0].place
        near = [g for g in body if g[0].place is not None and place is not None and g[0].place.country == place.country
                and (_km(g[0].place, place) <= HEADLINE_RADIUS_KM or _contains(place, g[0].place))]
        if not near:
            kept.append(group)
            continue
        same = [g for g in near if g[0].event_type == group[0].event_type]
        if same:
            min(same, key=lambda g: _km(g[0].place, place)).extend(group)  # type: ignore[arg-type]
    return [g for g in groups if g in kept]


def _contains(region: Place, place: Place) -> bool:
    """"هجوم بتركيا" over a body at شرناق: a country holds its places, a province its own."""
    if region.feature == "country":
        return region.country == place.country
    return region.feature == "admin1" and region.country == place.country and bool(region.admin1) \
        and region.admin1 == place.admin1


def _drop_country_level(groups: list[list[_Candidate]]) -> list[list[_Candidate]]:
    """An event placed only in a whole country, beside events of its type at real places, is
    a summary of those ("غارات في سوريا والعراق"), not an event of its own; so is one placed
    in a part of a country ("أربع بلدات محاصرة في شمال سورية") beside events of its type told
    near it at real places of that country."""
    located = [g for g in groups if g[0].place is not None and not _summary_place(g[0].place)]
    types = {g[0].event_type for g in located}
    kept = []
    for g in groups:
        place = g[0].place
        if place is not None and place.feature == "country" and g[0].event_type in types:
            continue
        if place is not None and _summary_place(place) and any(
                o[0].event_type == g[0].event_type and o[0].place.country == place.country  # type: ignore[union-attr]
                and _told_near(g, o) for o in located):
            continue
        kept.append(g)
    return kept


def _told_near(summary: list[_Candidate], located: list[_Candidate]) -> bool:
    """A mention of the summary is at most NEARBY_SENTENCES from one placing the other event at
    its real place."""
    return any(abs(x.sentence - y.sentence) <= NEARBY_SENTENCES for x in summary for y in located
               if y.place is not None and not _summary_place(y.place))


def _summary_place(place: Place) -> bool:
    """A country, or a region named by a direction word ("شمال العراق", see _region)."""
    if place.feature == "country":
        return True
    first = normalize((place.name or "").split(" ")[0]) if place.feature == "region" else ""
    return bool(first) and (first in _qualifier_norms() or first.removesuffix("ي") in _qualifier_norms())


def _weak(candidate: _Candidate) -> bool:
    return int(candidate.trigger.entry.get("strength")) <= WEAK


def _same_place(a: _Candidate, b: _Candidate) -> bool:
    if a.place is None or b.place is None or not _dates_agree(a, b):
        return False
    if _is_coarse(a.place) or _is_coarse(b.place):
        return a.place.country == b.place.country and (a.place.admin1 == b.place.admin1 or b.place.feature == "country")
    return _same_location(a.place, b.place)


def _context_group(groups: list[list[_Candidate]], candidate: _Candidate) -> list[_Candidate] | None:
    """A mention that names no place of its own ("مقتل 27 في انفجار ببلدة تركية") is the event
    of that type the article locates: in its paragraph if there is one, else the first."""
    same_type = [g for g in groups if g[0].event_type == candidate.event_type and _dates_agree(g[0], candidate)
                 and (g[0].sub_event_type == candidate.sub_event_type or candidate.trigger.entry.get("group") in _GENERIC_GROUPS
                      or g[0].trigger.entry.get("group") in _GENERIC_GROUPS)]
    near = [g for g in same_type if any(c.paragraph == candidate.paragraph for c in g)]
    return (near or same_type or [None])[0]


def _dates_agree(a: _Candidate, b: _Candidate) -> bool:
    return not (a.day_explicit and b.day_explicit and a.day != b.day)


def _recent(candidate: _Candidate, doc: Doc) -> bool:
    published = date_mod.parse_iso(doc.published)
    if published is None or candidate.day is None:
        return True
    day = date_mod.parse_iso(candidate.day)
    return day is not None and published - timedelta(days=MAX_AGE_DAYS) <= day <= published + timedelta(days=1)


def _merge(group: list[_Candidate]) -> Event:
    happened = [c for c in group if _happened(c)]
    head = min(happened, key=lambda c: c.sentence)
    best_type = max(group, key=lambda c: (not _weak(c), c.rank))  # a toll alone sets no type
    located = min(group, key=lambda c: (not c.place_direct, c.place.geo_precision or 3,  # type: ignore[union-attr]
                                        c.place.feature == "district" and not _quarter(c.place),  # type: ignore[arg-type]
                                        not _quarter(c.place), c.headline, c.sentence))  # type: ignore[arg-type]
    # the first explicit date; else a body mention's (a headline's day is only the default)
    dated = next((c for c in sorted(group, key=lambda c: (not c.day_explicit, c.headline, c.sentence))), head)
    fatalities, injuries, toll_from = _combine_tolls(group)
    in_order = sorted(group, key=lambda c: c.sentence)
    actors = next((c for c in in_order if c.actor1), head)
    # The victims may be told in another mention than the actor ("هجوم لداعش" in the headline,
    # "مقتل 3 جنود" in the body).
    targeted = actors if actors.actor2 else next(
        (c for c in in_order if c.actor2 and c.actor2 != actors.actor1), actors)
    # (a mention of another sub-type in the group may have named a party that cannot act in this one)
    actor1, actor2, _, _ = _fit_roles(best_type.sub_event_type, (actors.actor1, targeted.actor2, False, {}))
    actor1 = actor1 or _default_actor(best_type.event_type, best_type.sub_event_type, located.place)
    if best_type.event_type in _CIVILIAN_TARGETS:
        actor2 = CIVILIANS  # ACLED: the target of violence against civilians is civilians
    crowd = _CROWDS.get(best_type.event_type)
    if crowd is not None and actor1 != crowd:
        # ACLED: protesters or rioters act in a demonstration; the force that met them
        # ("مواجهات بين قوات الأمن التركية ومتظاهرين") is the other party.
        if actor2 is None or actor2.startswith(_CROWD_WORDS):
            actor2 = actor1
        actor1 = crowd
    filled1, filled2 = _fill_country(actor1, located.place), _fill_country(actor2, located.place)
    if filled2 == filled1 or _one_state(filled1, filled2):
        # one party on both sides: the target came from another mention, or the actor from a
        # default ("Military Forces of {country}"); the acting party is the better attested.
        # So for a state's bodies: "أعلنت الحكومة التركية أن المدفعية التركية قصفت" names no target
        actor2 = filled2 = None
    arguments = {"trigger": head.evidence}
    if located.place_span:
        arguments["location"] = located.place_span
    if dated.day_span:
        arguments["date"] = dated.day_span
    if toll_from is not None and toll_from.casualty_span:
        arguments["fatalities"] = toll_from.casualty_span
    for role, name in (("actor1", actor1), ("actor2", actor2)):
        span = (actors.actor_spans.get("actor1") if name is not None and name == actors.actor1
                else targeted.actor_spans.get("actor2") if name is not None and name == targeted.actor2 else None)
        if span is not None:
            arguments[role] = span
    attributions: list[Attribution] = []
    for c in sorted(group, key=lambda c: c.sentence):
        attributions.extend(a for a in c.attributions if a not in attributions)
    mentions = sorted({(c.evidence.start, c.evidence.end): c.evidence for c in group}.values(), key=lambda s: s.start)
    precision = dated.precision
    if precision == date_mod.DAY and _introduced_as_reference(group):
        precision = date_mod.WEEK
    return Event(
        event_type=best_type.event_type, sub_event_type=best_type.sub_event_type, evidence=head.evidence,
        plover=best_type.plover, date=dated.day, time_precision=precision, location=located.place,
        actor1=filled1, actor2=filled2,
        fatalities=fatalities, injuries=injuries,
        modality=min((c.modality for c in happened), key=["asserted", "reported", "claimed"].index),
        sources=cited_names(attributions), trigger=head.trigger_text, arguments=arguments,
        mentions=mentions, attribution_ids=[a.id for a in attributions],
    )


def _told_just_before(candidates: list[_Candidate]) -> None:
    """"قتل 12 شخصا اليوم السبت عندما هاجم انتحاريان حمام سباحة ... وأسفر الهجوم الذي وقع
    في بلدة طوز خورماتو عن إصابة 45", "عقب الانفجار الأول للصاروخ": a mention recalling an
    event of its kind told a sentence or two before recalls the article's own news, not an
    earlier report. (An interval or a response, "ويأتي ذلك بعد ثلاثة أيام على هجوم", "هي رد
    على الهجوم الانتحاري", says so wherever.)"""
    for c in candidates:
        if c.recalls in ("", INTERVAL, RESPONSE):
            continue
        if any(0 < c.sentence - o.sentence <= NEARBY_SENTENCES and not o.headline and o.event_type == c.event_type
               for o in candidates):
            c.recalls = ""


def _introduced_as_reference(group: Sequence[_Candidate]) -> bool:
    """The article first tells the event (in its body; the headline only when the body does
    not) as a reference to one reported before ("التفجير الذي شهدته مدينة سروج"), and no
    mention gives it a date of its own: the publication day, or a day another sentence tells,
    is then only near the day it happened (ACLED time_precision 2, the week). A later mention
    that recalls a news event told first ("وأسفر الهجوم الذي استهدف ...") changes nothing."""
    if any(c.own_date for c in group):
        return False
    first = min(group, key=lambda c: (c.headline, c.sentence))
    return bool(first.recalls)


def _default_actor(event_type: str, sub_type: str | None, place: Place | None) -> str | None:
    """The actor of a sub-type nobody is named for where the event happened (actor_roles.tsv:
    an air strike's); else ACLED's unidentified armed group for violence."""
    unnamed = _actor_roles()[1]
    country = (place.country or "") if place else ""
    fallback = unnamed.get((sub_type or "", country)) or unnamed.get((sub_type or "", ""))
    if fallback:
        return fallback
    return UNIDENTIFIED if event_type in _UNIDENTIFIED_TYPES else None


_STATE_BODY = re.compile("(?:" + "|".join(re.escape(label) for label in ("Government of", *_STATE_LABELS)) + ") (.+)")


def _one_state(a: str | None, b: str | None) -> bool:
    """Two ACLED labels of one state's bodies ("Government of Turkey", "Military Forces of Turkey");
    a faction's label keeps its side ("Military Forces of Yemen (Hadi loyalists)")."""
    first, second = (_STATE_BODY.fullmatch(x or "") for x in (a, b))
    return bool(first and second and first.group(1) == second.group(1))


def _actor_country_place(actor: str | None) -> Place | None:
    """The country an ACLED state label names ("Police Forces of Turkey", "General Intelligence
    Directorate (Jordan)"), as a country-level place; None for any other actor."""
    match = _STATE_BODY.fullmatch(actor or "") or _TRAILING_COUNTRY.search(actor or "")
    iso = _country_isos().get(match.group(1)) if match else None
    record = default_gazetteer().get(f"country:{iso}") if iso else None
    return record.to_place() if record is not None else None


_TRAILING_COUNTRY = re.compile(r"\(([^()]+)\)$")  # a body's state in its label: "... (Jordan)"


@lru_cache(maxsize=1)
def _country_isos() -> dict[str, str]:
    return {name: iso for iso, name in country_names().items()}


def _fill_country(actor: str | None, place: Place | None) -> str | None:
    """"Civilians ({country})" → "Civilians (Syria)" for the event's country."""
    if actor is None or "{country}" not in actor:
        return actor
    name = country_name((place.country or "") if place else "")
    if name:
        return actor.replace("{country}", name)
    # no country: "Unidentified Armed Group", never the template itself
    return actor.replace(" ({country})", "").replace(" of {country}", "").replace("{country}", "").strip() or None


def country_name(iso: str) -> str | None:
    """The country's name as ACLED writes it: countries.tsv, else the gazetteer's country record."""
    if not iso:
        return None
    name = country_names().get(iso)
    if name:
        return name
    record = default_gazetteer().get(f"country:{iso}")
    return record.name_en if record is not None and record.name_en else None


def _combine_tolls(group: Sequence[_Candidate]) -> tuple[int | None, int | None, _Candidate | None]:
    """Lowest reported figure; null when deaths are reported without one; else 0."""
    figures = [(c.casualties.killed, c) for c in group if c.casualties.deaths_reported and c.casualties.killed]
    sides: dict[str, int] = {}
    where: list[int] = []
    for c in group:
        for value, whose in c.victim_tolls:
            if not c.headline and whose != UNIDENTIFIED:
                sides[whose] = min(value, sides.get(whose, value))
                where.append(c.sentence)
    if len(sides) == 2 and len(set(sides.values())) == 2 and max(where) - min(where) <= SIDES_SENTENCES:
        # The dead of both sides ("قتل 25 مقاتلا من المعارضة" ... "مقتل تسعة من قوات النظام"):
        # the event's toll is their sum, each side's lowest figure.
        figures = [(sum(sides.values()), next(f[1] for f in figures))] if figures else figures
    injuries = [c.casualties.injured for c in group if c.casualties.injured]
    injured = min(injuries) if injuries else None  # type: ignore[type-var]
    if figures:
        value, source = min(figures, key=lambda f: f[0])  # type: ignore[arg-type,return-value]
        return value, injured, source
    unknown = next((c for c in group if c.casualties.deaths_reported and c.casualties.killed is None), None)
    if unknown is not None:
        return None, injured, unknown
    return 0, injured, next((c for c in group if c.casualties.explicit_none), None)


def _link(events: list[Event], doc: Doc) -> None:
    for k, event in enumerate(events, 1):
        event.id = f"EV{k}"
    by_id = {a.id: a for a in doc.attributions}
    for event in events:
        for attribution_id in event.attribution_ids:
            attribution = by_id.get(attribution_id)
            if attribution is not None and event.id not in attribution.supports:
                attribution.supports.append(event.id)


@stage("events")
class EventExtractor:
    name = "events"
    requires = ("tokens", "sentences", "entities", "attributions")
    assigns = ("events",)

    def __call__(self, doc: Doc) -> Doc:
        doc.events = [e for e in _Extractor(doc).run() if e.is_violent or e.event_type == STRATEGIC]
        return doc
