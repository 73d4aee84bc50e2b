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


def lsh_rows(store, article_id: str | None = None) -> list[tuple[int, int, str]]:  # noqa: ANN001 - a SQLStore
    """The (band, bucket, article id) rows of `lsh_bands`, sorted, whatever key the back end stores
    (SQLite: the article's rowid; PostgreSQL: its id)."""
    on = "a.rowid = l.article" if store.lsh_article == "article" else "a.id = l.article_id"
    where, params = ("WHERE a.id = ?", [article_id]) if article_id is not None else ("", [])
    rows = store._fetch(f"SELECT l.band, l.bucket, a.id FROM lsh_bands l JOIN articles a ON {on} {where}", params)
    return sorted((r["band"], r["bucket"], r["id"]) for r in rows)


def key_bands_by_text_id(store) -> None:  # noqa: ANN001 - a SQLStore
    """On SQLite, put `lsh_bands` back in its step-6 layout (keyed by the article's text id), same rows,
    and forget step 10; PostgreSQL's table has that layout."""
    if store.lsh_article == "article_id":
        return
    with store._transaction():
        store._execute("CREATE TABLE lsh_old (band INTEGER NOT NULL, bucket BIGINT NOT NULL, article_id TEXT NOT NULL,"
                       " PRIMARY KEY (band, bucket, article_id)) WITHOUT ROWID")
        store._execute("INSERT INTO lsh_old SELECT l.band, l.bucket, a.id FROM lsh_bands l"
                       " JOIN articles a ON a.rowid = l.article")
        store._execute("DROP TABLE lsh_bands")
        store._execute("ALTER TABLE lsh_old RENAME TO lsh_bands")
        store._execute("DELETE FROM schema_version WHERE version >= 10")
