"""Sentence splitting: . ؟ ? ! ؛ and line breaks end a sentence, except inside quotes
(«» “” "") and inside numbers such as 3.5 or 1.500."""

from __future__ import annotations

import re

# Quote marks: «» and “” pair up; the straight " both opens and closes.
QUOTE_OPENERS, QUOTE_CLOSERS = "«“\"", "»”\""
QUOTE_MARKS = "«»“”\""
_CANDIDATES = re.compile(r'[.؟?!؛\n' + QUOTE_MARKS + ']')
_OPENERS = {"«": "»", "“": "”"}
_CLOSERS = {"»", "”"}
# A quote left open this many characters is treated as a stray mark, not a quotation.
MAX_QUOTE_CHARS = 600


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return `(start, end)` offsets of the sentences of `text[start:end]`, whitespace trimmed."""
    end = len(text) if end is None else end
    bounds: list[tuple[int, int]] = []
    sentence_start = start
    quote_open_at = -1
    for match in _CANDIDATES.finditer(text, start, end):
        ch, pos = match.group(), match.start()
        if quote_open_at >= 0 and pos - quote_open_at > MAX_QUOTE_CHARS:
            quote_open_at = -1
        if ch in _OPENERS:
            quote_open_at = pos
            continue
        if ch in _CLOSERS:
            quote_open_at = -1
            continue
        if ch == '"':
            quote_open_at = -1 if quote_open_at >= 0 else pos
            continue
        if ch == "\n":
            quote_open_at = -1
        elif quote_open_at >= 0 or _inside_number(text, pos, ch):
            continue
        cut = pos if ch == "\n" else pos + 1
        _add(text, bounds, sentence_start, cut)
        sentence_start = cut
    _add(text, bounds, sentence_start, end)
    return bounds


def _inside_number(text: str, pos: int, ch: str) -> bool:
    return ch == "." and 0 < pos < len(text) - 1 and text[pos - 1].isdigit() and text[pos + 1].isdigit()


def _add(text: str, bounds: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        bounds.append((start, end))
