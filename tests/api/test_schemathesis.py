"""Property-based run of the OpenAPI schema (schemathesis): no input may cause a server error.

Every operation, reads and writes (with the API key), on SQLite and PostgreSQL. Bounded:
a few examples per operation, so the whole run stays well under a minute. (The operations
are driven from one test with Hypothesis directly: schemathesis' lazy pytest fixture
loader does not run under pytest 9.)
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from samples import API_KEY, fill
from schemathesis.checks import not_a_server_error, response_schema_conformance

from rasd.api import create_app
from rasd.store import open_store

MAX_EXAMPLES = int(os.environ.get("RASD_FUZZ_EXAMPLES", "12"))  # raise it for a longer hunt


def test_no_server_errors(store_url: str) -> None:
    store = open_store(store_url)
    try:
        fill(store)
        app = create_app(store=store, api_key=API_KEY)
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 9
        for operation in operations:
            _fuzz(operation)
    finally:
        store.close()


def _fuzz(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(case: Any) -> None:
        case.call_and_validate(headers={"X-API-Key": API_KEY},
                               checks=[not_a_server_error, response_schema_conformance])

    run()
