"""Benchmark: GX expectations on a large DuckDB table run inside DuckDB.

Builds a table of N rows (default 5 million) in a temporary DuckDB file, runs
the same kind of checks the raw suites use (not null, in set, between, unique,
foreign-key coverage) through the cxux GX route, and reports the Python heap
peak (tracemalloc) next to the size the table would take as a pandas frame
(estimated by DuckDB from the column widths, not by loading it).

    python bench/quality_memory.py [--rows 5000000]
    # or the whole raw suite on an existing warehouse (e.g. `cxux generate --scale 10`):
    python bench/quality_memory.py --warehouse /tmp/big/cxux.duckdb

Not a unit test: run by hand; prints numbers, asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

from cxux_cli.quality.checks import ROW_ID, Asset, Check
from cxux_cli.quality.runner import run_checks


def build(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.parents as select 'a-' || i as account_id from range(100000) r(i)")
        con.execute(f"""
            create table raw.orders as
            select 'o-' || i as order_id,
                   'a-' || (i % 100000) as account_id,
                   case i % 5 when 0 then 'web' when 1 then 'app' when 2 then 'store'
                        when 3 then 'phone' else 'partner' end as channel,
                   (i % 1000) * 1.25 as order_total,
                   timestamp '2024-01-01' + to_seconds(cast(i % 10000000 as bigint)) as ordered_at
            from range({rows}) r(i)
        """)


def checks() -> list[Check]:
    base = Asset("raw.orders", f"select *, order_id as {ROW_ID} from raw.orders")
    rel = Asset("raw.orders.relations", (
        f"select c.order_id as {ROW_ID}, case when c.account_id is null then null "
        "else p.k is not null end as has_parent from raw.orders as c "
        "left join (select distinct account_id as k from raw.parents) as p on c.account_id = p.k"))
    return [
        Check(base, "order_id not null", "ExpectColumnValuesToNotBeNull", {"column": "order_id"}),
        Check(base, "channel in set", "ExpectColumnValuesToBeInSet",
              {"column": "channel", "value_set": ["web", "app", "store", "phone", "partner"]}),
        Check(base, "order_total >= 0", "ExpectColumnValuesToBeBetween",
              {"column": "order_total", "min_value": 0, "mostly": 0.98}),
        Check(base, "order_id unique", "ExpectColumnValuesToBeUnique", {"column": "order_id"}),
        Check(rel, "account_id references", "ExpectColumnValuesToBeInSet",
              {"column": "has_parent", "value_set": [True]}),
    ]


def bench_warehouse(path: Path) -> None:
    """The full raw suite (run_quality) on an existing warehouse."""
    import datetime as dt
    import os

    from cxux_cli.project import Project
    from cxux_cli.quality.runner import run_quality

    os.environ["CXUX_DUCKDB_PATH"] = str(path)
    with duckdb.connect(str(path), read_only=True) as con:
        table, rows = con.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'raw' "
            "order by estimated_size desc limit 1").fetchone()
        # pandas object strings ~60 bytes + 8 per pointer; numbers 8 bytes
        width = con.execute(
            "select sum(case when data_type = 'VARCHAR' then 68 else 8 end) from "
            "duckdb_columns() where schema_name = 'raw' and table_name = ?", [table]).fetchone()[0]
        max_ts = con.execute(f"select max(received_at) from raw.{table}").fetchone()[0]
    tracemalloc.start()
    start = time.perf_counter()
    result = run_quality(Project.resolve(str(Path(__file__).resolve().parents[1])),
                         suites=("raw",), as_of=max_ts + dt.timedelta(hours=1),
                         data_docs_dir=path.parent / "bench_docs", update_state=False)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"checks: {len(result.outcomes)}, passed: {result.passed}")
    print(f"largest raw table: {table} ({rows:,} rows)")
    print(f"raw suite wall time: {seconds:.1f} s")
    print(f"python heap peak (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"process max RSS (includes DuckDB's own buffers): {rss:.0f} MiB")
    print(f"{table} as a pandas frame (estimate): {rows * width / 2**20:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--warehouse", type=Path, default=None)
    args = parser.parse_args()
    if args.warehouse:
        bench_warehouse(args.warehouse)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        build(db, args.rows)
        with duckdb.connect(str(db), read_only=True) as con:
            # object strings in pandas: ~60 bytes per short str plus 8 per pointer
            est = con.execute(
                "select count(*) * (3 * (8 + 60) + 8 + 8) from raw.orders").fetchone()[0]
        tracemalloc.start()
        start = time.perf_counter()
        outcomes = run_checks(db, checks(), Path(tmp) / "docs")
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for o in outcomes:
        print(f"{o.expectation:28} success={o.success} unexpected={o.unexpected_count} "
              f"elements={o.element_count}")
    print(f"rows: {args.rows:,}")
    print(f"checks wall time: {seconds:.1f} s")
    print(f"python heap peak (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"process max RSS (includes DuckDB's own buffers): {rss:.0f} MiB")
    print(f"same table as a pandas frame (estimate): {est / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
