"""Spark: versioned copies of the marts behind views that are switched at the end.

dbt builds the mart models into database `marts_build` (macros/generate_schema_name.sql);
incremental models keep their state there. BI tools read database `marts`, whose
relations are views that only `publish` writes:

1. copy every table of `marts_build` into a new database `marts_v<build id>` (the build
   id is the UTC time of the publish, e.g. marts_v20260630T120000123456); a version is
   never changed after it is written;
2. point each view `marts.<name>` at `marts_v<build id>.<name>`
   (`create or replace view`, one metastore update per view), drop views of marts no
   longer built, and record the version in `cxux_meta.marts_publication`;
3. drop versions older than the previous one (KEEP_VERSIONS), so a query still running
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

The Great Expectations suites do not run on Spark yet: the gate on Spark is dbt's tests
(`gate_and_publish` says so in a warning).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from cxux_cli.errors import CxuxError

log = logging.getLogger("cxux.publish")

MARTS_DATABASE = "marts"
MARTS_BUILD_DATABASE = "marts_build"  # macros/generate_schema_name.sql cxux_marts_build_schema
VERSION_PREFIX = "marts_v"
PUBLICATION_TABLE = "cxux_meta.marts_publication"
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


def versions(spark) -> list[str]:
    """Published version databases, oldest first (the build id sorts by time)."""
    names = [row[0] for row in spark.sql(f"show databases like '{VERSION_PREFIX}*'").collect()]
    return sorted(n for n in names if n.startswith(VERSION_PREFIX))


def new_version(spark, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    version = VERSION_PREFIX + now.strftime("%Y%m%dt%H%M%S%f")
    existing = set(versions(spark))
    if version in existing or (existing and version <= max(existing)):
        raise CxuxError(f"publish: version {version} is not newer than {max(existing)}"
                        " (clock moved back?); the published marts were left unchanged")
    return version


def publish(project, spark=None) -> SparkPublishResult:
    """Copy marts_build into a new version database and switch the views of `marts`."""
    from cxux_cli.engines import spark_session

    spark = spark or spark_session(project)
    built = {n: k for n, k in _relations(spark, MARTS_BUILD_DATABASE).items() if k != "VIEW"}
    if not built:
        raise CxuxError(f"database {MARTS_BUILD_DATABASE} has no tables: nothing to publish"
                        " (run `cxux build --target spark` first)")
    version = new_version(spark)
    result = SparkPublishResult(version=version)
    spark.sql(f"create database `{version}`")
    try:
        for table in sorted(built):
            spark.sql(f"create table `{version}`.`{table}` using parquet as"
                      f" select * from `{MARTS_BUILD_DATABASE}`.`{table}`")
            result.tables[table] = spark.table(f"`{version}`.`{table}`").count()
    except Exception:
        spark.sql(f"drop database if exists `{version}` cascade")  # never half a version
        raise
    # The switch: nothing above changed what readers see.
    spark.sql(f"create database if not exists `{MARTS_DATABASE}`")
    current = _relations(spark, MARTS_DATABASE)
    for table in sorted(built):
        if current.get(table, "VIEW") != "VIEW":
            log.warning("marts.%s is a table (older layout): replaced by a view", table)
            spark.sql(f"drop table `{MARTS_DATABASE}`.`{table}`")
        spark.sql(f"create or replace view `{MARTS_DATABASE}`.`{table}` as"
                  f" select * from `{version}`.`{table}`")
    for table, kind in sorted(current.items()):
        if table not in built:
            spark.sql(f"drop {'view' if kind == 'VIEW' else 'table'} if exists"
                      f" `{MARTS_DATABASE}`.`{table}`")
    _record(spark, version, result.tables)
    for old in versions(spark)[:-KEEP_VERSIONS]:
        spark.sql(f"drop database if exists `{old}` cascade")
        result.dropped_versions.append(old)
    log.info("published %d tables as %s behind the views of %s", len(result.tables), version,
             MARTS_DATABASE)
    return result


def _record(spark, version: str, tables: dict[str, int]) -> None:
    """cxux_meta.marts_publication: one row per publish (the last one is current)."""
    spark.sql("create database if not exists cxux_meta")
    spark.sql(f"create table if not exists {PUBLICATION_TABLE}"
              " (version string, published_at timestamp, tables int) using parquet")
    spark.sql(f"insert into {PUBLICATION_TABLE} select '{version}', current_timestamp(),"
              f" {len(tables)}")


def current_version(spark) -> str | None:
    """The version database the views of `marts` point at (the last publish)."""
    if not spark.catalog.tableExists(PUBLICATION_TABLE):
        return None
    row = spark.sql(f"select version from {PUBLICATION_TABLE}"
                    " order by published_at desc, version desc limit 1").first()
    return row[0] if row else None


def gate_and_publish(project, options, vars_: dict, as_of) -> dict:
    """After dbt build (models and tests) passed: publish. No GX suites on Spark yet."""
    summary: dict = {}
    if options.quality:
        log.warning("target %s (spark): the Great Expectations suites do not run on Spark;"
                    " the gate is dbt's tests (docs/engines.md)", project.target)
        summary["quality"] = "dbt tests only (no GX on spark)"
    if options.publish:
        published = publish(project)
        summary["published"] = f"spark views {MARTS_DATABASE}.* -> {published.version}"
        summary["marts"] = dict(sorted(published.tables.items()))
    return summary
