"""Exports of stored events or incidents: CSV (ACLED-like columns), GeoJSON, JSONL, Parquet.

CSV and Parquet rows have ACLED's column names first (`event_id, event_date,
time_precision, event_type, sub_event_type, actor1, actor2, country, admin1, location,
latitude, longitude, geo_precision, source, notes, fatalities`), then rasd's own:
the evidence sentence and its offsets, the article(s) and their URLs, the incident, and
for incidents the fatality range and member count. `source` joins the sources cited
with "; " as ACLED does; the outlet that published the article is `outlet`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from rasd.store.base import Store

FORMATS = ("csv", "geojson", "jsonl", "parquet")
ACLED_COLUMNS = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
)
EVENT_EXTRA = ("injuries", "modality", "evidence", "evidence_start", "evidence_end", "article_id", "article_url",
               "article_title", "outlet", "incident_id")
INCIDENT_EXTRA = ("fatalities_min", "fatalities_max", "date_min", "date_max", "n_events", "n_articles",
                  "article_ids", "outlets")


def records(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """The stored events or incidents as nested dicts (the `Store` record shapes)."""
    if what == "events":
        return store.iter_events()
    if what == "incidents":
        return store.iter_incidents()
    raise ValueError(f"unknown export {what!r}: events or incidents")


def flat_row(record: dict[str, Any], what: str) -> dict[str, Any]:
    """One record as an ACLED-like flat row."""
    location = record.get("location") or {}
    row: dict[str, Any] = {
        "event_id": record["id"], "event_date": record.get("date"), "time_precision": record.get("time_precision"),
        "event_type": record.get("event_type"), "sub_event_type": record.get("sub_event_type"),
        "actor1": record.get("actor1"), "actor2": record.get("actor2"), "country": location.get("country"),
        "admin1": location.get("admin1"), "location": location.get("name_en") or location.get("name"),
        "latitude": location.get("lat"), "longitude": location.get("lon"),
        "geo_precision": location.get("geo_precision"), "source": "; ".join(record.get("sources") or []),
        "notes": record.get("notes") or "", "fatalities": record.get("fatalities"),
    }
    if what == "events":
        span = record.get("evidence_span") or {}
        article = record.get("article") or {}
        row.update(injuries=record.get("injuries"), modality=record.get("modality"), evidence=record.get("evidence"),
                   evidence_start=span.get("start"), evidence_end=span.get("end"), article_id=record["article_id"],
                   article_url=article.get("url"), article_title=article.get("title"), outlet=article.get("source"),
                   incident_id=record.get("incident_id"))
    else:
        low, high = record.get("fatalities_range") or [None, None]
        date_min, date_max = record.get("date_range") or [None, None]
        row.update(fatalities_min=low, fatalities_max=high, date_min=date_min, date_max=date_max,
                   n_events=record.get("n_events"), n_articles=record.get("n_articles"),
                   article_ids="; ".join(record.get("articles") or []),
                   outlets="; ".join(record.get("outlets") or []))
    return row


def columns(what: str) -> tuple[str, ...]:
    return ACLED_COLUMNS + (EVENT_EXTRA if what == "events" else INCIDENT_EXTRA)


def write_csv(items: Iterable[dict[str, Any]], what: str, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=columns(what), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for item in items:
        writer.writerow(flat_row(item, what))
        n += 1
    return n


def write_jsonl(items: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_geojson(items: Iterable[dict[str, Any]], what: str, out: TextIO) -> int:
    """A FeatureCollection; records without coordinates are left out (they have no point)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for item in items:
        location = item.get("location") or {}
        if location.get("lat") is None or location.get("lon") is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]},
                   "properties": flat_row(item, what)}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def write_parquet(items: Iterable[dict[str, Any]], what: str, path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'rasd[export]'") from error
    rows = [flat_row(item, what) for item in items]
    names = columns(what)
    table = pa.table({name: [row.get(name) for row in rows] for name in names})
    pq.write_table(table, path)
    return len(rows)


def export(store: Store, fmt: str, what: str, output: Path | None, stdout: TextIO) -> int:
    """Write the export to `output` (or `stdout` for text formats); return the row count."""
    items = records(store, what)
    if fmt == "parquet":
        if output is None:
            raise ValueError("Parquet is binary: give -o FILE")
        return write_parquet(items, what, output)
    handle: TextIO = output.open("w", encoding="utf-8", newline="") if output else stdout
    try:
        if fmt == "csv":
            return write_csv(items, what, handle)
        if fmt == "geojson":
            return write_geojson(items, what, handle)
        if fmt == "jsonl":
            return write_jsonl(items, handle)
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    finally:
        if output:
            handle.close()


def to_string(store: Store, fmt: str, what: str) -> str:
    """The export as a string (text formats), for tests and the API."""
    buffer = io.StringIO()
    export(store, fmt, what, None, buffer)
    return buffer.getvalue()
