"""The Store contract on both back ends: idempotency, updates, duplicates, quarantine, search, filters."""

from __future__ import annotations

import json

import numpy as np
import pytest
from store_docs import make_doc, restore_lsh_table

from rasd.doc import Article, Quarantined
from rasd.export import to_string
from rasd.store import Filters, Store, open_store
from rasd.store.schema import MIGRATIONS

BODY_SURUC = ("قتل 32 شخصا في تفجير انتحاري استهدف مركزا ثقافيا في بلدة سروج التركية قرب الحدود السورية. "
              "وقالت السلطات إن تنظيم داعش يقف وراء الهجوم الذي استهدف شبانا كانوا يستعدون للسفر إلى كوباني.")
BODY_SANAA = ("قتل عشرة أشخاص في غارة جوية للتحالف على حي سكني في صنعاء. "
              "وقال شهود إن الطائرات قصفت المنازل فجر اليوم وإن فرق الإنقاذ انتشلت الجثث من تحت الأنقاض.")
BODY_HASHD = ("أعلنت قيادة الحشد الشعبي تقدم قواتها في محيط الفلوجة. "
              "وقال متحدث باسم والحشد إن القوات التابعة للحشد سيطرت على مواقع جديدة بعد معارك عنيفة.")


def _docs() -> list:
    return [
        make_doc("a1", "تفجير في سروج", BODY_SURUC, town="سروج", lat=36.97, lon=38.42, fatalities=32),
        make_doc("a2", "غارة على صنعاء", BODY_SANAA, town="صنعاء", lat=15.35, lon=44.21, country="YE",
                 event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", fatalities=10),
        make_doc("a3", "الحشد يتقدم", BODY_HASHD, town="الفلوجة", lat=33.35, lon=43.78, country="IQ",
                 event_type="Battles", sub_event_type="Armed clash", actor1="Popular Mobilization Forces"),
    ]


def _counts(store: Store) -> dict:
    stats = store.stats()
    return {k: stats[k] for k in ("articles", "events", "incidents", "quarantined", "duplicates", "entities")}


def test_schema_is_versioned(store: Store) -> None:
    assert store.stats()["schema_version"] >= max(v for v, _, _ in MIGRATIONS)


def test_add_twice_stores_once(store: Store) -> None:
    first = store.add_docs(_docs())
    assert (first.stored, first.events) == (3, 3)
    before = _counts(store)
    again = store.add_docs(_docs())
    assert (again.stored, again.unchanged, again.events) == (0, 3, 0)
    assert _counts(store) == before


def test_reopen_keeps_data(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_docs(_docs())
    with open_store(db_url) as store:
        assert store.stats()["articles"] == 3


def test_changed_article_is_replaced(store: Store) -> None:
    store.add_docs(_docs())
    changed = make_doc("a2", "غارة على صنعاء", BODY_SANAA.replace("عشرة", "عشرين"), town="صنعاء",
                       lat=15.35, lon=44.21, country="YE", fatalities=20)
    summary = store.add_docs([changed])
    assert (summary.updated, summary.stored) == (1, 0)
    assert store.stats()["articles"] == 3
    events = store.query_events(Filters(country="YE"))
    assert [e["fatalities"] for e in events] == [20]
    assert store.query_incidents(Filters(country="YE"))[0]["fatalities"] == 20
    # the LSH index finds the article by its new text, no longer by its old one
    from rasd.dedup import minhash
    from rasd.store.search import terms_of_doc

    new, old = (minhash.band_keys(minhash.signature_of_joined(terms_of_doc(d).encode()))
                for d in (changed, _docs()[1]))
    index = store._band_index(without="")
    assert index.candidates(new) == {"a2"}
    gone = np.array(sorted(set(old.tolist()) - set(new.tolist())), dtype=np.uint64)
    assert len(gone) >= 4 and index.candidates(gone) == set()  # the bands that the new figure changed
    assert len(index) == 3 * minhash.BANDS


def test_search_follows_a_changed_article(store: Store) -> None:
    store.add_docs(_docs())
    assert [h["article_id"] for h in store.search("صنعاء")] == ["a2"]
    changed = make_doc("a2", "غارة على الحديدة", BODY_SANAA.replace("صنعاء", "الحديدة"), town="الحديدة",
                       lat=14.8, lon=42.95, country="YE", fatalities=10)
    store.add_docs([changed])
    assert store.search("صنعاء") == []  # the old text's full-text rows went with it
    assert [h["article_id"] for h in store.search("الحديدة")] == ["a2"]
    assert [h["article_id"] for h in store.search("الحشد")] == ["a3"]


def test_known_hashes_drive_skipping(store: Store) -> None:
    article = Article(id="a1", text="نص", title="عنوان")
    assert store.known_hashes([article]) == {}
    store.add_docs([_docs()[0]], {"a1": article})
    from rasd.store.sql import content_hash

    assert store.known_hashes([article]) == {"a1": content_hash(article)}


def test_exact_and_near_duplicates_are_linked_not_dropped(store: Store) -> None:
    original = _docs()[0]
    copy = make_doc("b1", "تفجير في سروج", BODY_SURUC, town="سروج", lat=36.97, lon=38.42, source="other")
    near = make_doc("c1", "عنوان آخر تماما", BODY_SURUC + " وأدان الرئيس التركي الهجوم.", town="سروج",
                    lat=36.97, lon=38.42, source="third")
    summary = store.add_docs([original, copy, near])
    assert summary.stored == 3 and summary.duplicates == 2
    links = {(d["article_id"], d["kind"]) for d in store.get_article("a1")["duplicates"]}
    assert links == {("b1", "exact"), ("c1", "near")}


def test_quarantine_rows(store: Store) -> None:
    bad = [Quarantined("in.jsonl", 3, "malformed JSON", b"{oops"), Quarantined("x.bin", None, "binary file", b"\0\1")]
    store.add_quarantined(bad)
    store.add_quarantined(bad)  # idempotent
    rows = list(store.iter_quarantined())
    assert [(r["path"], r["line"], r["raw"]) for r in rows] == [("in.jsonl", 3, b"{oops"), ("x.bin", None, b"\0\1")]
    assert store.stats()["quarantined"] == 2


def test_search_ignores_clitics(store: Store) -> None:
    store.add_docs(_docs())
    for query in ("الحشد", "والحشد", "للحشد", "حشد"):
        assert [h["article_id"] for h in store.search(query)] == ["a3"], query
    assert [h["article_id"] for h in store.search("الغارة الجوية")] == ["a2"]
    assert store.search("كلمةغيرموجودة") == []


def test_search_with_filters(store: Store) -> None:
    store.add_docs(_docs())
    assert [h["article_id"] for h in store.search("قتل", Filters(country="YE"))] == ["a2"]
    hits = store.search("", Filters(near=(15.3, 44.2, 30)))
    assert [h["article_id"] for h in hits] == ["a2"] and hits[0]["events"][0]["location"]["country"] == "YE"
    assert store.search("قتل", Filters(near=(0.0, 0.0, 10))) == []


def test_event_filters(store: Store) -> None:
    store.add_docs(_docs())
    assert {e["article_id"] for e in store.query_events()} == {"a1", "a2", "a3"}
    assert [e["article_id"] for e in store.query_events(Filters(types=("Battles",)))] == ["a3"]
    assert [e["article_id"] for e in store.query_events(Filters(types=("Air/drone strike",)))] == ["a2"]
    assert [e["article_id"] for e in store.query_events(Filters(actor="mobilization"))] == ["a3"]
    assert store.query_events(Filters(date_from="2015-07-21")) == []
    assert len(store.query_events(Filters(date_from="2015-07-20", date_to="2015-07-20"))) == 3
    assert len(store.query_events(limit=1, offset=1)) == 1


def test_get_article_has_clean_text_and_spans(store: Store) -> None:
    doc = _docs()[0]
    store.add_docs([doc])
    stored = store.get_article("a1")
    assert stored["title"] == doc.title and stored["body"] == doc.body
    text = f"{stored['title']}\n\n{stored['body']}"
    mention = stored["entities"][0]["mentions"][0]
    assert text[mention["start"]:mention["end"]] == "سروج"
    span = stored["events"][0]["evidence_span"]
    assert text[span["start"]:span["end"]] == stored["events"][0]["evidence"]
    assert store.get_article("missing") is None


def test_entities_query(store: Store) -> None:
    store.add_docs(_docs())
    found = store.query_entities("صنعاء")
    assert found[0]["text"] == "صنعاء" and found[0]["articles"] == 1


def test_exports(store: Store, tmp_path) -> None:
    store.add_docs(_docs())
    csv_text = to_string(store, "csv", "events")
    header = csv_text.splitlines()[0].split(",")
    assert header[:16] == ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                           "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
                           "source", "notes", "fatalities"]
    assert "evidence" in header and "article_url" in header
    assert len(csv_text.strip().splitlines()) == 4
    geo = json.loads(to_string(store, "geojson", "incidents"))
    assert len(geo["features"]) == 3
    lines = to_string(store, "jsonl", "incidents").splitlines()
    assert all(json.loads(line)["members"] for line in lines)
    from rasd.export import export

    export(store, "parquet", "events", tmp_path / "e.parquet", None)  # type: ignore[arg-type]
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "e.parquet").num_rows == 3


def test_near_duplicate_index_survives_reopening(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_docs([_docs()[0]])
    near = make_doc("c1", "عنوان آخر", BODY_SURUC + " وأدان الرئيس التركي الهجوم.", town="سروج",
                    lat=36.97, lon=38.42, source="third")
    with open_store(db_url) as store:
        assert store.add_docs([near]).duplicates == 1
        assert store.get_article("c1")["duplicates"][0]["article_id"] == "a1"


def test_open_store_urls(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from rasd.errors import RasdError
    from rasd.store import default_url

    monkeypatch.setenv("RASD_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert default_url() == f"sqlite:///{tmp_path / 'env.db'}"
    with open_store(None) as store:
        store.add_docs([_docs()[0]])
    assert (tmp_path / "env.db").exists()
    with open_store(str(tmp_path / "bare.db")) as store:
        assert store.stats()["articles"] == 0
    monkeypatch.delenv("RASD_DB")
    assert default_url().endswith("rasd.db") and default_url().startswith("sqlite:///")
    with pytest.raises(RasdError, match="unknown database URL"):
        open_store("mysql://x")


def test_get_incident_and_threads(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def read(_: int) -> int:
        return len(store.query_events()) + len(store.search("قتل")) + store.stats()["articles"]

    with ThreadPoolExecutor(4) as pool:
        readers = [pool.submit(read, i) for i in range(20)]
        for doc in _docs():
            store.add_docs([doc])
        assert all(r.result() >= 0 for r in readers)
    incident = store.query_incidents(Filters(country="YE"))[0]
    found = store.get_incident(incident["id"])
    assert found["articles"] == ["a2"] and found["members"][0]["reasons"] == ["opened the incident"]
    assert store.get_incident("nope") is None


def _prepare_with_pid(doc, article):  # noqa: ANN001, ANN202 - runs in the worker process
    import os

    from rasd.store.sql import prepare_in_worker_utf8

    return os.getpid(), prepare_in_worker_utf8(doc, article)


def test_rows_are_prepared_in_the_workers(tmp_path) -> None:  # noqa: ANN001
    """`rasd ingest` normalises, hashes and serialises in the analysis workers; the rows store the same."""
    import os
    import pickle

    from rasd.pipeline import analyze_many
    from rasd.store.sql import Prepared, prepare_in_worker_utf8

    texts = [("w1", "تفجير في سروج\n\n" + BODY_SURUC), ("w2", "غارة على صنعاء\n\n" + BODY_SANAA),
             ("w3", "الحشد يتقدم\n\n" + BODY_HASHD), ("w4", "تفجير في سوروج\n\n" + BODY_SURUC.replace("سروج", "سوروج"))]
    articles = [Article(id=i, text=t, published="2015-07-20", source=f"outlet-{i}") for i, t in texts]
    prepared = list(analyze_many(articles, workers=2, finish=_prepare_with_pid))
    assert all(isinstance(p, Prepared) for _, p in prepared)
    assert os.getpid() not in {pid for pid, _ in prepared}  # computed in the worker processes
    docs = list(analyze_many(articles, workers=1))
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as a, open_store(f"sqlite:///{tmp_path / 'b.db'}") as b:
        assert a.preparer() is prepare_in_worker_utf8
        assert all(p.values[3] is None for _, p in prepared)  # the raw text stays in the writing process
        assert all(isinstance(p.values[2], bytes) and p.terms is p.values[10] for _, p in prepared)
        a.add_docs([pickle.loads(pickle.dumps(p)) for _, p in prepared], {x.id: x for x in articles})
        b.add_docs(docs, {x.id: x for x in articles})
        assert _counts(a) == _counts(b) and _counts(a)["duplicates"] == 1  # w4 is w1 respelled
        for x in articles:
            left, right = a.get_article(x.id), b.get_article(x.id)
            for record in (left, right):
                record.pop("ingested_at"), record.pop("updated_at")
            assert left == right and left["raw"] == x.text
        assert [i["articles"] for i in a.query_incidents()] == [i["articles"] for i in b.query_incidents()]
        # the UTF-8 bytes are stored as TEXT, as a str is: the same values, types and full-text hits
        typed = "SELECT id, typeof(body), typeof(doc_json), typeof(terms), body, doc_json, terms FROM articles ORDER BY id"
        assert a._fetch(typed) == b._fetch(typed) and {r["typeof(body)"] for r in a._fetch(typed)} == {"text"}
        assert [h["article_id"] for h in a.search("سوروج")] == [h["article_id"] for h in b.search("سوروج")] == ["w4"]


def test_filtered_search_reads_matching_events_once(tmp_path) -> None:  # noqa: ANN001
    """Text + filter: the filter's events are one set, not a scan of a country's events per matching article."""
    with open_store(f"sqlite:///{tmp_path / 'plan.db'}") as store:
        store.add_docs(_docs())
        seen: list = []
        fetch = store._fetch
        store._fetch = lambda sql, params=(): seen.append((sql, list(params))) or fetch(sql, params)  # type: ignore[method-assign]
        hits = store.search("غارة جوية", Filters(country="YE"))
        assert [h["article_id"] for h in hits] == ["a2"]
        sql, params = next((q, p) for q, p in seen if "MATCH" in q)
        plan = " ".join(str(row[3]) for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "CORRELATED" not in plan
        sql, params = next((q, p) for q, p in seen if "e.article_id = ? AND" in q)  # the hit's own events
        plan = " ".join(str(row[3]) for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "events_article" in plan and "events_country" not in plan


def test_full_text_rows_survive_the_external_content_migration(tmp_path) -> None:  # noqa: ANN001
    """A version-6 store (full-text index with its own copy of the terms) is rebuilt in step 7."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store:
        store.add_docs(_docs())
        restore_lsh_table(store)  # as version 6 kept it
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.executescript(
        "DROP TABLE articles_fts;"
        " CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 0');"
        " INSERT INTO articles_fts (rowid, article_id, terms) SELECT rowid, id, terms FROM articles;"
        " DELETE FROM schema_version WHERE version >= 7;")
    conn.close()
    with open_store(url) as store:
        assert store.stats()["schema_version"] >= 7
        assert [h["article_id"] for h in store.search("الحشد")] == ["a3"]
        store.add_docs([make_doc("a1", "تفجير في أورفة", BODY_SURUC.replace("سروج", "أورفة"), town="أورفة")])
        assert store.search("سروج") == []
        assert [h["article_id"] for h in store.search("أورفة")] == ["a1"]


def test_a_unicode61_full_text_index_is_rebuilt_with_the_ascii_tokenizer(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store:
        store.add_docs(_docs())
        restore_lsh_table(store)  # as version 8 kept it
        with store._transaction():  # the index as schema version 8 made it
            store._execute("DROP TABLE articles_fts")
            store._execute("CREATE VIRTUAL TABLE articles_fts USING fts5(terms, content = 'articles',"
                           " content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 0')")
            store._execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
            store._execute("DELETE FROM schema_version WHERE version >= 9")
        before = {query: [h["article_id"] for h in store.search(query)] for query in ("والحشد", "قتل", "الغارة الجوية")}
    with open_store(url) as store:
        assert store.schema_version() >= 9
        (table,) = store._fetch("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'")
        assert "tokenize = 'ascii'" in table["sql"]
        after = {query: [h["article_id"] for h in store.search(query)] for query in before}
        assert after == before and after["والحشد"] == ["a3"] and sorted(after["قتل"]) == ["a1", "a2"]
        store.add_docs([make_doc("a2", "غارة على صنعاء", BODY_SANAA.replace("عشرة", "عشرين"), town="صنعاء",
                                 lat=15.35, lon=44.21, country="YE")])  # an update deletes the old terms
        assert [h["article_id"] for h in store.search("عشرين")] == ["a2"]
        assert store.search("عشرة") == []


def test_a_second_writer_waits_and_joins_the_first_writers_incident(db_url: str) -> None:
    """Two processes ingesting the same bombing: the second's clustering must see the first's incident,
    so it waits for the first writer's transaction (SQLite's lock; PostgreSQL's advisory lock)."""
    import threading

    first = _docs()[0]
    respelled = make_doc("b1", "انتحاري في سوروج", BODY_SURUC.replace("سروج", "سوروج"), town="سوروج",
                         lat=36.97, lon=38.42, fatalities=32, source="other-outlet")
    inside, release = threading.Event(), threading.Event()

    def held_open():  # the first writer's batch: one article stored, the transaction still open
        yield first
        inside.set()
        release.wait(20)

    with open_store(db_url) as a, open_store(db_url) as b:
        writer = threading.Thread(target=lambda: a.add_docs(held_open()))
        writer.start()
        assert inside.wait(20)
        second = threading.Thread(target=lambda: b.add_docs([respelled]))
        second.start()
        second.join(1.5)
        waited = second.is_alive()
        release.set()
        writer.join(20)
        second.join(20)
        assert waited
        incidents = a.query_incidents()
        assert [sorted(i["articles"]) for i in incidents] == [["a1", "b1"]]


def test_write_times_are_strictly_increasing_even_within_a_clock_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clustering orders candidate incidents and members by their write times: equal times (a batch
    within one second) made the order, and so the incidents, depend on when the batch ran."""
    import rasd.store.sql as sql_store

    monkeypatch.setattr(sql_store, "_LAST_NOW", [0])
    monkeypatch.setattr(sql_store.time, "time_ns", lambda: 1_437_393_600_000_000_000)  # a clock standing still
    stamps = [sql_store.now() for _ in range(1000)]
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    assert len(set(map(len, stamps))) == 1 and stamps[0].startswith("2015-07-20T12:00:00.")
    # across a second's boundary the second changes with the microseconds (the second's text is cached)
    monkeypatch.setattr(sql_store, "_LAST_NOW", [0])
    monkeypatch.setattr(sql_store.time, "time_ns", lambda: 1_437_393_600_999_999_000)
    assert [sql_store.now() for _ in range(2)] == ["2015-07-20T12:00:00.999999+00:00", "2015-07-20T12:00:01.000000+00:00"]


def test_full_text_rows_are_indexed_once_a_transaction_and_before_a_replacement(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entities and the like are written every DEFERRED_ROWS articles, the full-text rows only at the end
    of the transaction (FTS5 writes out what it holds at any statement that opens a statement journal),
    except before an article of the same batch is replaced, whose old terms must be indexed to be removed."""
    from rasd.store import sql

    monkeypatch.setattr(sql, "DEFERRED_ROWS", 2)
    with open_store(db_url) as store:
        indexed: list[list[str]] = []
        index = store._fts_index
        monkeypatch.setattr(store, "_fts_index", lambda rows: indexed.append([i for i, _ in rows]) or index(rows))
        deferred = store._write_deferred_rows
        writes: list[int] = []
        monkeypatch.setattr(store, "_write_deferred_rows", lambda later: writes.append(len(later.terms)) or deferred(later))
        docs = _docs() + [make_doc("a4", "تفجير في سوروج", BODY_SURUC.replace("سروج", "سوروج"), town="سوروج",
                                   lat=36.97, lon=38.42), make_doc("a5", "غارة أخرى", BODY_SANAA, town="صنعاء")]
        store.add_docs(docs)
        assert writes == [2, 2, 1] and indexed == [["a1", "a2", "a3", "a4", "a5"]]
        indexed.clear()
        writes.clear()
        replaced = make_doc("a1", "تفجير في سروج", BODY_SURUC.replace("32", "33"), town="سروج", lat=36.97, lon=38.42)
        store.add_docs([_docs()[2], make_doc("a6", "الحشد", BODY_HASHD), replaced])
        assert indexed == [["a6"], ["a1"]]  # a3 unchanged; a6 indexed before a1 is replaced, a1 at the end
        store.add_docs([make_doc("a7", "الحشد", BODY_HASHD.replace("الفلوجة", "الرمادي")),
                        make_doc("a7", "الحشد", BODY_HASHD.replace("الفلوجة", "تكريت"))])
        assert indexed[-2:] == [["a7"], ["a7"]]  # the first a7 indexed before the second replaces it
        assert [h["article_id"] for h in store.search("تكريت")] == ["a7"] and store.search("الرمادي") == []
        assert {h["article_id"] for h in store.search("33")} == {"a1"}
        assert [h["article_id"] for h in store.search("سوروج")] == ["a4"]


def test_ingest_pauses_the_cycle_collector_per_batch_and_restores_it(tmp_path) -> None:  # noqa: ANN001
    """The loader writes each batch with the cyclic collector paused (a third of a second a
    thousand articles on the corpus) and leaves it enabled after the run, also when stopped early."""
    import gc

    from rasd.doc import Article
    from rasd.store.loader import ingest

    articles = [Article(id=f"a{i}", text=f"عنوان {i}\nقتل {i + 3} مدنيين في انفجار سيارة مفخخة ببغداد أمس.",
                        published="2015-07-24") for i in range(5)]
    with open_store(f"sqlite:///{tmp_path / 'gc.db'}") as store:
        run = ingest(store, articles, workers=1, batch=2)
        first = next(run)
        assert first.stored == 2 and not gc.isenabled()  # paused while the run is in progress
        run.close()  # stopped early
        assert gc.isenabled()
        summaries = list(ingest(store, articles, workers=1, batch=2))
        assert summaries[-1].stored == 3 and summaries[-1].unchanged == 2 and gc.isenabled()
