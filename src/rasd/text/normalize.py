"""Normalisation for matching, keeping a map back to the original offsets.

Folds hamza/alef forms to ا, alef maqsura to ي, ta marbuta to ه, hamza on waw/ya
to و/ي, drops tatweel and diacritics, maps Arabic-Indic and Persian digits to
ASCII. The result is only for matching: offsets stored anywhere always point into
the original text, through the map returned by `normalize_with_map`.
"""

from __future__ import annotations

import re

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ی": "ي", "ک": "ك", "ھ": "ه",
}
_FOLD.update({chr(0x0660 + i): str(i) for i in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + i): str(i) for i in range(10)})  # Persian digits
# Characters dropped entirely: tatweel, harakat, superscript alef, Quranic marks, bidi marks.
_DROP = set(chr(c) for c in range(0x0610, 0x061B)) | set(chr(c) for c in range(0x064B, 0x0660))
_DROP |= {"\u0640", "\u0670", "\u200e", "\u200f", "\u200c", "\u200d", "\ufeff"}
_DROP |= set(chr(c) for c in range(0x06D6, 0x06EE))

_TABLE = str.maketrans({**_FOLD, **{ch: None for ch in _DROP}})
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold `text` for matching (no offset map). Case-folds Latin letters too."""
    return text.translate(_TABLE).lower()


_DROPPED = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_DROP)) + "]")
_FOLDS = sorted(_FOLD.items())


def normalize_long_text(text: str) -> str:
    """`normalize(text)` for a whole article, several times faster.

    `str.translate` looks every character up in its table; here a regex scan drops the
    dropped marks and `str.replace` folds only the few letters present. The folded forms
    are never themselves folded or dropped, so the order of the replacements cannot matter.
    """
    text = _DROPPED.sub("", text)
    for char, folded in _FOLDS:
        if char in text:
            text = text.replace(char, folded)
    return text.lower()


def normalize_key(text: str) -> str:
    """A lookup key: normalised, punctuation-free, single-spaced."""
    folded = normalize(text)
    folded = "".join(ch if ch.isalnum() else " " for ch in folded)
    return _SPACES.sub(" ", folded).strip()


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise and return `(normalised, index_map)`.

    `index_map[i]` is the offset in `text` of normalised character `i`; it has one
    extra entry (len(text)) so that an end offset maps too.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        out.append(_FOLD.get(ch, ch).lower())
        index.append(i)
    index.append(len(text))
    return "".join(out), index
