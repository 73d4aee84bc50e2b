"""Loader for the event, date, number, modality and attribution lexicons.

The knowledge lives in `rasd/data/lexicons/*.tsv` (UTF-8, `#` comments, a header
row, one entry per row); this module only reads the files and compiles them into
dicts keyed by token norm, so that matching is one dict lookup per token.

Lexicon phrases are segmented with the same tokenizer as the articles, so a form
written `الغارات` or `غارة` lands on the same key as `بغارة` or `غاراتها` in text.
Rows marked `v` (verb) or `n` (noun) are expanded with their regular inflections
(`قصف` → قصفت قصفوا يقصف تقصف...; `غارة` → غارات غارتين...), so the files list
only stems and irregular (broken) plurals.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rasd.doc import Token
from rasd.errors import ResourceError
from rasd.text.normalize import normalize
from rasd.text.tokens import tokenize


class LexiconNotFoundError(ResourceError):
    """No packaged lexicon has the requested name."""


Row = dict[str, str]


@cache
def read_rows(name: str) -> tuple[Row, ...]:
    """Rows of `data/lexicons/<name>.tsv` as dicts keyed by the header's column names."""
    path = resources.files("rasd") / "data" / "lexicons" / f"{name}.tsv"
    if not path.is_file():
        raise LexiconNotFoundError(f"no lexicon named {name!r} (looked for {path})")
    return read_tsv(path)


def read_tsv(path: Traversable | Path) -> tuple[Row, ...]:
    """Rows of a tab-separated data file with a header line; `#` lines are comments and
    short rows are padded with empty cells."""
    rows: list[Row] = []
    header: list[str] | None = None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if header is None:
                header = cells
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append(dict(zip(header, cells, strict=False)))
    return tuple(rows)


# ---- inflection ------------------------------------------------------------------------------

# Regular verb inflections around a perfect stem (past 3rd person, present with the usual
# prefixes, plural/dual/feminine endings); enough for news prose, where 3rd person dominates.
_VERB_SUFFIXES = ("", "ت", "وا", "ا", "تا", "ن", "نا")
_VERB_PREFIXES = ("ي", "ت", "ن")
_PRESENT_SUFFIXES = ("", "ون", "ان", "ن", "وا", "ا")


def verb_forms(stem: str) -> set[str]:
    """Normalised surface forms of a perfect-tense verb stem (قصف → قصفت، يقصف، يقصفون...)."""
    forms = {stem + s for s in _VERB_SUFFIXES}
    forms |= {p + stem + s for p in _VERB_PREFIXES for s in _PRESENT_SUFFIXES}
    if stem.startswith("ا") and len(stem) > 3:  # استهدف → يستهدف, انفجر → ينفجر, اعتقل → يعتقل
        forms |= {p + stem[1:] + s for p in _VERB_PREFIXES for s in _PRESENT_SUFFIXES}
    return forms


def noun_forms(stem: str) -> set[str]:
    """Normalised singular, dual and sound plural forms (غاره → غارات، غارتين؛ مسلح → مسلحون)."""
    if stem.endswith("ه"):
        base = stem[:-1]
        return {stem, base + "ات", base + "تين", base + "تان", base + "ت"}
    forms = {stem, stem + "ين", stem + "ون", stem + "ان", stem + "ا", stem + "ه", stem + "ات"}
    if stem.endswith("ي"):  # انتحاري → انتحاريين, انتحارية
        forms |= {stem + "ه", stem + "ين", stem + "ون"}
    return forms


def phrase_keys(phrase: str) -> list[str]:
    """A phrase as the token norms the tokenizer gives it (`الغارات الجوية` → [غارات, جويه])."""
    return [t.norm for t in tokenize(phrase) if t.is_word or t.norm.isdigit()]


def expand(phrase: str, pos: str) -> list[frozenset[str]]:
    """One set of accepted norms per word of `phrase`, inflected by `pos` (v, n or anything else).

    Each set also holds the word as written (normalised): the tokenizer may segment a word
    alone differently from the same word after a conjunction (بحسب → ب+حسب, وبحسب → و+بحسب).
    """
    keys = phrase_keys(phrase)
    written = phrase.split()
    if len(written) != len(keys):
        written = keys
    slots: list[frozenset[str]] = []
    for k, (word, surface) in enumerate(zip(keys, written, strict=True)):
        if pos == "v" and k == 0:
            forms = verb_forms(word)
        elif pos in ("v", "n"):  # a verb's object and a noun's adjectives inflect as nouns
            forms = noun_forms(word)
        else:
            forms = {word}
        plain = normalize(surface)
        slots.append(frozenset(forms | {plain, plain[2:] if plain.startswith("ال") else plain}))
    return slots


# ---- phrase matching -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One lexicon row compiled for matching: a sequence of norm sets plus its row."""

    slots: tuple[frozenset[str], ...]
    row: dict[str, str]
    verb: bool = False  # its first word is a verb (pos v): no form of it takes the article

    def get(self, column: str, default: str = "") -> str:
        return self.row.get(column, default)


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon entry found at tokens [start, end)."""

    start: int
    end: int
    entry: Entry


class PhraseMatcher:
    """Longest-match lookup of multiword lexicon phrases over tokens, indexed by first norm."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by_first: dict[str, list[Entry]] = {}
        for entry in entries:
            if not entry.slots:
                continue
            for form in entry.slots[0]:
                self._by_first.setdefault(form, []).append(entry)
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: -len(e.slots))  # longest phrase first

    def __contains__(self, norm: str) -> bool:
        return norm in self._by_first

    def match_at(self, tokens: Sequence[Token], i: int, end: int) -> Hit | None:
        """The longest entry starting at token `i` (not crossing `end`), or None."""
        bucket = self._by_first.get(tokens[i].norm)
        if not bucket:
            return None
        with_article = "ال" in tokens[i].prefixes
        for entry in bucket:
            n = len(entry.slots)
            if i + n > end or (with_article and entry.verb):
                continue  # (a verb never takes the article: "للتصدي لتدخلاتها" is the noun, not تصدى)
            if all(tokens[i + k].norm in entry.slots[k] for k in range(1, n)):
                return Hit(i, i + n, entry)
        return None

    def first_forms(self) -> Iterable[str]:
        return self._by_first.keys()

    def scan(
        self, tokens: Sequence[Token], start: int = 0, end: int | None = None, positions: Sequence[int] | None = None
    ) -> Iterator[Hit]:
        """Non-overlapping longest matches in tokens[start:end], left to right.

        `positions` (from `TokenIndex`) lists the tokens that may start an entry; with it the
        scan visits only those instead of every token.
        """
        end = len(tokens) if end is None else end
        if positions is not None:
            yield from self._scan_positions(tokens, start, end, positions)
            return
        by_first = self._by_first
        i = start
        while i < end:
            # Most tokens start no entry: test membership before the call.
            hit = self.match_at(tokens, i, end) if tokens[i].norm in by_first else None
            if hit:
                yield hit
                i = hit.end
            else:
                i += 1


    def _scan_positions(self, tokens: Sequence[Token], start: int, end: int, positions: Sequence[int]) -> Iterator[Hit]:
        k = bisect_left(positions, start)
        after = start
        while k < len(positions) and positions[k] < end:
            i = positions[k]
            k += 1
            if i < after:
                continue
            hit = self.match_at(tokens, i, end)
            if hit:
                yield hit
                after = hit.end


class TokenIndex:
    """One pass over a document's tokens: for each lexicon, the tokens that may start one of
    its entries. Stages get it with `TokenIndex.of(tokens)` and hand `positions(name)` to
    `scan`; the attributions and events stages share the one built for a document."""

    _last: tuple[Sequence[Token], TokenIndex] | None = None

    def __init__(self, tokens: Sequence[Token], names: Sequence[str] = ()) -> None:
        combined = _combined(tuple(names) or INDEXED_LEXICONS)
        norms = [t.norm for t in tokens]
        positions: dict[str, list[int]] = {}
        for i, starts in [(i, combined[n]) for i, n in enumerate(norms) if n in combined]:
            for name in starts:
                positions.setdefault(name, []).append(i)
        positions[DIGITS] = [i for i, n in enumerate(norms) if n[:1] in _DIGIT_CHARS]
        self._positions = positions

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> TokenIndex:
        """The index of all INDEXED_LEXICONS for `tokens`, reused while the same list is asked for."""
        last = cls._last
        if last is not None and last[0] is tokens:
            return last[1]
        index = cls(tokens)
        cls._last = (tokens, index)
        return index

    def positions(self, name: str) -> list[int]:
        return self._positions.get(name, [])


# The lexicons the analysis stages scan; TokenIndex.of indexes them all in one pass.
INDEXED_LEXICONS = (
    "triggers", "cues_subtype", "generic_actors", "attribution_cues", "source_descriptions", "modality",
    "date_cues", "number_words", "casualty_cues", "incident_places",
)
_DIGIT_CHARS = frozenset("0123456789")  # norms have ASCII digits (normalize folds the others)
DIGITS = "#digits"  # TokenIndex pseudo-lexicon: tokens that are figures


@cache
def _combined(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """First norms of the named lexicons → the lexicons they may start."""
    out: dict[str, list[str]] = {}
    for name in names:
        for form in matcher(name).first_forms():
            out.setdefault(form, []).append(name)
    return {form: tuple(found) for form, found in out.items()}


def compile_rows(rows: Iterable[Row], form_column: str = "form", pos_column: str = "pos") -> list[Entry]:
    """Entries for every `|`-separated form of every row."""
    entries: list[Entry] = []
    for row in rows:
        for form in row.get(form_column, "").split("|"):
            form = form.strip()
            if form:
                pos = row.get(pos_column, "")
                entries.append(Entry(tuple(expand(form, pos)), dict(row), verb=pos == "v"))
    return entries


@cache
def matcher(name: str, form_column: str = "form", pos_column: str = "pos") -> PhraseMatcher:
    """A compiled matcher for lexicon `name`, built once per process."""
    return PhraseMatcher(compile_rows(read_rows(name), form_column, pos_column))
