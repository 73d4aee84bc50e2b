"""Store fixtures: every store test runs against SQLite and, when RASD_TEST_PG_URL is set, PostgreSQL.

The PostgreSQL variant gets a fresh schema per test (dropped afterwards) on the
database named by `RASD_TEST_PG_URL`; the user needs CREATE on that database. No
extension is needed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasd.store import Store, open_store

PG_URL = os.environ.get("RASD_TEST_PG_URL")
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpus" / "saudinewsnet.jsonl.gz"


def _pg_schema_url(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    if not PG_URL:
        pytest.skip("RASD_TEST_PG_URL not set")
    import psycopg

    schema = "rasd_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # generated name, not input
    yield _pg_schema_url(PG_URL, schema)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasd.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened
