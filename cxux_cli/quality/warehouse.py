"""Where the quality checks run: one small interface per engine, the checks stay the same.

checks.py defines every expectation once, as SQL over `schema.table` names; runner.py
turns them into one GX checkpoint. What differs per engine is only how GX connects,
which tables exist, row counts and a few sample rows: a `Warehouse` says that.
`DuckDBWarehouse` is the default; PostgreSQL's lives in cxux_cli/engines/publish_postgres.py,
`SparkWarehouse` runs them in a Spark session (Spark SQL dialect; GX data source in
cxux_cli/quality/gx_spark.py).
"""

from __future__ import annotations

from pathlib import Path

from cxux_cli.quality.checks import SPARK, STANDARD, Dialect


class Warehouse:
    """What runner.py needs of an engine. `name` appears in messages."""

    name: str = "warehouse"
    dialect: Dialect = STANDARD  # how checks.py writes its SQL for this engine
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
    def __init__(self, database: Path, marts_schema: str = Warehouse.marts_schema):
        self.database = Path(database)
        self.name = str(self.database)
        self.marts_schema = marts_schema

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


class SparkWarehouse(Warehouse):
    """The quality checks on Spark, in the caller's session (its metastore).

    `marts_schema`: the database of the marts to check; Spark's gate checks the new,
    not yet published version database (cxux_cli/engines/publish_spark.py).
    """

    dialect = SPARK
    state_file = "quality_state.spark.json"

    def __init__(self, spark, marts_schema: str, name: str = "spark"):
        self.spark = spark
        self.marts_schema = marts_schema
        self.name = name

    def tables(self, schema: str) -> set[str]:
        if not self.spark.catalog.databaseExists(schema):
            return set()
        return {t.name for t in self.spark.catalog.listTables(schema) if not t.isTemporary}

    def count(self, schema: str, table: str) -> int:
        return self.spark.table(f"{SPARK.ident(schema)}.{SPARK.ident(table)}").count()

    def rows(self, sql: str) -> tuple[list[str], list[tuple]]:
        frame = self.spark.sql(sql)
        return list(frame.columns), [tuple(row) for row in frame.collect()]

    def add_datasource(self, context):
        from cxux_cli.quality.gx_spark import add_spark_datasource

        return add_spark_datasource(context, "warehouse", self.spark)

    def close_datasource(self, datasource) -> None:
        from cxux_cli.quality.gx_spark import close_datasource

        close_datasource(datasource)
