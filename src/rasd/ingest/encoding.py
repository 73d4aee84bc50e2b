"""Decode article bytes: UTF-8 (with or without BOM), UTF-16, windows-1256, ISO-8859-6.

Legacy Arabic code pages cannot be told apart by their bytes alone, so both are
tried and the reading with more Arabic letters and common Arabic words wins.
"""

from __future__ import annotations

import codecs
import re

from rasd.errors import InputError

_COMMON_WORDS = re.compile(r"(?:^|\s)(?:في|من|على|إلى|الى|عن|أن|ان|التي|الذي|مع|قال)(?=\s|$)")
BINARY_CONTROL_RATIO = 0.05  # text has almost no control characters; binaries have many
# Control characters other than the white space text uses (\t \n \f \r). Counted by a regex,
# not char by char: every line of a JSONL archive passes through here.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError naming `where`."""
    if not data.strip():
        raise InputError(f"{where}: empty file")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", where), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", where), "utf-16"
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16, where), utf16
    if b"\x00" in data:
        raise InputError(f"{where}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = _legacy_arabic(data, where)
    else:
        encoding = "utf-8"
    if _control_ratio(text) > BINARY_CONTROL_RATIO:
        raise InputError(f"{where}: binary file (too many control characters), not text")
    return text, encoding


def _strict(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{where}: not valid {encoding} at byte {error.start}") from error


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII/Arabic text is 0x00 or 0x06."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for high, name in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if high.count(0) + high.count(6) > 0.9 * len(high):
            return name
    return None


def _legacy_arabic(data: bytes, where: str) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for encoding in ("windows-1256", "iso-8859-6"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _arabic_score(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] <= 0:
        raise InputError(f"{where}: unknown encoding (not UTF-8, UTF-16, windows-1256 or ISO-8859-6)")
    return best[1], best[2]


def _arabic_score(text: str) -> float:
    letters = sum("\u0621" <= ch <= "\u064a" for ch in text)
    return letters / max(1, len(text)) + 0.05 * len(_COMMON_WORDS.findall(text))


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    return controls / max(1, len(sample))
