"""Storage: one interface (`Store`, in `base.py`), two back ends (SQLite, PostgreSQL).

    from rasd.store import open_store, Filters
    with open_store("sqlite:///rasd.db") as store:
        store.query_events(Filters(country="IQ"), limit=20)

`open_store(None)` opens `$RASD_DB`, else the embedded SQLite database in the user
data directory (`platformdirs.user_data_dir("rasd")/rasd.db`).
"""

from __future__ import annotations

import os
from pathlib import Path

from rasd.errors import RasdError
from rasd.store.base import AddSummary, Filters, Store

__all__ = ["AddSummary", "Filters", "Store", "default_url", "open_store"]


def default_url() -> str:
    """`$RASD_DB` if set, else the SQLite file in the user data directory."""
    if os.environ.get("RASD_DB"):
        return os.environ["RASD_DB"]
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('rasd')) / 'rasd.db'}"


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at `url`.

    `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite:///:memory:`,
    a bare file path, or `postgresql://user:pass@host:port/db` (needs psycopg 3).
    """
    url = url or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from rasd.store.postgres import PostgresStore
        except ImportError as error:
            raise RasdError("PostgreSQL needs psycopg 3: pip install 'rasd[postgres]'") from error
        return PostgresStore(url)
    from rasd.store.sqlite import SQLiteStore

    if url.startswith("sqlite://"):
        path = url[len("sqlite://"):]
        path = path[1:] if path.startswith("/") else path
        return SQLiteStore(url, path or ":memory:")
    if "://" in url:
        raise RasdError(f"unknown database URL {url!r}: use sqlite:///path.db or postgresql://...")
    return SQLiteStore(f"sqlite:///{url}", url)
