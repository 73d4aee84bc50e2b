"""Hand-built analysed articles for the store tests (importable: pytest puts this folder on sys.path)."""

from __future__ import annotations

from rasd.doc import Doc, Entity, Event, Place, Span


def make_doc(doc_id: str, title: str, body: str, *, town: str | None = None, lat: float | None = None,
             lon: float | None = None, country: str | None = "TR", event_type: str = "Explosions/Remote violence",
             sub_event_type: str = "Suicide bomb", date: str | None = "2015-07-20", fatalities: int | None = 0,
             source: str = "outlet", actor1: str | None = None, published: str = "2015-07-21",
             url: str | None = None, geo_precision: int = 1) -> Doc:
    """A hand-built analysed article with one event whose evidence is the body's first sentence."""
    doc = Doc(id=doc_id, title=title, body=body, published=published, source=source,
              url=url or f"https://example.org/{doc_id}")
    sentence = body.split(".")[0]
    start = doc.text.index(sentence)
    place = Place(name=town, lat=lat, lon=lon, country=country, geo_precision=geo_precision) if town else None
    doc.events = [Event(event_type, sub_event_type, Span(start, start + len(sentence), sentence), date=date,
                        time_precision=1, location=place, fatalities=fatalities, sources=["Reuters"],
                        actor1=actor1, id="V1")]
    if town:
        at = doc.text.index(town)
        doc.entities = [Entity(text=town, type="LOC", mentions=[Span(at, at + len(town), town)], id="E1",
                               place=place)]
    return doc
