"""Filters to SQL, and query text to search terms. Values always go in as parameters.

Both back ends understand the `?` placeholders written here (PostgreSQL's adapter
rewrites them) and provide `rasd_km(lat1, lon1, lat2, lon2)`, a great-circle distance.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from typing import Any

from rasd.doc import Doc
from rasd.store.base import Filters
from rasd.text.normalize import normalize
from rasd.text.tokens import tokenize

KM_PER_DEGREE = 111.0


def where(filters: Filters | None, alias: str, *, incident: bool = False) -> tuple[str, list[Any]]:
    """`(sql, params)`: a condition (without WHERE) over `alias`'s event-like columns; "1=1" if none."""
    if filters is None or filters.is_empty():
        return "1=1", []
    parts: list[str] = []
    params: list[Any] = []
    a = alias
    if filters.types:
        marks = ", ".join("?" for _ in filters.types)
        parts.append(f"({a}.event_type IN ({marks}) OR {a}.sub_event_type IN ({marks}))")
        params += [*filters.types, *filters.types]
    if filters.country:
        parts.append(f"{a}.country = ?")
        params.append(filters.country.upper())
    if filters.admin1:
        parts.append(f"LOWER({a}.admin1) = LOWER(?)")
        params.append(filters.admin1)
    if filters.date_from:
        parts.append(f"{a}.{'date_max' if incident else 'date'} >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        parts.append(f"{a}.{'date_min' if incident else 'date'} <= ?")
        params.append(filters.date_to)
    if filters.actor:
        parts.append(f"(LOWER({a}.actor1) LIKE LOWER(?) OR LOWER({a}.actor2) LIKE LOWER(?))")
        pattern = f"%{filters.actor}%"
        params += [pattern, pattern]
    if filters.near:
        sql, near_params = near_condition(filters.near, a)
        parts.append(sql)
        params += near_params
    return " AND ".join(parts), params


def near_condition(near: tuple[float, float, float], a: str) -> tuple[str, list[Any]]:
    lat, lon, km = near
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(0.05, math.cos(math.radians(lat))))
    sql = (f"({a}.latitude BETWEEN ? AND ? AND {a}.longitude BETWEEN ? AND ?"
           f" AND rasd_km({a}.latitude, {a}.longitude, ?, ?) <= ?)")
    return sql, [lat - dlat, lat + dlat, lon - dlon, lon + dlon, lat, lon, km]


def terms_of_doc(doc: Doc) -> str:
    """The normalised, clitic-stripped stems of a doc's text, space-joined: what FTS indexes.

    Each word gives its stem key (والحشد, للحشد, الحشد → حشد) and, when the tokenizer split
    a final pronoun letter off, also the form with it (الانتحاري → انتحار, انتحاري), so a
    word segmented differently in the query and in the text still matches. Queries go
    through `query_terms`, which gives the same alternatives.
    """
    terms: list[str] = []
    for token in doc.tokens or tokenize(doc.text):  # `_forms` inlined: ~800 tokens an article
        norm = token.norm
        if norm and norm[0].isalnum():
            terms.append(norm)
            if token.suffix:
                terms.append(norm + _normalized_suffix(token.suffix))
    return " ".join(terms)


@lru_cache(maxsize=256)
def _normalized_suffix(suffix: str) -> str:
    return normalize(suffix)  # a handful of pronoun suffixes


def _forms(token: Any) -> tuple[str, ...]:
    norm = token.norm
    if not norm or not norm[0].isalnum():
        return ()
    if token.suffix:
        return (norm, norm + _normalized_suffix(token.suffix))
    return (norm,)


def query_terms(text: str) -> list[tuple[str, ...]]:
    """The words of a query, each as its alternative normalised forms (any may match)."""
    return [forms for forms in (_forms(t) for t in tokenize(text)) if forms]


def parse_near(value: str) -> tuple[float, float, float]:
    """'LAT,LON,KM' to a tuple; raises ValueError."""
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 3 or parts[2] <= 0 or not (-90 <= parts[0] <= 90 and -180 <= parts[1] <= 180):
        raise ValueError(f"--near wants LAT,LON,KM, got {value!r}")
    return parts[0], parts[1], parts[2]


def parse_day(value: str | None) -> str | None:
    if value is None:
        return None
    return date.fromisoformat(value).isoformat()
