"""A Great Expectations Spark data source whose assets are Spark SQL queries.

GX 1.x's Spark data source (`context.data_sources.add_spark`) has DataFrame assets
only: the DataFrame is handed over at run time as the batch parameter `dataframe`, and
one checkpoint passes the same batch parameters to every validation definition, so one
checkpoint could check one table only. This module adds what runner.py needs: a data
source type `cxux_spark` whose assets are queries (`add_query_asset(name, query)`, as
on GX's SQL data sources); an asset's one batch is `spark.sql(query)` on the session
given to `add_spark_datasource`, so runner.py builds one checkpoint over all suites as
on DuckDB and PostgreSQL. Expectations run as Spark jobs on that DataFrame (GX's
SparkDFExecutionEngine); UnexpectedRowsExpectation runs its query through `spark.sql`
with `{batch}` replaced by a temporary view of the DataFrame. A table is never
collected into Python: only aggregates and a few sample rows are.

GX would otherwise find a session of its own (`SparkSession.builder.getOrCreate`);
here it is always the one cxux passes, which has the metastore of the `spark` target
(cxux_cli.engines.spark_session).

Importing this module imports great_expectations: import it lazily.
"""

from __future__ import annotations

from typing import ClassVar, List, Literal, Type  # noqa: UP035 (GX's pydantic v1 models)

from great_expectations.datasource.fluent.interfaces import DataAsset
from great_expectations.datasource.fluent.spark_datasource import (
    DataFrameAsset,
    SparkDatasource,
)
from great_expectations.exceptions.exceptions import BuildBatchRequestError

# data source name -> the SparkSession its batches run on (a pydantic data source cannot
# carry a session in its config, and GX may rebuild the object from its config)
_SESSIONS: dict = {}
# data source name -> the DataFrames GX persisted, released by close_datasource
_FRAMES: dict = {}


class SparkQueryAsset(DataFrameAsset):
    """A Spark SQL query; its one batch is the whole result (no batch parameters)."""

    type: Literal["cxux_spark_query"] = "cxux_spark_query"
    query: str

    def get_batch_parameters_keys(self, partitioner=None) -> tuple[str, ...]:
        return ()

    def build_batch_request(self, options=None, batch_slice=None, partitioner=None):
        if options:
            raise BuildBatchRequestError(
                message=f"asset {self.name}: a query asset takes no batch parameters"
                f" (got {sorted(options)}); its DataFrame is its query"
            )
        frame = self.datasource.frame(self.query)
        return super().build_batch_request(options={"dataframe": frame},
                                           batch_slice=batch_slice, partitioner=partitioner)

    def add_batch_definition_whole_table(self, name: str):
        """As on GX's SQL assets: the whole query result is the batch."""
        return self.add_batch_definition_whole_dataframe(name)


class CxuxSparkDatasource(SparkDatasource):
    """`add_spark_datasource(context, name, spark)`, then `add_query_asset(name, query)`."""

    type: Literal["cxux_spark"] = "cxux_spark"  # type: ignore[assignment]
    asset_types: ClassVar[List[Type[DataAsset]]] = [SparkQueryAsset]  # noqa: UP006
    assets: List[SparkQueryAsset] = []  # type: ignore[assignment]  # noqa: UP006

    def get_spark(self):
        try:
            self._spark = _SESSIONS[self.name]
        except KeyError:
            raise RuntimeError(f"GX data source {self.name}: no Spark session registered"
                               " (use cxux_cli.quality.gx_spark.add_spark_datasource)") from None
        return self._spark

    def get_execution_engine(self):
        self.get_spark()  # never GX's own getOrCreate: our session, our metastore
        return super().get_execution_engine()

    def add_query_asset(self, name: str, query: str,
                        batch_metadata: dict | None = None) -> SparkQueryAsset:
        asset = SparkQueryAsset(name=name, query=query, batch_metadata=batch_metadata or {})
        return self._add_asset(asset=asset)

    def frame(self, query: str):
        frame = self.get_spark().sql(query)
        _FRAMES.setdefault(self.name, []).append(frame)
        return frame


def add_spark_datasource(context, name: str, spark):
    """Register a SparkSession as a data source of an (ephemeral) GX context."""
    _SESSIONS[name] = spark
    return context.data_sources.add_cxux_spark(name=name)


def close_datasource(datasource) -> None:
    """Release what GX cached (it persists every batch DataFrame) and the session."""
    for frame in _FRAMES.pop(datasource.name, []):
        frame.unpersist()
    _SESSIONS.pop(datasource.name, None)
