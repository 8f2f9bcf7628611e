"""The Snowplow adapter end to end (issue 18), in both layouts its loaders land (var
cxux_snowplow_layout): Snowplow's atomic events with its web_page and web_vitals tables as the
PostgreSQL/Redshift loaders land them (shredded: tests_py/fixtures/adapters/snowplow/), and the
same events as one wide events table whose web_page and web_vitals columns hold JSON, as the
Snowflake, BigQuery and Databricks loaders land them (wide: snowplow_wide/, written from the
shredded files: each event row carries the entities the shredded tables hold for it). Each is
loaded with `cxux load --source snowplow` (with one raw accounts row: the contract always needs
accounts and Snowplow knows none), built and published with `cxux build`; then the web_vitals
event that the loader landed eight days late (late/) is loaded and built again, incrementally.
Values worked out by hand from the files, the same for both layouts; every relation the
adapter builds must come out identical in both.

Fixture (all times UTC, June 2026; occurred_at is derived_tstamp, equal to collector_tstamp
except for e15):
  browser d1 (Mac, dvce_type Computer), session sess-1, June 10: e01 page view pv1 /pricing
    09:00 (anonymous), e02 page ping, e03 web_vitals of pv1 (LCP 1800), e04 page view pv2
    09:02 (landed twice: the same delivery loaded again at 09:30), e05 user:login as u1
    09:05, e06 page view pv3 /app 09:06 (landed twice: the tracker re-sent it, collected at
    09:06:04), e07 task:started export 09:07, e08 task:completed export 09:09, e09
    web_vitals of pv3 at 09:10 (LCP 2600), e10 link_click 09:11, e11 video:play (unmapped),
    e12 a later web_vitals report of pv3 at 09:20 (LCP 3100).
  iPhone d2 (u2, dvce_type Mobile), session sess-2, June 12: e13 page view pv4 20:00, e14
    task:started invite att-1 20:01, e15 error:occurred E42 created 20:02:00 and sent from
    the offline queue at 06:59:50 the next morning, collected 07:00:00: derived_tstamp
    20:02:10 June 12; e16 task:abandoned invite att-1 20:03; e20 feature:used dark_mode
    20:04; e17 web_vitals of pv4 (LCP 4200), collected 20:05, loaded June 21 08:00 (late/),
    after every other event.
  Android tablet d3 (no dvce_type; the user agent has Android without Mobile), anonymous,
    session sess-3: e18 page view pv5 June 18 10:00 (loaded 10:02).
  A server-side tracker (platform srv, no cookie, no session): e19 user:login of u3.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tests_py.adapters.helpers import query, reconciliation
from tests_py.conftest import REPO, isolated_env, run_cxux

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"
LAYOUTS = {"shredded": FIXTURES / "snowplow", "wide": FIXTURES / "snowplow_wide"}
AS_OF = "2026-07-01"
# each layout's snapshots before and after the late load, for the comparison of the layouts
_SNAPSHOTS: dict[str, dict] = {}


def _vars(layout: str, **more) -> dict:
    """The adapter on; the shredded layout by default (no var), the wide one by the var."""
    return {"cxux_adapter_snowplow": True, **more,
            **({"cxux_snowplow_layout": layout} if layout != "shredded" else {})}


def _adapter_relations(warehouse: str) -> dict[str, list[tuple]]:
    """Every relation of schema adapters (the Snowplow adapter's and the identity models),
    all rows, sorted."""
    names = [name for (name,) in query(warehouse, (
        "select table_name from information_schema.tables where table_schema = 'adapters' "
        "order by table_name"))]
    return {name: sorted(query(warehouse, f"select * from adapters.{name}"), key=repr)
            for name in names}


def _snapshot(env: dict) -> dict:
    """What the tests read from one build: published marts and the adapter's own models."""
    published, warehouse = env["CXUX_PUBLISHED_PATH"], env["CXUX_DUCKDB_PATH"]
    return {
        "page_views": {
            page_view_id: {"user_id": user_id, "lcp_ms": lcp, "received_at": received_at}
            for page_view_id, user_id, lcp, received_at in query(published, (
                "select page_view_id, user_id, lcp_ms, received_at from marts.fct_page_views"))
        },
        "sessions": {
            session_id: (user_id, device_type)
            for session_id, user_id, device_type in query(published, (
                "select session_id, user_id, device_type from marts.fct_sessions"))
        },
        "metrics": dict(query(published, (
            "select metric_name, value from marts.metric_values where grain = 'month' "
            "and period_start = date '2026-06-01' and dimension_name = 'total'"))),
        "attempts": dict(query(published, (
            "select task_attempt_id, outcome from marts.fct_task_attempts"))),
        "reconciliation": reconciliation(published, ["page_views", "events"]),
        "unmapped": dict(query(warehouse, (
            "select event_key, event_count from adapters.cxux_snowplow__unmapped_events"))),
        "duplicates": dict(query(warehouse, (
            "select event_id, copies_landed from adapters.cxux_snowplow__duplicate_events"))),
        "error_occurred_at": query(warehouse, (
            "select occurred_at from staging.stg_raw__events where event_id = 'snowplow:e15'")),
        "adapter_relations": _adapter_relations(warehouse),
    }


@pytest.fixture(scope="module", params=list(LAYOUTS))
def snowplow_builds(request, tmp_path_factory):
    """Two builds of one warehouse: before and after the late web_vitals event is loaded,
    for each layout."""
    layout, fixture = request.param, LAYOUTS[request.param]
    workdir = tmp_path_factory.mktemp(f"snowplow_{layout}")
    env = isolated_env(workdir)
    build_vars = json.dumps(_vars(layout))
    run_cxux("load", str(fixture), "--source", "snowplow", env=env)
    run_cxux("load", str(fixture / "raw"), env=env)
    run_cxux("build", "--as-of", AS_OF, "--vars", build_vars, env=env)
    before = _snapshot(env)
    run_cxux("load", str(fixture / "late"), "--source", "snowplow", env=env)
    run_cxux("build", "--as-of", AS_OF, "--vars", build_vars, env=env)
    after = _snapshot(env)
    _SNAPSHOTS[layout] = {"before": before, "after": after}
    return before, after, env


def test_duplicates_are_removed_and_every_event_is_accounted_for(snowplow_builds):
    """atomic.events holds 21 rows of 19 events: e04 and e06 landed twice, one copy each is
    left out. Page views: e01, e04, e06, e13, e18 = 5, all staged. Events: 9 mapped (e05,
    e07, e08, e10, e14, e15, e16, e19, e20); e19 (server-side: no session, platform srv) is
    quarantined. Left out and listed: one page ping and one video:play; the four web_vitals
    events feed page views and are not listed."""
    before, after, _ = snowplow_builds
    assert before["duplicates"] == {"e04": 2, "e06": 2}
    assert before["reconciliation"] == {"page_views": (5, 5, 0), "events": (9, 8, 1)}
    assert sorted(before["page_views"]) == [
        "snowplow:pv1", "snowplow:pv2", "snowplow:pv3", "snowplow:pv4", "snowplow:pv5"]
    assert before["unmapped"] == {"page_ping": 1, "video:play": 1}
    # the late web_vitals event adds no page view and no event
    assert after["reconciliation"] == {"page_views": (5, 5, 0), "events": (9, 8, 1)}


def test_web_vitals_reach_their_page_view(snowplow_builds):
    """LCP by the web_page id the web_vitals event carries: pv1 1800; pv3 3100 (its later
    report wins over the 2600 of 09:10); pv2 and pv5 had no web_vitals event. pv4's event
    was loaded late: null after the first build, 4200 after the second, incremental one.
    That build re-validates only page views received in the lookback window (3 days before
    the latest, pv5's June 18 10:02: from June 15 10:02); pv4 was received June 12 20:02, and
    reaches the window because its received_at moves to its vitals' load, June 21 08:00.
    lcp_p75 (continuous): [1800, 3100] -> 1800 + 0.75 * 1300 = 2775;
    [1800, 3100, 4200] -> position 1.5 -> 3100 + 0.5 * 1100 = 3650."""
    before, after, _ = snowplow_builds
    lcp_before = {pv: row["lcp_ms"] for pv, row in before["page_views"].items()}
    assert lcp_before == {"snowplow:pv1": 1800, "snowplow:pv2": None, "snowplow:pv3": 3100,
                          "snowplow:pv4": None, "snowplow:pv5": None}
    assert before["metrics"]["lcp_p75"] == pytest.approx(2775)
    assert after["page_views"]["snowplow:pv4"]["lcp_ms"] == 4200
    assert after["page_views"]["snowplow:pv4"]["received_at"] == datetime(2026, 6, 21, 8, 0)
    assert before["page_views"]["snowplow:pv4"]["received_at"] == datetime(2026, 6, 12, 20, 2)
    assert after["metrics"]["lcp_p75"] == pytest.approx(3650)


def test_sessions_devices_and_stitched_user(snowplow_builds):
    """Sessions are the tracker's domain_sessionid. d1's page views before sign-in (pv1, pv2)
    belong to u1, seen with d1 from e05 on; d3 never signs in."""
    _, after, _ = snowplow_builds
    sessions = after["sessions"]
    assert {session: device for session, (_, device) in sessions.items()} == {
        "snowplow:sess-1": "desktop", "snowplow:sess-2": "mobile", "snowplow:sess-3": "tablet"}
    users = {pv: row["user_id"] for pv, row in after["page_views"].items()}
    assert users["snowplow:pv3"] is not None
    assert users["snowplow:pv1"] == users["snowplow:pv2"] == users["snowplow:pv3"]
    assert sessions["snowplow:sess-1"][0] == users["snowplow:pv3"]
    assert users["snowplow:pv4"] not in (None, users["snowplow:pv3"])
    assert users["snowplow:pv5"] is None
    assert sessions["snowplow:sess-3"][0] is None


def test_task_and_feature_metrics_worked_by_hand(snowplow_builds):
    """Attempts: snowplow:e07 (no attempt id sent: derived from its task_started) completed
    by e08 -> success; snowplow:att-1 abandoned, with the error e15 at 20:02:10 (its
    derived_tstamp) inside it (20:01 to 20:03). Had occurred_at been collector_tstamp (June
    13 07:00), the error would fall outside. success 1/2, abandonment 1/2, error 1/2.
    Feature adoption: u1 and u2 active in June, dark_mode first used June 12; u2 used it ->
    1/2."""
    _, after, _ = snowplow_builds
    assert after["attempts"] == {"snowplow:e07": "success", "snowplow:att-1": "abandoned"}
    assert after["error_occurred_at"] == [(datetime(2026, 6, 12, 20, 2, 10),)]
    metrics = after["metrics"]
    assert metrics["task_success_rate"] == pytest.approx(0.5)
    assert metrics["task_abandonment_rate"] == pytest.approx(0.5)
    assert metrics["task_error_rate"] == pytest.approx(0.5)
    assert metrics["feature_adoption_rate"] == pytest.approx(0.5)


def test_both_layouts_give_the_same_relations(snowplow_builds, request):
    """The wide layout's JSON holds the same events as the shredded layout's tables: every
    relation the adapter builds (and the identity models), and everything the tests above
    read, must be identical, before and after the late load. Runs once both layouts were
    built (pytest builds a module's parameters one after the other, shredded first)."""
    if request.node.callspec.params["snowplow_builds"] != "wide" or "shredded" not in _SNAPSHOTS:
        pytest.skip("compares the wide layout's builds with the shredded layout's")
    shredded, wide = _SNAPSHOTS["shredded"], _SNAPSHOTS["wide"]
    for moment in ("before", "after"):
        assert wide[moment]["adapter_relations"].keys() == shredded[moment]["adapter_relations"].keys()
        for name, rows in shredded[moment]["adapter_relations"].items():
            assert wide[moment]["adapter_relations"][name] == rows, f"{moment}: adapters.{name}"
        assert wide[moment] == shredded[moment]


def test_the_event_map_rejects_an_unknown_contract_event(snowplow_builds):
    """A map onto a name outside the contract's eight events fails the compile with the
    reason, as the Segment adapter's does."""
    _, _, env = snowplow_builds
    bad = json.dumps({"cxux_adapter_snowplow": True,
                      "cxux_snowplow_event_map": {"video:play": {"event_name": "video_played"}}})
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "compile", "--select",
         "cxux_snowplow__events_mapped", "--vars", bad],
        env=env, cwd=REPO, capture_output=True, text=True)
    assert result.returncode != 0
    assert "maps to event_name 'video_played', which is not one of" in result.stdout + result.stderr


def test_the_adapter_models_and_unit_tests_pass(snowplow_builds, request):
    """dbt skips the unit tests of a disabled model without a word: build the adapter's
    models with it on and check that every unit test its YAML declares ran and passed."""
    _, _, env = snowplow_builds
    layout = request.node.callspec.params["snowplow_builds"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--select", "path:models/adapters/snowplow",
         "--vars", json.dumps(_vars(layout, cxux_as_of=AS_OF))],
        env=env, cwd=REPO, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    declared = yaml.safe_load(
        (REPO / "models" / "adapters" / "snowplow" / "_snowplow__models.yml").read_text())
    names = [test["name"] for test in declared["unit_tests"]]
    assert len(names) == 4
    passed = [line for line in output.splitlines() if " PASS " in line]
    for name in names:
        assert any(f"::{name} " in line for line in passed), f"unit test {name} did not pass"
