#!/usr/bin/env bash
# Every check CI runs: lint, the generated metric registry is current, pytest
# (which includes dbt builds with dbt tests on demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
ruff check .
cxux metrics compile --check
# Two pytest-xdist workers by default (the machines have 2 cores; CXUX_TEST_WORKERS=0 runs
# one process). Tests that share a build form one group and run on one worker
# (tests_py/conftest.py), so each build is made once and the engine tests, which share
# one PostgreSQL database and Spark metastore, never run side by side.
python -m pytest -q -n "${CXUX_TEST_WORKERS:-2}" --dist loadgroup --no-loadscope-reorder "$@"
