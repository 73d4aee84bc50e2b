#!/usr/bin/env bash
# The whole test suite, as `make test` and .ci/run run it: lint, then pytest with a
# real PostgreSQL server for the store and API tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${VENV:-.venv}
if [ -z "${RASD_TEST_PG_URL:-}" ]; then
  RASD_TEST_PG_URL=$(bash scripts/ci/start_postgres.sh) && export RASD_TEST_PG_URL \
    || echo "warning: PostgreSQL could not be started; PostgreSQL tests will be skipped" >&2
fi
echo "RASD_TEST_PG_URL=${RASD_TEST_PG_URL:-unset}"
"$venv/bin/ruff" check src tests scripts benchmarks
"$venv/bin/python" -m pytest -p no:cacheprovider "$@"
