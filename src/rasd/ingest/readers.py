"""One reader per format (text, HTML, JSONL), chosen by file name or by sniffing."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasd.doc import Article, Quarantined
from rasd.errors import InputError
from rasd.ingest.encoding import decode_bytes

Item = Article | Quarantined
Reader = Callable[[Path, dict[str, str]], Iterator[Item]]

MAX_ARTICLE_BYTES = 5_000_000  # no news article is this long: a bigger text/HTML file is a dump or an accident
MAX_LINE_BYTES = 5_000_000
RAW_KEEP_BYTES = 100_000  # how much of an unreadable input the quarantine keeps
JSONL_FIELDS = ("id", "title", "text", "published", "source", "url")


def read_text_file(path: Path, fields: dict[str, str]) -> Iterator[Item]:
    """A plain-text article: the first non-empty line is the headline."""
    data = _read_bounded(path)
    text, encoding = decode_bytes(data, str(path))
    yield Article(id=path.stem, text=text, title=None, path=str(path), format="text", encoding=encoding)


def read_html_file(path: Path, fields: dict[str, str]) -> Iterator[Item]:
    """An HTML page: trafilatura finds the main text (no comments), htmldate the date."""
    data = _read_bounded(path)
    html, encoding = decode_bytes(data, str(path))
    article = article_from_html(html, path.stem, where=str(path))
    article.path, article.encoding = str(path), encoding
    yield article


def article_from_html(html: str, article_id: str, where: str = "HTML") -> Article:
    """The article in a page's HTML; raises InputError (naming `where`) when it has no text.

    Used for .html files and for HTML posted to the API alike."""
    import trafilatura
    from htmldate import find_date

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True, favor_precision=True
    )
    body = getattr(document, "text", None) if document is not None else None
    if not body:
        raise InputError(f"{where}: no article text found in the HTML")
    try:
        published = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a page without a readable date is still an article
        published = None
    return Article(
        id=article_id,
        text=body,
        title=(getattr(document, "title", None) or "").strip(),
        published=published,
        source=getattr(document, "sitename", None),
        url=getattr(document, "url", None),
        format="html",
    )


def read_jsonl_file(path: Path, fields: dict[str, str]) -> Iterator[Item]:
    """JSON Lines of articles (`id, title, text, published, source, url`); `fields` renames keys.

    A line that is not valid JSON or lacks text is quarantined with its line number.
    """
    opener = gzip.open if path.suffix == ".gz" else open
    seen_any = False
    with opener(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            seen_any = True
            where = f"{path}:{number}"
            try:
                yield article_from_json_line(raw, fields, path, number)
            except InputError as error:
                yield Quarantined(str(path), number, str(error).removeprefix(f"{where}: "), raw[:RAW_KEEP_BYTES])
    if not seen_any:
        raise InputError(f"{path}: empty file")


def article_from_json_line(raw: bytes, fields: dict[str, str], path: Path, number: int) -> Article:
    """One JSONL line as an Article; raises InputError naming `path:number` when it cannot be."""
    where = f"{path}:{number}"
    if len(raw) > MAX_LINE_BYTES:
        raise InputError(f"{where}: line of {len(raw):,} bytes is over the {MAX_LINE_BYTES:,}-byte limit")
    line, _ = decode_bytes(raw, where)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: malformed JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    known = _known_keys(tuple(sorted(fields.items())))
    values = {name: record.get(fields.get(name, name)) for name in JSONL_FIELDS}
    text = values["text"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no {fields.get('text', 'text')!r} field with article text")
    title = values["title"] if isinstance(values["title"], str) else None
    generated = values["id"] in (None, "")
    return Article(
        id=f"{path.stem}-{number}" if generated else str(values["id"]),
        text=text,
        title=title.strip() if title is not None else None,
        published=_iso_day(values["published"]),
        source=_str_or_none(values["source"]),
        url=_str_or_none(values["url"]),
        path=f"{path}:{number}",
        format="jsonl",
        encoding="utf-8",
        # id_generated: the store then knows the article by its URL, not by this made-up id.
        extra={**{k: v for k, v in record.items() if k not in known},
               **({"id_generated": True} if generated else {})},
    )


@lru_cache(maxsize=16)
def _known_keys(renames: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The record keys that fill Article fields (the rest go to `extra`), under `fields`' renames."""
    fields = dict(renames)
    return frozenset(fields.get(name, name) for name in JSONL_FIELDS)


def _iso_day(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).strip()
    return text[:10] if len(text) >= 10 and text[4] == "-" else text


def _str_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _read_bounded(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{path}: file of {size / 1e6:.1f} MB is over the {MAX_ARTICLE_BYTES / 1e6:.0f} MB limit for one article"
            " (split it, or give it as JSONL, one article per line)"
        )
    return path.read_bytes()


READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".jsonl": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".json": read_jsonl_file,
    ".gz": read_jsonl_file,
}


def _reader_for(path: Path) -> Reader:
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader
    with open(path, "rb") as handle:
        head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return read_html_file
    if head.startswith(b"{"):
        return read_jsonl_file
    return read_text_file


def _files_under(path: Path) -> Iterator[Path]:
    """Files in a directory tree that a reader claims (by extension, or none): READMEs and
    other documents beside the articles are not articles."""
    for child in sorted(path.rglob("*")):
        if child.is_file() and not child.name.startswith(".") and (child.suffix.lower() in READERS or not child.suffix):
            yield child


def read_paths(paths: Iterable[str | Path], fields: dict[str, str] | None = None) -> Iterator[Item]:
    """Articles from files and directories (recursively), in a stable order."""
    fields = fields or {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in _files_under(path):
                yield from _read_one(child, fields)
        else:
            yield from _read_one(path, fields)


def _read_one(path: Path, fields: dict[str, str]) -> Iterator[Item]:
    if not path.exists():
        yield Quarantined(str(path), None, "no such file or directory")
        return
    try:
        yield from _reader_for(path)(path, fields)
    except InputError as error:
        yield Quarantined(str(path), None, str(error).removeprefix(f"{path}: "), _head_bytes(path))
    except OSError as error:
        yield Quarantined(str(path), None, f"cannot read: {error.strerror or error}")


def _head_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(RAW_KEEP_BYTES)
    except OSError:
        return b""
