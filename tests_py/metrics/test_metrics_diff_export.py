"""diff against a temporary git repository; MetricFlow export."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from cxux_cli.metrics.catalog import load_definitions
from cxux_cli.metrics.export import TIME_SPINE_SQL, export_metricflow, semantic_name, to_yaml


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(root), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(project):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(project, "init", "-q")
    _git(project, "add", "metrics", "dbt_project.yml")
    _git(project, "commit", "-q", "-m", "definitions")
    return project


def test_diff_in_reviewer_words(repo, cxux):
    nps = repo / "metrics" / "cx" / "nps.yml"
    text = nps.read_text()
    text = text.replace("      - {value: 35, from: 2026-07-01}\n",
                        "      - {value: 40, from: 2026-07-01}\n")
    text = text.replace("filter: \"survey_type = 'nps' and is_latest_in_wave\"",
                        "filter: \"survey_type = 'nps' and touchpoint = 'relationship'\"")
    text = text.replace("dimensions: [segment, region, account_type, plan]",
                        "dimensions: [segment, region, touchpoint, plan]")
    nps.write_text(text)
    csat = repo / "metrics" / "cx" / "csat.yml"
    csat.write_text(csat.read_text().replace("status: certified", "status: deprecated"))
    (repo / "metrics" / "cx" / "reviews.yml").unlink()
    (repo / "metrics" / "cx" / "new.yml").write_text("""\
metrics:
  - name: tickets_per_customer
    label: Tickets per customer
    description: Tickets per active customer.
    domain: cx
    level: relationship
    audience: customer
    owner: support
    type: count
    model: fct_tickets
    time: created_at
    unit: tickets
    direction: lower_is_better
""")
    code, out, _ = cxux("metrics", "diff")
    assert code == 0
    assert out.splitlines() == [
        "metric definitions compared with HEAD:",
        "added: tickets_per_customer",
        "removed: positive_review_share, review_rating_avg",
        "deprecated: csat",
        ("nps: filter changed from `survey_type = 'nps' and is_latest_in_wave` to "
        "`survey_type = 'nps' and touchpoint = 'relationship'`; "
        "target 30 from 2024-01-01, 35 from 2026-07-01 -> 30 from 2024-01-01, 40 from "
        "2026-07-01; dimensions: added touchpoint; removed account_type"),
    ]
    code, out, _ = cxux("metrics", "diff", "HEAD", "--format", "json")
    assert json.loads(out)["deprecated"] == ["csat"]


def test_diff_scalar_target_and_no_changes(repo, cxux):
    assert cxux("metrics", "diff")[1].strip() == "no changes to metric definitions since HEAD"
    csat = repo / "metrics" / "cx" / "csat.yml"
    csat.write_text(csat.read_text().replace("target: 0.80", "target: 0.85"))
    assert cxux("metrics", "diff")[1].splitlines()[1] == "csat: target 0.8 -> 0.85"


def test_diff_unknown_revision(repo, cxux):
    code, _, err = cxux("metrics", "diff", "v9.9")
    assert code == 2
    assert "unknown git revision 'v9.9'" in err


def test_export_metricflow(project):
    definitions = load_definitions(project).definitions
    result = export_metricflow(definitions)
    assert result.skipped == {
        "churn_reasons": "a share of total divides each slice by the total of its period; "
                         "MetricFlow metrics are computed within one group",
        "nps_change": "previous_period depends on the query's grain; MetricFlow offsets are "
                      "a fixed window (only same_period_last_year maps to offset_window: 1 "
                      "year)",
    }
    metrics = {m["name"]: m for m in result.metrics}
    nps = metrics["nps"]
    assert nps["type"] == "derived"
    assert nps["type_params"]["expr"] == (
        "100.0 * (nps_promoters - nps_detractors) / nullif(nps_respondents, 0)")
    assert nps["config"]["meta"]["cxux_metric"] == "nps"
    assert metrics["nps_promoters"]["config"]["meta"] == {"cxux_metric": "nps",
                                                         "cxux_part": "promoters"}
    survey = result.semantic_models["fct_survey_responses"]
    measures = {m["name"]: m for m in survey["measures"]}
    assert measures["nps_promoters"]["expr"] == (
        "case when (survey_type = 'nps' and is_latest_in_wave) and (score between 0 and 10) "
        "then case when score "
        ">= 9 then 1 else 0 end end")
    assert metrics["mau_28d"]["type"] == "cumulative"
    assert metrics["mau_28d"]["type_params"]["cumulative_type_params"] == {"window": "28 days"}
    assert metrics["stickiness"]["type_params"]["metrics"] == [{"name": "dau"},
                                                              {"name": "mau_28d"}]
    assert metrics["first_reply_time_p90"]["type"] == "simple"
    p90 = {m["name"]: m for m in result.semantic_models["fct_tickets"]["measures"]}
    assert p90["first_reply_time_p90_value"]["agg_params"] == {
        "percentile": 0.9, "use_discrete_percentile": True}
    # geometric mean: exp of the mean of ln x over x > 0 (the filter folded in)
    geomean = metrics["time_on_task_geomean"]
    assert geomean["type_params"] == {"expr": "exp(time_on_task_geomean_log_mean)",
                                      "metrics": [{"name": "time_on_task_geomean_log_mean"}]}
    tasks = {m["name"]: m for m in result.semantic_models["fct_task_attempts"]["measures"]}
    assert tasks["time_on_task_geomean_log_mean"]["expr"] == (
        "case when (is_success and duration_seconds > 0) and (duration_seconds > 0) "
        "then ln(duration_seconds) end")
    document = yaml.safe_load(to_yaml(result))
    assert {m["name"] for m in document["semantic_models"]} == {
        "dim_customers", "dim_products", "dim_users",
        "fct_account_seat_months", "fct_customer_months", "fct_feature_usage", "fct_orders",
        "fct_page_views", "fct_reviews", "fct_survey_responses", "fct_tickets",
        "fct_task_attempts", "fct_user_days", "fct_user_feature_months"}
    assert document["models"][0]["time_spine"] == {"standard_granularity_column": "date_day"}


def test_export_names_have_no_dunders():
    # MetricFlow: lowercase, no '__', not ending in '_'; the cxux name stays in meta
    assert semantic_name("nps", "promoters") == "nps_promoters"
    assert semantic_name("a__b_", "value") == "a_b_value"
    assert semantic_name("trailing_") == "trailing"


def test_export_grains_and_null_slice(project):
    result = export_metricflow(load_definitions(project).definitions)
    tickets = {d["name"]: d for d in result.semantic_models["fct_tickets"]["dimensions"]}
    # ticket_count allows day; first_reply_time_p90 starts at week (finer is refused)
    assert tickets["created_at"]["type_params"] == {"time_granularity": "day"}
    assert tickets["created_at_week"] == {"name": "created_at_week", "type": "time",
                                          "expr": "created_at",
                                          "type_params": {"time_granularity": "week"}}
    measures = {m["name"]: m for m in result.semantic_models["fct_tickets"]["measures"]}
    assert measures["first_reply_time_p90_value"]["agg_time_dimension"] == "created_at_week"
    # month_start is a month: customer_churn_rate at month, no finer grain exists
    months = {d["name"]: d for d in result.semantic_models["fct_customer_months"]["dimensions"]}
    assert months["month_start"]["type_params"] == {"time_granularity": "month"}
    # acquisition_cohort is clv_12m's time and customer_churn_rate's slice
    assert months["acquisition_cohort"]["type"] == "time"
    assert months["acquisition_cohort_value"]["expr"] == (
        "coalesce(cast(acquisition_cohort as varchar), '(not set)')")
    churn = {m["name"]: m for m in result.metrics}["customer_churn_rate"]["config"]["meta"]
    assert churn["cxux_grains"] == ["month"]
    assert churn["cxux_slices"]["acquisition_cohort"] == "customer_months__acquisition_cohort_value"
    assert tickets["segment"]["expr"] == "coalesce(cast(segment as varchar), '(not set)')"


def test_export_command_lists_what_was_not_exported(project, cxux, tmp_path):
    out_file = tmp_path / "semantic.yml"
    code, _, err = cxux("metrics", "export", "--format", "metricflow", "--out", str(out_file))
    assert code == 0
    assert "not exported: churn_reasons: a share of total" in err
    assert "metrics" in yaml.safe_load(out_file.read_text())
    assert (tmp_path / "cxux_time_spine.sql").read_text() == TIME_SPINE_SQL
    # on stdout no time spine model (it needs its SQL file), and a note says so
    code, out, err = cxux("metrics", "export", "--format", "metricflow")
    assert code == 0 and "models" not in yaml.safe_load(out)
    assert "note: no time spine on stdout" in err


def test_diff_crossings_as_sets(repo, cxux):
    tasks = repo / "metrics" / "ux" / "tasks.yml"
    text = tasks.read_text()
    assert "crossings: [[task_name, platform]]" in text
    # the same crossing written in another order is no change; a new one is
    tasks.write_text(text.replace("crossings: [[task_name, platform]]",
                                  "crossings: [[platform, task_name], [device_type, platform]]"))
    assert cxux("metrics", "diff")[1].splitlines()[1:] == [
        "task_success_rate: crossings: added device_type x platform"]
