"""`get_article` gives back every annotation of an analysed article from the tables that hold it
(entities, mentions, attributions), on both back ends, and a store that kept them in `doc_json`
(schema version 10) is migrated to that."""

from __future__ import annotations

import json

import pytest

from rasd.doc import Article, Doc
from rasd.ingest import read_paths
from rasd.store import open_store

ANNOTATIONS = ("entities", "actor_descriptions", "attributions")


@pytest.fixture(scope="module")
def analysed(dev_input_path) -> list[Doc]:  # noqa: ANN001
    """Dev articles whose analysis has each kind of annotation: actor descriptions, aliases,
    gazetteer places and attributions with their cue spans; one carries a warning too."""
    from rasd.pipeline import default_pipeline

    pipeline = default_pipeline()
    chosen: list[Doc] = []
    for item in read_paths([dev_input_path]):
        if not isinstance(item, Article):
            continue
        doc = pipeline(item)
        entities = doc.entities
        if all((any(not e.named for e in entities), any(e.aliases for e in entities),
                any(e.place for e in entities), any(a.cue_span for a in doc.attributions))):
            chosen.append(doc)
        if len(chosen) == 3:
            break
    assert len(chosen) == 3
    chosen[0].warnings.append("body shorter than 200 characters")
    return chosen


def _expected(doc: Doc) -> dict:
    full = doc.to_dict()
    return {key: full[key] for key in (*ANNOTATIONS, "warnings") if key in full}


def _stored(store, doc_id: str) -> dict:  # noqa: ANN001
    article = store.get_article(doc_id)
    return {key: article[key] for key in (*ANNOTATIONS, "warnings") if key in article}


def test_an_article_gives_back_every_annotation_stored_once(db_url: str, analysed: list[Doc]) -> None:
    with open_store(db_url) as store:
        store.add_docs(analysed)
        for doc in analysed:
            assert _stored(store, doc.id) == _expected(doc)
        kept = {r["id"]: json.loads(r["doc_json"]) for r in store._fetch("SELECT id, doc_json FROM articles")}
        # doc_json holds only what has no table: no entity or attribution is written twice
        assert kept == {doc.id: ({"warnings": doc.warnings} if doc.warnings else {}) for doc in analysed}
        unnamed = store._fetch("SELECT COUNT(*) AS n FROM entities WHERE named = 0")[0]["n"]
        assert unnamed == sum(not e.named for doc in analysed for e in doc.entities) > 0


def _as_version_10(store, docs: list[Doc]) -> None:  # noqa: ANN001 - a SQLStore
    """Put the store back to schema version 10: annotations in doc_json, step 11's columns gone."""
    with store._transaction():
        for doc in docs:
            data = doc.to_dict()
            for key in ("id", "title", "body", "published", "source", "url", "events"):
                data.pop(key)
            store._execute("UPDATE articles SET doc_json = ? WHERE id = ?",
                           [json.dumps(data, ensure_ascii=False), doc.id])
        for table, columns in (("entities", ("ordinal", "named", "aliases", "place")),
                               ("attributions", ("ordinal", "cue_start", "cue_end", "sentence"))):
            for column in columns:
                store._execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        store._execute("DELETE FROM schema_version WHERE version >= 11")


def test_a_version_10_store_moves_its_annotations_into_the_tables(db_url: str, analysed: list[Doc]) -> None:
    with open_store(db_url) as store:
        store.add_docs(analysed)
        _as_version_10(store, analysed)
        assert "place" not in store.column_names("entities")
        size = store._fetch("SELECT SUM(LENGTH(doc_json)) AS n FROM articles")[0]["n"]
    with open_store(db_url) as store:
        assert store.schema_version() >= 11
        for doc in analysed:
            assert _stored(store, doc.id) == _expected(doc)
        assert store._fetch("SELECT SUM(LENGTH(doc_json)) AS n FROM articles")[0]["n"] < size / 20
    with open_store(db_url) as store:  # the step does not run again
        assert _stored(store, analysed[0].id) == _expected(analysed[0])
