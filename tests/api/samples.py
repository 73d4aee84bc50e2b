"""Hand-built analysed articles for the API and dashboard tests.

They are built from the data model directly, so the tests of the web layer do not depend
on how well the analysis stages do on a given day: one ordinary article with a PER, an ORG,
a geocoded LOC, an attributed event; and one hostile article whose text and fields carry
HTML and script that must stay inert everywhere.
"""

from __future__ import annotations

from rasd.doc import Attribution, Doc, Entity, Event, Place, Span
from rasd.store.base import Store

API_KEY = "test-key-123"

RAMADI = Place(name="الرمادي", name_en="Ramadi", lat=33.4258, lon=43.2992, admin1="Al Anbar", country="IQ",
               geo_precision=1, feature="city", place_id="geonames:91197")
ALEPPO = Place(name="حلب", name_en="Aleppo", lat=36.2021, lon=37.1343, admin1="Aleppo", country="SY",
               geo_precision=1, feature="city", place_id="geonames:170063")

XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_IMG = '"><img src=x onerror="window.__xss = 2">'


def _spans(text: str, needle: str) -> list[Span]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(Span(start, start + len(needle), needle))
        start = text.find(needle, start + 1)
    assert out, needle
    return out


def ramadi_doc(doc_id: str = "test-ramadi", *, source: str = "test-outlet", day: str = "2015-07-27") -> Doc:
    title = "مقتل خمسة مدنيين في غارة على الرمادي"
    body = (
        "قال مصدر أمني لوكالة رويترز إن طائرات التحالف قصفت حياً سكنياً في مدينة الرمادي يوم الاثنين، "
        "ما أسفر عن مقتل خمسة مدنيين.\n"
        "وقال المتحدث باسم الشرطة العميد سعد معن إن تنظيم داعش يتحصن في المدينة."
    )
    doc = Doc(id=doc_id, title=title, body=body, published=day, source=source, url=f"https://example.org/{doc_id}")
    text = doc.text
    sentence_start = text.index("قال مصدر")
    sentence_end = text.index("مدنيين.", sentence_start) + len("مدنيين.")
    evidence = Span(sentence_start, sentence_end, text[sentence_start:sentence_end])
    doc.entities = [
        Entity(text="الرمادي", type="LOC", name_en="Ramadi", kind="city", country="IQ",
               mentions=_spans(text, "الرمادي"), place=RAMADI, origin="gazetteer", id="E1"),
        Entity(text="رويترز", type="ORG", name_en="Reuters", kind="outlet", mentions=_spans(text, "رويترز"),
               id="E2"),
        Entity(text="داعش", type="ORG", name_en="Islamic State (ISIS)", kind="armed_group", country="IQ",
               mentions=_spans(text, "داعش"), id="E3"),
        Entity(text="سعد معن", type="PER", name_en="Saad Maan", kind="person", country="IQ",
               mentions=_spans(text, "سعد معن"), id="E4"),
    ]
    source_span = _spans(text, "مصدر أمني")[0]
    doc.attributions = [
        Attribution(source="a security source", source_ar="مصدر أمني", kind="anonymous", named=False,
                    span=source_span, cue="قال", via=["Reuters"], supports=["V1"], id="A1"),
    ]
    doc.events = [
        Event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", evidence=evidence,
              plover="ASSAULT", date=day, time_precision=1, location=RAMADI, actor1="Coalition forces",
              actor2="Civilians (Iraq)", fatalities=5, modality="reported", sources=["Reuters"],
              trigger="قصف", mentions=[evidence], attribution_ids=["A1"], id="V1"),
    ]
    return doc


def hostile_doc(doc_id: str = "test-hostile") -> Doc:
    """An article whose title, body, entity glosses and actors carry HTML and script."""
    title = f"اشتباكات في حلب {XSS_SCRIPT}"
    body = (
        f"أفادت مصادر محلية باندلاع اشتباكات عنيفة في حلب {XSS_IMG} بين فصائل مسلحة "
        "أسفرت عن مقتل ثلاثة مقاتلين.\n"
        f"<b>نص غامق</b> {XSS_SCRIPT}"
    )
    doc = Doc(id=doc_id, title=title, body=body, published="2015-07-29", source='<img src=x onerror="window.__xss=3">',
              url="javascript:window.__xss=4")
    text = doc.text
    start = text.index("أفادت")
    end = text.index("مقاتلين.") + len("مقاتلين.")
    evidence = Span(start, end, text[start:end])
    doc.entities = [
        Entity(text="حلب", type="LOC", name_en='Aleppo"><img src=x onerror="window.__xss=5">',
               mentions=_spans(text, "حلب"), place=ALEPPO, origin="gazetteer", id="E1"),
    ]
    doc.events = [
        Event(event_type="Battles", sub_event_type="Armed clash", evidence=evidence, date="2015-07-29",
              time_precision=1, location=ALEPPO, actor1='<img src=x onerror="window.__xss=6">',
              actor2="Military Forces of Syria", fatalities=3, modality="reported",
              sources=["<script>window.__xss=7</script>"], id="V1"),
    ]
    return doc


def fill(store: Store) -> None:
    """The three sample articles: two outlets' copies of the Ramadi strike, and the hostile one."""
    store.add_docs([ramadi_doc(), ramadi_doc("test-ramadi-2", source="other-outlet"), hostile_doc()])
