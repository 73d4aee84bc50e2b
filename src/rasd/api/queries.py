"""Query parameters shared by the read endpoints: the filters of `rasd search` and paging."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Query

from rasd.store.base import Filters

MAX_PAGE = 1000  # items one request may ask for
MAX_OFFSET = 1_000_000


def no_nul(value: str | None, name: str) -> str | None:
    """Refuse NUL characters in query text (PostgreSQL text cannot hold them): 422, never a 500."""
    if value is not None and "\x00" in value:
        raise HTTPException(422, f"{name}: NUL characters are not allowed")
    return value


def _near(value: str | None) -> tuple[float, float, float] | None:
    if value is None or value == "":
        return None
    parts = value.split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise HTTPException(422, "near must be 'lat,lon,km', e.g. near=33.3,44.4,25") from None
    if not all(math.isfinite(v) for v in (lat, lon, km)):
        raise HTTPException(422, "near: numbers must be finite")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= 20_000):
        raise HTTPException(422, "near: lat in [-90, 90], lon in [-180, 180], km in (0, 20000]")
    return (lat, lon, km)


def _types(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(dict.fromkeys(out))


def event_filters(
    type: Annotated[
        list[str] | None,
        Query(description="event_type or sub_event_type; repeat or comma-separate for several", max_length=20),
    ] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2", pattern=r"^[A-Za-z]{2}$")] = None,
    admin1: Annotated[str | None, Query(max_length=200)] = None,
    near: Annotated[
        str | None, Query(description="lat,lon,km: within km of the point", max_length=100)
    ] = None,
    date_from: Annotated[dt.date | None, Query(alias="from", description="first day, inclusive")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to", description="last day, inclusive")] = None,
    actor: Annotated[str | None, Query(description="substring of actor1 or actor2", max_length=200)] = None,
) -> Filters:
    for name, value in (("country", country), ("admin1", admin1), ("near", near), ("actor", actor),
                        *(("type", v) for v in type or [])):
        no_nul(value, name)
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, "'from' is after 'to'")
    return Filters(
        types=_types(type),
        country=country.upper() if country else None,
        admin1=admin1 or None,
        near=_near(near),
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        actor=actor or None,
    )


@dataclass(slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Paging:
    return Paging(limit, offset)
