#!/usr/bin/env bash
# Every check CI runs: lint, the generated metric registry is current, pytest
# (which includes dbt builds with dbt tests on demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
ruff check .
cxux metrics compile --check
# Two workers (CXUX_TEST_WORKERS); tests that share a build stay on one worker
# (tests_py/conftest.py). CXUX_TEST_WORKERS=0 runs in one process.
python -m pytest -q -n "${CXUX_TEST_WORKERS:-2}" --dist loadgroup "$@"
