"""How an event is reported: asserted, reported, claimed, denied, threatened, planned, foiled,
question, hypothetical, condemned (rasd.doc.MODALITIES), or `drop` for mentions that are not
events at all (cumulative tallies, anniversaries, court sentences).

A cue from `modality.tsv` governs the triggers after it in the same sentence, up to its
`reach` in tokens. A sentence that ends with a question mark or starts with هل is a question.
A verb trigger with the future prefix س (ستشن) is planned, and so is a verbal noun with the
purpose prefix ل (لتنفيذ هجمات، لمواجهة؛ للقبض على for an arrest).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rasd.analyze.lexicon import PhraseMatcher, matcher
from rasd.doc import Token

ASSERTED, REPORTED, CLAIMED, PLANNED, QUESTION, DROP = (
    "asserted", "reported", "claimed", "planned", "question", "drop",
)
_QUESTION_MARKS = ("؟", "?")
SUBJECTED = "subjected"  # تعرضت لقصف: the ل after it is not "in order to"
SENTENCE = -1  # reach of a cue that governs its whole sentence
_FUTURE_PREFIX = "س"
_PURPOSE_PREFIX, _ARTICLE = "ل", "ال"
# Trigger groups whose verbal noun after لل is still "in order to" ("داهمت منزلا للقبض على
# مطلوب", "في محاولة للسيطرة على"); for others لل is often an object ("التصدي للهجوم").
_PURPOSE_WITH_ARTICLE = frozenset({"arrest", "seize", "regain"})
# When cues disagree, the one that most restricts what happened wins.
_PRECEDENCE = ("drop", "question", "denied", "hypothetical", "threatened", "planned", "foiled",
               "condemned", "claimed")


@dataclass(frozen=True, slots=True)
class ModalityCue:
    modality: str
    start: int
    end: int
    reach: int
    except_groups: frozenset[str]


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    return matcher(LEXICON)


LEXICON = "modality"


def sentence_cues(
    tokens: Sequence[Token], start: int, end: int, positions: Sequence[int] | None = None
) -> list[ModalityCue]:
    """The modality cues of one sentence (tokens[start:end]), scanned once."""
    cues: list[ModalityCue] = []
    for hit in _matcher().scan(tokens, start, end, positions):
        groups = frozenset(g for g in hit.entry.get("except_groups").split(",") if g)
        reach = hit.entry.get("reach")
        cues.append(ModalityCue(hit.entry.get("modality"), hit.start, hit.end,
                                SENTENCE if reach == "*" else int(reach), groups))
    return cues


def is_question(text: str, tokens: Sequence[Token], start: int, end: int) -> bool:
    """A sentence ending with ؟ or starting with هل."""
    if start >= end:
        return False
    last = tokens[end - 1].text
    return last in _QUESTION_MARKS or text.rstrip().endswith(_QUESTION_MARKS) or tokens[start].norm == "هل"


def modality_at(
    cues: Sequence[ModalityCue],
    trigger: Token,
    index: int,
    group: str,
    question: bool,
    reported: bool = False,
) -> str:
    """The modality of the trigger at token `index`, given its sentence's cues."""
    found: set[str] = set()
    if question:
        found.add(QUESTION)
    for cue in cues:
        if group in cue.except_groups:
            continue
        if cue.reach == SENTENCE or (cue.end <= index and index - cue.end <= cue.reach):
            found.add(cue.modality)
    if _FUTURE_PREFIX in trigger.prefixes:
        found.add(PLANNED)
    if (_PURPOSE_PREFIX in trigger.prefixes and SUBJECTED not in found
            and (_ARTICLE not in trigger.prefixes or group in _PURPOSE_WITH_ARTICLE)):
        found.add(PLANNED)  # لمواجهة، لتنفيذ هجمات، للقبض على: "in order to", not a report
    for modality in _PRECEDENCE:
        if modality in found:
            return modality
    return REPORTED if reported else ASSERTED
