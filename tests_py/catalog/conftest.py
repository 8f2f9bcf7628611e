"""Warehouses for the metric catalog tests: raw data (generated demo data, or a
hand-made export folder loaded with `cxux load`), then `dbt build` of
metric_values and everything upstream of it (tests only when all their parents
are selected: cautious indirect selection). Every path is isolated in a pytest
tmp dir (CXUX_DUCKDB_PATH, DBT_TARGET_PATH, DBT_LOG_PATH), so other dbt runs on
the machine are not disturbed. One build per data set, shared by many tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests_py" / "fixtures"


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

    def build_metrics(self) -> str:
        dbt = str(Path(sys.executable).with_name("dbt"))
        return self.run(dbt, "build", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
                        "--select", "+metric_values", "--indirect-selection", "cautious",
                        # dbt unit tests belong to each model's own suite; data tests stay
                        "--exclude-resource-type", "unit_test")

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.duckdb_path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def demo_metrics_warehouse(tmp_path_factory) -> Warehouse:
    """Generated demo data (scale 0.1, seed 7, as of 2026-06-30), metrics built."""
    warehouse = Warehouse(tmp_path_factory.mktemp("catalog_demo"))
    warehouse.cxux("generate", "--scale", "0.1", "--seed", "7", "--as-of", "2026-06-30")
    warehouse.build_metrics()
    return warehouse


@pytest.fixture(scope="session")
def catalog_small_warehouse(tmp_path_factory) -> Warehouse:
    """tests_py/fixtures/catalog_small loaded with `cxux load`, metrics built."""
    warehouse = Warehouse(tmp_path_factory.mktemp("catalog_small"))
    warehouse.cxux("load", str(FIXTURES / "catalog_small"))
    warehouse.build_metrics()
    return warehouse
