"""The schema, as numbered migration steps shared by every back end.

Each step is a list of DDL statements written once, with three placeholders the back
end fills in: `{pk}` (an auto-increment integer key), `{blob}` (binary) and `{real}`
(double precision). Values never go through this formatting: only type names do.
An item may instead be a function of the store, for data SQL cannot recompute (step 8
recomputes the MinHash signatures in Python); it runs in the step's transaction.
A step runs in one transaction and records its number in `schema_version`; a store
opened on an older database applies the missing steps in order.

Back-end-specific objects (full-text index, helper SQL functions) are added by the
back end's own `extra_migrations`, numbered in the same sequence: a number is used
once, by this list or by the back ends (2, 4 and 6 are back-end steps). Never edit a
released step; add one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from rasd.dedup import minhash
from rasd.doc import Doc

if TYPE_CHECKING:
    from rasd.store.sql import SQLStore

Step = str | Callable[[Any], None]  # a DDL statement, or a function of the store (`SQLStore`)
MIGRATION_BATCH = 500  # articles a data step (8, 11, 12) reads, recomputes and writes back per round trip


def article_batches(store: SQLStore, columns: str, size: int = MIGRATION_BATCH) -> Iterator[list[dict[str, Any]]]:
    """Every stored article's id and `columns` (names written here, never input), in id order,
    `size` at a time: the data steps, and the store building its LSH index."""
    last = ""  # ids are never empty
    while rows := store._fetch(f"SELECT id, {columns} FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                               [last, size]):
        yield rows
        last = rows[-1]["id"]


def resign_articles(store: SQLStore) -> None:
    """Recompute every stored `articles.minhash` from its title and body, as `prepare` did then
    (article_duplicates, links already made, stay). The LSH rows this step also rebuilt went
    with their table in step 13."""
    for rows in article_batches(store, "title, body"):
        signed = [(row["id"], minhash.signature(minhash.key_words(Doc(id=row["id"], title=row["title"],
                                                                        body=row["body"]).text)))
                  for row in rows]
        store._executemany("UPDATE articles SET minhash = ? WHERE id = ?",
                           [[None if sig is None else minhash.to_bytes(sig), did] for did, sig in signed])


def sign_terms(store: SQLStore) -> None:
    """Recompute every stored article's text hash and MinHash signature from its full-text terms,
    as `prepare` does since step 12 (links already made stay; the LSH rows: see `resign_articles`)."""
    for rows in article_batches(store, "terms"):
        updates = []
        for row in rows:
            terms = row["terms"].encode("utf-8")
            sig = minhash.signature_of_joined(terms)
            updates.append([minhash.text_hash(terms), None if sig is None else minhash.to_bytes(sig), row["id"]])
        store._executemany("UPDATE articles SET text_hash = ?, minhash = ? WHERE id = ?", updates)


def add_columns(table: str, columns: list[tuple[str, str]]) -> Step:
    """A step adding the columns `table` lacks: run again (a store whose version was set back), it
    changes nothing. Table, names and types are written here, never input."""
    def add(store: SQLStore) -> None:
        have = store.column_names(table)
        for name, sql_type in columns:
            if name not in have:
                store._execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
    return add


def move_annotations_to_tables(store: SQLStore) -> None:
    """Fill step 11's columns of `entities` and `attributions` from each article's `doc_json`, then
    leave in `doc_json` only what has no table (warnings). `ordinal` follows `doc_json`'s order:
    named entities, then actor descriptions (`get_article` lists the two apart, each in order)."""
    for rows in article_batches(store, "doc_json"):
        entities, attributions, leftovers = [], [], []
        for row in rows:
            data = json.loads(row["doc_json"])
            for i, e in enumerate(data.pop("entities", []) + data.pop("actor_descriptions", [])):
                place = e.get("place")
                entities.append([i, int(e.get("named", True)), json.dumps(e["aliases"], ensure_ascii=False)
                                 if e.get("aliases") else None, json.dumps(place, ensure_ascii=False) if place else None,
                                 row["id"], e.get("id") or f"E{i + 1}"])  # prepare's id for an entity without one
            for i, a in enumerate(data.pop("attributions", [])):
                cue = a.get("cue_span") or {}
                attributions.append([i, cue.get("start"), cue.get("end"), a.get("sentence"),
                                     row["id"], a.get("id") or f"A{i + 1}"])
            leftovers.append([json.dumps(data, ensure_ascii=False), row["id"]])
        store._executemany("UPDATE entities SET ordinal = ?, named = ?, aliases = ?, place = ?"
                           " WHERE article_id = ? AND local_id = ?", entities)
        store._executemany("UPDATE attributions SET ordinal = ?, cue_start = ?, cue_end = ?, sentence = ?"
                           " WHERE article_id = ? AND local_id = ?", attributions)
        store._executemany("UPDATE articles SET doc_json = ? WHERE id = ?", leftovers)


MIGRATIONS: list[tuple[int, str, list[Step]]] = [
    (
        1,
        "articles, analyses, events, incidents, duplicates, quarantine",
        [
            """CREATE TABLE IF NOT EXISTS articles (
                id TEXT PRIMARY KEY,
                url TEXT,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                raw TEXT,
                published TEXT,
                source TEXT,
                path TEXT,
                content_hash TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                doc_json TEXT NOT NULL,
                terms TEXT NOT NULL,
                minhash {blob},
                ingested_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS articles_url ON articles (url)",
            "CREATE INDEX IF NOT EXISTS articles_text_hash ON articles (text_hash)",
            "CREATE INDEX IF NOT EXISTS articles_published ON articles (published)",
            """CREATE TABLE IF NOT EXISTS entities (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                local_id TEXT NOT NULL,
                text TEXT NOT NULL,
                norm TEXT NOT NULL,
                type TEXT NOT NULL,
                name_en TEXT,
                kb_id TEXT,
                kind TEXT,
                country TEXT,
                origin TEXT,
                place_id TEXT,
                PRIMARY KEY (article_id, local_id)
            )""",
            "CREATE INDEX IF NOT EXISTS entities_norm ON entities (norm)",
            "CREATE INDEX IF NOT EXISTS entities_kb ON entities (kb_id)",
            """CREATE TABLE IF NOT EXISTS mentions (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                entity_id TEXT NOT NULL,
                start_offset INTEGER NOT NULL,
                end_offset INTEGER NOT NULL,
                text TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)",
            """CREATE TABLE IF NOT EXISTS places (
                place_key TEXT PRIMARY KEY,
                place_id TEXT,
                name TEXT NOT NULL,
                name_en TEXT,
                lat {real},
                lon {real},
                admin1 TEXT,
                country TEXT,
                feature TEXT
            )""",
            """CREATE TABLE IF NOT EXISTS events (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                local_id TEXT NOT NULL,
                event_type TEXT NOT NULL,
                sub_event_type TEXT,
                plover TEXT,
                date TEXT,
                time_precision INTEGER,
                place_key TEXT,
                location_name TEXT,
                location_name_en TEXT,
                latitude {real},
                longitude {real},
                admin1 TEXT,
                country TEXT,
                geo_precision INTEGER,
                actor1 TEXT,
                actor2 TEXT,
                fatalities INTEGER,
                injuries INTEGER,
                modality TEXT,
                sources TEXT NOT NULL,
                notes TEXT,
                trig TEXT,
                evidence TEXT NOT NULL,
                evidence_start INTEGER,
                evidence_end INTEGER,
                arguments TEXT NOT NULL,
                mentions TEXT NOT NULL,
                attribution_ids TEXT NOT NULL,
                terms TEXT NOT NULL,
                embedding {blob}
            )""",
            "CREATE INDEX IF NOT EXISTS events_article ON events (article_id)",
            "CREATE INDEX IF NOT EXISTS events_type_date ON events (event_type, date)",
            "CREATE INDEX IF NOT EXISTS events_country ON events (country, admin1)",
            "CREATE INDEX IF NOT EXISTS events_geo ON events (latitude, longitude)",
            """CREATE TABLE IF NOT EXISTS sources (
                name TEXT PRIMARY KEY,
                kind TEXT
            )""",
            """CREATE TABLE IF NOT EXISTS attributions (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                local_id TEXT NOT NULL,
                source TEXT NOT NULL,
                source_ar TEXT,
                kind TEXT,
                named INTEGER NOT NULL,
                span_start INTEGER,
                span_end INTEGER,
                span_text TEXT,
                cue TEXT,
                via TEXT NOT NULL,
                kb_id TEXT,
                supports TEXT NOT NULL,
                PRIMARY KEY (article_id, local_id)
            )""",
            """CREATE TABLE IF NOT EXISTS event_sources (
                event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                PRIMARY KEY (event_id, source)
            )""",
            """CREATE TABLE IF NOT EXISTS incidents (
                id TEXT PRIMARY KEY,
                event_type TEXT NOT NULL,
                sub_event_type TEXT,
                date TEXT,
                date_min TEXT,
                date_max TEXT,
                time_precision INTEGER,
                location_name TEXT,
                location_name_en TEXT,
                latitude {real},
                longitude {real},
                admin1 TEXT,
                country TEXT,
                geo_precision INTEGER,
                actor1 TEXT,
                actor2 TEXT,
                fatalities INTEGER,
                fatalities_min INTEGER,
                fatalities_max INTEGER,
                n_events INTEGER NOT NULL,
                n_articles INTEGER NOT NULL,
                articles TEXT NOT NULL,
                outlets TEXT NOT NULL,
                sources TEXT NOT NULL,
                centroid {blob},
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS incidents_type_date ON incidents (event_type, date_min, date_max)",
            "CREATE INDEX IF NOT EXISTS incidents_geo ON incidents (latitude, longitude)",
            """CREATE TABLE IF NOT EXISTS incident_members (
                event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
                incident_id TEXT NOT NULL,
                article_id TEXT NOT NULL,
                score {real},
                reasons TEXT NOT NULL,
                joined_at TEXT NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS incident_members_incident ON incident_members (incident_id)",
            """CREATE TABLE IF NOT EXISTS article_duplicates (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                duplicate_of TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                similarity {real} NOT NULL,
                PRIMARY KEY (article_id, duplicate_of)
            )""",
            "CREATE INDEX IF NOT EXISTS article_duplicates_of ON article_duplicates (duplicate_of)",
            """CREATE TABLE IF NOT EXISTS lsh_bands (
                band INTEGER NOT NULL,
                bucket BIGINT NOT NULL,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                PRIMARY KEY (band, bucket, article_id)
            )""",
            "CREATE INDEX IF NOT EXISTS lsh_bands_article ON lsh_bands (article_id)",
            """CREATE TABLE IF NOT EXISTS quarantine (
                key TEXT PRIMARY KEY,
                path TEXT NOT NULL,
                line INTEGER,
                reason TEXT NOT NULL,
                raw {blob},
                article_id TEXT,
                created_at TEXT NOT NULL
            )""",
        ],
    ),
    (
        3,
        "index quarantine by article (cleared when the article is later stored)",
        ["CREATE INDEX IF NOT EXISTS quarantine_article ON quarantine (article_id)"],
    ),
    (
        5,
        "incidents: span of best-precision member dates (caps chaining); candidate index by type, precision, date",
        [
            "ALTER TABLE incidents ADD COLUMN date_lo TEXT",
            "ALTER TABLE incidents ADD COLUMN date_hi TEXT",
            "CREATE INDEX IF NOT EXISTS incidents_candidates ON incidents (event_type, time_precision, date)",
        ],
    ),
    (
        8,
        "MinHash signatures recomputed (scheme utf8-poly64-fmix64-trigrams-affine32); lsh_bands rebuilt",
        [resign_articles],
    ),
    (
        11,
        "entities and attributions whole in their tables; doc_json keeps only what has no table",
        [
            add_columns("entities", [("ordinal", "INTEGER"), ("named", "INTEGER NOT NULL DEFAULT 1"),
                                     ("aliases", "TEXT"),  # JSON list; NULL: none
                                     ("place", "TEXT")]),  # JSON of the gazetteer place (`Place.to_dict`)
            add_columns("attributions", [("ordinal", "INTEGER"), ("cue_start", "INTEGER"), ("cue_end", "INTEGER"),
                                         ("sentence", "INTEGER")]),
            move_annotations_to_tables,
        ],
    ),
    (
        12,
        "text hashes and MinHash signatures of the full-text terms (clitics stripped); lsh_bands rebuilt",
        [sign_terms],
    ),
    (
        13,
        "LSH index in memory, built from articles.minhash (lsh_bands dropped); store_state counts article changes",
        [
            "CREATE TABLE IF NOT EXISTS store_state (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO store_state (name, value) VALUES ('articles_generation', 0) ON CONFLICT (name) DO NOTHING",
            "DROP TABLE IF EXISTS lsh_bands",
        ],
    ),
]
