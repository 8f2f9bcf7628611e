"""Mart suites on small hand-made marts (the interface of INTERFACES.md).

Expected counts follow from the rows written below, not from the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from cxux_cli.project import Project
from cxux_cli.quality.checks import completeness_grain, value_range_family
from cxux_cli.quality.runner import run_quality

AS_OF = dt.datetime(2024, 9, 5)  # latest complete month: 2024-08
MONTHS = [dt.date(2024, m, 1) for m in range(1, 9)]
DEFINITIONS = """
metrics:
  - {name: nps_relationship, type: nps, status: certified, grains: [month]}
  - {name: csat_rate, type: top_box, status: certified, grains: [month]}
  - {name: sus_score, type: average, measure: sus_score, status: certified, grains: [month]}
  - {name: ces_score, type: average, status: certified, grains: [month]}
  - {name: draft_metric, type: average, status: draft, grains: [month]}
"""
HISTORY = {  # metric -> (unit, values per month, half-width of the interval)
    "nps_relationship": ("score", [30, 32, 29, 31, 30, 33, 31, 30], 5),
    "csat_rate": ("share", [0.80, 0.82, 0.79, 0.81, 0.80, 0.83, 0.81, 0.80], 0.03),
    "sus_score": ("score", [70, 72, 69, 71, 70, 73, 71, 70], 4),
    "ces_score": ("score", [5.1, 5.2, 5.0, 5.1, 5.2, 5.0, 5.1, 5.1], 0.2),
}


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _metric_rows():
    rows = []
    for name, (unit, values, half) in HISTORY.items():
        for month, value in zip(MONTHS, values):
            for dim, dim_value in (("total", "total"), ("region", "europe")):
                rows.append((name, "month", month, _next_month(month), dim, dim_value,
                             value, value - half, value + half, unit))
    return rows


def make_marts(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.metric_values (metric_name varchar, grain varchar, "
            "period_start date, period_end date, dimension_name varchar, dimension_value varchar, "
            "value double, ci_lower double, ci_upper double, unit varchar)"
        )
        con.executemany("insert into marts.metric_values values (?,?,?,?,?,?,?,?,?,?)",
                        _metric_rows())
        con.execute("create table marts.fct_orders as select 'o-' || i as order_id, "
                    "i * 1.5 as order_total from range(50) r(i)")
        con.execute("create table marts.fct_customer_months as select 'a-' || (i % 5) as account_id, "
                    "date '2024-01-01' + to_months(cast(i // 5 as integer)) as month_start "
                    "from range(20) r(i)")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    (tmp_path / "dbt_project.yml").write_text("name: t\n")
    (tmp_path / "metrics" / "cx").mkdir(parents=True)
    (tmp_path / "metrics" / "cx" / "defs.yml").write_text(DEFINITIONS)
    db = tmp_path / "cxux.duckdb"
    make_marts(db)
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(db))
    return Project(root=tmp_path, target="duckdb")


def _find(result, suite, label_start):
    matches = [o for o in result.outcomes
               if o.suite == suite and o.expectation.startswith(label_start)]
    assert len(matches) == 1, (suite, label_start)
    return matches[0]


def test_clean_marts_pass(project):
    result = run_quality(project, suites=("marts",), as_of=AS_OF)
    assert result.failures == []
    assert result.passed
    suites = {o.suite for o in result.outcomes}
    assert {"marts.fct_orders", "marts.fct_customer_months", "marts.metric_values",
            "marts.metric_values.ranges"} <= suites


def test_each_broken_mart_fails_the_right_check(project):
    with duckdb.connect(str(project.duckdb_path)) as con:
        mv = "update marts.metric_values set {} where metric_name = '{}' and " \
             "period_start = date '2024-03-01' and dimension_name = 'region'"
        con.execute(mv.format("value = 150, ci_lower = 140, ci_upper = 160", "nps_relationship"))
        con.execute(mv.format("value = 1.2, ci_lower = 1.1, ci_upper = 1.3", "csat_rate"))
        con.execute(mv.format("value = 120, ci_lower = 110, ci_upper = 130", "sus_score"))
        # interval that does not contain its value
        con.execute(mv.format("ci_lower = 5.5, ci_upper = 6", "ces_score"))
        # the latest month of a certified metric is missing
        con.execute("delete from marts.metric_values where metric_name = 'ces_score' "
                    "and period_start = date '2024-08-01' and dimension_name = 'total'")
        # a silent break: latest SUS 95 against a history of 69-73 (sd ~1.4)
        con.execute("update marts.metric_values set value = 95, ci_lower = 90, ci_upper = 99 "
                    "where metric_name = 'sus_score' and period_start = date '2024-08-01' "
                    "and dimension_name = 'total'")
        # duplicated key, null key
        con.execute("insert into marts.metric_values select * from marts.metric_values "
                    "where metric_name = 'csat_rate' and period_start = date '2024-01-01' "
                    "and dimension_name = 'total'")
        con.execute("update marts.fct_orders set order_id = null where order_id = 'o-3'")
        con.execute("insert into marts.fct_customer_months values ('a-1', date '2024-02-01')")
    result = run_quality(project, suites=("marts",), as_of=AS_OF)
    assert not result.passed
    expected = {
        ("marts.metric_values.ranges", "nps value in [-100, 100]"): 1,
        ("marts.metric_values.ranges", "proportion/top_box/apdex value in [0, 1]"): 1,
        ("marts.metric_values.ranges", "sus value in [0, 100]"): 1,
        ("marts.metric_values.ranges", "ci_lower <= value <= ci_upper"): 1,
        ("marts.metric_values", "every certified metric"): 1,
        ("marts.metric_values", "latest value within 4 standard deviations"): 1,
        ("marts.metric_values", "(metric_name, grain, period_start"): 2,
        ("marts.fct_orders", "order_id not null"): 1,
        ("marts.fct_customer_months", "(account_id, month_start) unique"): 2,
    }
    for (suite, label), count in expected.items():
        outcome = _find(result, suite, label)
        assert not outcome.success, (suite, label)
        assert outcome.unexpected_count == count, (suite, label, outcome)
    assert len(result.failures) == len(expected)
    assert _find(result, "marts.metric_values", "latest value").severity == "warning"
    missing = _find(result, "marts.metric_values", "every certified metric")
    assert missing.sample_ids and "metric_name=ces_score" in missing.sample_ids[0]
    broken = _find(result, "marts.metric_values.ranges", "nps value")
    assert broken.sample_ids == ["nps_relationship|month|2024-03-01|region|europe"]


def test_a_metric_never_valued_warns_one_that_lost_its_latest_value_fails(project):
    """ces_never (certified, no row at all: its survey is not collected here) is named by a
    warning and does not fail the gate; ces_score, which had totals for 2024-01..07 and
    lost the latest (2024-08), is a break and fails it."""
    definitions = project.root / "metrics" / "cx" / "defs.yml"
    definitions.write_text(definitions.read_text() + "  - {name: ces_never, type: average, "
                           "status: certified, grains: [month]}\n")
    result = run_quality(project, suites=("marts",), as_of=AS_OF)
    assert result.passed  # a warning only
    never = _find(result, "marts.metric_values", "data collected for each certified metric")
    assert never.severity == "warning" and not never.success
    assert never.unexpected_count == 1 and "metric_name=ces_never" in never.sample_ids[0]
    assert _find(result, "marts.metric_values", "every certified metric").success

    with duckdb.connect(str(project.duckdb_path)) as con:
        con.execute("delete from marts.metric_values where metric_name = 'ces_score' "
                    "and period_start = date '2024-08-01' and dimension_name = 'total'")
    result = run_quality(project, suites=("marts",), as_of=AS_OF)
    assert not result.passed
    missing = _find(result, "marts.metric_values", "every certified metric")
    assert missing.unexpected_count == 1 and "metric_name=ces_score" in missing.sample_ids[0]
    assert _find(result, "marts.metric_values", "data collected").unexpected_count == 1


@pytest.mark.parametrize("definition, family", [
    ({"type": "nps", "unit": "score"}, "nps"),
    ({"type": "top_box", "unit": "share"}, "proportion"),
    ({"type": "apdex", "unit": "index"}, "proportion"),
    ({"type": "average", "measure": "umux_lite_score", "unit": "score"}, "sus"),
    ({"type": "average", "measure": "rating", "unit": "rating"}, "rating"),
    # a ratio in unit share may exceed 1 (net revenue retention): no fixed range
    ({"type": "ratio", "unit": "share"}, None),
    ({"type": "period_over_period", "unit": "score"}, None),
])
def test_value_range_family(definition, family):
    assert value_range_family(definition) == family


def test_completeness_grain():
    assert completeness_grain({"grains": ["day", "week", "month"]}) == "month"
    assert completeness_grain({"grains": ["day"]}) == "day"
    assert completeness_grain({"grains": ["week", "day"]}) == "week"
    assert completeness_grain({}) == "month"


def test_completeness_expects_certified_metrics_that_need_no_configuration():
    import datetime as dt

    from cxux_cli.quality.checks import metric_value_checks

    definitions = {
        "nps": {"status": "certified", "grains": ["month"]},
        "ces_1_mean": {"status": "certified", "grains": ["month"],
                       "tags": ["survey", "requires_configuration"]},
        "revenue": {"status": "draft", "grains": ["month"]},
    }
    (check,) = [c for c in metric_value_checks(definitions, dt.date(2026, 6, 30))
                if c.label == "every certified metric has a total for the latest complete period"]
    query = check.kwargs["unexpected_rows_query"]
    assert "('nps', 'month')" in query
    assert "ces_1_mean" not in query and "revenue" not in query
