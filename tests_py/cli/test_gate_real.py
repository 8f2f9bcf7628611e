"""Real runs for the gate and the errors: no monkeypatching.

- `cxux build --no-quality` after raw.orders was emptied leaves the published copy
  byte-for-byte unchanged (a copy of the session's demo warehouse);
- a 1MB DuckDB memory limit makes `cxux build` exit 2 with what to change;
- `cxux quality --as-of` with a UTC offset runs every raw check without an error.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests_py.conftest import isolated_env, run_cxux


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_no_quality_build_of_an_emptied_table_does_not_publish(demo_warehouse, tmp_path):
    import duckdb

    env = isolated_env(tmp_path)
    warehouse = Path(env["CXUX_DUCKDB_PATH"])
    published = Path(env["CXUX_PUBLISHED_PATH"])
    published.parent.mkdir(parents=True)
    shutil.copy2(demo_warehouse.duckdb_path, warehouse)
    shutil.copy2(demo_warehouse.published_path, published)
    before_hash, before_mtime = _sha256(published), published.stat().st_mtime_ns
    published_orders = _count(published, "marts.fct_orders")
    assert published_orders > 0
    with duckdb.connect(str(warehouse)) as con:  # as a header-only orders.csv would leave it
        con.execute("delete from raw.order_items")
        con.execute("delete from raw.orders")

    result = run_cxux("build", "--no-quality", "--as-of", demo_warehouse.as_of, env=env,
                      check=False)

    assert result.returncode == 0, result.stderr[-4000:]
    assert "not publishing" in result.stderr
    assert _count(warehouse, "marts.fct_orders") == 0  # the build did run on the empty table
    assert _sha256(published) == before_hash
    assert published.stat().st_mtime_ns == before_mtime
    assert _count(published, "marts.fct_orders") == published_orders


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory):
    """Generated raw tables only (no build), in a directory of this module."""
    workdir = tmp_path_factory.mktemp("small_raw")
    env = isolated_env(workdir)
    run_cxux("generate", "--scale", "0.05", "--seed", "7", "--as-of", "2026-06-30", env=env)
    return env


def test_out_of_memory_in_dbt_exits_2_with_advice(small_raw):
    env = dict(small_raw, CXUX_DUCKDB_MEMORY_LIMIT="1MB")
    result = run_cxux("build", "-s", "base_raw__accounts__validated", env=env, check=False)
    assert result.returncode == 2, result.stderr[-4000:]
    assert "Out of Memory Error" in result.stderr
    assert "CXUX_DUCKDB_MEMORY_LIMIT" in result.stderr
    assert "CXUX_DUCKDB_TEMP_DIR" in result.stderr
    assert "finished with failures" not in result.stderr


def test_quality_with_an_offset_as_of_runs_every_check(small_raw):
    # 2026-07-01T01:00+02:00 is 2026-06-30 23:00 UTC: the generated data ends before it
    result = run_cxux("quality", "--suite", "raw", "--as-of", "2026-07-01T01:00:00+02:00",
                      "--format", "JSON", env=small_raw, check=False)
    assert result.returncode in (0, 1), result.stderr[-4000:]
    checks = json.loads(result.stdout)["checks"]
    assert len(checks) > 100
    errored = [(c["suite"], c["expectation"], c["error"]) for c in checks if c["error"]]
    assert errored == []
    future = [c for c in checks if c["expectation"].endswith("between 2000-01-01 and now")]
    assert future and all(c["error"] is None for c in future)
