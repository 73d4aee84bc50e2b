"""Read endpoints: events, incidents, articles, entities, search, stats. JSON only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from rasd.api.models import ErrorBody, ListPage
from rasd.api.queries import Paging, event_filters, no_nul, paging
from rasd.store.base import MAX_LIMIT, Filters, Store

router = APIRouter(prefix="/api", tags=["read"])

COUNT_CAP = 1_000_000  # a total counted by walking pages stops here
EXCERPT_CONTEXT = 160  # characters of article text kept around an incident's evidence

_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}, 422: {"model": ErrorBody}}
ID = Annotated[str, Path(min_length=1, max_length=300, pattern=r"^[^\x00]+$")]


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]
FiltersDep = Annotated[Filters, Depends(event_filters)]
PagingDep = Annotated[Paging, Depends(paging)]


def _total(store: Store, counter: str, args: tuple[Any, ...], walk: Callable[[int, int], list[Any]]) -> int:
    """The number of matches: the store's `count_*` method where it has one, else walk the pages."""
    count = getattr(store, counter, None)
    if callable(count):
        return int(count(*args))
    total = 0
    while total < COUNT_CAP:
        got = len(walk(MAX_LIMIT, total))
        total += got
        if got < MAX_LIMIT:
            break
    return total


def _page(store: Store, counter: str, args: tuple[Any, ...], walk: Callable[[int, int], list[Any]],
          page: Paging) -> ListPage:
    items = walk(page.limit, page.offset)
    if page.offset == 0 and len(items) < page.limit:
        total = len(items)
    else:
        total = _total(store, counter, args, walk)
    return ListPage(total=total, limit=page.limit, offset=page.offset, items=items)


@router.get("/events", response_model=ListPage, responses=_ERRORS, summary="Events matching the filters")
async def events(store: StoreDep, filters: FiltersDep, page: PagingDep) -> ListPage:
    return _page(store, "count_events", (filters,),
                 lambda limit, offset: store.query_events(filters, limit, offset), page)


@router.get("/incidents", response_model=ListPage, responses=_ERRORS,
            summary="Incidents (the same event across outlets, merged) matching the filters")
async def incidents(
    store: StoreDep,
    filters: FiltersDep,
    page: PagingDep,
    members: Annotated[bool, Query(description="include why each event was merged")] = False,
) -> ListPage:
    return _page(store, "count_incidents", (filters,),
                 lambda limit, offset: store.query_incidents(filters, limit, offset, members=members), page)


@router.get("/incidents/{incident_id}", responses=_ERRORS,
            summary="One incident with every report of it: article, outlet, sources, evidence")
async def incident(store: StoreDep, incident_id: ID) -> dict[str, Any]:
    found = _find_incident(store, incident_id)
    if found is None:
        raise HTTPException(404, f"no incident {incident_id!r}")
    member_events = {m.get("event_id") for m in found.get("members") or []}
    reports = []
    for article_id in found.get("articles") or []:
        article = store.get_article(article_id)
        if article is None:
            continue
        events = [e for e in article.get("events", [])
                  if e.get("incident_id") == incident_id or e.get("id") in member_events
                  or f"{article_id}#{e.get('id')}" in member_events]
        report = _report(article, events)
        report["merged_because"] = sorted({r for m in found.get("members") or []
                                           if m.get("article_id") == article_id for r in m.get("reasons") or []})
        reports.append(report)
    return {**found, "reports": reports}


def _find_incident(store: Store, incident_id: str) -> dict[str, Any] | None:
    """The incident with its members: the store's `get_incident` where it has one, else a scan.

    The scan lists incidents without members (one query per page), then asks for the members
    of the few incidents sharing the found one's type, day and place.
    """
    getter = getattr(store, "get_incident", None)
    if callable(getter):
        return getter(incident_id)
    found = None
    offset = 0
    while found is None and offset < COUNT_CAP:
        batch = store.query_incidents(None, MAX_LIMIT, offset)
        found = next((item for item in batch if item.get("id") == incident_id), None)
        if len(batch) < MAX_LIMIT:
            break
        offset += MAX_LIMIT
    if found is None:
        return None
    location = found.get("location") or {}
    near = None
    if isinstance(location.get("lat"), int | float) and isinstance(location.get("lon"), int | float):
        near = (float(location["lat"]), float(location["lon"]), 1.0)
    narrowed = Filters(types=(found["event_type"],) if found.get("event_type") else (),
                       date_from=found.get("date"), date_to=found.get("date"), near=near)
    for item in store.query_incidents(narrowed, 1000, 0, members=True):
        if item.get("id") == incident_id:
            return item
    return found


def _report(article: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """One article's report of an incident: its events, the sources it cites, an excerpt."""
    title = article.get("title") or ""
    body = article.get("body") or ""
    text = f"{title}\n\n{body}" if title else body
    attribution_ids = {a for e in events for a in e.get("attribution_ids") or []}
    # Stored event ids are "<article id>#<local id>"; attributions name the local id.
    event_ids = {str(e.get("id")).rsplit("#", 1)[-1] for e in events} | {e.get("id") for e in events}
    attributions = [a for a in article.get("attributions", [])
                    if a.get("id") in attribution_ids or event_ids & set(a.get("supports") or [])]
    spans = [e.get("evidence_span") for e in events] + [a.get("span") for a in attributions]
    spans = [s for s in spans if s and isinstance(s.get("start"), int) and isinstance(s.get("end"), int)]
    if spans:
        start = max(0, min(s["start"] for s in spans) - EXCERPT_CONTEXT)
        end = min(len(text), max(s["end"] for s in spans) + EXCERPT_CONTEXT)
    else:
        start, end = 0, min(len(text), 2 * EXCERPT_CONTEXT)
    return {
        "article": {k: article.get(k) for k in ("id", "title", "source", "url", "published")},
        "events": events,
        "attributions": attributions,
        "excerpt": {"start": start, "end": end, "text": text[start:end]},
    }


@router.get("/articles/{article_id}", responses=_ERRORS,
            summary="One article: clean text and every span (entities, places, events, sources)")
async def article(store: StoreDep, article_id: ID) -> dict[str, Any]:
    found = store.get_article(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    found = dict(found)
    raw = found.pop("raw", None)  # the untouched input: large, and only for `rasd export`
    found["has_raw"] = raw is not None
    title, body = found.get("title") or "", found.get("body") or ""
    found["text"] = f"{title}\n\n{body}" if title else body
    return found


@router.get("/entities", response_model=ListPage, responses=_ERRORS,
            summary="Distinct entities with article and mention counts")
async def entities(
    store: StoreDep,
    page: PagingDep,
    q: Annotated[str | None, Query(description="prefix of the Arabic text or English name", max_length=200)] = None,
    type: Annotated[Literal["PER", "ORG", "LOC"] | None, Query()] = None,
) -> ListPage:
    text = no_nul(q, "q") or None
    return _page(store, "count_entities", (text, type),
                 lambda limit, offset: store.query_entities(text, type, limit, offset), page)


@router.get("/search", response_model=ListPage, responses=_ERRORS,
            summary="Full-text search over articles (Arabic-normalised), with the event filters")
async def search(
    store: StoreDep,
    filters: FiltersDep,
    page: PagingDep,
    q: Annotated[str, Query(description="words to find; empty lists articles with matching events",
                            max_length=500)] = "",
) -> ListPage:
    no_nul(q, "q")
    return _page(store, "count_search", (q, filters),
                 lambda limit, offset: store.search(q, filters, limit, offset), page)


@router.get("/stats", summary="Counts of what the store holds")
async def stats(store: StoreDep) -> dict[str, Any]:
    return store.stats()
