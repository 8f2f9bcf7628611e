"""An incremental run after a daily load gives exactly the marts of a full refresh.

Scenario (demo data, small scale):
  1. generate demo data as of D; keep as "yesterday's export" every page view and
     event received before D-1 (the other tables whole: they are rebuilt in full);
  2. build everything (full);
  3. load the last day: the page views and events received from D-1 on, which
     include late rows that occurred days earlier (mobile sessions sent late), plus
     one crafted event: a visitor who had only browsed anonymously signs in, so
     their earlier anonymous rows must now belong to the user (identity stitching);
  4. incremental run; separately, a full refresh of the same raw data into another
     DuckDB file;
  5. every table in the marts, intermediate, staging and quarantine schemas is
     compared row for row, all columns, EXCEPT in both directions.
The incremental metric models (the ones with source_checksum) are marked before the
incremental run (their `unit` gets a suffix), so the test sees which periods the run
rebuilt and which it kept; the marks are removed before the comparison, and
metric_values (a full rebuild of their union, which copied the marks) is rebuilt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests_py.conftest import isolated_env, run_cxux

REPO = Path(__file__).resolve().parents[2]
SCALE = os.environ.get("CXUX_INCREMENTAL_TEST_SCALE", "0.1")
AS_OF = "2026-06-30"
LOAD_DAY = "2026-06-29"  # D-1: the day whose data arrives in the incremental load
BIG_TABLES = ("page_views", "events")
# staging and quarantine: the validated raw tables of page views and events are incremental too
COMPARED_SCHEMAS = ("marts", "intermediate", "staging", "quarantine")


def _dbt(env: dict, *args: str) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), *args, "--profiles-dir", str(REPO), "--vars", f"{{cxux_as_of: '{AS_OF}'}}"],
        env=env, cwd=REPO, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}")


# the bookkeeping of incremental runs, which a full refresh does not have or has in its
# own way: a fact's change feed (what its last run changed) and the slices a metric that
# follows it recomputed; what they drive is compared, and the tests below check them
INTERNAL_SUFFIXES = ("__changes", "__recompute")


def _tables(con, schemas, database: str | None = None) -> list[tuple[str, str]]:
    quoted = ", ".join(f"'{s}'" for s in schemas)
    where_database = f"'{database}'" if database else "current_database()"
    return [(schema, table) for schema, table in con.execute(
        "select schema_name, table_name from duckdb_tables() "
        f"where database_name = {where_database} and schema_name in ({quoted}) order by 1, 2"
    ).fetchall() if not table.endswith(INTERNAL_SUFFIXES)]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental")
    env = isolated_env(work)
    full_db = work / "full_source.duckdb"  # all data as of D
    env_gen = dict(env, CXUX_DUCKDB_PATH=str(full_db))
    run_cxux("generate", "--scale", SCALE, "--seed", "11", "--as-of", AS_OF, env=env_gen)

    incremental_db = work / "incremental.duckdb"
    shutil.copy(full_db, incremental_db)
    with duckdb.connect(str(incremental_db)) as con:
        for table in BIG_TABLES:  # yesterday's export: rows received before D-1
            con.execute(f"delete from raw.{table} where received_at >= '{LOAD_DAY}'")
    env_inc = dict(env, CXUX_DUCKDB_PATH=str(incremental_db))
    _dbt(env_inc, "build", "--exclude-resource-type", "test", "unit_test")

    with duckdb.connect(str(incremental_db)) as con:
        metric_tables = _mark_incremental_metric_rows(con)
        con.execute(f"attach '{full_db}' as source (read_only)")
        for table in BIG_TABLES:
            con.execute(f"insert into raw.{table} select * from source.raw.{table} "
                        f"where received_at >= '{LOAD_DAY}'")
        con.execute("detach source")
        late = {"attempt": _add_late_rows(con)}
        for table in BIG_TABLES:  # rows of earlier days in the load (generated and crafted)
            late[table] = con.execute(
                f"select count(*) from raw.{table} where received_at >= '{LOAD_DAY}' "
                f"and occurred_at < '{LOAD_DAY}'").fetchone()[0]
        signed_in = _sign_in_an_anonymous_visitor(con)
        corrected = _correct_a_loaded_page_view(con)
    _dbt(env_inc, "build", "--exclude-resource-type", "test", "unit_test")
    with duckdb.connect(str(incremental_db)) as con:
        kept_periods = _unmark_incremental_metric_rows(con, metric_tables)
    # metric_values and what reads it copied the marks: rebuild them from the unmarked rows
    _dbt(env_inc, "run", "-s", "metric_values+")

    refresh_db = work / "full_refresh.duckdb"
    with duckdb.connect(str(refresh_db)) as con:  # the same raw data, built from scratch
        con.execute(f"attach '{incremental_db}' as source (read_only)")
        for schema in ("raw", "cxux_meta"):
            con.execute(f"create schema {schema}")
            for (table,) in con.execute(
                f"select table_name from duckdb_tables() where database_name = 'source' "
                f"and schema_name = '{schema}'").fetchall():
                con.execute(f"create table {schema}.{table} as select * from source.{schema}.{table}")
        con.execute("detach source")
    _dbt(dict(env, CXUX_DUCKDB_PATH=str(refresh_db)), "build", "--full-refresh",
         "--exclude-resource-type", "test", "unit_test")
    return {"incremental": incremental_db, "full": refresh_db, "late": late,
            "signed_in": signed_in, "corrected": corrected, "metric_tables": metric_tables,
            "kept_periods": kept_periods}


MARK = " (kept)"


def _mark_incremental_metric_rows(con) -> list[str]:
    """Suffix `unit` on every row of the incremental metric models: a row the
    incremental run rebuilds loses the mark, a row it keeps still has it."""
    tables = [table for (table,) in con.execute(
        "select table_name from duckdb_columns() where schema_name = 'marts' "
        "and column_name = 'source_checksum' "
        "union select replace(table_name, '__recompute', '') from duckdb_tables() "
        "where schema_name = 'intermediate' and starts_with(table_name, 'metric__') "
        "and ends_with(table_name, '__recompute') "
        "order by 1").fetchall()]
    for table in tables:
        con.execute(f"update marts.{table} set unit = unit || '{MARK}'")
    return tables


def _unmark_incremental_metric_rows(con, tables: list[str]) -> dict[str, dict[str, int]]:
    """Remove the marks; per table, the periods (grain, period_start) kept and rebuilt."""
    periods = {}
    for table in tables:
        kept, rebuilt = con.execute(
            f"select count(distinct case when unit like '%{MARK}' then grain || period_start end), "
            f"count(distinct case when unit not like '%{MARK}' then grain || period_start end) "
            f"from marts.{table}").fetchone()
        rebuilt_days = {str(day) for (day,) in con.execute(
            f"select distinct period_start from marts.{table} where grain = 'day' "
            f"and unit not like '%{MARK}'").fetchall()}
        periods[table] = {"kept": kept, "rebuilt": rebuilt, "rebuilt_days": rebuilt_days}
        con.execute(f"update marts.{table} set unit = replace(unit, '{MARK}', '')")
    return periods


def _add_late_rows(con) -> str:
    """A page view and an error event from two days ago that arrive only on D-1; the
    error falls inside a finished task attempt, so its error_count must change."""
    con.execute(
        f"""
        insert into raw.page_views by name
        select 'pv_late_test' as page_view_id, * exclude (page_view_id, received_at),
            timestamp '{LOAD_DAY} 09:00:00' as received_at
        from raw.page_views
        where occurred_at < timestamp '{LOAD_DAY}' - interval 2 day
        order by occurred_at desc, page_view_id
        limit 1
        """
    )
    attempt = con.execute(
        f"""
        select starts.task_attempt_id
        from raw.events as starts
        inner join raw.events as ends
            on starts.task_attempt_id = ends.task_attempt_id and ends.event_name = 'task_failed'
        where starts.event_name = 'task_started'
            and starts.occurred_at < timestamp '{LOAD_DAY}' - interval 2 day
            and ends.occurred_at > starts.occurred_at + interval 2 second
        order by starts.occurred_at desc, starts.task_attempt_id
        limit 1
        """
    ).fetchone()[0]
    con.execute(
        f"""
        insert into raw.events by name
        select 'ev_late_error_test' as event_id, * exclude (event_id, event_name, occurred_at,
            received_at, error_code),
            'error' as event_name, occurred_at + interval 1 second as occurred_at,
            timestamp '{LOAD_DAY} 09:00:00' as received_at, 'E_TIMEOUT' as error_code
        from raw.events
        where task_attempt_id = '{attempt}' and event_name = 'task_started'
        """
    )
    return attempt


def _sign_in_an_anonymous_visitor(con) -> dict:
    """A visitor seen only anonymously (all rows loaded already) signs in on D-1."""
    anonymous_id, rows = con.execute(
        """
        select anonymous_id, count(*)
        from raw.page_views
        where anonymous_id not in (
            select anonymous_id from raw.page_views where user_id is not null
            union all
            select anonymous_id from raw.events where user_id is not null)
        group by anonymous_id
        order by count(*) desc, anonymous_id
        limit 1
        """
    ).fetchone()
    user_id = con.execute(
        "select user_id from raw.events where user_id is not null order by user_id limit 1"
    ).fetchone()[0]
    con.execute(
        f"""
        insert into raw.events (event_id, user_id, anonymous_id, session_id, event_name,
            occurred_at, received_at, platform, page_path)
        values ('ev_signin_test', '{user_id}', '{anonymous_id}', 'ses_signin_test', 'login',
            timestamp '{LOAD_DAY} 10:00:00', timestamp '{LOAD_DAY} 10:00:02', 'web', '/login')
        """
    )
    return {"anonymous_id": anonymous_id, "user_id": user_id, "anonymous_page_views": rows}


def _correct_a_loaded_page_view(con) -> str:
    """A new version (later received_at, another LCP) of a page view loaded days ago:
    the validated raw table is incremental, so the old copy must turn "superseded"."""
    page_view_id = con.execute(
        f"""
        select page_view_id
        from raw.page_views
        where received_at < timestamp '{LOAD_DAY}' - interval 5 day and lcp_ms is not null
        order by received_at desc, page_view_id
        limit 1
        """
    ).fetchone()[0]
    con.execute(
        f"""
        insert into raw.page_views by name
        select * exclude (received_at, lcp_ms), timestamp '{LOAD_DAY} 11:00:00' as received_at,
            lcp_ms + 1000 as lcp_ms
        from raw.page_views
        where page_view_id = '{page_view_id}'
        """
    )
    return page_view_id


def test_a_new_version_of_a_loaded_row_supersedes_it(warehouses):
    page_view_id = warehouses["corrected"]
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        staged = con.execute(
            "select received_at from staging.stg_raw__page_views where page_view_id = ?",
            [page_view_id]).fetchall()
        quarantined = con.execute(
            "select reasons from quarantine.quarantine_raw_rows "
            "where table_name = 'page_views' and row_id = ?", [page_view_id]).fetchall()
    assert [str(at) for (at,) in staged] == [f"{LOAD_DAY} 11:00:00"]
    assert len(quarantined) == 1 and "is superseded by a later version" in quarantined[0][0]


def test_the_load_holds_late_rows_and_a_sign_in(warehouses):
    """The scenario really exercises the lookback window and re-stitching."""
    assert warehouses["late"]["page_views"] > 0
    assert warehouses["late"]["events"] > 0
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        errors = con.execute(
            "select error_count from marts.fct_task_attempts where task_attempt_id = ?",
            [warehouses["late"]["attempt"]]).fetchone()[0]
        raw_errors = con.execute(
            "select count(*) from raw.events where event_name = 'error' and session_id = "
            "(select session_id from raw.events where task_attempt_id = ? limit 1) "
            "and occurred_at between (select min(occurred_at) from raw.events "
            "where task_attempt_id = ?) and (select max(occurred_at) from raw.events "
            "where task_attempt_id = ? and event_name <> 'error')",
            [warehouses["late"]["attempt"]] * 3).fetchone()[0]
    assert errors == raw_errors  # the late error is counted in its attempt
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        raw_errors = con.execute(
            "select count(*) from raw.events where event_id = 'ev_late_error_test'").fetchone()[0]
    assert raw_errors == 1
    signed_in = warehouses["signed_in"]
    assert signed_in["anonymous_page_views"] > 0
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        stitched = con.execute(
            "select count(*) from marts.fct_page_views where anonymous_id = ? and user_id = ?",
            [signed_in["anonymous_id"], signed_in["user_id"]],
        ).fetchone()[0]
    # every earlier anonymous page view of that visitor now belongs to the user
    assert stitched == signed_in["anonymous_page_views"]


def test_metric_models_on_the_usage_facts_rebuild_only_changed_periods(warehouses):
    """The metric models on the big facts are incremental: the run rebuilt the
    periods the load touched (the load day at least) and kept older ones; that the
    kept ones are still right is the next test's job."""
    periods = warehouses["kept_periods"]
    assert "metric__lcp_p75" in periods and "metric__dau" in periods
    for table, counts in periods.items():
        assert counts["rebuilt"] > 0, table
        assert counts["kept"] > 0, table
    # the load day is new in the page views and user-days: its values were built
    assert LOAD_DAY in periods["metric__lcp_p75"]["rebuilt_days"]
    assert LOAD_DAY in periods["metric__dau"]["rebuilt_days"]
    assert periods["metric__lcp_p75"]["kept"] > periods["metric__lcp_p75"]["rebuilt"]


def test_incremental_marts_equal_a_full_refresh(warehouses):
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        con.execute(f"attach '{warehouses['full']}' as full_refresh (read_only)")
        incremental_tables = _tables(con, COMPARED_SCHEMAS)
        full_tables = _tables(con, COMPARED_SCHEMAS, "full_refresh")
        assert incremental_tables == full_tables
        assert ("marts", "fct_page_views") in incremental_tables
        assert ("staging", "base_raw__events__validated") in incremental_tables
        differences = {}
        for schema, table in incremental_tables:
            difference = _compare(con, f'{schema}."{table}"', f'full_refresh.{schema}."{table}"',
                                  schema, table)
            if difference:
                differences[f"{schema}.{table}"] = difference
        assert differences == {}


def _compare(con, mine: str, theirs: str, schema: str, table: str) -> str | None:
    """None when both relations hold the same rows. Every column is compared exactly,
    except doubles: parallel sums of doubles are not bit-reproducible (two full builds
    differ in the last digits too), so they must agree to a relative 1e-9."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = "
        "current_database() and schema_name = ? and table_name = ? order by column_index",
        [schema, table]).fetchall()
    exact = [f'"{c}"' for c, t in columns if t not in ("DOUBLE", "FLOAT")]
    floats = [f'"{c}"' for c, t in columns if t in ("DOUBLE", "FLOAT")]
    select = ", ".join(exact) or "1"
    for left, right in ((mine, theirs), (theirs, mine)):
        extra = con.execute(
            f"select count(*) from (select {select} from {left} except all select {select} from {right})"
        ).fetchone()[0]
        if extra:
            return f"{extra} rows of {left} differ from {right} (non-double columns)"
    if not floats:
        return None
    order = ", ".join(exact + [f"round({c}, 4)" for c in floats])
    numbered = "select *, row_number() over (order by {order}) as _rn from {rel}"
    mismatch = " or ".join(
        [f"a.{c} is distinct from b.{c}" for c in exact]
        + [f"(a.{c} is null) <> (b.{c} is null) or abs(a.{c} - b.{c}) > 1e-9 * greatest(1, abs(a.{c}))"
           for c in floats])
    bad = con.execute(
        f"select count(*) from ({numbered.format(order=order, rel=mine)}) as a "
        f"inner join ({numbered.format(order=order, rel=theirs)}) as b on a._rn = b._rn "
        f"where {mismatch}").fetchone()[0]
    return f"{bad} rows differ in double columns beyond 1e-9" if bad else None


def test_the_page_view_feed_holds_what_the_run_changed(warehouses):
    """fct_page_views' change feed after the run: the corrected page view leaves with
    its old LCP and comes back with the new one (+1000 ms, _correct_a_loaded_page_view);
    every anonymous page view of the visitor who signed in leaves without a user and
    comes back with theirs. Rows the lookback window rewrote unchanged are not there."""
    feed = "intermediate.fct_page_views__changes"
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        corrected = dict(con.execute(
            f"select _cxux_sign, lcp_ms from {feed} where page_view_id = ?",
            [warehouses["corrected"]]).fetchall())
        signed_in = warehouses["signed_in"]
        moved = dict(con.execute(
            f"select _cxux_sign, count(*) from {feed} where anonymous_id = ? "
            f"and (user_id = ? or user_id is null) group by 1",
            [signed_in["anonymous_id"], signed_in["user_id"]]).fetchall())
        users = dict(con.execute(
            f"select _cxux_sign, count(distinct coalesce(user_id, '-')) from {feed} "
            f"where anonymous_id = ? group by 1", [signed_in["anonymous_id"]]).fetchall())
        marker = con.execute(
            f"select count(*), bool_and(_cxux_feed_complete), count(distinct _cxux_feed_run) "
            f"from {feed} where _cxux_sign = 0").fetchone()
        window_rows = con.execute(
            f"select count(*) from marts.fct_page_views "
            f"where received_at >= timestamp '{LOAD_DAY}' - interval 3 day "
            f"and received_at < timestamp '{LOAD_DAY}'").fetchone()[0]
        removed = con.execute(f"select count(*) from {feed} where _cxux_sign = -1").fetchone()[0]
    assert corrected[1] == corrected[-1] + 1000
    assert moved == {-1: signed_in["anonymous_page_views"], 1: signed_in["anonymous_page_views"]}
    assert users == {-1: 1, 1: 1}
    assert marker == (1, True, 1)
    # the run re-read about three days of page views; only the changed ones left
    assert 0 < removed < window_rows


def test_the_page_view_metrics_recomputed_the_slices_the_feed_changed(warehouses):
    """The metrics on the page views followed the feed: each says it reflects the feed's
    run and recomputed a small part of its slices; among them, for lcp_p75, the region
    slice of rows without a region, `(not set)` (cxux_metric_null_value), of every month in which the visitor who signed in had anonymous page
    views with an LCP (those rows left it), and not the device slices of those months
    that nothing else changed (a restated row nets to zero there)."""
    signed_in = warehouses["signed_in"]
    with duckdb.connect(str(warehouses["incremental"]), read_only=True) as con:
        feed_run = con.execute(
            "select _cxux_feed_run from intermediate.fct_page_views__changes "
            "where _cxux_sign = 0").fetchone()[0]
        for metric in ("lcp_p75", "inp_p75", "cls_p75", "fcp_p75", "ttfb_p75", "apdex",
                       "core_web_vitals_pass_rate"):
            recompute = f"intermediate.metric__{metric}__recompute"
            applied = con.execute(
                f"select dimension_value from {recompute} where grain is null").fetchone()[0]
            recomputed = con.execute(
                f"select count(*) from {recompute} where grain is not null").fetchone()[0]
            stored = con.execute(f"select count(*) from marts.metric__{metric}").fetchone()[0]
            assert applied == feed_run, metric
            assert 0 < recomputed < stored / 10, metric
        months = {str(m) for (m,) in con.execute(
            "select distinct date_trunc('month', occurred_at)::date from marts.fct_page_views "
            "where anonymous_id = ? and lcp_ms is not null and occurred_at < ?",
            [signed_in["anonymous_id"], LOAD_DAY]).fetchall()}
        not_set = {str(m) for (m,) in con.execute(
            "select period_start from intermediate.metric__lcp_p75__recompute where grain = 'month' "
            "and dimension_name = 'region' and dimension_value = '(not set)'").fetchall()}
        changed_months = {str(m) for (m,) in con.execute(
            "select distinct date_trunc('month', occurred_at)::date "
            "from intermediate.fct_page_views__changes where _cxux_sign <> 0 "
            "and lcp_ms is not null and (anonymous_id is distinct from ? )",
            [signed_in["anonymous_id"]]).fetchall()}
        device_months = {str(m) for (m,) in con.execute(
            "select period_start from intermediate.metric__lcp_p75__recompute where grain = 'month' "
            "and dimension_name = 'device_type'").fetchall()}
    assert months and months <= not_set
    quiet = months - changed_months - {LOAD_DAY[:7] + "-01"}
    assert quiet, "the scenario needs a restated month that nothing else changed"
    assert not (quiet & device_months)


def test_a_missed_feed_run_recomputes_every_slice(warehouses, tmp_path):
    """The fact runs twice without the metric: the feed's previous run is not the one the
    metric reflects, so it cannot tell what changed in between and recomputes every
    slice, and its values are still the full refresh's."""
    db = tmp_path / "missed.duckdb"
    shutil.copy(warehouses["incremental"], db)
    env = dict(isolated_env(tmp_path), CXUX_DUCKDB_PATH=str(db))
    _dbt(env, "run", "-s", "fct_page_views")
    _dbt(env, "run", "-s", "fct_page_views")
    with duckdb.connect(str(db), read_only=True) as con:
        feed_run = con.execute(
            "select _cxux_feed_run from intermediate.fct_page_views__changes "
            "where _cxux_sign = 0").fetchone()[0]
    _dbt(env, "run", "-s", "metric__lcp_p75")
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute(f"attach '{warehouses['full']}' as full_refresh (read_only)")
        slices = "select grain, period_start, dimension_name, dimension_value from "
        not_recomputed = con.execute(
            f"select count(*) from ({slices} marts.metric__lcp_p75 except "
            f"{slices} intermediate.metric__lcp_p75__recompute)").fetchone()[0]
        applied = con.execute("select dimension_value from intermediate.metric__lcp_p75__recompute "
                              "where grain is null").fetchone()[0]
        assert not_recomputed == 0
        assert applied == feed_run
        assert _compare(con, "marts.metric__lcp_p75", "full_refresh.marts.metric__lcp_p75",
                        "marts", "metric__lcp_p75") is None
