"""SQLite back end: one file, WAL journal, FTS5 over normalised terms.

The default store. `sqlite:///relative.db`, `sqlite:////absolute.db` or a bare path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rasd.dedup.incidents import km
from rasd.doc import Article, Doc
from rasd.store.schema import Step
from rasd.store.sql import Prepared, SQLStore, prepare_in_worker_utf8

FTS_PENDING_BYTES = 16 * 1024 * 1024  # terms FTS5 keeps in memory before writing a segment
BUSY_TIMEOUT_S = 30.0  # a second writer waits this long for the lock instead of failing


def _km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    return km(lat1, lon1, lat2, lon2)  # type: ignore[arg-type]


def _quote(term: str) -> str:
    """An FTS5 string literal: the term can carry no query syntax."""
    return '"' + term.replace('"', '""') + '"'


class SQLiteStore(SQLStore):
    # without statistics the planner reads a filtered article's events through the filter's index
    # (every event of the country, ~5 ms a hit on the corpus) instead of the article's
    article_events = "events e INDEXED BY events_article"

    def __init__(self, url: str, path: str | Path) -> None:
        super().__init__(url)
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
        self._conn.execute("PRAGMA foreign_keys = ON")
        # ingest rewrites the same full-text and index pages batch after batch: a 64 MiB page cache
        # keeps them, and checkpointing every 40 MiB of WAL (not 4) copies each of them less often
        self._conn.execute("PRAGMA cache_size = -65536")
        self._conn.execute("PRAGMA wal_autocheckpoint = 10000")
        self._conn.create_function("rasd_km", 4, _km, deterministic=True)
        self.migrate()

    def extra_migrations(self) -> list[tuple[int, str, list[Step]]]:
        return [(2, "full-text index (FTS5) over normalised terms",
                 ["CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(article_id UNINDEXED, terms,"
                  " tokenize = 'unicode61 remove_diacritics 0')"]),
                (4, "full-text rows keyed by the article's rowid (rebuilt)",
                 ["DELETE FROM articles_fts",
                  "INSERT INTO articles_fts (rowid, article_id, terms) SELECT rowid, id, terms FROM articles"]),
                (6, "lsh_bands as one B-tree (WITHOUT ROWID, no article index): one random page per insert, not three",
                 ["CREATE TABLE lsh_bands_new (band INTEGER NOT NULL, bucket BIGINT NOT NULL, article_id TEXT NOT NULL,"
                  " PRIMARY KEY (band, bucket, article_id)) WITHOUT ROWID",
                  "INSERT INTO lsh_bands_new (band, bucket, article_id) SELECT band, bucket, article_id FROM lsh_bands",
                  "DROP TABLE lsh_bands",
                  "ALTER TABLE lsh_bands_new RENAME TO lsh_bands"]),
                (7, "full-text index over articles.terms as external content: the terms are stored once (rebuilt)",
                 ["DROP TABLE articles_fts",
                  "CREATE VIRTUAL TABLE articles_fts USING fts5(terms, content = 'articles', content_rowid = 'rowid',"
                  " tokenize = 'unicode61 remove_diacritics 0')",
                  "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')"]),
                # The terms are normalised, lower-cased words separated by spaces; the only other
                # characters in them are ASCII ('.', ','). The ascii tokenizer splits them exactly as
                # unicode61 did (non-ASCII characters are word characters) at two thirds the cost.
                # A 16 MiB pending-terms table (not 1): a batch of ingest is flushed as one segment,
                # not several to be merged again (15% less indexing time on 6,000 corpus articles
                # in batches of 500, same query time).
                (9, "full-text index tokenized by FTS5's ascii tokenizer, 16 MiB of pending terms (rebuilt)",
                 ["DROP TABLE articles_fts",
                  "CREATE VIRTUAL TABLE articles_fts USING fts5(terms, content = 'articles', content_rowid = 'rowid',"
                  " tokenize = 'ascii')",
                  f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', {FTS_PENDING_BYTES})",
                  "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')"]),
                # Each article writes 32 rows at random keys, so a commit rewrites most of this B-tree's
                # pages: with the rowid (1-3 bytes) for the ~26-byte text id a row is a third the size
                # (30,000 synthetic articles: 0.18 ms and 32 KB of WAL an article, not 0.42 ms and 67 KB).
                # `articles.rowid` is stable: rasd never VACUUMs (which may renumber the rowids of a
                # table without an INTEGER PRIMARY KEY) nor deletes articles (a deleted last rowid may
                # be reused), and an UPDATE keeps it; the full-text index (content_rowid = 'rowid')
                # already assumes as much. Step 8 (`resign_articles`) writes the text-id layout: on an
                # older store it runs before this step; run on this table it would fail (no column
                # article_id), never write the old layout.
                (10, "lsh_bands keyed by the article's rowid, not its text id (rebuilt)",
                 ["CREATE TABLE lsh_bands_new (band INTEGER NOT NULL, bucket INTEGER NOT NULL, article INTEGER NOT NULL,"
                  " PRIMARY KEY (band, bucket, article)) WITHOUT ROWID",
                  "INSERT INTO lsh_bands_new (band, bucket, article)"
                  " SELECT l.band, l.bucket, a.rowid FROM lsh_bands l JOIN articles a ON a.id = l.article_id",
                  "DROP TABLE lsh_bands",
                  "ALTER TABLE lsh_bands_new RENAME TO lsh_bands"])]

    @contextmanager
    def _outermost_transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")

    # The long texts may come as UTF-8 bytes (`prepare_in_worker_utf8`): a cast stores them as TEXT,
    # the same value a str gives, and leaves a str as it is.
    text_param = "CAST(? AS TEXT)"

    def preparer(self) -> Callable[[Doc, Article | None], Prepared]:
        return prepare_in_worker_utf8

    def column_names(self, table: str) -> set[str]:
        return {r["name"] for r in self._fetch("SELECT name FROM pragma_table_info(?)", [table])}

    def _fetch(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._conn.execute(sql, list(params))
            if cursor.description is None:
                return []
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]  # a quarter cheaper than sqlite3.Row

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        with self._lock:
            self._conn.execute(sql, list(params))

    def _executemany(self, sql: str, rows: list[Iterable[Any]]) -> None:
        with self._lock:
            if rows:
                self._conn.executemany(sql, rows)

    # The FTS row shares the article's rowid (stable under UPDATE) and reads its text from
    # `articles.terms` (external content): FTS5 keeps no copy, so removing a row needs the terms
    # it was indexed with, which `articles` holds until `_update_article` rewrites them. Rows are
    # indexed with the terms just stored in that column (passed in, not read back: the row is
    # tens of KB of overflow pages), so the index always matches what a delete will read.
    def _fts_index(self, rows: list[tuple[str, str | bytes]]) -> None:
        with self._lock:
            self._conn.executemany("INSERT INTO articles_fts (rowid, terms)"
                                   f" VALUES ((SELECT rowid FROM articles WHERE id = ?), {self.text_param})", rows)

    def _fts_delete(self, article_id: str) -> None:
        self._conn.execute("INSERT INTO articles_fts (articles_fts, rowid, terms)"
                           " SELECT 'delete', rowid, terms FROM articles WHERE id = ?", [article_id])

    def _fts_hits(self, terms: list[tuple[str, ...]], cond: str, params: list[Any], limit: int,
                  offset: int) -> list[dict[str, Any]]:
        query = " AND ".join("(" + " OR ".join(_quote(form) for form in forms) + ")" for forms in terms)
        return self._fetch(
            "SELECT a.id AS id, -bm25(articles_fts) AS score FROM articles_fts"
            " JOIN articles a ON a.rowid = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? AND {cond} ORDER BY score DESC, a.id LIMIT ? OFFSET ?",
            [query, *params, limit, offset])

    def close(self) -> None:
        self._conn.close()
