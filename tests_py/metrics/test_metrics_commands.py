"""list, show, query, docs: output shape, against a hand-made metric_values."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest

ROWS = [
    # metric, grain, period_start, dimension_name, dimension_value, value, numerator,
    # denominator, sample_size, ci_lower, ci_upper, target, status; nps rows have
    # thresholds warning 20, critical 10, csat 0.7 and 0.6 (the fixture adds them)
    ("nps", "month", "2026-01-01", "total", "total", 9.52, 20, 210, 210, -2.9, 22.0, 30,
     "critical"),
    # 31 meets its target 30
    ("nps", "month", "2026-02-01", "total", "total", 31.0, 62, 200, 200, 20.1, 41.9, 30,
     "on_target"),
    ("nps", "month", "2026-02-01", "region", "europe", 40.0, 40, 100, 100, 25.0, 55.0, 30,
     "on_target"),
    # 22 misses 30 without going below the warning threshold 20
    ("nps", "month", "2026-02-01", "region", "asia_pacific", 22.0, 22, 100, 100, 6.0, 38.0, 30,
     "off_target"),
    ("nps", "quarter", "2026-01-01", "total", "total", 20.3, 83, 410, 410, 12.0, 28.6, 30,
     "off_target"),
    ("csat", "month", "2026-02-01", "total", "total", 0.6, 30, 50, 50, 0.46, 0.72, 0.8,
     "warning"),
    # the declared crossing [segment, region] of nps: dimension_name is the names sorted
    # and joined by '|', dimension_value the values in that order (region first)
    ("nps", "month", "2026-02-01", "region|segment", "europe|smb", 45.0, 27, 60, 60, 25.1,
     64.9, 30, "on_target"),
    ("nps", "month", "2026-02-01", "region|segment", "europe|enterprise", 32.5, 13, 40, 40,
     9.0, 56.0, 30, "on_target"),
    ("nps", "month", "2026-02-01", "region|segment", "asia_pacific|smb", 22.0, 22, 100, 100,
     6.0, 38.0, 30, "off_target"),
    # the running month at a build as of 2026-12-06: six days of answers, not complete
    ("nps", "month", "2026-12-01", "total", "total", 0.0, 0, 12, 12, -40.0, 40.0, 35,
     "insufficient_sample"),
]
PARTIAL = {("nps", "month", "2026-12-01")}
THRESHOLDS = {"nps": (20, 10), "csat": (0.7, 0.6)}


@pytest.fixture
def warehouse(project):
    path = project / "published" / "cxux.duckdb"  # what readers read by default
    path.parent.mkdir()
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("""
        create table marts.metric_values (
            metric_name varchar, grain varchar, period_start date, period_end date,
            dimension_name varchar, dimension_value varchar, value double, numerator double,
            denominator double, sample_size bigint, ci_lower double, ci_upper double,
            ci_method varchar, confidence double, min_sample bigint,
            is_sample_sufficient boolean, is_complete_period boolean, target double,
            warning_threshold double, critical_threshold double, status varchar,
            direction varchar, unit varchar)""")
    for row in ROWS:
        (metric, grain, start, dname, dvalue, value, num, den, n, lo, hi, target, status) = row
        warning, critical = THRESHOLDS[metric]
        complete = (metric, grain, start) not in PARTIAL
        connection.execute(
            "insert into marts.metric_values values (?, ?, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'rocks', 0.95, 30, true, ?, ?, ?, ?, ?, 'higher_is_better', 'score')",
            [metric, grain, start, dname, dvalue, value, num, den, n, lo, hi, complete, target,
             warning, critical, status])
    connection.close()
    return path


def test_list_json_and_filters(project, cxux):
    code, out, _ = cxux("metrics", "list", "--domain", "ux", "--level", "journey",
                        "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["task_abandonment_rate", "task_error_rate",
                                         "task_success_rate", "time_on_task_geomean"]
    rows = {r["name"]: r for r in rows}
    assert set(rows["task_success_rate"]) == {"name", "label", "domain", "level", "audience", "status", "type",
                            "model", "unit", "direction", "target", "owner", "tags",
                            "source_file"}
    assert rows["task_success_rate"]["target"] == [{"from": None, "value": 0.78}]


def test_list_table(project, cxux):
    _code, out, _ = cxux("metrics", "list", "--status", "draft")
    lines = out.splitlines()
    assert lines[0].split() == ["name", "domain", "level", "audience", "type", "status", "unit",
                                "target", "label"]
    assert [line.split()[0] for line in lines[2:]] == [
        "customer_churn_rate_annualised", "fcp_p75", "first_resolution_time_median",
        "full_resolution_time_p90", "nps_change", "revenue",
        "ticket_count", "ttfb_p75", "umux_lite_sus_equivalent"]


def test_show_definition_lineage_and_latest_values(warehouse, project, cxux):
    code, out, _ = cxux("metrics", "show", "nps", "--no-compile")
    assert code == 0
    assert out.startswith("nps: Net Promoter Score (NPS) [certified]\n")
    assert "  model: fct_survey_responses (time: responded_at)" in out
    assert "  target: 30 from 2024-01-01, 35 from 2026-07-01" in out
    assert "  used by: nps_change" in out
    assert ("  columns: account_type, is_latest_in_wave, plan, region, responded_at, score, segment, "
            "survey_type") in out
    assert ("  status: on_target at >= 30 from 2024-01-01, 35 from 2026-07-01; off_target "
            "below it down to 25; warning below 25 down to 10; critical below 10; "
            "insufficient_sample below 50 rows") in out
    # the latest complete month is February: December (is_complete_period false) is left out;
    # each status beside its target and thresholds
    latest = out.split("latest values (total, complete periods)\n")[1].splitlines()
    assert latest[0].split()[:7] == ["grain", "period_start", "value", "target",
                                     "warning_threshold", "critical_threshold", "status"]
    assert latest[2].split()[:7] == ["month", "2026-02-01", "31", "30", "20", "10", "on_target"]
    assert latest[3].split()[:7] == ["quarter", "2026-01-01", "20.3", "30", "20", "10",
                                     "off_target"]
    assert latest[2].split()[-1] == "complete"


def test_show_include_partial_marks_the_running_month(warehouse, cxux):
    code, out, _ = cxux("metrics", "show", "nps", "--no-compile", "--include-partial")
    assert code == 0
    latest = out.split("latest values (total, the running period marked partial)\n")[1]
    month = latest.splitlines()[2].split()
    assert month[:3] == ["month", "2026-12-01", "0"]
    assert month[-1] == "partial"
    assert "not compiled yet: run `dbt compile --select metric__nps`" in out


def test_show_uses_compiled_sql_when_present(project, cxux):
    compiled = (project / "target/compiled/cxux/models/marts/metrics/generated/"
                "metric__csat.sql")
    compiled.parent.mkdir(parents=True)
    compiled.write_text("select 1 as value\n")
    _code, out, _ = cxux("metrics", "show", "csat", "--format", "json")
    data = json.loads(out)
    assert data["compiled_sql"] == "select 1 as value\n"
    assert data["definition"]["type"] == "top_box"
    assert data["latest"] == []


def test_show_unknown_metric(project, cxux):
    code, _, err = cxux("metrics", "show", "nsp")
    assert code == 2
    assert "unknown metric 'nsp' (did you mean 'nps'?)" in err


def test_query_json_shape(warehouse, cxux):
    code, out, _ = cxux("metrics", "query", "nps", "--grain", "month", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows == [
        {"metric": "nps", "grain": "month", "period_start": "2026-01-01", "value": 9.52,
         "numerator": 20.0, "denominator": 210.0, "sample_size": 210, "ci_lower": -2.9,
         "ci_upper": 22.0, "target": 30.0, "warning_threshold": 20.0,
         "critical_threshold": 10.0, "status": "critical", "is_complete_period": True},
        {"metric": "nps", "grain": "month", "period_start": "2026-02-01", "value": 31.0,
         "numerator": 62.0, "denominator": 200.0, "sample_size": 200, "ci_lower": 20.1,
         "ci_upper": 41.9, "target": 30.0, "warning_threshold": 20.0,
         "critical_threshold": 10.0, "status": "on_target", "is_complete_period": True},
    ]


def test_query_include_partial_adds_the_running_month_marked(warehouse, cxux):
    # December 2026 (six days at the as-of) is not a complete period: shown only when asked
    _code, out, _ = cxux("metrics", "query", "nps", "--grain", "month", "--include-partial",
                         "--format", "json")
    rows = json.loads(out)
    assert [(r["period_start"], r["is_complete_period"]) for r in rows] == [
        ("2026-01-01", True), ("2026-02-01", True), ("2026-12-01", False)]
    _code, out, _ = cxux("metrics", "query", "nps", "--grain", "month", "--include-partial")
    lines = out.splitlines()
    assert lines[0].split()[-1] == "period"
    assert [line.split()[2] + " " + line.split()[-1] for line in lines[2:]] == [
        "2026-01-01 complete", "2026-02-01 complete", "2026-12-01 partial"]


def test_query_by_where_since_csv(warehouse, cxux):
    code, out, _ = cxux("metrics", "query", "nps", "--by", "region", "--where",
                        "region in ('europe', 'north_america')", "--since", "2026-02-01",
                        "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["metric", "grain", "period_start", "region", "value", "numerator",
                             "denominator", "sample_size", "ci_lower", "ci_upper", "target",
                             "warning_threshold", "critical_threshold", "status",
                             "is_complete_period"]
    assert [(r["region"], r["value"], r["status"]) for r in rows] == [
        ("europe", "40.0", "on_target")]


def test_query_several_metrics_and_until(warehouse, cxux):
    _code, out, _ = cxux("metrics", "query", "nps", "csat", "--until", "2026-01-31",
                        "--format", "json")
    rows = json.loads(out)
    assert [(r["metric"], r["grain"], r["period_start"]) for r in rows] == [
        ("nps", "month", "2026-01-01"), ("nps", "quarter", "2026-01-01")]


@pytest.mark.parametrize("args, message", [
    (["--where", "1 = 1; drop table marts.metric_values"],
     "--where must be a single expression: ';' is not allowed"),
    (["--by", "region", "--where", "region = 'x' or exists (select 1)"],
     "--where must be an expression, not a query or subquery"),
    (["--by", "region", "--where", "region = 'a' --"],
     "--where must not contain SQL comments (-- or /* */)"),
    (["--where", "region = 'europe'"],
     ("--where uses 'region', which is not a --by dimension; usable columns: none (add --by "
     "DIM)")),
    (["--by", "platform"], ("metric 'nps' has no dimension 'platform' (its dimensions: segment, "
                           "region, account_type, plan)")),
    (["--by", "region", "--by", "account_type"],
     ("metric 'nps' does not declare the crossing [region, account_type]: metric_values holds "
      "only declared crossings (its crossings: --by region --by segment; add `crossings:`")),
    (["--by", "region", "--by", "region"], "--by region is given twice"),
    (["--by", "region", "--where", "segment = 'smb'"],
     "--where uses 'segment', which is not a --by dimension; usable columns: region"),
    (["--grain", "day"], ("metric 'nps' is not computed at grain day (it has month, quarter, "
                         "year)")),
])
def test_query_rejects_bad_input_and_leaves_the_table(warehouse, cxux, args, message):
    code, _out, err = cxux("metrics", "query", "nps", *args)
    assert code == 2
    assert message in err
    connection = duckdb.connect(str(warehouse), read_only=True)
    count = connection.execute("select count(*) from marts.metric_values").fetchone()[0]
    assert count == len(ROWS)
    connection.close()


def test_query_by_two_dimensions_of_a_crossing(warehouse, cxux):
    # --by order is the user's (segment, region); the stored order is sorted (region|segment)
    code, out, _ = cxux("metrics", "query", "nps", "--by", "segment", "--by", "region",
                        "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [list(r)[:5] for r in rows][0] == ["metric", "grain", "period_start", "segment",
                                              "region"]
    assert [(r["segment"], r["region"], r["value"], r["sample_size"]) for r in rows] == [
        ("smb", "asia_pacific", 22.0, 100),
        ("enterprise", "europe", 32.5, 40),
        ("smb", "europe", 45.0, 60),
    ]


def test_query_crossing_where_on_both_dimensions_csv_and_table(warehouse, cxux):
    code, out, _ = cxux("metrics", "query", "nps", "--by", "region", "--by", "segment",
                        "--where", "segment = 'smb' and region <> 'asia_pacific'",
                        "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:5] == ["metric", "grain", "period_start", "region", "segment"]
    assert [(r["region"], r["segment"], r["value"]) for r in rows] == [
        ("europe", "smb", "45.0")]
    code, out, _ = cxux("metrics", "query", "nps", "--by", "segment", "--by", "region",
                        "--where", "region = 'europe'")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:5] == ["metric", "grain", "period_start", "segment", "region"]
    assert [line.split()[3:6] for line in lines[2:]] == [
        ["enterprise", "europe", "32.5"], ["smb", "europe", "45"]]


def test_query_value_with_quote_is_a_parameter(warehouse, cxux):
    code, out, _ = cxux("metrics", "query", "nps", "--by", "region", "--where",
                        "region = 'europe'' or ''1''=''1'", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_query_without_warehouse(project, cxux):
    code, _, err = cxux("metrics", "query", "nps")
    assert code == 2
    assert "no published copy" in err and "--from warehouse" in err
    code, _, err = cxux("metrics", "query", "nps", "--from", "warehouse")
    assert code == 2
    assert "no warehouse file" in err


def test_docs_writes_markdown_and_html_grouped(project, cxux, tmp_path):
    code, _out, _ = cxux("metrics", "docs", "--out", str(tmp_path / "catalog"))
    assert code == 0
    markdown = (tmp_path / "catalog" / "index.md").read_text()
    headings = [line for line in markdown.splitlines() if line.startswith(("## ", "### "))]
    assert headings == ["## Customer experience (CX)", "### Interaction", "### Relationship",
                        "## User experience (UX)", "### Interaction", "### Journey",
                        "### Relationship"]
    assert "#### Net Promoter Score (NPS) (`nps`)" in markdown
    page = (tmp_path / "catalog" / "index.html").read_text()
    assert '<section id="nps">' in page
    assert "survey_type = &#x27;nps&#x27;" in page
