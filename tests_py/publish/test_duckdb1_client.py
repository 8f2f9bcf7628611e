"""The published copy opens in DuckDB 1.x, as BI connectors that bundle it (Superset's
duckdb-engine, Evidence, the Node client) read it. The client runs in its own venv,
.venv-duckdb1 (scripts/bootstrap.sh: duckdb==1.0.0, the oldest 1.x); without it the tests
are skipped, or fail when CXUX_REQUIRE_ENGINES=1 (CI)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from cxux_cli.project import Project
from cxux_cli.publish import publish

REPO = Path(__file__).resolve().parents[2]
CLIENT = REPO / ".venv-duckdb1" / "bin" / "python"

READ = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
counts = {f"{s}.{t}": len(con.execute(f'select * from "{s}"."{t}"').fetchall()) for s, t in tables}
comments = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
columns = {f"{t}.{c}": m for t, c, m in con.execute(
    "select table_name, column_name, comment from duckdb_columns() where comment is not null"
).fetchall()}
print(json.dumps({"version": duckdb.__version__, "counts": counts, "comments": comments,
                  "columns": columns}))
"""


def read_with_duckdb1(path: Path) -> dict:
    if not CLIENT.is_file():
        reason = f"no DuckDB 1.x client at {CLIENT} (run scripts/bootstrap.sh)"
        if os.environ.get("CXUX_REQUIRE_ENGINES") == "1":
            pytest.fail(f"CXUX_REQUIRE_ENGINES=1 but {reason}")
        pytest.skip(reason)
    result = subprocess.run([str(CLIENT), "-c", READ, str(path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_duckdb1_reads_a_published_copy(tmp_path, monkeypatch):
    source = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_orders as select 'o-' || i as order_id, "
                    "(i * 1.25)::decimal(12, 2) as order_total, "
                    "timestamp '2026-01-01 10:00' + to_hours(i) as ordered_at, "
                    "i % 2 = 0 as is_completed from range(7) r(i)")
        con.execute("comment on table marts.fct_orders is 'One row per order.'")
        con.execute("comment on column marts.fct_orders.order_total is 'Order total.'")
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    (target_dir / "manifest.json").write_text(json.dumps({"nodes": {"model.cxux.fct_orders": {
        "resource_type": "model", "name": "fct_orders", "alias": "fct_orders",
        "schema": "marts", "config": {"meta": {"cxux_publish": True}}}}}))
    monkeypatch.setenv("DBT_TARGET_PATH", str(target_dir))
    result = publish(Project(root=tmp_path, target="duckdb"), source=source,
                     target=tmp_path / "published" / "cxux.duckdb")
    seen = read_with_duckdb1(result.path)
    assert seen["version"].startswith("1.")
    assert seen["counts"] == {"cxux_meta.published_build": 1, "marts.fct_orders": 7}
    assert seen["comments"]["fct_orders"] == "One row per order."
    assert seen["columns"]["fct_orders.order_total"] == "Order total."


def test_duckdb1_reads_every_table_of_the_demo_copy(demo_warehouse):
    seen = read_with_duckdb1(demo_warehouse.published_path)
    with duckdb.connect(str(demo_warehouse.published_path), read_only=True) as con:
        tables = con.execute("select schema_name || '.' || table_name from duckdb_tables()"
                             ).fetchall()
        fct_orders = con.execute("select count(*) from marts.fct_orders").fetchone()[0]
    assert sorted(seen["counts"]) == sorted(t for (t,) in tables)
    assert seen["counts"]["quarantine.raw_row_reconciliation"] == 13  # the contract's tables
    assert seen["counts"]["marts.fct_orders"] == fct_orders > 0
    assert seen["comments"]["dim_customers"].startswith("One row per customer: the party that")
    assert seen["columns"]["dim_customers.country_code"] == "ISO 3166-1 alpha-2 country."
