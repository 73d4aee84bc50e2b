"""Fixtures of the API tests: a store on each back end, filled with known articles.

PostgreSQL comes from `RASD_TEST_PG_URL` (skipped when unset); each test gets its own
schema there, dropped afterwards.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from samples import API_KEY, fill  # noqa: E402

from rasd.api import create_app  # noqa: E402
from rasd.store import open_store  # noqa: E402

PG_URL = os.environ.get("RASD_TEST_PG_URL")


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test)."""
    if not PG_URL:
        pytest.skip("RASD_TEST_PG_URL is not set")
    import psycopg

    schema = f"rasd_api_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rasd.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def filled_url(store_url: str) -> str:
    with open_store(store_url) as store:
        fill(store)
    return store_url


@pytest.fixture
def client(filled_url: str) -> Iterator[TestClient]:
    app = create_app(filled_url, api_key=API_KEY, tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def empty_client(store_url: str) -> Iterator[TestClient]:
    app = create_app(store_url, api_key=API_KEY, max_body_bytes=64 * 1024)
    with TestClient(app) as test_client:
        yield test_client
