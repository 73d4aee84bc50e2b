"""A fresh PostgreSQL schema per test, for the store and API fixtures (one copy of this logic).

`RASD_TEST_PG_URL` names the server and database (`scripts/ci/test.sh` sets it); without
it the PostgreSQL variants are skipped. Each test gets its own schema there, reached by a
URL whose search_path is that schema, and drops it afterwards. The user needs CREATE on
the database; no extension is needed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("RASD_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]  # params of a store-URL fixture


def schema_url(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def fresh_schema(prefix: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new, empty schema, dropped on exit; skips without a server."""
    if not PG_URL:
        pytest.skip("RASD_TEST_PG_URL not set")
    import psycopg

    schema = prefix + uuid.uuid4().hex[:12]  # generated name, not input
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def backend_url(request: pytest.FixtureRequest, tmp_path: Path, pg_fixture: str) -> str:
    """The URL for a fixture parametrised with `BACKENDS`: a SQLite file in `tmp_path`, or `pg_fixture`'s URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasd.db'}"
    return request.getfixturevalue(pg_fixture)
