"""Where the quality checks run: one small interface per engine, the checks stay the same.

checks.py defines every expectation once, as SQL over `schema.table` names; runner.py
turns them into one GX checkpoint. What differs per engine is only how GX connects,
which tables exist, row counts and a few sample rows: a `Warehouse` says that.
`DuckDBWarehouse` is the default; PostgreSQL's lives in cxux_cli/engines/publish_postgres.py.
"""

from __future__ import annotations

from pathlib import Path


class Warehouse:
    """What runner.py needs of an engine. `name` appears in messages."""

    name: str = "warehouse"
    marts_schema: str = "marts"  # where the marts to check live
    state_file: str = "quality_state.json"  # volume baseline, next to the DuckDB file

    def tables(self, schema: str) -> set[str]:
        raise NotImplementedError

    def count(self, schema: str, table: str) -> int:
        raise NotImplementedError

    def rows(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a query (used for a few sample rows)."""
        raise NotImplementedError

    def add_datasource(self, context):
        """Register this warehouse as a GX data source of `context`; returns it."""
        raise NotImplementedError

    def close_datasource(self, datasource) -> None:
        pass


class DuckDBWarehouse(Warehouse):
    def __init__(self, database: Path):
        self.database = Path(database)
        self.name = str(self.database)

    def _connect(self):
        import duckdb

        return duckdb.connect(str(self.database), read_only=True)

    def tables(self, schema: str) -> set[str]:
        with self._connect() as con:
            rows = con.execute(
                "select table_name from duckdb_tables() where schema_name = ? "
                "union select view_name from duckdb_views() where schema_name = ?",
                [schema, schema],
            ).fetchall()
        return {name for (name,) in rows}

    def count(self, schema: str, table: str) -> int:
        with self._connect() as con:
            return con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]

    def rows(self, sql: str) -> tuple[list[str], list[tuple]]:
        with self._connect() as con:
            cursor = con.execute(sql)
            return [d[0] for d in cursor.description], cursor.fetchall()

    def add_datasource(self, context):
        from cxux_cli.quality.gx_duckdb import add_duckdb_datasource

        return add_duckdb_datasource(context, "warehouse", str(self.database))

    def close_datasource(self, datasource) -> None:
        from cxux_cli.quality.gx_duckdb import close_datasource

        close_datasource(datasource)
