"""Spark: versioned copies of the marts behind views that are switched at the end.

dbt builds the mart models into database `marts_build` (macros/generate_schema_name.sql);
incremental models keep their state there. BI tools read database `marts`, whose
relations are views that only `publish` writes:

1. copy every table of `marts_build` into a new database `marts_v<build id>` (the build
   id is the UTC time of the publish, e.g. marts_v20260630T120000123456); a version is
   never changed after it is written;
2. the gate (`gate_and_publish`, after dbt build and its tests passed): the same Great
   Expectations suites as on DuckDB and PostgreSQL (cxux_cli/quality/checks.py, written
   in Spark SQL through its dialect) on `raw` and on the new version database, through a
   GX Spark data source (cxux_cli/quality/gx_spark.py, SparkWarehouse); they compute
   as Spark jobs. A failed check of severity error drops the new version and raises
   ChecksFailed (exit 1): the views of `marts` are never touched;
3. point each view `marts.<name>` at `marts_v<build id>.<name>`
   (`alter view`, one metastore update per view; a mart new in this build gets
   `create view`), drop views of marts no longer built, and record the version in
   `cxux_meta.marts_publication`;
4. drop versions older than the previous one (KEEP_VERSIONS), so a query still running
   on the previous version finishes.

What a reader sees (docs/engines.md "Publishing"): each `marts.<name>` is switched
atomically: a query reads the whole old or the whole new table, never an error (the
previous version stays). The Hive metastore has no multi-object transaction, so a query
analysed while the views are being switched (a few metastore calls per mart) may join an
old mart with a new one. A reader that needs one build across marts reads the version
database named in `cxux_meta.marts_publication` (or in any view's definition) directly:
it stays unchanged until two publishes later.

The first publish over an older cxux layout, where `marts.<name>` were tables, drops
those tables before creating the views: that one publish is not atomic.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from cxux_cli.errors import CxuxError
from cxux_cli.relations import STANDALONE, PublishSchemas, publish_schemas, quarantine_schema

log = logging.getLogger("cxux.publish")

VERSION = "_v"  # marts_v<build id>
KEEP_VERSIONS = 2  # the current version and the previous one


@dataclass
class SparkPublishResult:
    version: str
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    dropped_versions: list[str] = field(default_factory=list)


def _relations(spark, database: str) -> dict[str, str]:
    """name -> table type (MANAGED, EXTERNAL, VIEW) of a database's non-temporary relations."""
    if not spark.catalog.databaseExists(database):
        return {}
    return {t.name: t.tableType for t in spark.catalog.listTables(database) if not t.isTemporary}


def _publication_table(schemas: PublishSchemas) -> str:
    """One row per publish of `schemas.published` (the last one is current):
    cxux_meta.marts_publication standalone."""
    from cxux_cli.engines import META_SCHEMA

    return f"{META_SCHEMA}.{schemas.published}_publication"


def versions(spark, schemas: PublishSchemas = STANDALONE) -> list[str]:
    """Published version databases, oldest first (the build id sorts by time)."""
    prefix = schemas.derived(VERSION)
    names = [row[0] for row in spark.sql(f"show databases like '{prefix}*'").collect()]
    # the build id is digits and a `t`: another publish's prefix (marts_x_v...) is not ours
    return sorted(n for n in names if n.startswith(prefix)
                  and n[len(prefix):].replace("t", "").isdigit())


def new_version(spark, schemas: PublishSchemas = STANDALONE,
                now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    version = schemas.derived(VERSION) + now.strftime("%Y%m%dt%H%M%S%f")
    existing = set(versions(spark, schemas))
    if version in existing or (existing and version <= max(existing)):
        raise CxuxError(f"publish: version {version} is not newer than {max(existing)}"
                        " (clock moved back?); the published marts were left unchanged")
    return version


def publish(project, spark=None, check=None) -> SparkPublishResult:
    """Copy marts_build into a new version database and switch the views of `marts`
    (relations.publish_schemas: the host's names of both in a host project).

    `check(spark, version)`, when given, runs on the new version before the switch; if
    it raises, the version is dropped and the views of `marts` stay as they were.
    """
    from cxux_cli.engines import spark_session

    schemas = publish_schemas(project, "spark")
    marts = schemas.published
    spark = spark or spark_session(project)
    built = {n: k for n, k in _relations(spark, schemas.build).items() if k != "VIEW"}
    if not built:
        raise CxuxError(f"database {schemas.build} has no tables: nothing to publish"
                        " (run `cxux build --target spark` first)")
    version = new_version(spark, schemas)
    result = SparkPublishResult(version=version)
    spark.sql(f"create database `{version}`")
    try:
        for table in sorted(built):
            spark.sql(f"create table `{version}`.`{table}` using parquet as"
                      f" select * from `{schemas.build}`.`{table}`")
            result.tables[table] = spark.table(f"`{version}`.`{table}`").count()
        if check is not None:
            check(spark, version)
    except BaseException:
        # never half a version, nor one that failed its checks
        spark.sql(f"drop database if exists `{version}` cascade")
        raise
    # The switch: nothing above changed what readers see.
    spark.sql(f"create database if not exists `{marts}`")
    current = _relations(spark, marts)
    for table in sorted(built):
        select = f"select * from `{version}`.`{table}`"
        kind = current.get(table)
        if kind == "VIEW":
            # `alter view` is one metastore update; `create or replace view` drops the
            # view and creates it again, and a reader in between gets "table not found"
            spark.sql(f"alter view `{marts}`.`{table}` as {select}")
            continue
        if kind is not None:
            log.warning("%s.%s is a table (older layout): replaced by a view", marts, table)
            spark.sql(f"drop table `{marts}`.`{table}`")
        spark.sql(f"create view `{marts}`.`{table}` as {select}")
    for table, kind in sorted(current.items()):
        if table not in built:
            spark.sql(f"drop {'view' if kind == 'VIEW' else 'table'} if exists"
                      f" `{marts}`.`{table}`")
    _record(spark, version, result.tables, schemas)
    for old in versions(spark, schemas)[:-KEEP_VERSIONS]:
        spark.sql(f"drop database if exists `{old}` cascade")
        result.dropped_versions.append(old)
    log.info("published %d tables as %s behind the views of %s", len(result.tables), version,
             marts)
    return result


def _record(spark, version: str, tables: dict[str, int], schemas: PublishSchemas) -> None:
    from cxux_cli.engines import META_SCHEMA

    table = _publication_table(schemas)
    spark.sql(f"create database if not exists {META_SCHEMA}")
    spark.sql(f"create table if not exists {table}"
              " (version string, published_at timestamp, tables int) using parquet")
    spark.sql(f"insert into {table} select '{version}', current_timestamp(),"
              f" {len(tables)}")


def current_version(spark, schemas: PublishSchemas = STANDALONE) -> str | None:
    """The version database the views of `marts` point at (the last publish)."""
    table = _publication_table(schemas)
    if not spark.catalog.tableExists(table):
        return None
    row = spark.sql(f"select version from {table}"
                    " order by published_at desc, version desc limit 1").first()
    return row[0] if row else None


def run_quality_spark(project, marts_database: str | None = None, as_of=None,
                      data_docs_dir=None, vars_: dict | None = None, spark=None, progress=None):
    """The raw and marts suites on Spark; marts: `marts_database` (default marts_build)."""
    from cxux_cli.engines import spark_dir, spark_session
    from cxux_cli.quality.runner import run_quality
    from cxux_cli.quality.warehouse import SparkWarehouse

    spark = spark or spark_session(project)
    marts_database = marts_database or publish_schemas(project, "spark").build
    warehouse = SparkWarehouse(spark, marts_database, name=f"spark {spark_dir(project)}")
    return run_quality(project, as_of=as_of, data_docs_dir=data_docs_dir,
                       warehouse=warehouse, vars_=vars_, progress=progress)


def gate_and_publish(project, options, vars_: dict, as_of, checks) -> dict:
    """After dbt build (models and tests) passed: the quality checks, then the switch.

    With publish: the checks run on the new version database before any view points at
    it; without: on marts_build. A failed check raises ChecksFailed, nothing published.
    checks: how the build shows the checks (engines.QualityReport).
    """
    from cxux_cli.errors import ChecksFailed

    summary: dict = {}

    def gate(spark, database: str) -> None:
        result = run_quality_spark(project, database, as_of=as_of, vars_=vars_, spark=spark,
                                   progress=checks.progress)
        checks.results.append(result)
        summary["quality"] = "passed" if result.passed else "failed"
        if not result.passed:
            raise ChecksFailed(
                f"quality checks failed (error severity) on database {database};"
                " nothing was published: the views of the published marts were left unchanged"
            )

    if options.publish:
        published = publish(project, check=gate if options.quality else None)
        marts = publish_schemas(project, "spark").published
        summary["published"] = f"spark views {marts}.* -> {published.version}"
        summary["marts"] = dict(sorted(published.tables.items()))
        summary["schemas"] = {"marts": marts, "quarantine": quarantine_schema(project)}
    elif options.quality:
        from cxux_cli.engines import spark_session

        gate(spark_session(project), publish_schemas(project, "spark").build)
    return summary
