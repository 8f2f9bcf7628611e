"""Writing generated arrays into DuckDB tables typed exactly as the contract says."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cxux_cli.contract import Table


def sql_list(values) -> str:
    """A DuckDB list literal of strings, for code -> label lookups."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def lookup(values, code_column: str) -> str:
    """SQL picking values[code] (codes are 0-based; DuckDB lists are 1-based)."""
    return f'{sql_list(values)}["{code_column}" + 1]'


def fmt_id(prefix: str, column: str, width: int = 8) -> str:
    return f"printf('{prefix}_%0{width}d', \"{column}\")"


def nullable(values: np.ndarray, is_null: np.ndarray) -> pa.Array:
    return pa.array(values, mask=np.asarray(is_null, dtype=bool))


def create_table(con, schema: str, table: Table) -> None:
    columns = ",\n    ".join(f"{c.name} {c.duckdb_type}" for c in table.columns)
    con.execute(f"drop table if exists {schema}.{table.name}")
    con.execute(f"create table {schema}.{table.name} (\n    {columns}\n)")


def insert(con, schema: str, table: Table, data: dict, exprs: dict | None = None) -> int:
    """Insert arrays into a contract table.

    `data` maps source column names to numpy/arrow arrays; `exprs` maps contract
    columns to SQL over those sources. Defaults: same-named source column;
    timestamps arrive as int64 microseconds, decimals as int64 cents.
    """
    exprs = exprs or {}
    source = pa.table({name: (v if isinstance(v, pa.Array) else pa.array(v)) for name, v in data.items()})
    if source.num_rows == 0:
        return 0
    selects = []
    for column in table.columns:
        expr = exprs.get(column.name)
        if expr is None:
            if column.name not in data:
                expr = "null"
            elif column.data_type == "timestamp":
                expr = f"make_timestamp({column.name})"
            elif column.data_type == "decimal":
                expr = f"cast({column.name} as decimal(18, 0)) * 0.01"
            else:
                expr = column.name
        selects.append(f"cast({expr} as {column.duckdb_type}) as {column.name}")
    con.register("_cxux_source", source)
    try:
        con.execute(
            f"insert into {schema}.{table.name} select {', '.join(selects)} from _cxux_source"
        )
    finally:
        con.unregister("_cxux_source")
    return source.num_rows
