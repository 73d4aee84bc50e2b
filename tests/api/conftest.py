"""Fixtures of the API tests: a store on each back end, filled with known articles.

PostgreSQL comes from `RASD_TEST_PG_URL` (skipped when unset); each test gets its own
schema there, dropped afterwards (`tests/store/pg_schema.py`, shared with the store tests).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

from pg_schema import BACKENDS, backend_url, fresh_schema  # noqa: E402
from samples import API_KEY, fill  # noqa: E402

from rasd.api import create_app  # noqa: E402
from rasd.store import open_store  # noqa: E402


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema (dropped after the test)."""
    with fresh_schema("rasd_api_") as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return backend_url(request, tmp_path, "pg_schema_url")


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
