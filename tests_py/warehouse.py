"""An isolated warehouse for tests that build with dbt: every path (DuckDB file,
published copy, dbt target and logs) lives in the test's own directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests_py" / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))


class Warehouse:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.duckdb_path = workdir / "cxux.duckdb"
        self.env = dict(os.environ)
        self.env.update(
            CXUX_PROJECT_DIR=str(REPO),
            CXUX_DUCKDB_PATH=str(self.duckdb_path),
            CXUX_PUBLISHED_PATH=str(workdir / "published" / "cxux.duckdb"),
            DBT_TARGET_PATH=str(workdir / "target"),
            DBT_LOG_PATH=str(workdir / "logs"),
        )

    def run(self, *command: str) -> str:
        result = subprocess.run(list(command), check=False, env=self.env, cwd=REPO,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout[-6000:]}\nstderr:\n{result.stderr[-4000:]}")
        return result.stdout

    def cxux(self, *args: str) -> str:
        return self.run(sys.executable, "-m", "cxux_cli.cli", *args)

    def dbt_build(self, select: str, *extra: str) -> str:
        """`dbt build` of the selection with its data tests; dbt unit tests belong to
        each model's own suite."""
        return self.run(DBT, "build", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
                        "--select", select, "--indirect-selection", "cautious",
                        "--exclude-resource-type", "unit_test", *extra)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.duckdb_path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()
