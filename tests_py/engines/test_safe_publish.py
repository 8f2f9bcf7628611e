"""Readers of the published marts see the complete old or the complete new build.

Reuses the engine builds of conftest.py (each leg already built and published once).
A reader with its own connection queries in a loop while a failing and then a passing
publish run:

- the failing build: a duplicate order_id planted in the unpublished build, which the
  Great Expectations checks of the gate refuse (on PostgreSQL and on Spark alike); the
  published marts must not change;
- the passing build: known rows removed from the unpublished build; the published marts
  must then show exactly the old counts minus those rows.

PostgreSQL swaps all marts in one transaction, so one statement sees one build across
marts; Spark switches one view per mart (publish_spark.py), so there each mart is
checked to be old or new on its own.

Expected counts come from the DuckDB build of the same data (duckdb_marts) and the rows
the test removes, never from the code under test. Afterwards the removed rows are put
back and published again, so the other engine tests see the parity data.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest

from tests_py.engines.conftest import AS_OF, REPO

# Marts the reader watches, and how many rows the passing build removes from each.
REMOVED = {"fct_orders": 7, "fct_tickets": 5, "dim_customers": 3, "metric_values": 0}
KEYS = {"fct_orders": "order_id", "fct_tickets": "ticket_id", "dim_customers": "account_id"}
READER_MAX_SECONDS = 600
# Spark's gate (GX checks as Spark jobs, in session mode) runs twice while the reader reads.
SPARK_READER_MAX_SECONDS = 3600


class Reader(threading.Thread):
    """Runs `read()` in a loop until stopped; records every result and every error."""

    def __init__(self, read, max_seconds: float = READER_MAX_SECONDS):
        super().__init__(daemon=True)
        self.read = read
        self.max_seconds = max_seconds
        self.results: list[tuple] = []
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self):
        deadline = time.monotonic() + self.max_seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                self.results.append(self.read())
            except Exception as exc:  # the assertion below reports it
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def seen_since(self, mark: int) -> set:
        return set(self.results[mark:])

    def finish(self):
        self.stop.set()
        self.join(timeout=60)


def _counts(expected_counts: dict, removed: dict | None = None) -> tuple:
    return tuple(expected_counts[t] - (removed or {}).get(t, 0) for t in REMOVED)


def _wait_for_reads(reader: Reader, mark: int, n: int = 5) -> None:
    deadline = time.monotonic() + 60
    while len(reader.results) < mark + n and time.monotonic() < deadline and not reader.errors:
        time.sleep(0.05)


@pytest.fixture
def project_env(workdir, monkeypatch):
    """This process reads and writes only the parity build's workdir."""
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(REPO))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(workdir / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_SPARK_DIR", str(workdir / "spark"))
    monkeypatch.setenv("CXUX_DATA_DOCS_DIR", str(workdir / "data_docs_safe_publish"))


# ---------------------------------------------------------------------------
# PostgreSQL


def _pg(user_is_bi: bool = False):
    import psycopg2

    from cxux_cli.engines import postgres_dsn

    dsn = postgres_dsn()
    if user_is_bi:
        dsn.update(user="cxux_bi_reader",
                   password=os.environ.get("CXUX_PG_BI_PASSWORD", "cxux-bi-local-ci-only"))
    con = psycopg2.connect(**dsn)
    con.autocommit = True
    return con


def _pg_publish(project):
    from cxux_cli.build import BuildOptions
    from cxux_cli.engines import gate_and_publish

    return gate_and_publish(project, "postgres", BuildOptions(), {},
                            dt.datetime.fromisoformat(AS_OF))


def test_postgres_readers_see_the_old_or_the_new_marts(postgres_marts, duckdb_marts,
                                                       project_env):
    from cxux_cli.errors import ChecksFailed
    from cxux_cli.project import Project

    project = Project.resolve(str(REPO), "postgres")
    old = _counts(duckdb_marts["counts"])
    new = _counts(duckdb_marts["counts"], REMOVED)
    assert old != new

    # One statement reads every watched mart: it must see one build. As the BI role, so
    # the grants are checked on every published schema too.
    bi = _pg(user_is_bi=True)
    query = "select " + ", ".join(f"(select count(*) from marts.{t})" for t in REMOVED)

    def read():
        with bi.cursor() as cur:
            cur.execute(query)
            return tuple(cur.fetchone())

    owner = _pg()
    reader = Reader(read)
    reader.start()
    try:
        with owner.cursor() as cur:
            # failing build: a duplicate key in the unpublished fct_orders
            cur.execute("insert into marts_build.fct_orders"
                        " select * from marts_build.fct_orders order by order_id limit 1")
            with pytest.raises(ChecksFailed):
                _pg_publish(project)
            mark_failed = len(reader.results)
            _wait_for_reads(reader, mark_failed)
            assert reader.seen_since(0) == {old}, "the failed build changed what BI reads"

            # passing build: remove the duplicate and known rows, keeping them to restore
            cur.execute("delete from marts_build.fct_orders where ctid = (select max(ctid)"
                        " from marts_build.fct_orders where order_id ="
                        " (select min(order_id) from marts_build.fct_orders))")
            assert cur.rowcount == 1
            cur.execute("drop schema if exists cxux_test_removed cascade")
            cur.execute("create schema cxux_test_removed")
            for table, n in REMOVED.items():
                if not n:
                    continue
                key = KEYS[table]
                cur.execute(f"create table cxux_test_removed.{table} as select * from"
                            f" marts_build.{table} order by {key} limit {n}")
                cur.execute(f"delete from marts_build.{table} where {key} in"
                            f" (select {key} from cxux_test_removed.{table})")
                assert cur.rowcount == n, table
            mark = len(reader.results)
            summary = _pg_publish(project)
            mark_published = len(reader.results)
            _wait_for_reads(reader, mark_published)
    finally:
        reader.finish()
    assert not reader.errors, f"the reader got errors: {reader.errors[:3]}"
    assert summary["quality"] == "passed"
    seen = reader.seen_since(0)
    assert seen <= {old, new}, f"a reader saw a mix of builds: {seen - {old, new}}"
    assert old in reader.seen_since(mark), "no read before the passing publish"
    assert reader.seen_since(mark_published + 1) == {new}, "old data after the publish"
    print(f"reader: {len(reader.results)} reads, {len(reader.results) - mark} during and after"
          " the passing publish", flush=True)

    # put the removed rows back and publish again (third publish): BI reads every mart
    with owner.cursor() as cur:
        for table, n in REMOVED.items():
            if n:
                cur.execute(f"insert into marts_build.{table}"
                            f" select * from cxux_test_removed.{table}")
        cur.execute("drop schema cxux_test_removed cascade")
    from cxux_cli.engines.publish_postgres import publish

    publish(project)  # cleanup, not under test: the checks passed on this data above
    with bi.cursor() as cur:
        for table in duckdb_marts["tables"]:
            cur.execute(f"select count(*) from marts.{table}")
            assert cur.fetchone()[0] == duckdb_marts["counts"][table], table
    bi.close()
    owner.close()


def test_postgres_failed_quality_leaves_no_trace(postgres_marts, project_env):
    """After a refused publish nothing of it remains: no marts__next, marts unchanged."""
    con = _pg()
    try:
        with con.cursor() as cur:
            cur.execute("select nspname from pg_namespace where nspname like 'marts%'"
                        " order by 1")
            assert [r[0] for r in cur.fetchall()] == ["marts", "marts_build"]
    finally:
        con.close()


# ---------------------------------------------------------------------------
# Spark


@pytest.fixture
def spark_project(spark_marts, workdir, project_env, monkeypatch):
    """The Spark leg's project and a session on its metastore (this process: the
    fixture's subprocesses have ended, and the embedded metastore allows one JVM)."""
    from cxux_cli.engines import spark_session
    from cxux_cli.project import Project

    # the manifest of the Spark build: the gate checks the raw relations staging read
    monkeypatch.setenv("DBT_TARGET_PATH", str(workdir / "target_spark"))
    project = Project.resolve(str(REPO), "spark")
    spark = spark_session(project)
    yield project, spark
    spark.stop()


def _spark_publish(project, checks=None):
    from cxux_cli.build import BuildOptions
    from cxux_cli.engines import gate_and_publish

    return gate_and_publish(project, "spark", BuildOptions(), {},
                            dt.datetime.fromisoformat(AS_OF), checks)


def _spark_overwrite(spark, table: str, select: str) -> None:
    """Replace the rows of marts_build.<table> (Parquet: no delete, no update)."""
    spark.sql(f"insert overwrite table marts_build.{table} {select}")


def test_spark_readers_see_the_old_or_the_new_marts(spark_project, duckdb_marts):
    from cxux_cli.engines import QualityReport
    from cxux_cli.engines.publish_spark import current_version, publish, versions
    from cxux_cli.errors import ChecksFailed
    from cxux_cli.quality.report import format_table

    project, spark = spark_project
    old = _counts(duckdb_marts["counts"])
    new = _counts(duckdb_marts["counts"], REMOVED)
    assert old != new
    published_before = current_version(spark)
    versions_before = versions(spark)
    assert published_before in versions_before

    # The reader has a session of its own (its own SQL state), on the same metastore.
    reader_session = spark.newSession()
    query = "select " + ", ".join(f"(select count(*) from marts.{t})" for t in REMOVED)

    def read():
        return tuple(reader_session.sql(query).first())

    # the unpublished build as it is, to restore it and to remove known rows from
    spark.sql("drop database if exists cxux_test_kept cascade")
    spark.sql("create database cxux_test_kept")
    for table in sorted({"fct_orders", *(t for t, n in REMOVED.items() if n)}):
        spark.sql(f"create table cxux_test_kept.{table} using parquet as"
                  f" select * from marts_build.{table}")
    planted = spark.sql("select order_id from cxux_test_kept.fct_orders"
                        " order by order_id limit 1").first()[0]

    reader = Reader(read, SPARK_READER_MAX_SECONDS)
    reader.start()
    try:
        # failing build: a duplicate key in the unpublished fct_orders
        spark.sql("insert into marts_build.fct_orders"
                  f" select * from cxux_test_kept.fct_orders where order_id = '{planted}'")
        assert spark.table("marts_build.fct_orders").count() == \
            duckdb_marts["counts"]["fct_orders"] + 1
        checks = QualityReport()
        with pytest.raises(ChecksFailed, match="quality checks failed"):
            _spark_publish(project, checks)
        # the gate's summary (what cxux build prints): the planted duplicate is the one error
        [result] = checks.results
        errors = [line for line in format_table(result, only_failures=True).splitlines()
                  if "  error  " in line and "  ERROR  " in line]
        assert len(errors) == 1, errors
        assert errors[0].startswith("marts.fct_orders") and "order_id unique" in errors[0]
        assert str(planted) in errors[0], f"sample ids without the planted {planted}"
        mark_failed = len(reader.results)
        _wait_for_reads(reader, mark_failed)
        assert not reader.errors, f"the reader got errors: {reader.errors[:3]}"
        assert reader.seen_since(0) == {old}, "the failed build changed what BI reads"
        assert current_version(spark) == published_before
        assert versions(spark) == versions_before, "the refused version was left behind"

        # passing build: the original fct_orders without known rows, same for the others
        for table, n in REMOVED.items():
            if not n:
                continue
            key = KEYS[table]
            spark.sql(f"create or replace temporary view removed_{table} as select {key}"
                      f" from cxux_test_kept.{table} order by {key} limit {n}")
            assert spark.table(f"removed_{table}").count() == n, table
            _spark_overwrite(spark, table, f"select * from cxux_test_kept.{table} where {key}"
                             f" not in (select {key} from removed_{table})")
        mark = len(reader.results)
        summary = _spark_publish(project)
        mark_published = len(reader.results)
        _wait_for_reads(reader, mark_published)
    finally:
        reader.finish()
    assert not reader.errors, f"the reader got errors: {reader.errors[:3]}"
    assert summary["quality"] == "passed"
    # one view per mart is switched: each mart is the old or the new one, never an error
    for i, table in enumerate(REMOVED):
        seen = {counts[i] for counts in reader.seen_since(0)}
        assert seen <= {old[i], new[i]}, f"marts.{table}: counts of neither build: {seen}"
    assert old in reader.seen_since(mark), "no read before the passing publish"
    assert reader.seen_since(mark_published + 1) == {new}, "old data after the publish"
    assert current_version(spark) not in versions_before
    print(f"reader: {len(reader.results)} reads, {len(reader.results) - mark} during and after"
          " the passing publish", flush=True)

    # put the removed rows back and publish again: the views show the parity data
    for table in (t for t, n in REMOVED.items() if n):
        _spark_overwrite(spark, table, f"select * from cxux_test_kept.{table}")
    spark.sql("drop database cxux_test_kept cascade")
    publish(project, spark)  # cleanup, not under test: the checks passed on this data above
    for table in duckdb_marts["tables"]:
        assert spark.table(f"marts.{table}").count() == duckdb_marts["counts"][table], table
