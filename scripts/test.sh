#!/usr/bin/env bash
# Every check CI runs: lint, the generated metric registry is current, pytest
# (which includes dbt builds with dbt tests on demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
ruff check .
cxux metrics compile --check
# One process by default. CXUX_TEST_WORKERS=N runs N pytest-xdist workers, but its
# loadgroup scheduling did not keep a group on one worker here (pytest-xdist 3.8), so the
# engine tests, which share one PostgreSQL database, can collide: not for CI yet.
python -m pytest -q -n "${CXUX_TEST_WORKERS:-0}" --dist loadgroup "$@"
