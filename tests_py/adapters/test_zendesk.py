"""Zendesk Support adapter end to end (issue 18): the fixture in Fivetran's shape
(tests_py/fixtures/adapters/zendesk/), loaded with `cxux load --source zendesk`, built with
only support and surveys on, and metric values worked out by hand.

The fixture (all January 2024, UTC; schedule 1 New York Mon-Fri 09:00-17:00 at -05:00 with
the holidays 2024-01-01 and 2024-01-15; schedule 2 London Mon-Fri 09:00-17:00 at +00:00):

ticket  created (UTC)      first public agent reply   solves              business / calendar minutes
1001    Fri 01-05 21:30    Mon 01-08 14:45            01-08 21:00         reply 30+45 = 75 / 3915;
        (16:30 New York; the requester wrote again on Saturday; an internal note at 14:30
        and a system comment do not count)                                resolution 30+420 = 450 / 4290
1002    Fri 01-12 21:00    Tue 01-16 15:00 (Mon is    01-16 17:00, then   reply 60+0+60 = 120 / 5400;
        a holiday)         reopened by the requester 01-17, solved 01-18 15:00
                                                                          full 60+480+480+60 = 1080 / 8280
1003    Tue 01-09 15:00    15:20 (a deleted agent     16:00               reply 20 / 20; full 60 / 60
        comment at 15:10 does not count; no ticket_schedule: the default schedule 1)
1004    Wed 01-10 08:00    10:00 (London schedule)    never (on hold)     reply 60 / 120
1005    deleted ticket: left out with its comment and its good rating
1006    merged into another ticket (tag closed_by_merge): left out
1007    Mon 01-22 14:00    14:30                      15:00               reply 30 / 30; full 60 / 60
1008    Wed 01-24 20:00    Thu 01-25 14:00            01-25 15:00, reopened 01-26, solved 01-26 16:00
        (15:00 New York)                                                  reply 120 / 1080; full
                                                                          120+480+120 = 720 / 2640
1009    Mon 01-29 15:00    none                       never               -
1010    Tue 01-30 14:00    none (opened by an admin   14:30               no reply; full 30 / 30
        with a public comment, a phone call written up: the opening comment is the request, and
        Zendesk's first reply runs to the agent's next public comment, which never came)
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests_py.conftest import isolated_env, run_cxux

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "zendesk"
AS_OF = "2024-02-01"
# support and surveys come from Zendesk; every other domain is off
VARS = {
    "cxux_adapter_zendesk": True,
    "cxux_using_commerce": False,
    "cxux_using_subscriptions": False,
    "cxux_using_reviews": False,
    "cxux_using_product_usage": False,
    "cxux_using_survey_items": False,
}


@pytest.fixture(scope="module")
def zendesk_build(tmp_path_factory) -> dict:
    """Loaded, built, checked and published once for the module (run_cxux checks the exit:
    the dbt tests and the quality gate must pass)."""
    workdir = tmp_path_factory.mktemp("zendesk")
    env = isolated_env(workdir)
    run_cxux("load", str(FIXTURE), "--source", "zendesk", env=env)
    result = run_cxux("build", "--as-of", AS_OF, "--vars", json.dumps(VARS), env=env)
    return dict(env, build_output=result.stdout)


def _query(env: dict, sql: str) -> list[tuple]:
    with duckdb.connect(env["CXUX_DUCKDB_PATH"], read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _january(env: dict) -> dict[str, float]:
    return dict(_query(env, (
        "select metric_name, value from marts.metric_values where grain = 'month' "
        "and period_start = date '2024-01-01' and dimension_name = 'total'")))


def test_support_times_calendar_and_business(zendesk_build):
    """Kept tickets: 1001-1004, 1007-1010 = 8 (1005 deleted, 1006 merged).
    First reply, calendar: 20, 30, 120, 1080, 3915, 5400 (1009 and 1010 none) -> continuous
    median (120 + 1080) / 2 = 600.
    First reply, business: 20, 30, 60, 75, 120, 120 -> (60 + 75) / 2 = 67.5.
    Full resolution (solved and now solved or closed: not 1004, 1009), calendar:
    30, 60, 60, 2640, 4290, 8280 -> continuous median (60 + 2640) / 2 = 1350;
    business: 30, 60, 60, 450, 720, 1080 -> (60 + 450) / 2 = 255."""
    values = _january(zendesk_build)
    assert values["ticket_count"] == pytest.approx(8)
    assert values["first_reply_time_median"] == pytest.approx(600)
    assert values["first_reply_business_minutes_median"] == pytest.approx(67.5)
    assert values["full_resolution_time_median"] == pytest.approx(1350)
    assert values["full_resolution_business_minutes_median"] == pytest.approx(255)


def test_reopen_one_touch_and_sla(zendesk_build):
    """Solved at least once: 1001, 1002, 1003, 1007, 1008, 1010; reopened 1002 and 1008
    -> reopen rate 2/6. One public agent comment among them: 1001, 1003, 1007 -> 3/6 (1010's
    only public agent comment opened it: the request, not a reply).
    SLA (policy 1, business minutes; version of 2023-12-01 until 2024-01-20, then first
    reply for normal 100): 1001 normal, reply 75 > 60 -> breached; 1002 high, reply 120
    <= 120 met, resolution 1080 > 960 -> breached; 1003 low, 20 <= 240 and 60 <= 960 ->
    met; 1007 normal (version 2024-01-20), 30 <= 100 and 60 <= 480 -> met; 1008 normal
    (2024-01-20), 120 > 100 -> breached. Policy 2 (calendar) 1004 urgent: reply 120 > 60
    -> breached, resolution not judged. 1009 and 1010 have no policy.
    -> SLA breach rate 4/6."""
    values = _january(zendesk_build)
    assert values["reopen_rate"] == pytest.approx(2 / 6)
    assert values["one_touch_resolution_rate"] == pytest.approx(3 / 6)
    assert values["sla_breach_rate"] == pytest.approx(4 / 6)


def test_csat_from_satisfaction_ratings(zendesk_build):
    """Ratings: 1001 good, 1002 bad, 1003 good, 1007 bad, 1008 good_with_comment -> 5, 1,
    5, 1, 5; 1005's good rating belongs to a deleted ticket; 1009 offered and 1010
    unoffered are not answers. CSAT (share of 4-5) = 3/5 = 0.6, Zendesk's good / (good + bad)."""
    values = _january(zendesk_build)
    assert values["csat"] == pytest.approx(0.6)


def test_fct_tickets_carries_business_minutes_and_breaches(zendesk_build):
    """The worked rows of the docstring, in fct_tickets next to the calendar minutes."""
    rows = {row[0]: row[1:] for row in _query(zendesk_build, (
        "select ticket_id, first_reply_minutes, first_reply_business_minutes, "
        "full_resolution_business_minutes, is_sla_breached, channel, status, account_id "
        "from marts.fct_tickets"))}
    assert set(rows) == {"1001", "1002", "1003", "1004", "1007", "1008", "1009", "1010"}
    assert rows["1001"][:4] == (pytest.approx(3915), pytest.approx(75), pytest.approx(450), True)
    assert rows["1002"][1:4] == (pytest.approx(120), pytest.approx(1080), True)
    assert rows["1003"][3] is False
    # on hold -> open, voice -> phone, unsolved: no full resolution
    assert rows["1004"][1:] == (pytest.approx(60), None, True, "phone", "open", "zendesk:302")
    # no reply, no policy
    assert rows["1009"][:4] == (None, None, None, None)
    # opened by an admin with a public comment and solved with no further one: no reply
    assert rows["1010"][:3] == (None, None, pytest.approx(30))
    # an end user without organization is an individual account of their own
    assert rows["1008"][6] == "zendesk:user:204"


def test_nothing_quarantined_and_business_metrics_configured(zendesk_build):
    """Every adapter row passes staging (no rule-created tickets in the fixture), and the
    business-hour metrics are configured with the adapter on."""
    assert _query(zendesk_build, "select count(*) from quarantine.quarantine_raw_rows") == [(0,)]
    availability = dict(_query(zendesk_build, (
        "select metric_name, is_configured from marts.metric_availability "
        "where metric_name in ('sla_breach_rate', 'first_reply_business_minutes_median')")))
    assert availability == {"sla_breach_rate": True, "first_reply_business_minutes_median": True}


def test_the_gate_passes_without_the_surveys_zendesk_does_not_collect(zendesk_build):
    """Zendesk's surveys are CSAT only. The certified survey metrics it cannot feed (NPS,
    CES, CES mean, in-app rating; SUS and UMUX-Lite are off with survey items) never have a
    value: the gate passes, and its warning names exactly those four."""
    output = zendesk_build["build_output"]
    assert "quality: passed" in output
    [line] = [line for line in output.splitlines() if "data collected for each certified" in line]
    assert " warning " in line and "4 row(s)" in line
    never = {name for (name,) in _query(zendesk_build, (
        "select m.metric_name from marts.metric_availability as m where m.is_configured "
        "and m.metric_status = 'certified' and not exists (select 1 from marts.metric_values "
        "as v where v.metric_name = m.metric_name and v.value is not null)"))}
    assert {"nps", "ces", "ces_mean", "in_app_rating_avg"} <= never

