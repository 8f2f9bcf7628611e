"""Small, clean raw tables built by hand from the contract (no generator needed).

Every value is chosen to satisfy the contract: required columns filled, the
first accepted value, the minimum of a range, timestamps in 2024, foreign keys
pointing at existing parents, optional columns null. Tests then inject one
class of bad data and assert the exact unexpected count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from cxux_cli.contract import load_contract

ROWS = 200
BASE_TIME = dt.datetime(2024, 6, 1, 12, 0, 0)


def _value(table, column, i):
    if table.name == "survey_item_answers" and column.name in table.primary_key:
        return f"survey_responses-{i // 10}" if column.name == "response_id" else 1 + i % 10
    if (table.name, column.name) == ("survey_responses", "score"):
        return 8  # survey_type is nps (the first accepted value): 0-10
    if column.references:
        parent = column.references.split(".")[0]
        return f"{parent}-{i % ROWS}"
    if column.name in table.primary_key:
        return f"{table.name}-{i}"
    if not column.required:
        return None
    if column.accepted_values:
        return column.accepted_values[0]
    if column.data_type == "timestamp":
        return BASE_TIME + dt.timedelta(minutes=i)
    if column.data_type in ("integer", "decimal", "double"):
        low = column.min if column.min is not None else 5
        return low if column.required else None
    if column.data_type == "boolean":
        return False
    return f"{column.name}-{i}"


def make_raw_db(path: Path, project_root: Path, rows: int = ROWS) -> dict[str, int]:
    """Write the 13 raw tables into schema raw of a new DuckDB file; returns row counts."""
    contract = load_contract(project_root)
    counts = {}
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw")
        for table in contract.values():
            columns = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in table.columns)
            con.execute(f'create table raw."{table.name}" ({columns})')
            n = rows * 10 if table.name == "survey_item_answers" else rows
            data = [[_value(table, c, i) for c in table.columns] for i in range(n)]
            marks = ", ".join("?" for _ in table.columns)
            con.executemany(f'insert into raw."{table.name}" values ({marks})', data)
            counts[table.name] = n
    return counts
