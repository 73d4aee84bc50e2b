"""PostgreSQL back end (psycopg 3): the same schema and behaviour as SQLite.

`postgresql://user:password@host:port/dbname`. Full-text search uses a generated
`tsvector` over the same normalised terms (the `simple` configuration: the terms are
already folded and clitic-stripped, no stemming or stop words added). No extension is
needed; `rasd_km` is created as an SQL function by a migration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rasd.store.schema import Step
from rasd.store.sql import SQLStore

_PLACEHOLDER = re.compile(r"\?")
MIGRATION_LOCK = 7261_5359  # pg_advisory_xact_lock key: one process migrates at a time
# pg_advisory_xact_lock key taken by every write transaction: one writer at a time, as SQLite's
# BEGIN IMMEDIATE gives. Clustering reads the incidents near an event and decides whether it
# joins one; two concurrent writers would each miss the other's uncommitted incident and open
# two for the same event. Readers (autocommit) never wait.
WRITE_LOCK = 7261_5360

_KM_FUNCTION = """
CREATE OR REPLACE FUNCTION rasd_km(lat1 double precision, lon1 double precision,
                                   lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
  SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(
    power(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$fn$
"""


def _sql(sql: str) -> str:
    """`?` placeholders to psycopg's `%s` (rasd's SQL has no literal ? or %)."""
    return _PLACEHOLDER.sub("%s", sql)


class PostgresStore(SQLStore):
    blob_type = "BYTEA"
    real_type = "DOUBLE PRECISION"
    pk_type = "BIGSERIAL PRIMARY KEY"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.rows import dict_row

        super().__init__(url)
        self._conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        self.migrate()

    def extra_migrations(self) -> list[tuple[int, str, list[Step]]]:
        return [(2, "full-text index (tsvector) over normalised terms; rasd_km()", [
            _KM_FUNCTION,
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS tsv tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
            "CREATE INDEX IF NOT EXISTS articles_tsv ON articles USING GIN (tsv)",
        ]), (6, "lsh_bands without its article index (rows are deleted by key): one index per insert, not two", [
            "DROP INDEX IF EXISTS lsh_bands_article",
        ])]

    def migrate(self) -> int:
        with self._transaction():
            self._execute("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])
            return super().migrate()

    @contextmanager
    def _outermost_transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            self._execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
            yield

    def column_names(self, table: str) -> set[str]:
        rows = self._fetch("SELECT column_name FROM information_schema.columns"
                           " WHERE table_schema = current_schema() AND table_name = ?", [table])
        return {r["column_name"] for r in rows}

    def _fetch(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            with self._conn.cursor() as cursor:
                cursor.execute(_sql(sql), list(params))
                return list(cursor.fetchall()) if cursor.description else []

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        with self._lock:
            self._conn.execute(_sql(sql), list(params))

    def _executemany(self, sql: str, rows: list[Iterable[Any]]) -> None:
        with self._lock:
            if rows:
                with self._conn.cursor() as cursor:
                    cursor.executemany(_sql(sql), [list(r) for r in rows])

    def _insert_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """COPY: a rebuilt table's rows in one stream, several times faster than one INSERT each."""
        with self._lock:
            with self._conn.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # fixed names
                    for row in rows:
                        copy.write_row(row)

    def _fts_index(self, rows: list[tuple[str, str | bytes]]) -> None:
        """Nothing to do: `articles.tsv` is generated from `articles.terms`."""

    def _fts_delete(self, article_id: str) -> None:
        """Nothing to do: see `_fts_index`."""

    def _fts_hits(self, terms: list[tuple[str, ...]], cond: str, params: list[Any], limit: int,
                  offset: int) -> list[dict[str, Any]]:
        # each query word: any of its forms (||); all words (&&)
        tsquery = " && ".join("(" + " || ".join("plainto_tsquery('simple', ?)" for _ in forms) + ")"
                              for forms in terms)
        forms = [form for alternatives in terms for form in alternatives]
        return self._fetch(
            f"SELECT a.id AS id, ts_rank(a.tsv, s.q) AS score FROM articles a, (SELECT {tsquery} AS q) AS s"
            f" WHERE a.tsv @@ s.q AND {cond} ORDER BY score DESC, a.id LIMIT ? OFFSET ?",
            [*forms, *params, limit, offset])

    def close(self) -> None:
        self._conn.close()
