"""What the adapter end-to-end tests read back from a build (its DuckDB files)."""

from __future__ import annotations

import duckdb


def query(path: str, sql: str) -> list[tuple]:
    with duckdb.connect(path, read_only=True) as connection:
        return connection.execute(sql).fetchall()


def reconciliation(path: str, tables: list[str]) -> dict[str, tuple[int, int, int]]:
    """table -> (raw, staged, quarantined) rows, from quarantine.raw_row_reconciliation."""
    names = ", ".join(f"'{table}'" for table in tables)
    return {table: (raw, staged, quarantined)
            for table, raw, staged, quarantined, _ in query(path, (
                "select * from quarantine.raw_row_reconciliation "
                f"where table_name in ({names})"))}
