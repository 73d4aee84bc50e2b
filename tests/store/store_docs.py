"""Hand-built analysed articles for the store tests (importable: pytest puts this folder on sys.path)."""

from __future__ import annotations

import numpy as np

from rasd.dedup import minhash
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


def old_bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) rows as `lsh_bands` held them until schema step 13: the band's key less the
    band's offset, as a signed 64-bit integer."""
    keys = minhash.band_keys(sig) - np.arange(minhash.BANDS, dtype=np.uint64) * minhash._BAND_STEP
    return list(enumerate(keys.view(np.int64).tolist()))


def restore_lsh_table(store) -> None:  # noqa: ANN001 - a SQLStore
    """Put back the `lsh_bands` table that schema step 13 dropped, as steps 1 to 9 kept it (keyed by
    the article's text id), filled from the stored signatures: a test that sets a store's version
    back before step 10 then gives the old steps the table they rebuild."""
    with store._transaction():
        store._execute("CREATE TABLE lsh_bands (band INTEGER NOT NULL, bucket BIGINT NOT NULL, article_id TEXT NOT NULL,"
                       " PRIMARY KEY (band, bucket, article_id))")
        for row in store._fetch("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL"):
            store._executemany("INSERT INTO lsh_bands (band, bucket, article_id) VALUES (?, ?, ?)",
                               [[band, bucket, row["id"]] for band, bucket in
                                old_bands(minhash.from_bytes(row["minhash"]))])


def has_table(store, name: str) -> bool:  # noqa: ANN001 - a SQLStore
    return bool(store.column_names(name))
