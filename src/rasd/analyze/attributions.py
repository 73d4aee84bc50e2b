"""The attributions stage: who the article says reported what, and through whom.

Patterns (cues in `attribution_cues.tsv`, unnamed sources in `source_descriptions.tsv`):

* say: "قال مصدر أمني"، "أفادت خلية الإعلام الأمني": the source is the entity or description
  right after the verb (or right before it: "المصادر الاستخباراتية قالت");
* continue: "وأضاف"، "وتابع" with no subject of their own continue the previous source;
* according: "بحسب المرصد"، "وفقا لمصادر محلية"، "نقلا عن";
* relay: "نقل روسيا اليوم عن مصادر لم يسمها" → RT via unnamed sources;
* an outlet after ل closes a chain: "قال مصدران دبلوماسيان ... لرويترز" → Reuters via two
  diplomatic sources (the outlet reports what the diplomats told it).

Named sources come from `doc.entities` (outlets, officials, ministries, monitors...).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rasd.analyze.kb import OUTLET_KINDS
from rasd.analyze.lexicon import Hit, PhraseMatcher, TokenIndex, matcher
from rasd.doc import LOC, Attribution, Doc, Entity, Token
from rasd.pipeline import stage
from rasd.text.sentences import QUOTE_MARKS

# A verb's subject follows within this many tokens (VSO: "قال مصدران دبلوماسيان مقرهما").
SUBJECT_REACH_AFTER = 5
# ... or precedes it closely (SVO: "المصادر الاستخباراتية قالت").
SUBJECT_REACH_BEFORE = 3
# An outlet introduced by ل this far after the source closes the chain (قال ... لرويترز).
OUTLET_REACH = 12
_RELAY_FROM = "عن"
_TO = "ل"
_QUOTES = frozenset(QUOTE_MARKS)
ANAPHORA, GENERIC, AFFILIATED = "anaphora", "generic", "affiliated"
# attribution_cues.tsv kinds of a verb with no subject of its own: it continues the previous source
CONTINUE, PRONOUN = "continue", "pronoun"


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of tokens [start, end) naming a source: an entity or a description."""

    start: int
    end: int
    name: str
    kind: str
    named: bool
    kb_id: str | None = None


CUES, DESCRIPTIONS = "attribution_cues", "source_descriptions"


@lru_cache(maxsize=1)
def _cues() -> PhraseMatcher:
    return matcher(CUES)


@lru_cache(maxsize=1)
def _descriptions() -> PhraseMatcher:
    return matcher(DESCRIPTIONS)


def token_index(tokens: Sequence[Token], offset: int, starts: Sequence[int] | None = None) -> int:
    """Index of the token that contains or follows character `offset` (`starts`: the tokens'
    start offsets, when the caller has them)."""
    starts = starts if starts is not None else [t.start for t in tokens]
    i = bisect_left(starts, offset)
    if i > 0 and tokens[i - 1].end > offset:
        return i - 1
    return i


_LAST_MENTIONS: list[tuple[list[Entity], list[Token], dict[int, tuple[Entity, int]]]] = []


def entity_mentions(doc: Doc) -> dict[int, tuple[Entity, int]]:
    """First token of every entity mention → (entity, one past its last token); computed once
    per document for the attributions and events stages."""
    if _LAST_MENTIONS and _LAST_MENTIONS[0][0] is doc.entities and _LAST_MENTIONS[0][1] is doc.tokens:
        return _LAST_MENTIONS[0][2]
    out = _entity_mentions(doc)
    _LAST_MENTIONS[:] = [(doc.entities, doc.tokens, out)]
    return out


def _entity_mentions(doc: Doc) -> dict[int, tuple[Entity, int]]:
    starts = [t.start for t in doc.tokens]
    out: dict[int, tuple[Entity, int]] = {}
    for entity in doc.entities:
        for span in entity.mentions:
            i = bisect_left(starts, span.start)
            if i > 0 and doc.tokens[i - 1].end > span.start:
                i -= 1
            j = bisect_left(starts, span.end)
            if i < len(doc.tokens):
                out[i] = (entity, max(j, i + 1))
    return out


def _source_mentions(
    doc: Doc, start: int, end: int, entities: dict[int, tuple[Entity, int]], candidates: Sequence[int]
) -> list[Mention]:
    """Named (non-place) entities and unnamed-source descriptions in tokens[start:end];
    `candidates`: the sorted token indices where either may start."""
    found: list[Mention] = []
    after = start
    for i in candidates[bisect_left(candidates, start):]:
        if i >= end:
            break
        if i < after:
            continue
        ent = entities.get(i)
        hit = _descriptions().match_at(doc.tokens, i, end)
        # A description beats an unlinked recogniser guess on the same words ("مصدران دبلوماسيان"
        # tagged PER, even with a romanised English gloss): only a linked entity is a named source.
        described = _described(doc, i, hit, entities) if hit else None
        if described is not None and (ent is None or not ent[0].kb_id):
            found.append(described)
            after = described.end
        elif ent and ent[0].type != LOC:
            entity, stop = ent
            found.append(Mention(i, stop, entity.name_en or entity.text, entity.kind or "", True, entity.kb_id))
            after = stop
    return found


def _described(doc: Doc, i: int, hit: Hit, entities: dict[int, tuple[Entity, int]]) -> Mention | None:
    """The source a description (source_descriptions.tsv) at token `i` stands for; None: none."""
    kind = hit.entry.get("kind")
    definite = "ال" in doc.tokens[i].prefixes
    if kind == ANAPHORA and not definite:
        return None  # "مصدر" is a new source, "المصدر" the one told before
    if kind == AFFILIATED:
        if definite:  # "وأضاف المصدر من كومجويا": the source told before
            return Mention(i, hit.end, "-", ANAPHORA, False)
        party = entities.get(hit.end)
        if party is not None and party[0].type != LOC and party[0].kb_id:  # a known party, not a guess
            entity, stop = party
            return Mention(i, stop, entity.name_en or entity.text, entity.kind or "", True, entity.kb_id)
        kind = "anonymous"
    return Mention(i, hit.end, hit.entry.get("source"), kind, False)


class _Finder:
    """Per-document state: mentions by sentence and the latest source for continuations."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.entities = entity_mentions(doc)
        self.index = TokenIndex.of(doc.tokens)
        self.candidates = sorted(set(self.entities) | set(self.index.positions(DESCRIPTIONS)))
        self.last: Attribution | None = None
        # what the latest reporting cue cited: "وقال المسؤولون لوكالة الأنباء الألمانية" cites the
        # officials and the agency, and "وأشاروا" after it cites both again
        self.last_cited: list[Attribution] = []
        self.last_cue: tuple[int, int] | None = None
        self.out: list[Attribution] = []

    def run(self) -> list[Attribution]:
        for number, sentence in enumerate(self.doc.sentences):
            self._sentence(number, sentence.token_start, sentence.token_end)
        for k, attribution in enumerate(self.out, 1):
            attribution.id = f"A{k}"
        return self.out

    def _sentence(self, number: int, start: int, end: int) -> None:
        mentions = _source_mentions(self.doc, start, end, self.entities, self.candidates)
        for hit in _cues().scan(self.doc.tokens, start, end, self.index.positions(CUES)):
            kind = hit.entry.get("kind")
            source = None if kind == PRONOUN else self._subject(mentions, hit.start, hit.end, kind)
            if source is None or source.kind == ANAPHORA:
                # "وأضاف" with no subject, or "بحسب المصادر نفسها": the previous sources again;
                # "وقالت المصادر لوكالة الأنباء الألمانية": they, and the outlet they told, via them.
                outlet = self._outlet_after(mentions, source.end, end) if source is not None else None
                if outlet is not None and self.last is not None:
                    relayed = self._last_as_mention()
                    self._add(number, self._copy_last(), hit.start, hit.end)
                    self._add(number, self._record(outlet, [relayed]), hit.start, hit.end)
                elif (kind in (CONTINUE, PRONOUN) or source is not None) and self.last is not None:
                    for cited in [self._copy(a) for a in self.last_cited]:
                        self._add(number, cited, hit.start, hit.end)
                continue
            via: list[Mention] = []
            if kind == "relay":
                via = [m for m in mentions if m.start > source.end and self._after_from(m.start)][:1]
            outlet = self._outlet_after(mentions, source.end, end) or next(
                (m for m in mentions if hit.end <= m.start < source.start and self._told_to(m)), None)
            if outlet is not None:
                if source.named or "ال" in self.doc.tokens[source.start].prefixes:
                    # "وقال المسؤولون لوكالة الأنباء الألمانية", "قال الجيش للأناضول": a source known
                    # by name or told before is cited besides the outlet; "مصدران دبلوماسيان" is not
                    self._add(number, self._record(source, via), hit.start, hit.end)
                source, via = outlet, [source, *via]
            self._add(number, self._record(source, via), hit.start, hit.end)

    def _subject(self, mentions: list[Mention], cue_start: int, cue_end: int, kind: str) -> Mention | None:
        # A newspaper quoting itself is told, never the speaker ("وأوضح لـ«الاقتصادية» أبو محمد
        # العدني"); another outlet told is, unless the speaker's name follows it ("وقال لرويترز محمد").
        after = [m for m in mentions if cue_end <= m.start <= cue_end + SUBJECT_REACH_AFTER]
        itself = next((m for m in after if self._told_to(m, quoted=True) and not self._told_to(m)), None)
        if itself is not None:  # (past it, only a name right after it: what follows إن is what was told)
            after = [m for m in after if m.end <= itself.start or self._adjacent(itself, m) and m is not itself]
        if len(after) > 1 and self._told_to(after[0]) and self._adjacent(after[0], after[1]):
            after = after[1:]
        if kind == "according":
            after = [m for m in after if m.start - cue_end <= 2]
        if after:
            return after[0]
        if kind in ("say", "relay"):
            before = [m for m in mentions if m.end <= cue_start and cue_start - m.end <= SUBJECT_REACH_BEFORE]
            if before:
                return before[-1]
        return None

    def _adjacent(self, first: Mention, second: Mention) -> bool:
        """Nothing but punctuation between two mentions."""
        return all(not t.is_word for t in self.doc.tokens[first.end : second.start])

    def _after_from(self, i: int) -> bool:
        return i > 0 and (self.doc.tokens[i - 1].norm == _RELAY_FROM)

    def _outlet_after(self, mentions: list[Mention], after: int, end: int) -> Mention | None:
        for m in mentions:
            if after <= m.start <= after + OUTLET_REACH and self._told_to(m):
                return m
        return None

    def _told_to(self, m: Mention, quoted: bool = False) -> bool:
        """An outlet that something is told to: "لوكالة الأنباء الألمانية"; `quoted`: also one
        named in quotes, "لـ«الاقتصادية»", as a newspaper names itself in its own reports. Only
        an unquoted one is cited: the dev set's gold cites the speaker who told «الشرق الأوسط»,
        not the paper."""
        if not (m.named and m.kind in OUTLET_KINDS):
            return False
        tokens = self.doc.tokens
        if _TO in tokens[m.start].prefixes:
            return True
        before = m.start - 1
        while quoted and before >= 0 and tokens[before].text in _QUOTES:
            before -= 1
        return before >= 0 and tokens[before].norm in (_TO, "لـ")

    def _record(self, source: Mention, via: list[Mention]) -> Attribution:
        doc = self.doc
        first, last = doc.tokens[source.start], doc.tokens[source.end - 1]
        return Attribution(
            source=source.name,
            source_ar=doc.text[first.stem_start : last.end],
            kind=source.kind or ("anonymous" if not source.named else "named"),
            named=source.named,
            span=doc.span(first.stem_start, last.end),
            via=[v.name for v in via],
            kb_id=source.kb_id,
        )

    def _last_as_mention(self) -> Mention:
        assert self.last is not None
        return Mention(0, 0, self.last.source, self.last.kind, self.last.named, self.last.kb_id)

    def _copy_last(self) -> Attribution:
        assert self.last is not None
        return self._copy(self.last)

    @staticmethod
    def _copy(last: Attribution) -> Attribution:
        return Attribution(last.source, last.source_ar, last.kind, last.named, last.span,
                           via=list(last.via), kb_id=last.kb_id)

    def _add(self, number: int, attribution: Attribution, cue_start: int, cue_end: int) -> None:
        doc = self.doc
        a, b = doc.tokens[cue_start], doc.tokens[cue_end - 1]
        attribution.cue = doc.text[a.start : b.end]
        attribution.cue_span = doc.span(a.start, b.end)
        attribution.sentence = number
        if attribution.kind != ANAPHORA:
            self.out.append(attribution)
            self.last = attribution
            if self.last_cue != (number, cue_start):
                self.last_cue, self.last_cited = (number, cue_start), []
            self.last_cited.append(attribution)


def reporting_cues(
    tokens: Sequence[Token], start: int, end: int, positions: Sequence[int] | None = None
) -> list[tuple[int, int]]:
    """Token ranges of the reporting expressions (قال، أفاد، بحسب...) in tokens[start:end]."""
    return [(h.start, h.end) for h in _cues().scan(tokens, start, end, positions)]


@stage("attributions")
class AttributionFinder:
    name = "attributions"
    requires = ("tokens", "sentences", "entities")
    assigns = ("attributions",)

    def __call__(self, doc: Doc) -> Doc:
        doc.attributions = _Finder(doc).run()
        return doc


def cited_names(attributions: Sequence[Attribution]) -> list[str]:
    """English names for an event's `sources`: who is cited (the head of each chain), in order.

    The chain's inner links (RT ← unnamed sources) stay in the attribution records.
    """
    names: list[str] = []
    for attribution in attributions:
        if attribution.kind != GENERIC and attribution.source and attribution.source not in names:
            names.append(attribution.source)
    return names
