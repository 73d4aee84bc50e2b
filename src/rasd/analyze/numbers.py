"""Numbers and casualty counts: digits, Arabic-Indic digits and number words.

Figures follow ANNOTATION.md / the ACLED codebook:

* "أكثر من 100" → 100, "نحو 20" → 20: qualifiers never change the figure;
* several figures for the same count → the lowest;
* deaths reported without a figure ("سقوط قتلى", "عشرات القتلى", "قتل وجرح آخرون") → None;
  vague quantities (عشرات، العديد) are deliberately *not* turned into a number
  (ACLED's conservative reading would be 10 for "dozens", but the gold follows null);
* one figure for the killed and the wounded together ("20 قتيلا وجريحا", "بين قتيل وجريح")
  → None: deaths without a figure of their own, unless another phrase gives one;
* an explicit report of no casualties ("لم يسفر عن خسائر") → 0.

Words live in `number_words.tsv` and `casualty_cues.tsv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rasd.analyze.lexicon import DIGITS, PhraseMatcher, TokenIndex, matcher
from rasd.doc import Token

# How far (in tokens) a figure may sit from its casualty word: "مقتل 27 شخصا" (1),
# "12 شخصا على الأقل قتلوا" (4). Qualifier words between them are not counted.
MAX_GAP_AFTER_CUE = 3
MAX_GAP_BEFORE_CUE = 2
# Plural endings after a bare killed cue mean "some people", not one: مقتل مدنيين.
_PLURAL_ENDINGS = ("ين", "ون", "ات")
AND_OTHERS_REACH = 6  # "قتل <a name of up to 4 words> و21 آخرين"
COMMAS = frozenset("،,؛;")  # a comma ends a clause: a figure across it counts something else
_OTHERS = frozenset({"اخرين", "اخرون", "اخران", "اخرتان", "اخريين"})


@dataclass(frozen=True, slots=True)
class Number:
    """A figure found at tokens [start, end)."""

    value: int | None  # None for vague quantities (عشرات)
    start: int
    end: int
    kind: str  # cardinal, ordinal, vague, digits, dual


DUAL = "dual"  # a noun in the dual: جنديين، قتيلين
NUMBER_LEXICON, CUE_LEXICON = "number_words", "casualty_cues"
CANDIDATE_LEXICONS = (NUMBER_LEXICON, CUE_LEXICON)


@lru_cache(maxsize=1)
def _number_matcher() -> PhraseMatcher:
    return matcher(NUMBER_LEXICON)


@lru_cache(maxsize=1)
def _cue_matcher() -> PhraseMatcher:
    return matcher(CUE_LEXICON)


def _digits(token: Token) -> int | None:
    text = token.norm.replace(",", "").replace("٬", "")
    if "." in text:  # 1.500 is a thousands separator in Arabic news, 3.5 is not a count
        head, _, tail = text.partition(".")
        text = head + tail if len(tail) == 3 else head
    return int(text) if text.isdigit() else None


_SCALES = frozenset({1000})


def number_at(tokens: Sequence[Token], i: int, end: int | None = None) -> Number | None:
    """The number starting at token `i` (digits, or number words joined by و), or None."""
    end = len(tokens) if end is None else end
    norm = tokens[i].norm
    if not norm or not (norm[0].isdigit() or norm in _number_matcher()):
        return None
    value = _digits(tokens[i])
    if value is not None:
        # "240 ألف": a figure times a written thousand
        scale = _number_matcher().match_at(tokens, i + 1, end) if i + 1 < end else None
        if scale is not None and scale.entry.get("kind") == "cardinal" and int(scale.entry.get("value")) in _SCALES:
            return Number(value * int(scale.entry.get("value")), i, scale.end, "digits")
        return Number(value, i, i + 1, "digits")
    hit = _number_matcher().match_at(tokens, i, end)
    if hit is None:
        return None
    kind = hit.entry.get("kind")
    total = int(hit.entry.get("value"))
    j = hit.end
    if kind == "vague":
        return Number(None, i, j, kind)
    while j < end:  # خمسة وعشرين; ثلاث مئة; ثلاثة آلاف; ثمانية عشر
        nxt = _number_matcher().match_at(tokens, j, end)
        if nxt is None or nxt.entry.get("kind") != kind:
            break
        value = int(nxt.entry.get("value"))
        if value in (100, 1000) and total < value:
            total *= value
        elif value == 10 and 2 < total < 10 and "و" not in tokens[j].prefixes:
            total += value  # ثمانية عشر، ثلاث عشرة: the teens
        elif "و" in tokens[j].prefixes:
            total += value
        else:
            break
        j = nxt.end
    return Number(total, i, j, kind)


def numbers_in(tokens: Sequence[Token], start: int, end: int, candidates: Sequence[int] | None = None) -> list[Number]:
    """Every number in tokens[start:end], left to right (`candidates`: sorted indices of
    number words and figures, when known)."""
    found: list[Number] = []
    after = start
    for i in candidates if candidates is not None else range(start, end):
        if i < after or i >= end:
            continue
        number = number_at(tokens, i, end)
        if number:
            found.append(number)
            after = number.end
    return found


@dataclass(slots=True)
class Casualties:
    """What a stretch of text says about deaths and injuries."""

    killed: int | None = 0  # lowest figure; None = deaths without figure
    injured: int | None = None
    deaths_reported: bool = False  # some killed cue was present
    explicit_none: bool = False  # "لم يسفر عن خسائر"
    killed_spans: list[tuple[int, int]] = field(default_factory=list)  # token ranges
    injured_spans: list[tuple[int, int]] = field(default_factory=list)
    # Each killed figure with the token after it and its cue, where the victims are named
    # ("مقتل تسعة من قوات النظام"): tolls of two sides add up.
    killed_figures: list[tuple[int | None, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Cue:
    kind: str
    start: int
    end: int
    bare: str
    figure: str = ""  # "before" / "after": the only side its figure may stand on; "" either


def _cues(tokens: Sequence[Token], start: int, end: int, positions: Sequence[int] | None = None) -> list[_Cue]:
    return [
        _Cue(h.entry.get("kind"), h.start, h.end, h.entry.get("bare"), h.entry.get("figure"))
        for h in _cue_matcher().scan(tokens, start, end, positions)
    ]


# A figure for the killed and the wounded together ("20 قتيلا وجريحا"): deaths are reported,
# but it is neither a death toll nor an injury count (ANNOTATION.md: fatalities are conservative).
COMBINED = "combined"
COUNTED_KINDS = frozenset({"killed", "injured", "both", COMBINED})


def casualty_kind(tokens: Sequence[Token], i: int, end: int) -> str | None:
    """The kind of the casualty expression starting at token i (killed, injured, qualifier...)."""
    hit = _cue_matcher().match_at(tokens, i, end)
    return hit.entry.get("kind") if hit else None


def _gap(tokens: Sequence[Token], cues_at: dict[int, _Cue], a: int, b: int) -> int | None:
    """Tokens between positions a and b that are not qualifiers; None if a cue or a comma sits
    between ("خمسة جنود قتلوا، وفقد 15 آخرون": the 15 went missing)."""
    gap = 0
    k = a
    while k < b:
        cue = cues_at.get(k)
        if (cue and cue.kind != "qualifier") or tokens[k].text in COMMAS:
            return None
        if cue:
            k = cue.end
            continue
        gap += 1
        k += 1
    return gap


def casualties(
    tokens: Sequence[Token], start: int, end: int, index: TokenIndex | None = None
) -> Casualties:
    """Deaths and injuries stated in tokens[start:end] (`index`: a TokenIndex over
    CANDIDATE_LEXICONS, to visit only the tokens that matter)."""
    cue_positions = index.positions(CUE_LEXICON) if index else None
    number_positions = sorted(index.positions(NUMBER_LEXICON) + index.positions(DIGITS)) if index else None
    cues = _cues(tokens, start, end, cue_positions)
    numbers = [n for n in numbers_in(tokens, start, end, number_positions) if n.kind != "ordinal"]
    # Figures after "بينهم" / "من بين" count part of a toll already given ("قتل 12 بينهم
    # ثلاثة انتحاريين", "من بين قتلى المعارضة ثلاثة"): the rest of the stretch is left out.
    # Before any casualty word and not right before one, "بين" is "between": "الاشتباكات بين
    # المقاومة والحوثيين أدت إلى مقتل 20".
    counted_at = [c.start for c in cues if c.kind in COUNTED_KINDS]
    subset = next((c.start for c in cues if c.kind == "subset"
                   and (any(k < c.start for k in counted_at) or c.end in counted_at)), end)
    cues = [c for c in cues if c.start < subset]
    recalled = {c.start for c in cues if c.kind == "recall"}
    cues = [c for c in cues if c.kind not in COUNTED_KINDS or c.end not in recalled]
    # A figure before an age word is an age ("22 عاما"); one after it is a year or an age
    # ("عام 2011", "مواليد 1986", "عمره 22"); one inside a written date is a calendar part
    # ("استشهدوا يوم الجمعة 1436/10/15هـ"): none of them counts people.
    ages = {c.start for c in cues if c.kind == "age"}
    after_ages = {c.end for c in cues if c.kind == "age"}
    numbers = [n for n in numbers if n.start < subset and n.end not in ages and n.start not in after_ages
               and not _in_written_date(tokens, n)]
    cues_at = {c.start: c for c in cues}
    claimed: dict[int, _Cue] = {}
    counted = [c for c in cues if c.kind in COUNTED_KINDS]
    # Pass 0: a cue in the dual is its own figure ("سقوط قتيلين"); pass 1: a figure right
    # after its word ("مقتل 27", "مقتل جنديين"); pass 2: before it ("27 قتيلا").
    for cue in counted:
        for n in numbers:
            if n.start == cue.start and n.kind == DUAL:
                claimed[id(n)] = cue
    for cue in counted:
        if cue in claimed.values() or cue.figure == "before":
            continue
        for n in numbers:
            if n.start >= cue.end and id(n) not in claimed:
                if _counts_the_next_cue(tokens, cues_at, n):
                    break  # "32 قتيلا ومئة جريح": the hundred are the wounded, not the dead
                gap = _gap(tokens, cues_at, cue.end, n.start)
                if gap is not None and gap <= MAX_GAP_AFTER_CUE:
                    claimed[id(n)] = cue
                    break
    for cue in counted:
        if cue in claimed.values() or cue.figure == "after":
            continue
        for n in reversed(numbers):
            if n.end <= cue.start and id(n) not in claimed:
                gap = _gap(tokens, cues_at, n.end, cue.start)
                if gap is not None and gap <= MAX_GAP_BEFORE_CUE:
                    claimed[id(n)] = cue
                break
    return _tally(tokens, cues, numbers, claimed, end)


def _counts_the_next_cue(tokens: Sequence[Token], cues_at: dict[int, _Cue], n: Number) -> bool:
    """A figure joined by و and followed by its own casualty word ("ومئة جريح", "و5 جرحى")
    starts the next count of a list; it is not the figure of the casualty word before it."""
    joined = "و" in tokens[n.start].prefixes or (n.start > 0 and tokens[n.start - 1].norm == "و")
    if not joined:
        return False
    for k in range(n.end, min(n.end + MAX_GAP_BEFORE_CUE + 1, len(tokens))):
        cue = cues_at.get(k)
        if cue is not None and cue.kind in COUNTED_KINDS:
            gap = _gap(tokens, cues_at, n.end, k)
            return gap is not None and gap <= MAX_GAP_BEFORE_CUE
    return False


_DATE_SEPARATORS = frozenset("/")


def _in_written_date(tokens: Sequence[Token], number: Number) -> bool:
    """Whether a figure is a part of a date written with slashes (1436/10/15, 20/7/2015)."""
    before = tokens[number.start - 1].text if number.start > 0 else ""
    after = tokens[number.end].text if number.end < len(tokens) else ""
    return before in _DATE_SEPARATORS or after in _DATE_SEPARATORS


def _tally(
    tokens: Sequence[Token], cues: list[_Cue], numbers: list[Number], claimed: dict[int, _Cue], end: int
) -> Casualties:
    out = Casualties()
    killed: list[int | None] = []
    more: list[int] = []  # killed "آخرين" after a first killed figure: added to it
    injured: list[int | None] = []
    by_cue: dict[int, list[Number]] = {}
    for n in numbers:
        cue = claimed.get(id(n))
        if cue is not None:
            by_cue.setdefault(id(cue), []).append(n)
    for cue in cues:
        if cue.kind == "none":
            out.explicit_none = True
        if cue.kind == COMBINED:
            killed.append(None)  # some died, how many the figure does not say
            out.killed_spans.append((cue.start, cue.end))
            continue
        if cue.kind not in ("killed", "injured"):
            continue
        numbers_of = by_cue.get(id(cue), [])
        figures = [n.value for n in numbers_of]
        if not figures and cue.kind == "killed":
            bare = _bare_count(tokens, cue, end)
            others = _and_others(tokens, numbers, cue, end) if bare is not None else None
            figures = [bare + others if bare is not None and others else bare]
        target = killed if cue.kind == "killed" else injured
        if cue.kind == "killed" and killed and len(figures) == 1 and numbers_of and figures[0] is not None \
                and _followed_by_others(tokens, numbers_of[0], end):
            # "خمسة جنود قتلوا ... وقتل جنديان آخران": two more dead, not another figure for them
            more.append(figures[0])
            figures = []
        target.extend(figures)
        if cue.kind == "killed":
            out.killed_figures.extend((n.value, max(n.end, cue.end)) for n in numbers_of)
        (out.killed_spans if cue.kind == "killed" else out.injured_spans).append((cue.start, cue.end))
    if killed:
        out.deaths_reported = True
        known = [k for k in killed if k is not None]
        out.killed = min(known) + sum(more) if known else None
    if injured:
        known = [k for k in injured if k is not None]
        out.injured = min(known) if known else None
    return out


def _followed_by_others(tokens: Sequence[Token], n: Number, end: int) -> bool:
    """آخرين/آخران within two tokens after the figure ("جنديان آخران", "3 جنود آخرين")."""
    return any(tokens[k].norm in _OTHERS for k in range(n.end, min(n.end + 2, end)))


def _and_others(tokens: Sequence[Token], numbers: list[Number], cue: _Cue, end: int) -> int | None:
    """"قتل أبو قتادة المغربي و21 مسلحا آخرين": the figure of the others killed with the one
    named."""
    for n in numbers:
        if not cue.end < n.start <= cue.end + AND_OTHERS_REACH or n.value is None:
            continue
        joined = tokens[n.start - 1].norm == "و" or "و" in tokens[n.start].prefixes
        if joined and any(tokens[k].norm in _OTHERS for k in range(n.end, min(n.end + 3, end))):
            return n.value
    return None


def _bare_count(tokens: Sequence[Token], cue: _Cue, end: int) -> int | None:
    """A killed word with no figure: one person (مقتل فلسطيني) or an unknown number (مقتل مدنيين)."""
    if not cue.bare:
        return None
    nxt = tokens[cue.end] if cue.end < end else None
    if nxt is None or not nxt.is_word:
        return None
    if nxt.norm.endswith(_PLURAL_ENDINGS) or "و" in nxt.prefixes:
        return None
    if nxt.norm in _cue_matcher() or (nxt.norm[:1] == "و" and nxt.norm[1:] in _cue_matcher()):
        return None  # قتل وجرح آخرون: some people, no figure
    return int(cue.bare)
