#!/usr/bin/env bash
# The main job end to end on the embedded DuckDB: demo data, dbt build with
# tests, quality checks, publish, and a metric report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. .venv/bin/activate
cxux generate --scale "${CXUX_DEMO_SCALE:-1}" --seed "${CXUX_DEMO_SEED:-42}"
cxux build
cxux metrics list
cxux metrics query nps csat task_success_rate --grain month \
    --since "$(date -u -d '-4 months' +%Y-%m-01)"
cxux report --output warehouse/report.html
echo "Report: warehouse/report.html   BI tools: published/cxux.duckdb" >&2
