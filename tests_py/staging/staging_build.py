"""Helpers for the staging tests: build the staging layer into a private DuckDB file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Only the staging layer and its seed; cautious indirect selection keeps out tests that
# also depend on downstream models (they are not built here).
STAGING_SELECTION = ["path:models/staging", "path:seeds/country_regions.csv", "path:tests/staging"]


def staging_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        CXUX_PROJECT_DIR=str(REPO),
        CXUX_DUCKDB_PATH=str(workdir / "cxux.duckdb"),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
    )
    return env


def build_staging(env: dict, as_of: str) -> subprocess.CompletedProcess:
    """`dbt build` of the staging layer; raises with dbt's output when anything fails."""
    dbt = Path(sys.executable).with_name("dbt")
    vars_ = f'{{"cxux_as_of": "{as_of}"}}'
    args = [str(dbt), "build", "--profiles-dir", str(REPO), "--project-dir", str(REPO),
            "--select", *STAGING_SELECTION, "--indirect-selection", "cautious", "--vars", vars_]
    result = subprocess.run(args, check=False, env=env, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"dbt build failed ({result.returncode}):\n{result.stdout[-10000:]}")
    return result
