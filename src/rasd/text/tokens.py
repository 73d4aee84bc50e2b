"""Tokenisation with clitic segmentation, written for rasd (no external analyser).

A word is split into proclitics (و ف, then ب ل ك, then ال), a stem and an
attached pronoun (ها هم هما هن كم كما كن نا ه): ببغداد → ب+بغداد,
لرويترز → ل+رويترز, وكلائها → وكلاء+ها, للقنصلية → ل+ال+قنصلية.

Which letters are clitics is decided by a word-frequency lexicon
(`data/lexicons/wordfreq_ar.tsv`): a split is taken when the bare form is a
common word in its own right (بغداد is, غداد is not). Names the caller knows
(knowledge base, gazetteer) can be added with `add_known_forms`; they earn splits of
و ف ب ل (لكوباني), not of ك "like", which rarely stands before a name (كلاوس is Claus,
not ك + Laos). Decisions are
cached per word form, so the cost per token is a dict lookup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rasd.doc import Token
from rasd.text.normalize import normalize, normalize_with_map

# A number (3.5, 1,500), a word (letters with their diacritics and tatweel), or one other mark.
# The word is letters, then runs of marks each followed by letters: one character class per
# run, which the regex engine scans far faster than an alternation tried at every character.
_MARKS = r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]"
_WORD = re.compile(rf"\d+(?:[.,]\d+)*|[^\W\d_]+(?:{_MARKS}+[^\W\d_]*)*|\S")
_CONJ = ("و", "ف")
# Future س is left out: it attaches to verbs only, and splitting it cuts nouns (سكاي، سوريا).
_PREP = ("ب", "ل", "ك")
# Attached pronouns. First/second person singular ي and ك are left out: news prose rarely
# uses them, and stripping them would cut nisba adjectives (الشعبي، العراقي) and names (مبارك).
_SUFFIXES = ("هما", "ها", "هم", "هن", "كما", "كم", "كن", "نا", "ه")
# Words that begin with ال but are not article + noun.
_NOT_ARTICLE = frozenset({"الله", "الذي", "التي", "الذين", "اللذان", "اللتان", "اللاتي", "الا", "الي", "الان", "اللهم"})
MIN_STEM = 3  # shorter remainders (ما، عد، كن) are almost always whole words, not clitic + stem
MIN_BARE_COUNT = 5  # a bare form rarer than this in the corpus is no evidence for a split
SPLIT_RATIO = 0.3  # the bare form must be at least this common relative to the whole word
EXTRA_CLITIC_PENALTY = 0.05  # a reading with one more clitic must have a 20x commoner stem


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    path = resources.files("rasd") / "data/lexicons/wordfreq_ar.tsv"
    counts: dict[str, int] = {}
    if not path.is_file():
        return counts
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("form\t"):
                continue
            form, _, count = line.rstrip("\n").partition("\t")
            counts[form] = int(count)
    return counts


# A declared name counts as this common: enough to split a clitic off an unknown word
# (لكوباني → ل+كوباني), too little to split a common word (بيان stays whole even if يان is a town).
KNOWN_FORM_COUNT = 50


@lru_cache(maxsize=1)
def _segmentation_counts() -> dict[str, int]:
    """The corpus counts as segmentation sees them: names declared by add_known_forms
    count as KNOWN_FORM_COUNT at least."""
    return dict(_frequencies())


def add_known_forms(forms: set[str] | frozenset[str] | list[str]) -> None:
    """Declare normalised word forms (names from the KB or gazetteer) as known stems, for
    clitic segmentation only: `word_count` keeps the corpus's own counts, which say how
    common a word is (a small town declared here is no common word)."""
    counts = _segmentation_counts()
    for form in forms:
        if len(form) >= MIN_STEM and " " not in form and counts.get(form, 0) < KNOWN_FORM_COUNT:
            counts[form] = KNOWN_FORM_COUNT
    clear_caches()


def word_count(form: str) -> int:
    """How often a normalised word form occurs in the reference corpus (0 if unknown)."""
    return _frequencies().get(form, 0)


def _known_count(form: str) -> int:
    """A form's count for segmentation (declared names included)."""
    return _segmentation_counts().get(form, 0)


def word_forms() -> list[str]:
    """The normalised word forms of the shipped corpus counts (most frequent first)."""
    return list(_frequencies())


def strip_article(norm_word: str) -> str:
    """A normalised word without its article, as tokens key their stems (الحشد → حشد; الله stays)."""
    if norm_word.startswith("ال") and len(norm_word) >= 4 and norm_word not in _NOT_ARTICLE:
        return norm_word[2:]
    return norm_word


def _bare_forms(remainder: str, article: bool, suffix: str) -> list[str]:
    """How the stem would be written alone: with its article; before a pronoun, with
    ta marbuta (حكومت+ه → حكومة) or final hamza (وكلائ+ها → وكلاء) restored."""
    form = ("ال" + remainder) if article else remainder
    forms = [form]
    if suffix and form[-1] == "ت":
        forms.append(form[:-1] + "ه")
    if suffix and form[-1] in "يو":
        forms.append(form[:-1] + "ء")
    return forms


# The attached pronouns by last letter, in _SUFFIXES order (only those can end a given word).
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _suffix in _SUFFIXES:
    _SUFFIXES_BY_LAST[_suffix[-1]] = _SUFFIXES_BY_LAST.get(_suffix[-1], ()) + (_suffix,)
# A reading's weight by its number of clitics beyond the first (0, 1 or 2).
_CLITIC_WEIGHTS = tuple(EXTRA_CLITIC_PENALTY**extra for extra in range(3))
_NO_SPLIT: tuple[int, int, tuple[str, ...], str, bool] = (0, 0, (), "", False)


def _segment(norm_word: str, final_letter_is_pronoun: bool = True) -> tuple[int, int, tuple[str, ...], str, bool]:
    """Return (proclitic_chars, suffix_chars, prefixes, suffix, elided_article) for a normalised word.

    `proclitic_chars` counts the written letters of و ف ب ل ك; the article is not
    split here (see `_analyse_word`). `final_letter_is_pronoun` is False when the
    written word ends in ة or ى, which normalise to the pronoun letters ه and ي.

    Every reading (proclitics from `_prefix_options` × an attached pronoun or none) is
    scored by how common its bare stem is; the best one wins, the first on a tie. Not
    cached itself: the caller caches per written word, and few new written words share
    a normalised form (6% in the corpus), too few to pay for a second cache.
    """
    known = _segmentation_counts()
    corpus = _frequencies()
    whole = known.get(norm_word, 0)
    # The word's possible pronoun endings (every reading shares the word's end).
    suffixes = [""]
    for suffix in _SUFFIXES_BY_LAST.get(norm_word[-1:], ()):
        if norm_word.endswith(suffix) and (len(suffix) > 1 or final_letter_is_pronoun):
            suffixes.append(suffix)
    if norm_word[:1] in _PROCLITIC_LETTERS:
        options = _prefix_options(norm_word)
    elif len(suffixes) == 1:  # no clitic at either end (many words): _fallback splits nothing either
        return _NO_SPLIT
    else:
        options = [((), 0, norm_word)]
    best = _NO_SPLIT
    best_score = 0.0
    threshold = SPLIT_RATIO * whole
    for prefixes, consumed, rest in options:
        for suffix in suffixes:
            if suffix:
                stem = rest[: len(rest) - len(suffix)]
            elif prefixes:
                stem = rest
            else:
                continue
            article = stem.startswith("ال") and stem not in _NOT_ARTICLE
            if len(stem) - (2 if article else 0) < MIN_STEM:
                continue
            # The stem as written alone (see _bare_forms): itself, or before a pronoun with
            # ta marbuta (حكومت+ه → حكومة) or final hamza (وكلائ+ها → وكلاء) restored.
            # ك "like" rarely stands before a name: a declared name earns no ك split, only
            # the corpus's own count of the stem does (كلاوس is Claus, not ك + Laos; كوتير,
            # كاران are words, not ك + a village the gazetteer knows).
            counts = corpus if "ك" in prefixes else known
            count = counts.get(stem, 0)
            if suffix:
                last = stem[-1]
                if last == "ت":
                    count = max(count, counts.get(stem[:-1] + "ه", 0))
                elif last == "ي" or last == "و":
                    count = max(count, counts.get(stem[:-1] + "ء", 0))
            if count < MIN_BARE_COUNT or count < threshold:
                continue
            # Each extra clitic must be earned: و+ك+لائ+ها loses to وكلاء+ها.
            score = count * _CLITIC_WEIGHTS[len(prefixes) + bool(suffix) - 1]
            if score > best_score:
                best_score = score
                best = (consumed, len(suffix), prefixes, suffix, len(rest) > len(norm_word) - consumed)
    if best is _NO_SPLIT and whole == 0:
        return _fallback(norm_word)
    return best


_CONJ_LETTERS = frozenset(_CONJ)
_PREP_LETTERS = frozenset(_PREP)
_PROCLITIC_LETTERS = _CONJ_LETTERS | _PREP_LETTERS


def _prefix_options(word: str) -> list[tuple[tuple[str, ...], int, str]]:
    """Every reading of the word's first letters as proclitics: (prefixes, letters, rest),
    the bare word first, then ب/ل/ك, or و/ف alone and then و/ف + ب/ل/ك."""
    options: list[tuple[tuple[str, ...], int, str]] = [((), 0, word)]
    first = word[:1]
    if first in _PREP_LETTERS:
        _add_preposition(options, (first,), word)
    elif first in _CONJ_LETTERS:
        options.append(((first,), 1, word[1:]))
        second = word[1:2]
        if second in _PREP_LETTERS:
            _add_preposition(options, (first, second), word)
    return options


def _add_preposition(options: list[tuple[tuple[str, ...], int, str]], prefixes: tuple[str, ...], word: str) -> None:
    consumed = len(prefixes)
    rest = word[consumed:]
    if prefixes[-1] == "ل" and rest.startswith("ل") and not rest.startswith("ال"):
        options.append((prefixes, consumed, "ا" + rest))  # لل = ل + ال: للقنصلية
    options.append((prefixes, consumed, rest))


_FALLBACK_SUFFIXES = ("هما", "ها", "هم", "هن")


def _fallback(word: str) -> tuple[int, int, tuple[str, ...], str, bool]:
    """Unknown word: only the unmistakable clitics are split off (article combinations,
    plural/feminine pronouns after a long stem)."""
    suffix = next((s for s in _FALLBACK_SUFFIXES if word.endswith(s) and len(word) - len(s) >= 4), "")
    rest = word[: len(word) - len(suffix)]
    for lead in ("وال", "فال", "بال", "كال", "لل"):
        if rest.startswith(lead) and len(rest) - len(lead) >= MIN_STEM:
            return (1, len(suffix), (lead[0],), suffix, lead == "لل")
    if suffix and rest[0] in "وف" and _known_count(rest[1:]) >= MIN_BARE_COUNT:
        return (1, len(suffix), (rest[0],), suffix, False)
    return (0, len(suffix), (), suffix, False)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]` with offsets into `text`."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    append = tokens.append
    analysis = _ANALYSES.get
    # Only whitespace lies between tokens (a lone mark is a token), so each token starts
    # where the previous one ended plus its leading whitespace: no match objects needed.
    token_start = start
    for space, word in _SPACED_WORD.findall(text, start, end):
        token_start += len(space)
        length, stem_start, stem_end, key, prefixes, suffix = analysis(word) or _remember(word)
        token_end = token_start + length
        append(Token(token_start, token_end, word, token_start + stem_start, token_start + stem_end, key, prefixes, suffix))
        token_start = token_end
    return tokens


_SPACED_WORD = re.compile(rf"(\s*)({_WORD.pattern})")

# Written word -> (length, stem offset, stem end offset, key, prefixes, suffix). Bounded: cleared when full.
_ANALYSES: dict[str, tuple[int, int, int, str, tuple[str, ...], str]] = {}
MAX_CACHED_WORDS = 500_000


def _remember(word: str) -> tuple[int, int, int, str, tuple[str, ...], str]:
    if len(_ANALYSES) >= MAX_CACHED_WORDS:
        _ANALYSES.clear()
    if len(word) < 2 or not word[0].isalpha():
        info = (len(word), 0, len(word), normalize(word), (), "")
    else:
        info = _analyse_word(word)
    _ANALYSES[word] = info
    return info


def _analyse_word(word: str) -> tuple[int, int, int, str, tuple[str, ...], str]:
    """Segment a written word: (length, stem offset, stem end offset, stem key, prefixes, suffix).

    The stem span keeps the article (الحشد in والحشد) except after لل, where the
    article's alef is not written; the key never has the article.
    """
    norm_word = normalize(word)
    # Without diacritics or tatweel (most words) normalising keeps every offset.
    index: list[int] | None = None
    if len(norm_word) != len(word):
        norm_word, index = normalize_with_map(word)
    consumed, suffix_chars, prefixes, suffix, elided_article = _segment(norm_word, word[-1] not in "ةى")
    stem_end = len(norm_word) - suffix_chars
    stem_norm = norm_word[consumed:stem_end]
    stem_start = consumed
    if elided_article:
        prefixes, stem_norm = prefixes + ("ال",), stem_norm[1:]
        stem_start += 1
    elif (bare := strip_article(stem_norm)) != stem_norm:
        prefixes, stem_norm = prefixes + ("ال",), bare
    if index is not None:
        stem_start, stem_end = index[stem_start], index[stem_end]
    return len(word), stem_start, stem_end, _stem_key(stem_norm, suffix), prefixes, suffix


def _stem_key(stem_norm: str, suffix: str) -> str:
    """The stem as a lexicon key: ta marbuta or hamza restored before an attached pronoun."""
    if not suffix or not stem_norm:
        return stem_norm
    forms = _bare_forms(stem_norm, False, suffix)
    return max(forms, key=lambda form: _known_count(form) + _known_count("ال" + form))


def clear_caches() -> None:
    _ANALYSES.clear()
