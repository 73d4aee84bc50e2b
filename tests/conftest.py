"""Shared fixtures: paths to the read-only data in ../shared beside the checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "data" / "dev"
SEED = DEV / "raw" / "seed-baghdad-rocket.txt"


def needs_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not available (../shared is laid beside the checkout in CI)")
    return path


@pytest.fixture(scope="session")
def html_page() -> Path:
    return needs_shared(SHARED / "data" / "html" / "assabah.com.tn.article.html")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return needs_shared(SEED)


@pytest.fixture(scope="session")
def dev_gold() -> dict[str, dict]:
    path = needs_shared(DEV / "gold.jsonl")
    return {d["id"]: d for d in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if d}


@pytest.fixture(scope="session")
def dev_input_path() -> Path:
    return needs_shared(DEV / "input.jsonl")
