#!/usr/bin/env bash
# Every check CI runs: lint, the generated metric registry is current, pytest
# (which includes dbt builds with dbt tests on demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
ruff check .
cxux metrics compile --check
python -m pytest -q "$@"
