"""The fast tokeniser against plain reference versions of the same rules.

`_segment` and the word pattern are written for speed; the references below state the
rules directly (every proclitic reading × every pronoun ending, one letter-or-mark at a
time). They must agree on every form, so a speed-up can never change a token.
"""

import re

import pytest

from rasd.analyze.tokens import Tokenizer
from rasd.doc import Doc
from rasd.text import tokens as T

_REFERENCE_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_](?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])*|\S")


def _reference_prefix_options(word: str) -> list[tuple[tuple[str, ...], int, str]]:
    options: list[tuple[tuple[str, ...], int, str]] = [((), 0, word)]
    for conj in ("", "و", "ف"):
        if conj and not word.startswith(conj):
            continue
        after_conj = word[len(conj) :]
        for prep in ("", "ب", "ل", "ك"):
            if (not conj and not prep) or (prep and not after_conj.startswith(prep)):
                continue
            consumed = len(conj) + len(prep)
            rest = word[consumed:]
            prefixes = tuple(p for p in (conj, prep) if p)
            if prep == "ل" and rest.startswith("ل") and not rest.startswith("ال"):
                options.append((prefixes, consumed, "ا" + rest))
            options.append((prefixes, consumed, rest))
    return options


def _reference_segment(norm_word: str, final_letter_is_pronoun: bool) -> tuple:
    whole = T._known_count(norm_word)
    best: tuple = (0, 0, (), "", False)
    best_score = 0.0
    suffixes = ("",) + tuple(
        s for s in T._SUFFIXES if norm_word.endswith(s) and (len(s) > 1 or final_letter_is_pronoun)
    )
    for prefixes, consumed, rest in _reference_prefix_options(norm_word):
        for suffix in suffixes:
            if not prefixes and not suffix:
                continue
            stem = rest[: len(rest) - len(suffix)] if suffix else rest
            article = stem.startswith("ال") and stem not in T._NOT_ARTICLE
            core = stem[2:] if article else stem
            if len(core) < T.MIN_STEM:
                continue
            # ك "like": only the corpus's own count of the stem, no declared name, earns it
            counted = T.word_count if "ك" in prefixes else T._known_count
            count = max(counted(form) for form in T._bare_forms(core, article, suffix))
            if count < T.MIN_BARE_COUNT or count < T.SPLIT_RATIO * T._known_count(norm_word):
                continue
            score = count * T.EXTRA_CLITIC_PENALTY ** (len(prefixes) + bool(suffix) - 1)
            if score > best_score:
                best_score = score
                best = (consumed, len(suffix), prefixes, suffix, len(rest) > len(norm_word) - consumed)
    if not best[0] and not best[1] and whole == 0:
        best = T._fallback(norm_word)
    return best


def _clitic_variants(forms: list[str]) -> list[str]:
    """Common forms with every proclitic and pronoun combination the rules look at."""
    words = set(forms)
    for form in forms:
        for prefix in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فل", "وك"):
            words.add(prefix + form)
        if form.startswith("ال"):
            words.update(("لل" + form[2:], "ولل" + form[2:], "بال" + form[2:]))
        for suffix in T._SUFFIXES:
            words.add(form + suffix)
            if form.endswith("ه"):
                words.add(form[:-1] + "ت" + suffix)
            if form.endswith("ء"):
                words.update((form[:-1] + "ي" + suffix, form[:-1] + "و" + suffix, "و" + form[:-1] + "ي" + suffix))
    return sorted(words | {"", "و", "لل", "ها", "وال", "ه"})


def test_segment_agrees_with_the_reference_rules():
    words = _clitic_variants(T.word_forms()[:3000])
    for final_letter_is_pronoun in (True, False):
        disagreements = [
            word for word in words
            if T._segment(word, final_letter_is_pronoun) != _reference_segment(word, final_letter_is_pronoun)
        ]
        assert disagreements == []


@pytest.mark.parametrize("code_points", [range(0x0000, 0x0800), range(0x0800, 0x2100), range(0xFB50, 0xFF00)])
def test_word_pattern_agrees_with_the_reference_pattern(code_points):
    for char in map(chr, code_points):
        for text in (char, "ب" + char, "ب" + char + "ب", char + char + "ب", "3" + char + "5"):
            assert T._WORD.findall(text) == _REFERENCE_WORD.findall(text), hex(ord(char))
    text = "قُتِلَ ٢٧ شخصاً وأُصيبَ 3.5 ألفـــاً في بِبَغْدَادَ، «الحُكومةُ» قالت"
    assert [m.span() for m in T._WORD.finditer(text)] == [m.span() for m in _REFERENCE_WORD.finditer(text)]


def test_each_sentence_takes_the_tokens_that_start_inside_it():
    doc = Tokenizer()(Doc(id="t", title="انفجار في بغداد", body="قتل 3.5 شخص.وقال مصدر: «لا أحد؟ نعم».\n\nانتهى"))
    spans = [(s.token_start, s.token_end) for s in doc.sentences]
    expected = [
        (
            next((i for i, t in enumerate(doc.tokens) if t.start >= s.start), len(doc.tokens)),
            next((i for i, t in enumerate(doc.tokens) if t.start >= s.end), len(doc.tokens)),
        )
        for s in doc.sentences
    ]
    assert len(spans) == 4 and spans == expected
    assert spans[-1][1] == len(doc.tokens)
