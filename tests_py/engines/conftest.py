"""Builds shared by the engine tests: one demo data set built on DuckDB, PostgreSQL
and Spark (see test_parity.py for what is compared and why)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Scale 0.1 as the DuckDB demo tests (tests_py/conftest.py): the PostgreSQL leg publishes
# through the quality gate, and at 0.05 some certified metrics (in_app_rating_avg,
# sus_score, umux_lite_score) have no value for the latest complete month, so the gate
# rightly refuses to publish.
SCALE, SEED, AS_OF = 0.1, 7, "2026-06-30"
# Relative (and absolute, for values near 0) tolerance for floating-point fields.
FLOAT_TOLERANCE = 1e-9
METRIC_KEY = ("metric_name", "grain", "period_start", "dimension_name", "dimension_value")
DBT_VARS = '{"cxux_as_of": "' + AS_OF + '"}'

REQUIRE = os.environ.get("CXUX_REQUIRE_ENGINES") == "1"


def _unavailable(reason: str):
    if REQUIRE:
        pytest.fail(f"CXUX_REQUIRE_ENGINES=1 but {reason}")
    pytest.skip(reason)


def _postgres_missing() -> str | None:
    try:
        import dbt.adapters.postgres  # noqa: F401
        import psycopg2
    except ImportError:
        return "PostgreSQL leg: dbt-postgres/psycopg2 not installed (pip install -e '.[postgres]')"
    if not os.environ.get("CXUX_PG_PASSWORD"):
        return "PostgreSQL leg: CXUX_PG_PASSWORD is not set (start a server with scripts/postgres.sh)"
    from cxux_cli.engines import postgres_dsn

    try:
        psycopg2.connect(**postgres_dsn(), connect_timeout=5).close()
    except psycopg2.OperationalError as exc:
        return f"PostgreSQL leg: no server reachable ({str(exc).strip()}); run scripts/postgres.sh"
    return None


def _spark_missing() -> str | None:
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "Spark leg: dbt-spark/pyspark not installed (pip install -e '.[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Spark leg: no Java (Spark needs Java 17)"
    return None


# ---------------------------------------------------------------------------
# Building


def _env(workdir: Path, target: str) -> dict:
    env = dict(os.environ)
    env.update(
        CXUX_PROJECT_DIR=str(REPO),
        CXUX_TARGET=target,
        CXUX_DUCKDB_PATH=str(workdir / "cxux.duckdb"),
        CXUX_SPARK_DIR=str(workdir / "spark"),
        DBT_TARGET_PATH=str(workdir / f"target_{target}"),
        DBT_LOG_PATH=str(workdir / f"logs_{target}"),
    )
    return env


def _dbt_build(workdir: Path, target: str, *extra: str) -> float:
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt), "build", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
        "--target", target, "--vars", DBT_VARS, "--full-refresh", *extra,
    ]
    # Debugging aid: CXUX_PARITY_EXCLUDE="test_type:unit" leaves out nodes on every leg.
    excludes = os.environ.get("CXUX_PARITY_EXCLUDE", "").split()
    if excludes:
        if "--exclude" in command:
            command[command.index("--exclude") + 1:command.index("--exclude") + 1] = excludes
        else:
            command += ["--exclude", *excludes]
    started = time.monotonic()
    # cwd: dbt-spark session mode writes derby.log and friends into the working directory.
    result = subprocess.run(
        command, env=_env(workdir, target), cwd=workdir, capture_output=True, text=True
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        lines = result.stdout.splitlines()
        # dbt's summary of failures, else the end of its output
        start = next((i for i, line in enumerate(lines) if "Completed with" in line), -60)
        tail = "\n".join(lines[start:][:120])
        pytest.fail(f"dbt build --target {target} failed ({elapsed:.0f} s):\n{tail}")
    print(f"dbt build --target {target}: {elapsed:.0f} s", file=sys.stderr)
    return elapsed


def _copy_raw(workdir: Path, target: str) -> None:
    """copy_raw in a subprocess (Spark's JVM and derby lock stay out of pytest)."""
    code = (
        "from cxux_cli.project import Project; from cxux_cli.engines import copy_raw; "
        f"copy_raw(Project.resolve(None, {target!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(workdir, target), cwd=workdir,
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"copy_raw to {target} failed:\n{result.stderr[-4000:]}")


def _publish(workdir: Path, target: str) -> None:
    """What `cxux build` does after dbt build passed on PostgreSQL or Spark: the quality
    checks on the unpublished marts, then the publish to `marts` (cxux_cli/engines),
    in a subprocess like _copy_raw."""
    # A script file, not `python -c`: pyspark (imported by Great Expectations) takes a
    # __main__ without __file__ for its doctests and exits 0 without a word.
    script = workdir / f"publish_{target}.py"
    script.write_text(
        "import datetime as dt\n"
        "from cxux_cli.build import BuildOptions\n"
        "from cxux_cli.engines import gate_and_publish\n"
        "from cxux_cli.project import Project\n"
        f"gate_and_publish(Project.resolve(None, {target!r}), {target!r}, BuildOptions(), {{}},\n"
        f"                 dt.datetime.fromisoformat({AS_OF!r}))\n"
        "print('published')\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], env=_env(workdir, target), cwd=workdir,
        capture_output=True, text=True,
    )
    if result.returncode == 0 and "published" not in result.stdout:
        pytest.fail(f"publish on {target} exited without publishing:\n{result.stderr[-3000:]}")
    if result.returncode != 0:
        pytest.fail(f"quality and publish on {target} failed:\n{result.stderr[-6000:]}")


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("parity")


@pytest.fixture(scope="session")
def duckdb_marts(workdir):
    from cxux_cli.generate.runner import generate_raw

    generate_raw(workdir / "cxux.duckdb", REPO, seed=SEED, scale=SCALE,
                 as_of=dt.date.fromisoformat(AS_OF))
    _dbt_build(workdir, "duckdb")
    import duckdb

    con = duckdb.connect(str(workdir / "cxux.duckdb"), read_only=True)
    try:
        def query(sql):
            cursor = con.execute(sql)
            return [d[0] for d in cursor.description], cursor.fetchall()

        snapshot = _snapshot(query, _duckdb_tables(con))
    finally:
        con.close()  # a reader would block later writers of the file
    return snapshot


@pytest.fixture(scope="session")
def postgres_marts(workdir, duckdb_marts):
    missing = _postgres_missing()
    if missing:
        _unavailable(missing)
    _copy_raw(workdir, "postgres")
    _dbt_build(workdir, "postgres")
    _publish(workdir, "postgres")  # dbt builds marts_build; BI reads the published marts
    import psycopg2

    from cxux_cli.engines import postgres_dsn

    con = psycopg2.connect(**postgres_dsn())
    con.autocommit = True  # hold no locks: later tests rebuild marts on this server
    try:
        def query(sql):
            with con.cursor() as cur:
                cur.execute(sql)
                return [d[0] for d in cur.description], cur.fetchall()

        tables = [r[0] for r in query(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )[1]]
        snapshot = _snapshot(query, tables)
    finally:
        con.close()
    return snapshot


@pytest.fixture(scope="session")
def spark_marts(workdir, duckdb_marts):
    missing = _spark_missing()
    if missing:
        _unavailable(missing)
    _copy_raw(workdir, "spark")
    _dbt_build(workdir, "spark", "--exclude", "test_type:data")
    _publish(workdir, "spark")  # views marts.* over a published version of marts_build
    from cxux_cli.engines import spark_session
    from cxux_cli.project import Project

    previous = os.environ.get("CXUX_SPARK_DIR")
    os.environ["CXUX_SPARK_DIR"] = str(workdir / "spark")
    try:
        spark = spark_session(Project.resolve(str(REPO), "spark"))
    finally:
        if previous is None:
            del os.environ["CXUX_SPARK_DIR"]
        else:
            os.environ["CXUX_SPARK_DIR"] = previous
    try:
        tables = [r.tableName for r in spark.sql("show tables in marts").collect()
                  if not r.isTemporary]

        def query(sql):
            frame = spark.sql(sql)
            return frame.columns, [tuple(r) for r in frame.collect()]

        snapshot = _snapshot(query, tables)
    finally:
        spark.stop()
    return snapshot


# ---------------------------------------------------------------------------
# Reading


def _duckdb_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'"
    ).fetchall()]


def _profile(names: list[str], rows: list[tuple]) -> dict:
    """Per column: non-null count, and sum (numbers, booleans as 0/1), distinct count
    (text) or min/max (dates, timestamps). Order-free, so engines can be compared."""
    profile = {}
    for index, name in enumerate(names):
        values = [_plain(row[index]) for row in rows if row[index] is not None]
        entry = {"non_null": len(values)}
        if values and all(isinstance(v, bool) for v in values):
            entry["true"] = sum(values)
        elif values and all(isinstance(v, (int, float)) for v in values):
            entry["sum"] = math.fsum(values)
        elif values and all(isinstance(v, str) for v in values):
            entry["distinct"] = len(set(values))
        elif values and all(isinstance(v, (dt.date, dt.datetime)) for v in values):
            entry["min"], entry["max"] = min(values), max(values)
        profile[name.lower()] = entry
    return profile


def _snapshot(query, tables: list[str]) -> dict:
    """Row counts, column profiles and metric_values of the marts, as plain Python."""
    snapshot = {"tables": sorted(t.lower() for t in tables), "counts": {}, "profiles": {}}
    for table in snapshot["tables"]:
        names, rows = query(f"select * from marts.{table}")
        snapshot["counts"][table] = len(rows)
        snapshot["profiles"][table] = _profile(names, rows)
    names, rows = query("select * from marts.metric_values")
    snapshot["metric_values"] = _metric_values(names, rows)
    return snapshot


def _metric_values(names: list[str], rows: list[tuple]) -> dict:
    names = [n.lower() for n in names]
    values = {}
    for row in rows:
        record = dict(zip(names, (_plain(v) for v in row)))
        key = tuple(record[k] for k in METRIC_KEY)
        assert key not in values, f"metric_values has a duplicate key {key}"
        values[key] = record
    return values


def _plain(value):
    """Engine-neutral Python values: Decimal -> float, datetime at midnight stays datetime."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b) and type(a) is type(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) and math.isnan(a):
            return isinstance(b, float) and math.isnan(b)
        return math.isclose(a, b, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return a == b


