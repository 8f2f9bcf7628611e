"""Warehouses for the metric catalog tests: raw data (generated demo data, or a
hand-made export folder loaded with `cxux load`), then `dbt build` of
metric_values and everything upstream of it (tests only when all their parents
are selected: cautious indirect selection). Every path is isolated in a pytest
tmp dir (CXUX_DUCKDB_PATH, DBT_TARGET_PATH, DBT_LOG_PATH), so other dbt runs on
the machine are not disturbed. One build per data set, shared by many tests."""

from __future__ import annotations

import pytest

from tests_py.warehouse import FIXTURES, Warehouse


@pytest.fixture(scope="session")
def demo_metrics_warehouse(tmp_path_factory) -> Warehouse:
    """Generated demo data (scale 0.1, seed 7, as of 2026-06-30), metrics built."""
    warehouse = Warehouse(tmp_path_factory.mktemp("catalog_demo"))
    warehouse.cxux("generate", "--scale", "0.1", "--seed", "7", "--as-of", "2026-06-30")
    warehouse.dbt_build("+metric_values")
    return warehouse


@pytest.fixture(scope="session")
def catalog_small_warehouse(tmp_path_factory) -> Warehouse:
    """tests_py/fixtures/catalog_small loaded with `cxux load`, metrics built."""
    warehouse = Warehouse(tmp_path_factory.mktemp("catalog_small"))
    warehouse.cxux("load", str(FIXTURES / "catalog_small"))
    warehouse.dbt_build("+metric_values")
    return warehouse
