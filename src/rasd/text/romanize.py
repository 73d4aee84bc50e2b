"""A readable romanisation of Arabic names, for English glosses of names that neither the
knowledge base nor the gazetteer knows (a person the NER model found, a village).

Arabic does not write short vowels, so this is a gloss, not a transcription:
دلشاد مولود → "Dlshad Mulud". The letter table is data (`data/charmaps/romanize_ar.json`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

_DIACRITICS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0640", "\u0670"}


@lru_cache(maxsize=1)
def _table() -> dict:
    path = resources.files("rasd") / "data/charmaps/romanize_ar.json"
    return json.loads(path.read_text(encoding="utf-8"))


def romanize(name: str) -> str:
    """Romanise an Arabic name word by word; Latin text and digits pass through."""
    return " ".join(_word(w) for w in name.split())


@lru_cache(maxsize=50_000)
def _word(word: str) -> str:
    table = _table()
    letters, vowels = table["letters"], table["long_vowels"]
    word = "".join(ch for ch in word if ch not in _DIACRITICS)
    prefix = ""
    if word.startswith("ال") and len(word) > 3:
        prefix, word = table["article"], word[2:]
    out = []
    for i, ch in enumerate(word):
        between = 0 < i < len(word) - 1 and word[i - 1] not in vowels and word[i - 1] != "ا"
        out.append(vowels[ch] if ch in vowels and between else letters.get(ch, ch))
    text = "".join(out).replace("''", "'")
    first = next((i for i, ch in enumerate(text) if ch.isalpha()), len(text))
    return prefix + text[:first] + text[first : first + 1].upper() + text[first + 1 :]
