"""One owner per formula (issue 17): a steward's edit to a metric definition moves
every consumer, and the experience marts equal metric_values for the same slice
and period.

In a copy of the project (no .venv, warehouse or target), the definitions are edited
as a steward would and recompiled with `cxux metrics compile`:
  metrics/cx/nps.yml       promoter_min 9 -> 10
  metrics/cx/csat.yml      cut 4 -> 5
  metrics/ux/web_vitals.yml lcp_p75: percentile 0.75 -> 0.5
then tests_py/fixtures/catalog_small plus four rows is built:
  r13  NPS 9 by u5 (a3, smb) on 2024-02-21, wave nps-2024q2 (its own wave)
  pv5-pv7  u1 (a1, US -> north_america) page loads on 2024-03-06, LCP 1000, 2000, 3000 ms

Survey answers that matter (catalog_small): NPS r1 9 (a1, consumer, 2024-02-15),
r2 3 (a2, consumer, 02-16), r11 10 (a3, smb, 02-20), r12 6 (a1, 01-30, same wave as
r1 and superseded by it: not is_latest_in_wave); CSAT r3 5 and r9 2 (a1, January),
r5 4 (a2, 01-27, post_purchase).

Worked by hand with the edited definitions (shipped values in brackets):
- flags: r1 9 is passive, not a promoter [promoter]; r13 9 passive [promoter];
  r11 10 promoter; r5 CSAT 4 is not top box [top box].
- NPS February, metric total: r1 9, r2 3, r11 10, r13 9 -> P 1 (r11), D 1 (r2), n 4
  -> 100 x (1 - 1) / 4 = 0 [P 3: 100 x 2 / 4 = 50].
  segment smb (a3): r11, r13 -> 100 x (1 - 0) / 2 = 50 [100];
  segment consumer (a1, a2): r1, r2 -> 100 x (0 - 1) / 2 = -50 [0].
- account health February: a1 n 1, P 0 -> 0 [100]; a2 -100; a3 50 [100]. Summed: n 4,
  P 1, D 1 = the metric's numerator 0 and denominator 4. January: a1 has no NPS (r12
  is superseded by r1: the metric's wave rule) [the old calendar-month rule gave a1
  January n 1, NPS -100].
- CSAT January, metric total: r3 5, r9 2, r5 4 -> 1 of 3 = 0.3333 [2 of 3].
  account health: a1 1 of 2 = 0.5 [0.5]; a2 0 of 1 = 0.0 [1.0]; summed 1 of 3.
- customer journey, a2 purchase stage (post_purchase CSAT r5 4): top-box share 0.0
  [1.0], below the 0.80 target.
- link mart, account level, task success band poor (a3 February: 2 of 5 attempts
  successful = 0.4 < 0.70): NPS r11, r13 -> 50 [100].
- LCP at the 0.5 percentile, March, a1 (= metric slice region north_america): 1000,
  2000, 3000, 4200 (pv3) -> position 1 + 0.5 x 3 = 2.5 -> 2000 + 0.5 x 1000 = 2500
  [p75: position 3.25 -> 3000 + 0.25 x 1200 = 3300].
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests_py.warehouse import FIXTURES, REPO

DBT = str(Path(sys.executable).with_name("dbt"))
IGNORED = shutil.ignore_patterns(
    ".venv*", "warehouse", "target", "logs", ".git", "__pycache__", ".pytest_cache",
    ".ruff_cache", "metastore_db", "spark-warehouse", "dbt_packages", "*.duckdb", "*.duckdb.*")

# The experience settings as the lead is asked to declare them in dbt_project.yml
# (issue 17); added to the copy only while the real file lacks them.
EXPERIENCE_VARS = """\
  cxux_link_min_task_attempts: 3
  cxux_link_min_page_loads: 3
  cxux_link_min_sus_responses: 1
  cxux_link_min_region_task_attempts: 30
  cxux_link_min_region_page_loads: 30
  cxux_link_min_region_sus_responses: 10
  cxux_link_min_sample: 30
  cxux_hotspot_min_task_attempts: 30
"""
ADDED_RESPONSES = ["r13,nps-2024q2,nps,relationship,u5,a3,,,2024-02-21T12:00:00Z,9,"]
ADDED_PAGE_VIEWS = [
    f"pv{n},u1,anon2,s9,2024-03-06T08:0{n}:00Z,2024-03-06T08:0{n}:01Z,web,desktop,/home,{lcp},100,0.05,900,300"
    for n, lcp in [(5, 1000), (6, 2000), (7, 3000)]
]
SELECTION = ("+mart_account_health_monthly +mart_customer_journey mart_experience_link "
             "+metric__nps +metric__csat +metric__lcp_p75")


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{path}: '{old}' not found; the test's edit no longer applies"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


class Project:
    """A copy of the project with its own warehouse, target and logs."""

    def __init__(self, workdir: Path):
        self.root = workdir / "project"
        self.duckdb_path = workdir / "cxux.duckdb"
        self.env = dict(os.environ)
        self.env.update(
            CXUX_PROJECT_DIR=str(self.root),
            CXUX_DUCKDB_PATH=str(self.duckdb_path),
            CXUX_PUBLISHED_PATH=str(workdir / "published" / "cxux.duckdb"),
            DBT_TARGET_PATH=str(workdir / "target"),
            DBT_LOG_PATH=str(workdir / "logs"),
        )

    def run(self, *command: str) -> str:
        result = subprocess.run(list(command), check=False, env=self.env, cwd=self.root,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout[-6000:]}\nstderr:\n{result.stderr[-4000:]}")
        return result.stdout

    def cxux(self, *args: str) -> str:
        return self.run(sys.executable, "-m", "cxux_cli.cli", *args)

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.duckdb_path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    workdir = tmp_path_factory.mktemp("experience_parameters")
    built = Project(workdir)
    shutil.copytree(REPO, built.root, ignore=IGNORED)

    dbt_project = built.root / "dbt_project.yml"
    if "cxux_link_min_sample:" not in dbt_project.read_text(encoding="utf-8"):
        _edit(dbt_project, "\nvars:\n", "\nvars:\n" + EXPERIENCE_VARS)
    _edit(built.root / "metrics/cx/nps.yml", "    promoter_min: 9\n", "    promoter_min: 10\n")
    _edit(built.root / "metrics/cx/csat.yml", "    cut: 4\n", "    cut: 5\n")
    web_vitals = built.root / "metrics/ux/web_vitals.yml"
    text = web_vitals.read_text(encoding="utf-8")
    lcp = re.search(r"  - name: lcp_p75\n.*?(?=\n  - name: )", text, re.S)
    assert lcp and "    percentile: 0.75\n" in lcp.group(0), "lcp_p75 no longer declares percentile: 0.75"
    web_vitals.write_text(
        text[:lcp.start()] + lcp.group(0).replace("    percentile: 0.75\n", "    percentile: 0.5\n")
        + text[lcp.end():], encoding="utf-8")
    built.cxux("metrics", "compile")

    export = workdir / "export"
    shutil.copytree(FIXTURES / "catalog_small", export)
    for table, rows in [("survey_responses", ADDED_RESPONSES), ("page_views", ADDED_PAGE_VIEWS)]:
        with (export / f"{table}.csv").open("a", encoding="utf-8") as handle:
            handle.write("\n".join(rows) + "\n")
    built.cxux("load", str(export))
    built.run(DBT, "build", "--project-dir", str(built.root), "--profiles-dir", str(built.root),
              "--select", SELECTION, "--indirect-selection", "cautious",
              "--exclude-resource-type", "unit_test")
    return built


def _metric(project: Project, metric: str, period: str, dimension: str = "total",
            value: str = "total") -> tuple:
    rows = project.query(
        f"select value, numerator, denominator from marts.metric__{metric} "
        "where grain = 'month' and cast(period_start as varchar) = ? "
        "and dimension_name = ? and dimension_value = ?", [period, dimension, value])
    assert len(rows) == 1, f"metric__{metric} {period} {dimension}={value}: {rows}"
    return rows[0]


def _health(project: Project, account: str, month: str) -> tuple:
    rows = project.query(
        "select nps_responses, nps_promoters, nps_detractors, nps, csat_responses, "
        "csat_top_box_responses, csat, lcp_p75_ms from marts.mart_account_health_monthly "
        "where account_id = ? and cast(month_start as varchar) = ?", [account, month])
    assert len(rows) == 1, f"mart_account_health_monthly {account} {month}: {rows}"
    return rows[0]


def test_flags_follow_promoter_min_and_cut(project):
    """r1 and r13 (9) are passives under promoter_min 10; r11 (10) a promoter; CSAT r5
    (4) is not top box under cut 5."""
    rows = dict((row[0], row[1:]) for row in project.query(
        "select response_id, nps_category, is_promoter, is_passive, is_detractor, is_top_box "
        "from marts.fct_survey_responses where response_id in ('r1', 'r13', 'r11', 'r2', 'r5', 'r3')"))
    assert rows["r1"] == ("passive", False, True, False, None)
    assert rows["r13"] == ("passive", False, True, False, None)
    assert rows["r11"] == ("promoter", True, False, False, None)
    assert rows["r2"] == ("detractor", False, False, True, None)
    assert rows["r5"][4] is False
    assert rows["r3"][4] is True


def test_account_nps_moves_and_matches_metric_values(project):
    """February: a1 0, a2 -100, a3 50; summed n 4, P 1, D 1 = metric total (value 0,
    numerator P - D = 0, denominator 4); a3 = segment smb (50); a1 + a2 = consumer
    (-50). January: no a1 NPS (r12 superseded in its wave)."""
    a1, a2, a3 = (_health(project, account, "2024-02-01") for account in ("a1", "a2", "a3"))
    assert a1[:4] == (1, 0, 0, 0.0)
    assert a2[:4] == (1, 0, 1, -100.0)
    assert a3[:4] == (2, 1, 0, 50.0)
    assert _metric(project, "nps", "2024-02-01") == (0.0, 0, 4)
    assert sum(row[1] - row[2] for row in (a1, a2, a3)) == 0
    assert sum(row[0] for row in (a1, a2, a3)) == 4
    assert _metric(project, "nps", "2024-02-01", "segment", "smb")[0] == a3[3] == 50.0
    assert _metric(project, "nps", "2024-02-01", "segment", "consumer")[0] == -50.0
    assert _health(project, "a1", "2024-01-01")[:4] == (0, 0, 0, None)


def test_account_csat_moves_and_matches_metric_values(project):
    """January: a1 1 of 2 = 0.5, a2 0 of 1 = 0.0; metric total 1 of 3."""
    a1, a2 = _health(project, "a1", "2024-01-01"), _health(project, "a2", "2024-01-01")
    assert a1[4:7] == (2, 1, 0.5)
    assert a2[4:7] == (1, 0, 0.0)
    value, numerator, denominator = _metric(project, "csat", "2024-01-01")
    assert (numerator, denominator) == (1, 3) == (a1[5] + a2[5], a1[4] + a2[4])
    assert value == pytest.approx(1 / 3)


def test_account_lcp_follows_the_definitions_percentile(project):
    """a1 March at the 0.5 percentile: 2000 + 0.5 x 1000 = 2500, = metric slice
    region north_america (only a1 is in the US)."""
    assert _health(project, "a1", "2024-03-01")[7] == 2500.0
    assert _metric(project, "lcp_p75", "2024-03-01", "region", "north_america")[0] == 2500.0


def test_journey_and_link_marts_move(project):
    """a2's purchase-stage CSAT share 0.0 under cut 5 (not good against the 0.80
    target); the link mart's poor task-success band (a3 February) has NPS 50."""
    journey = project.query(
        "select csat_responses, csat_top_box_share, is_headline_good from marts.mart_customer_journey "
        "where account_id = 'a2' and stage = 'purchase'")
    assert journey == [(1, 0.0, False)]
    link = project.query(
        "select nps_responses, nps_promoters, nps_detractors, nps from marts.mart_experience_link "
        "where exposure_level = 'account' and ux_signal = 'task_success_rate' and ux_band = 'poor'")
    assert link == [(2, 1, 0, 50.0)]


def _build_link(project: Project, variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DBT, "run", "--project-dir", str(project.root), "--profiles-dir", str(project.root),
         "--select", "mart_experience_link", "--vars", variables],
        check=False, env=project.env, cwd=project.root, capture_output=True, text=True)


def test_experience_settings_are_read_and_checked_in_one_place(project):
    """cxux_link_min_sample set to 2 reaches mart_experience_link's min_sample (18 band
    rows: 2 levels x 3 signals x 3 bands); 0 is refused with the var's name. Runs last:
    it rebuilds mart_experience_link."""
    assert _build_link(project, "{cxux_link_min_sample: 2}").returncode == 0
    assert project.query("select distinct min_sample, count(*) from marts.mart_experience_link "
                         "group by 1") == [(2, 18)]
    refused = _build_link(project, "{cxux_link_min_sample: 0}")
    assert refused.returncode != 0
    assert "var cxux_link_min_sample must be a whole number >= 1, not '0'" in refused.stdout
