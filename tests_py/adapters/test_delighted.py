"""The Delighted adapter end to end (issue 18): the fixture in Fivetran's Delighted schema
(tests_py/fixtures/adapters/delighted/: response.csv, person.csv) loaded with
`cxux load --source delighted`, built with `cxux build` (only the Delighted adapter on:
surveys is the one domain with data), and the values worked out by hand from the fixture
files and the metric definitions (metrics/cx/nps.yml, csat.yml, ces.yml), not read from cxux.

Mapping (models/adapters/delighted/): survey_id is the monthly wave
'delighted:<type>:<month start>'; the touchpoint is the person property `touchpoint`
(lowercased), else nps -> relationship and ces -> post_support (csat has no default);
smileys and enps are no contract survey type.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests_py.adapters.helpers import query, reconciliation
from tests_py.conftest import isolated_env, run_cxux

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "delighted"
AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def delighted_build(tmp_path_factory) -> dict:
    """Loaded, built, checked and published once for the module (run_cxux checks the exit:
    the dbt tests and the quality gate must pass). Delighted gives no in-app rating:
    in_app_rating_avg never has a value, which the gate names in a warning
    (docs/adapters/delighted.md, known limits)."""
    workdir = tmp_path_factory.mktemp("delighted")
    env = isolated_env(workdir)
    run_cxux("load", str(FIXTURE), "--source", "delighted", env=env)
    result = run_cxux("build", "--as-of", AS_OF, "--vars",
                      json.dumps({"cxux_adapter_delighted": True}), env=env)
    return dict(env, build_output=result.stdout)


def _query(env: dict, sql: str) -> list[tuple]:
    return query(env["CXUX_DUCKDB_PATH"], sql)


def _month(env: dict, month: str) -> dict[str, tuple[float, int]]:
    """The totals of one month: metric name -> (value, sample size)."""
    return {name: (value, sample) for name, value, sample in _query(env, (
        "select metric_name, value, sample_size from marts.metric_values where grain = 'month' "
        f"and period_start = date '{month}' and dimension_name = 'total'"))}


def test_nps_one_answer_per_person_and_wave(delighted_build):
    """June wave delighted:nps:2026-06-01, the latest answer of each person:
      p1 9 (r02 on 06-20 replaces r01's 3 of 06-02), p2 10, p3 9, p4 8, p5 7, p6 6, p7 0,
      p8 10, p9 5 (no properties: touchpoint relationship by default), p10 9 ('Onboarding')
    n = 10; promoters (9-10) p1 p2 p3 p8 p10 = 5; detractors (0-6) p6 p7 p9 = 3;
    NPS = 100 x (5 - 3) / 10 = 20.
    May wave: p3 2 (r12) and p11 10 (r24; a person only its response knows) -> n 2,
    100 x (1 - 1) / 2 = 0; nps_change June = 20 - 0 = 20."""
    june, may = _month(delighted_build, "2026-06-01"), _month(delighted_build, "2026-05-01")
    assert june["nps"] == (pytest.approx(20.0), 10)
    assert may["nps"] == (pytest.approx(0.0), 2)
    assert june["nps_change"][0] == pytest.approx(20.0)
    latest = dict(_query(delighted_build, (
        "select response_id, is_latest_in_wave from marts.fct_survey_responses "
        "where response_id in ('delighted:r01', 'delighted:r02')")))
    assert latest == {"delighted:r01": False, "delighted:r02": True}


def test_csat_and_ces_worked_by_hand(delighted_build):
    """CSAT June: r13 5, r14 4, r15 3, r16 2, r17 5 (all post_support); r18 (4) has no
    touchpoint property and csat no default -> quarantined. Top box (4-5) r13 r14 r17 =
    3 / 5 = 0.6.
    CES June (1-7, CES 2.0): r19 7, r20 5 (no property: post_support by default), r21 4 ->
    share 5-7 = 2 / 3; mean (7 + 5 + 4) / 3 = 16 / 3."""
    june = _month(delighted_build, "2026-06-01")
    assert june["csat"] == (pytest.approx(0.6), 5)
    assert june["ces"] == (pytest.approx(2 / 3), 3)
    assert june["ces_mean"] == (pytest.approx(16 / 3), 3)
    # no in-app rating from Delighted: the metric has no June value (why the gate is off)
    assert "in_app_rating_avg" not in june


def test_rows_that_cannot_map_are_quarantined_with_reasons(delighted_build):
    """24 responses: r18 csat without touchpoint; r22 smileys (Delighted's own type, not
    mapped by default); r23 enps (not mapped, and enps has no default touchpoint) -> 21
    staged, 3 quarantined. People: p1-p10 from person.csv plus p11 -> 11 users; accounts:
    the customer_id properties cus_A and cus_B -> 2."""
    rows = sorted(_query(delighted_build, (
        "select table_name, row_id, reasons from quarantine.quarantine_raw_rows")))
    contract_types = "nps, csat, ces, sus, umux_lite, in_app_rating"
    assert rows == [
        ("survey_responses", "delighted:r18", "survey_responses.touchpoint is missing (required)"),
        ("survey_responses", "delighted:r22",
         f"survey_responses.survey_type: 'smileys' is not one of {contract_types}"),
        ("survey_responses", "delighted:r23",
         f"survey_responses.survey_type: 'enps' is not one of {contract_types}; "
         "survey_responses.touchpoint is missing (required)"),
    ]
    assert reconciliation(delighted_build["CXUX_DUCKDB_PATH"],
                          ["survey_responses", "users", "accounts"]) == {"survey_responses": (24, 21, 3), "users": (11, 11, 0),
                              "accounts": (2, 2, 0)}


def test_respondents_accounts_and_scrubbed_comment(delighted_build):
    """r02 (p1) and r04 (p3) carry customer_id cus_A / cus_B: accounts named by that
    external id; r05 (p4) has none -> no account. The comment of r07 holds an email, which
    staging scrubs before the mart."""
    rows = {response: (user, account, comment) for response, user, account, comment in _query(
        delighted_build, (
            "select response_id, user_id, account_id, comment_scrubbed "
            "from marts.fct_survey_responses where response_id in "
            "('delighted:r02', 'delighted:r04', 'delighted:r05', 'delighted:r07')"))}
    assert rows == {
        "delighted:r02": ("delighted:p1", "cus_A", None),
        "delighted:r04": ("delighted:p3", "cus_B", None),
        "delighted:r05": ("delighted:p4", None, None),
        "delighted:r07": ("delighted:p6", None, "Too slow. Write me at [email]"),
    }


def test_the_gate_passes_and_names_the_in_app_rating_delighted_does_not_collect(delighted_build):
    """NPS, CSAT and CES come from Delighted; in_app_rating_avg (certified, surveys domain
    on) never has a value: the gate passes, and its warning names that metric alone."""
    output = delighted_build["build_output"]
    assert "quality: passed" in output
    [line] = [line for line in output.splitlines() if "data collected for each certified" in line]
    assert " warning " in line and "1 row(s)" in line and "metric_name=in_app_rating_avg" in line
