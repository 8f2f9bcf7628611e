"""Raw data on engines other than DuckDB: copy the raw schema out of a DuckDB file.

`cxux generate` and `cxux load` always write DuckDB first (their checks and the
generator are DuckDB code); when the target is another engine, `copy_raw` then
copies the raw tables (and the generator's `cxux_meta` notes) there, so dbt on
that engine reads the same rows. DuckDB's `postgres` extension would be simpler
but is downloaded at run time, which is not allowed here, so:

- PostgreSQL: psycopg2 `COPY ... FROM STDIN` of a CSV that DuckDB writes, all
  tables in one transaction (a failure leaves the previous tables in place);
- Spark: DuckDB writes Parquet, a Spark session (the same metastore and
  warehouse directory as the `spark` target of profiles.yml) saves managed tables.

Connection settings come from the same environment variables as profiles.yml
(CXUX_PG_*, CXUX_SPARK_*); passwords are never logged or put in messages.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cxux_cli.errors import CxuxError

log = logging.getLogger(__name__)

META_SCHEMA = "cxux_meta"

# DuckDB type (as in information_schema) -> PostgreSQL type; decimals keep their precision.
_PG_TYPES = {
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "VARCHAR": "text",
}


def _pg_type(duck_type: str) -> str:
    if duck_type.startswith("DECIMAL"):
        return "numeric" + duck_type[len("DECIMAL"):]
    try:
        return _PG_TYPES[duck_type]
    except KeyError:
        raise CxuxError(f"cannot copy a DuckDB column of type {duck_type} to PostgreSQL") from None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(con, schemas: list[str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, DuckDB type)] in column order."""
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns"
        " where table_schema in (" + ", ".join("?" for _ in schemas) + ")"
        " order by table_schema, table_name, ordinal_position",
        schemas,
    ).fetchall()
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        tables.setdefault((schema, table), []).append((column, data_type))
    return tables


def postgres_dsn(project=None) -> dict:
    """psycopg2 connection arguments: the project's target in its profile (a host's own
    target in a host project); without a project, cxux's `postgres` target from the
    environment (CXUX_PG_* as profiles.yml reads them)."""
    if project is not None:
        def setting(*keys, default=None):
            for key in keys:  # dbt-postgres accepts pass/database for password/dbname
                value = project.target_output(key)
                if value is not None:
                    return value
            return default

        dsn = {"host": setting("host"), "port": int(setting("port", default=5432)),
               "user": setting("user"), "password": setting("password", "pass"),
               "dbname": setting("dbname", "database"),
               "sslmode": setting("sslmode", default="prefer")}
        missing = [key for key, value in dsn.items() if value in (None, "")]
        if missing:
            raise CxuxError(f"target {project.target}: no {', '.join(missing)} in its profile")
        return dsn
    password = os.environ.get("CXUX_PG_PASSWORD")
    if not password:
        raise CxuxError("target postgres: set CXUX_PG_PASSWORD (passwords come only from the environment)")
    return {
        "host": os.environ.get("CXUX_PG_HOST", "localhost"),
        "port": int(os.environ.get("CXUX_PG_PORT", "5432")),
        "user": os.environ.get("CXUX_PG_USER", "cxux"),
        "password": password,
        "dbname": os.environ.get("CXUX_PG_DBNAME", "cxux"),
        "sslmode": os.environ.get("CXUX_PG_SSLMODE", "prefer"),
    }


def _connect_postgres(project=None):
    try:
        import psycopg2
    except ImportError:
        raise CxuxError("target postgres needs psycopg2: pip install 'cxux[postgres]'") from None
    dsn = postgres_dsn(project)
    try:
        return psycopg2.connect(**dsn)
    except psycopg2.OperationalError as exc:
        # psycopg2's message names host, port and user, never the password.
        raise CxuxError(
            f"cannot connect to PostgreSQL {dsn['user']}@{dsn['host']}:{dsn['port']}/{dsn['dbname']}:"
            f" {str(exc).strip()}"
        ) from None


def copy_raw_to_postgres(project, con, tables, spill: Path) -> dict[str, int]:
    counts = {}
    pg = _connect_postgres(project)
    try:
        with pg:  # one transaction: commit on success, roll back on any error
            with pg.cursor() as cur:
                for schema in sorted({schema for schema, _ in tables}):
                    cur.execute(f"create schema if not exists {_quote(schema)}")
                for (schema, table), columns in tables.items():
                    relation = f"{_quote(schema)}.{_quote(table)}"
                    # cascade: views of an earlier dbt build that read the table go too;
                    # the next dbt build recreates them.
                    cur.execute(f"drop table if exists {relation} cascade")
                    cur.execute(
                        f"create table {relation} ("
                        + ", ".join(f"{_quote(c)} {_pg_type(t)}" for c, t in columns)
                        + ")"
                    )
                    csv = spill / f"{schema}.{table}.csv"
                    con.execute(
                        f"copy (select * from {relation}) to '{csv}'"
                        " (format csv, header false, timestampformat '%Y-%m-%d %H:%M:%S.%f')"
                    )
                    with open(csv, encoding="utf-8") as handle:
                        cur.copy_expert(f"copy {relation} from stdin with (format csv)", handle)
                    counts[f"{schema}.{table}"] = cur.rowcount
                    csv.unlink()
    finally:
        pg.close()
    return counts


def spark_dir(project) -> Path:
    """Where the `spark` target keeps its metastore and tables (CXUX_SPARK_DIR, see profiles.yml)."""
    path = Path(os.environ.get("CXUX_SPARK_DIR", "warehouse/spark"))
    return path if path.is_absolute() else project.root / path


def spark_session(project):
    """A Spark session on the same metastore and warehouse as profiles.yml's `spark` target."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CxuxError("target spark needs pyspark: pip install 'cxux[spark]'") from None
    if project.is_host and project.target_output("method") != "session":
        # the gate and the publish open this in-process session; a Thrift server or a
        # cluster is not reachable from here (docs/engines.md)
        raise CxuxError(f"target {project.target}: cxux's gate and publish on Spark need "
                        "`method: session` (an in-process session, as in cxux's profiles.yml)")
    base = spark_dir(project)
    base.mkdir(parents=True, exist_ok=True)
    # Keep these in step with profiles.yml (server_side_parameters of the spark target).
    builder = (
        SparkSession.builder.appName("cxux")
        .config("spark.sql.warehouse.dir", str(base / "tables"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={base / 'metastore_db'};create=true",
        )
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", os.environ.get("CXUX_SPARK_SHUFFLE_PARTITIONS", "4"))
        .config("spark.driver.memory", os.environ.get("CXUX_SPARK_DRIVER_MEMORY", "4g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.extraJavaOptions", f"-Dderby.stream.error.file={base / 'derby.log'}")
        .enableHiveSupport()
    )
    return builder.getOrCreate()


def copy_raw_to_spark(project, con, tables, spill: Path) -> dict[str, int]:
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampNTZType

    spark = spark_session(project)
    counts = {}
    for schema in sorted({schema for schema, _ in tables}):
        spark.sql(f"create database if not exists `{schema}`")
    for (schema, table), _columns in tables.items():
        parquet = spill / f"{schema}.{table}.parquet"
        con.execute(f"copy (select * from {_quote(schema)}.{_quote(table)}) to '{parquet}' (format parquet)")
        frame = spark.read.parquet(str(parquet))
        # DuckDB TIMESTAMP is a wall-clock time (UTC by convention): Spark reads it as
        # TIMESTAMP_NTZ; the models expect TIMESTAMP, identical in a UTC session.
        frame = frame.select(
            *[
                F.col(f.name).cast("timestamp").alias(f.name)
                if isinstance(f.dataType, TimestampNTZType)
                else F.col(f.name)
                for f in frame.schema.fields
            ]
        )
        # materialize before the Parquet file goes away
        frame.write.mode("overwrite").format("parquet").saveAsTable(f"`{schema}`.`{table}`")
        counts[f"{schema}.{table}"] = spark.table(f"`{schema}`.`{table}`").count()
    return counts


def copy_raw(project, from_duckdb_path: str | os.PathLike | None = None,
             schemas: list[str] | None = None) -> dict[str, int]:
    """Copy the raw schema (and cxux_meta) of a DuckDB file to the project's target engine.

    Returns rows copied per `schema.table`. A no-op for the duckdb target.
    """
    import duckdb

    engine = target_type(project)
    if engine == "duckdb":
        return {}
    source = Path(from_duckdb_path or project.duckdb_path)
    schemas = schemas or [project.raw_schema, META_SCHEMA]
    con = duckdb.connect(str(source), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        tables = _tables(con, schemas)
        if not tables:
            raise CxuxError(f"{source}: no tables in schema(s) {', '.join(schemas)} to copy")
        with tempfile.TemporaryDirectory(prefix="cxux-copy-") as spill:
            log.info("copying %d raw tables from %s to target %s", len(tables), source, project.target)
            if engine == "postgres":
                return copy_raw_to_postgres(project, con, tables, Path(spill))
            if engine == "spark":
                return copy_raw_to_spark(project, con, tables, Path(spill))
    finally:
        con.close()
    raise CxuxError(f"target {project.target}: copying raw data to {engine} is not supported")


def target_type(project) -> str:
    """The adapter type of the project's target (duckdb, postgres, spark) from its profile."""
    return str(project.target_output("type"))


@dataclass
class QualityReport:
    """What an engine's gate tells the build: `progress(done, total)` while the checks run,
    and each result, which the build shows on stdout once the phase is over."""

    progress: Callable[[int, int], None] | None = None
    results: list = field(default_factory=list)


def gate_and_publish(project, engine: str, options, vars_: dict, as_of,
                     checks: QualityReport | None = None) -> dict:
    """`cxux build` on PostgreSQL or Spark after dbt build passed: quality checks on the
    unpublished marts, then the atomic publish (publish_postgres.py, publish_spark.py).

    Publishes only when the quality checks ran and passed in this run."""
    if engine == "postgres":
        from cxux_cli.engines import publish_postgres as module
    elif engine == "spark":
        from cxux_cli.engines import publish_spark as module
    else:
        raise CxuxError(f"target {project.target}: cxux build does not support engine {engine}")
    if options.publish and not options.quality:
        log.warning("quality checks skipped: nothing is published (schema marts unchanged)")
        options = replace(options, publish=False)
    return module.gate_and_publish(project, options, vars_, as_of, checks or QualityReport())
