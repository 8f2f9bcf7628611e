"""The UX -> CX link marts find the UX incident the demo generator plants, from the
data alone.

The generator records what it planted in cxux_meta.planted_effects (independent
ground truth: written by `cxux generate`, read by nothing in the models). The marts
never see it; these tests compare what the marts found with it.

The generator plants the incident's churn account by account: only subscribers whose
own users had a failed or abandoned task attempt during the incident ("exposed"
accounts) cancel more. At the default test scale (CXUX_TEST_SCALE 0.1, about 250
accounts, seed 7) that is 9 exposed accounts and 4 incident cancels, far too few
for any 95% test, so this module builds its own warehouse at CXUX_LINK_TEST_SCALE
(default 1: about 2,500 accounts, 127 exposed, 52 incident cancels; ~15 s to
generate, ~1.5 min to build the experience marts and what they need).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCALE = os.environ.get("CXUX_LINK_TEST_SCALE", "1")
SEED = os.environ.get("CXUX_LINK_TEST_SEED", "7")
AS_OF = "2026-06-30"


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(
        args, check=False, env=env, capture_output=True, text=True, cwd=env["CXUX_PROJECT_DIR"]
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-6000:]}\nstderr:\n{result.stderr[-4000:]}"
        )


@pytest.fixture(scope="module")
def link_warehouse(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("link")
    env = dict(os.environ)
    env.setdefault("CXUX_PROJECT_DIR", str(REPO))
    env.update(
        CXUX_DUCKDB_PATH=str(workdir / "cxux.duckdb"),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
    )
    _run(
        [
            sys.executable,
            "-m",
            "cxux_cli.cli",
            "generate",
            "--scale",
            SCALE,
            "--seed",
            SEED,
            "--as-of",
            AS_OF,
        ],
        env,
    )
    dbt = str(Path(sys.executable).parent / "dbt")
    common = ["--profiles-dir", env["CXUX_PROJECT_DIR"], "--project-dir", env["CXUX_PROJECT_DIR"]]
    _run([dbt, "seed", *common], env)
    _run(
        [
            dbt,
            "run",
            *common,
            "--select",
            "+path:models/marts/experience",
            "--vars",
            f'{{cxux_as_of: "{AS_OF}"}}',
        ],
        env,
    )
    return workdir / "cxux.duckdb"


@pytest.fixture(scope="module")
def con(link_warehouse):
    import duckdb

    connection = duckdb.connect(str(link_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def planted_parameters(con) -> dict:
    return dict(con.execute(
        "select parameter_name, parameter_value from cxux_meta.planted_effects "
        "where effect_name = 'ux_incident'"
    ).fetchall())


@pytest.fixture(scope="module")
def planted(con) -> tuple[str, object]:
    """(region, month) of the planted UX incident, from the generator's own record."""
    rows = con.execute(
        "select distinct region, period_start from cxux_meta.planted_effects "
        "where effect_name = 'ux_incident'"
    ).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def band(con, level: str, signal: str, name: str) -> dict:
    cursor = con.execute(
        "select * from marts.mart_experience_link "
        "where exposure_level = ? and ux_signal = ? and ux_band = ?",
        [level, signal, name],
    )
    columns = [column[0] for column in cursor.description]
    return dict(zip(columns, cursor.fetchone()))


def test_worst_region_month_for_task_success_is_the_planted_one(con, planted):
    worst = con.execute(
        "select region, month_start from marts.mart_experience_hotspots "
        "where task_success_worst_rank = 1"
    ).fetchall()
    assert worst == [planted]


def test_worst_region_month_stands_out_on_every_planted_signal(con, planted):
    region, month = planted
    row = con.execute(
        "select task_success_z_vs_rest, cwv_pass_rate, bug_tickets_per_account, churn_rate, "
        "ux_issues_churned from marts.mart_experience_hotspots where region = ? and month_start = ?",
        [region, month],
    ).fetchone()
    others = con.execute(
        "select min(cwv_pass_rate), max(bug_tickets_per_account), avg(churn_rate), "
        "max(ux_issues_churned) from marts.mart_experience_hotspots "
        "where region = ? and month_start <> ? and is_sample_sufficient",
        [region, month],
    ).fetchone()
    z, cwv, bugs, churn, ux_churned = row
    assert z < -1.96  # task success significantly below all other region-months
    # against the same region's other months: worse vitals and more bug tickets than
    # any of them, more churn than their average, more ux_issues cancels than any
    assert cwv < others[0]
    assert bugs > others[1]
    assert churn > others[2]
    assert ux_churned > others[3]


def test_customers_exposed_to_poor_task_success_churn_significantly_more(con):
    poor = band(con, "region", "task_success_rate", "poor")
    good = band(con, "region", "task_success_rate", "good")
    assert poor["is_sample_sufficient"] and good["is_sample_sufficient"]
    # a pooled two-proportion z-test at 95% (one-sided: poor worse than good) ...
    assert poor["churn_z_vs_good"] >= 1.96
    assert poor["is_churn_significantly_higher_than_good"] is True
    # ... and the 95% Wilson intervals do not even overlap
    assert poor["churn_rate_ci_lower"] > good["churn_rate_ci_upper"]
    # the extra churn gives UX as its reason
    assert poor["ux_issues_churned_accounts"] / poor["churned_accounts"] > (
        good["ux_issues_churned_accounts"] / good["churned_accounts"]
    )
    # and the NPS of the exposed customers is lower
    assert poor["nps"] < good["nps"]


def monthly(con, signal: str, band_name: str, **where) -> list[dict]:
    sql = "select * from marts.mart_experience_link_monthly where ux_signal = ? and ux_band = ?"
    params = [signal, band_name]
    for column, value in where.items():
        sql += f" and {column} = ?"
        params.append(value)
    cursor = con.execute(sql + " order by month_start", params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def test_account_level_poor_task_success_goes_with_churn_in_the_planted_month(
    con, planted, planted_parameters
):
    """Account by account, month by month, without being told where or when: the month
    in which customers whose own users had poor task success churned most above those
    with good task success is the incident month, and the gap is not chance."""
    _, month = planted
    (found,) = monthly(con, "task_success_rate", "poor", churn_z_rank=1)
    assert found["month_start"] == month  # what was found is what was planted
    (good,) = monthly(con, "task_success_rate", "good", month_start=month)
    assert found["is_sample_sufficient"] and found["at_risk_accounts"] >= 30
    assert good["at_risk_accounts"] >= 30
    # the 95% Wilson intervals of the poor and the good band do not overlap ...
    assert found["churn_rate_ci_lower"] > good["churn_rate_ci_upper"]
    # ... and the gap stands out from what 24 monthly tests give by chance
    # (one-sided Bonferroni over 24 months at 5%: z > 2.87)
    assert found["churn_z_vs_good"] > 2.87
    # the extra churn is the planted one: mostly cancels for ux_issues (a larger share
    # than in the good band), and no more of them than the generator planted
    assert found["ux_issues_churned_accounts"] > found["churned_accounts"] / 2
    assert found["ux_issues_churned_accounts"] / found["churned_accounts"] > (
        good["ux_issues_churned_accounts"] / max(good["churned_accounts"], 1)
    )
    assert found["ux_issues_churned_accounts"] <= int(planted_parameters["incident_cancels"])


def test_account_level_bands_over_all_months_show_the_link(con):
    """Pooled over the whole window, account-months with poor task success churn
    significantly more than those with good task success."""
    poor = band(con, "account", "task_success_rate", "poor")
    good = band(con, "account", "task_success_rate", "good")
    assert poor["is_sample_sufficient"] and good["is_sample_sufficient"]
    assert poor["churn_z_vs_good"] >= 1.96
    assert poor["is_churn_significantly_higher_than_good"] is True
    assert poor["ux_issues_churned_accounts"] / poor["churned_accounts"] > (
        good["ux_issues_churned_accounts"] / good["churned_accounts"]
    )
