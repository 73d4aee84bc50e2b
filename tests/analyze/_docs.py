"""Build analysed Docs by hand (tokens from the real tokenizer, entities written in the test),
so the attribution and event stages can be tested without the entity recogniser."""

from __future__ import annotations

from rasd.analyze.tokens import Tokenizer
from rasd.doc import Doc, Entity, Place, Span


def place(name: str, lat: float, lon: float, country: str, admin1: str | None = None,
          feature: str = "city", name_en: str | None = None) -> Place:
    return Place(name=name, name_en=name_en or name, lat=lat, lon=lon, admin1=admin1, country=country,
                 geo_precision=3 if feature in ("country", "admin1", "region") else 1, feature=feature)


def make_doc(title: str, body: str, entities: list[tuple], published: str | None = None) -> Doc:
    """`entities`: (surface, type, name_en, kind) or (surface, "LOC", Place); every occurrence
    of `surface` (or of its `|`-separated variants) in the text becomes a mention; entities
    absent from the text are left out."""
    doc = Tokenizer()(Doc(id="t", title=title, body=body, published=published))
    text = doc.text
    for k, spec in enumerate(entities, 1):
        type_ = spec[1]
        mentions: list[Span] = []
        for surface in spec[0].split("|"):
            at = text.find(surface)
            while at >= 0:
                mentions.append(Span(at, at + len(surface), surface))
                at = text.find(surface, at + 1)
        if not mentions:
            continue
        surface = spec[0].split("|")[0]
        if type_ == "LOC":
            loc: Place = spec[2]
            doc.entities.append(Entity(surface, "LOC", loc.name_en, None, loc.feature, loc.country,
                                       mentions, place=loc, id=f"E{k}"))
        else:
            doc.entities.append(Entity(surface, type_, spec[2], None, spec[3], None, mentions, id=f"E{k}"))
    return doc
