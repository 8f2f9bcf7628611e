"""A Great Expectations SQL data source for DuckDB that computes inside DuckDB.

GX 1.x has no DuckDB data source. The generic SQL data source with
duckdb-engine fails every expectation: GX opens and closes a SQLAlchemy
connection around each query, and with DuckDB the result is gone once the
connection is returned, so every metric comes back empty. GX keeps one
persistent connection only for a fixed list of dialects (sqlite, mssql, ...).
This module adds the missing case: an execution engine that always reuses a
single connection (with a StaticPool underneath), registered as the fluent data
source type `cxux_duckdb`. Expectations still compile to SQL and run in DuckDB,
so a table is never loaded into Python (unlike the pandas route).

Importing this module imports great_expectations: import it lazily.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Literal

from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine


class DuckDBExecutionEngine(SqlAlchemyExecutionEngine):
    """SqlAlchemyExecutionEngine that keeps one DuckDB connection for its lifetime."""

    @contextmanager
    def get_connection(self):
        if self._connection is None:
            self._connection = self.engine.connect()
        yield self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()


class CxuxDuckDBDatasource(SQLDatasource):
    """`context.data_sources.add_cxux_duckdb(name, connection_string="duckdb:///file")`."""

    type: Literal["cxux_duckdb"] = "cxux_duckdb"

    @property
    def execution_engine_type(self):
        return DuckDBExecutionEngine


def add_duckdb_datasource(context, name: str, database: str, read_only: bool = True):
    """Register a DuckDB file as a data source of an (ephemeral) GX context."""
    import sqlalchemy

    return context.data_sources.add_cxux_duckdb(
        name=name,
        connection_string=f"duckdb:///{database}",
        kwargs={
            "poolclass": sqlalchemy.pool.StaticPool,
            "connect_args": {"read_only": read_only},
        },
    )


def close_datasource(datasource) -> None:
    """Release the DuckDB file: the execution engine and the data source's own engine.

    Both hold a StaticPool connection; until they are closed, this process cannot
    open the file again with another configuration (e.g. read-write).
    """
    datasource.get_execution_engine().close()
    engine = datasource._engine  # created by test_connection when assets are added
    if engine is not None:
        engine.dispose()
