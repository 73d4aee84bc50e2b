"""Store fixtures: every store test runs against SQLite and, when RASD_TEST_PG_URL is set, PostgreSQL.

The PostgreSQL variant gets a fresh schema per test (dropped afterwards) on the
database named by `RASD_TEST_PG_URL` (see `pg_schema`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_schema import BACKENDS, backend_url, fresh_schema

from rasd.store import Store, open_store


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    with fresh_schema("rasd_t_") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return backend_url(request, tmp_path, "pg_url")


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened
