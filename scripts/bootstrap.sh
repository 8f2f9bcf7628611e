#!/usr/bin/env bash
# Create .venv (if missing) and install cxux with its test tools. Idempotent.
# CXUX_EXTRAS=postgres,spark also installs the engine adapters (pyspark is ~450 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev${CXUX_EXTRAS:+,$CXUX_EXTRAS}]"
