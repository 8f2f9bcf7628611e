#!/usr/bin/env bash
# Create .venv (if missing) and install cxux with its test tools. Idempotent.
# CXUX_EXTRAS=postgres,spark,metricflow also installs the engine adapters (pyspark is
# ~450 MB) and dbt-metricflow.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev${CXUX_EXTRAS:+,$CXUX_EXTRAS}]"
# A DuckDB 1.x client in its own venv (~20 MB): tests_py/publish/test_duckdb1_client.py
# opens the published copy with it, as BI connectors that bundle DuckDB 1.x do.
if [ ! -x .venv-duckdb1/bin/python ]; then
    "$PYTHON" -m venv .venv-duckdb1
fi
.venv-duckdb1/bin/python -m pip install --quiet "duckdb==1.0.0"
