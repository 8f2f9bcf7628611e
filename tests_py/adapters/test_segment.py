"""The Segment adapter end to end (issue 18): Segment's warehouse tables
(tests_py/fixtures/adapters/segment/, with one raw accounts row: the contract always needs
accounts and Segment knows none) loaded with `cxux load --source segment`, built and
published with `cxux build`, and the values worked out by hand from the fixture files.

Fixture (all times UTC, June 2026):
  browser a1 (Chrome on a Mac, analytics.js): p01 23:40, p02 23:55 (June 10), t01 00:20
    (Product Viewed, unmapped), p03 00:35, identify u1 00:36, p04 00:40 (delivered twice),
    t02 00:41 Task Started export, t03 00:45 Task Completed export (delivered twice) ->
    gaps 15, 25, 15, 5, 1, 4 min: one session across midnight, segment:p01;
    p05 01:16 (31 min later) starts segment:p05: t04 start export, t05 error E42, t06 failed,
    t07 start export, t08 start import, t09 completed export, t19 Order Completed
    (unmapped), t10 01:52 abandoned import, p06 02:22 (exactly 30:00 later: same session);
    p07 02:52:01 (30:01 later) -> segment:p07.
  iPhone b2 (u2, Berlin): s01 21:50, t11 start invite att-1, s02 22:10 (local midnight),
    t12 abandoned att-1, t13 Signed In -> one session segment:s01.
  iPad c3 (u3): s03 08:00, t14 start share att-2, t15 completed att-2 (received 2 days
    late), t16 Feature Used -> segment:s03; t17 09:00 Task Completed share with no start,
    58 min later -> segment:t17.
  anonymous Android phone e5 (p08, p09) -> segment:p08; Android tablet f6 (p10) ->
    segment:p10; Android app g7 (u5, s04) -> segment:s04; t18 Signed In of u5 from
    analytics-node (server side, no anonymous id): no platform -> quarantined.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests_py.conftest import isolated_env, run_cxux

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "segment"
AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def segment_build(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("segment")
    env = isolated_env(workdir)
    run_cxux("load", str(FIXTURE), "--source", "segment", env=env)
    run_cxux("load", str(FIXTURE / "raw"), env=env)
    built = run_cxux("build", "--as-of", AS_OF,
                     "--vars", json.dumps({"cxux_adapter_segment": True}), env=env)
    return env, built


def _published(env: dict):
    return duckdb.connect(env["CXUX_PUBLISHED_PATH"], read_only=True)


def test_sessions_by_inactivity_across_midnight_and_time_zones(segment_build):
    """Nine sessions (module docstring): a1 three, b2 one, c3 two, e5, f6 and g7 one each;
    u5's server-side session has only its quarantined call. a1's anonymous first session
    belongs to u1 (identity stitching: a1 is seen with u1 from p04 on)."""
    env, _ = segment_build
    with _published(env) as con:
        sessions = dict(con.execute(
            "select session_id, device_type from marts.fct_sessions").fetchall())
        users = dict(con.execute(
            "select session_id, user_id from marts.fct_sessions").fetchall())
    assert sessions == {
        "segment:p01": "desktop", "segment:p05": "desktop", "segment:p07": "desktop",
        "segment:s01": "mobile", "segment:s03": "tablet", "segment:t17": None,
        "segment:p08": "mobile", "segment:p10": "tablet", "segment:s04": "mobile",
    }
    assert users["segment:p01"] is not None
    assert users["segment:p01"] == users["segment:p05"]
    assert users["segment:p08"] is None


def test_task_metrics_worked_by_hand(segment_build):
    """June 2026 attempts with a start: segment:t02 success, segment:t04 failure (error t05
    at 01:21 between its 01:20 start and 01:22 end), segment:t07 success (t09 completes the
    latest export start, not the import), segment:t08 abandoned, att-1 abandoned, att-2
    success; segment:t17 has no start, so no started_at and no month.
    success 3/6 = 0.5; abandonment 2/6; error 1/6."""
    env, _ = segment_build
    with _published(env) as con:
        values = dict(con.execute(
            "select metric_name, value from marts.metric_values where grain = 'month' "
            "and period_start = date '2026-06-01' and dimension_name = 'total'").fetchall())
        outcomes = dict(con.execute(
            "select task_attempt_id, outcome from marts.fct_task_attempts").fetchall())
    assert outcomes == {
        "segment:t02": "success", "segment:t04": "failure", "segment:t07": "success",
        "segment:t08": "abandoned", "segment:att-1": "abandoned", "segment:att-2": "success",
        "segment:t17": "success",
    }
    assert values["task_success_rate"] == pytest.approx(0.5)
    assert values["task_abandonment_rate"] == pytest.approx(2 / 6)
    assert values["task_error_rate"] == pytest.approx(1 / 6)


def test_unmapped_duplicate_and_platformless_calls_are_accounted_for(segment_build):
    """Events: 20 track rows - 2 unmapped (Product Viewed, Order Completed) = 18 rows from
    the adapter; staging keeps 16: t03's second delivery is a duplicate, t18 has no
    platform. Page views: 11 pages + 4 screens = 15 rows, p04's second delivery dropped."""
    env, _ = segment_build
    with _published(env) as con:
        reconciliation = {table: (raw, staged, quarantined) for table, raw, staged, quarantined, _
                          in con.execute("select * from quarantine.raw_row_reconciliation "
                                         "where table_name in ('events', 'page_views')").fetchall()}
    assert reconciliation == {"events": (18, 16, 2), "page_views": (15, 14, 1)}
    with duckdb.connect(env["CXUX_DUCKDB_PATH"], read_only=True) as con:
        unmapped = dict(con.execute(
            "select event_text, call_count from adapters.cxux_segment__unmapped_events").fetchall())
    assert unmapped == {"Product Viewed": 1, "Order Completed": 1}
