"""A small hand-made warehouse for the report tests: the marts the report reads,
created directly in a temporary DuckDB file (no dbt), with values chosen by hand,
and a project whose metric definitions the report reads through the metric layer.

The expected texts in test_report.py are worked out by hand from these rows (as-of
2026-04-15: March 2026 is the latest complete month, 2026-04-14 the latest complete
day). Statuses are written here as the rule of docs/metrics_spec.md gives them for
the target and thresholds in the same row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

AS_OF = dt.date(2026, 4, 15)


def metric_values_ddl() -> str:
    """The metric_values columns and types as the enforced contract declares them
    (models/marts/metrics/_metrics__models.yml), in DuckDB's words."""
    import yaml

    from cxux_cli.metrics.compiler import CONTRACT_FILE

    document = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))
    model = next(m for m in document["models"] if m["name"] == "metric_values")
    columns = []
    for column in model["columns"]:
        kind = column["data_type"]
        kind = "varchar" if "text" in kind else "double" if "double" in kind else kind
        columns.append(f"{column['name']} {kind}")
    return ", ".join(columns)


# fmt: off
# (metric, grain, period start, value, sample_size, min_sample, status,
#  target, warning, critical, direction, unit, (dimension, value) or None)
H, L = "higher_is_better", "lower_is_better"
NPS = (40.0, 30.0, 20.0, H, "score")
CSAT = (0.80, 0.75, 0.70, H, "share")
FRT = (60.0, 120.0, 240.0, L, "minutes")
CHURN = (0.22, 0.31, 0.46, L, "share")
TSR = (0.78, 0.70, 0.60, H, "share")
ADOPTION = (0.50, 0.40, 0.30, H, "share")
STICKINESS = (0.20, 0.15, 0.10, H, "share")
NONE_USERS = (None, None, None, H, "users")
METRIC_ROWS = [
    # nps: March 32.5 misses 40 without being below the warning 30; April is incomplete
    ("nps", "month", "2026-01-01", 28.0, 240, 100, "warning", *NPS, None),
    ("nps", "month", "2026-02-01", 30.0, 250, 100, "off_target", *NPS, None),
    ("nps", "month", "2026-03-01", 32.5, 260, 100, "off_target", *NPS, None),
    ("nps", "month", "2026-04-01", 99.0, 10, 100, "insufficient_sample", *NPS, None),
    ("nps", "month", "2026-03-01", 25.0, 120, 100, "warning", *NPS, ("segment", "smb")),
    ("nps", "month", "2026-03-01", 38.0, 140, 100, "off_target", *NPS, ("segment", "enterprise")),
    # csat: March rests on 12 answers (min 30): a thin sample, no status
    ("csat", "month", "2026-02-01", 0.82, 60, 30, "on_target", *CSAT, None),
    ("csat", "month", "2026-03-01", 0.90, 12, 30, "insufficient_sample", *CSAT, None),
    # first reply median, lower is better: 104.8 min misses 60 but is not above 120
    ("first_reply_time_median", "month", "2026-02-01", 90.0, 400, 30, "off_target", *FRT, None),
    ("first_reply_time_median", "month", "2026-03-01", 104.8, 420, 30, "off_target", *FRT, None),
    # a draft: critical and moving fast, yet never in the summary
    ("churn_rate_annualised", "month", "2026-02-01", 0.50, 500, 30, "critical", *CHURN, None),
    ("churn_rate_annualised", "month", "2026-03-01", 0.715, 500, 30, "critical", *CHURN, None),
    # share of total: the total is 1, the slices carry the news
    ("churn_reasons", "month", "2026-02-01", 1.0, 50, None, "no_target", None, None, None, L,
     "share", None),
    ("churn_reasons", "month", "2026-03-01", 1.0, 60, None, "no_target", None, None, None, L,
     "share", None),
    ("churn_reasons", "month", "2026-03-01", 0.5, 30, None, "no_target", None, None, None, L,
     "share", ("cancel_reason", "price")),
    ("churn_reasons", "month", "2026-03-01", 0.3, 18, None, "no_target", None, None, None, L,
     "share", ("cancel_reason", "ux_issues")),
    ("churn_reasons", "month", "2026-03-01", 0.2, 12, None, "no_target", None, None, None, L,
     "share", ("cancel_reason", "other")),
    # task success: 0.58 is below the critical 0.60
    ("task_success_rate", "month", "2026-01-01", 0.83, 900, 30, "on_target", *TSR, None),
    ("task_success_rate", "month", "2026-02-01", 0.81, 950, 30, "on_target", *TSR, None),
    ("task_success_rate", "month", "2026-03-01", 0.58, 980, 30, "critical", *TSR, None),
    ("task_success_rate", "month", "2026-04-01", 0.5, 40, 30, "critical", *TSR, None),
    ("task_success_rate", "month", "2026-03-01", 0.50, 300, 30, "critical", *TSR,
     ("task_name", "checkout")),
    ("task_success_rate", "month", "2026-03-01", 0.90, 500, 30, "on_target", *TSR,
     ("task_name", "search")),
    ("task_success_rate", "month", "2026-03-01", 0.41, 5, 30, "insufficient_sample", *TSR,
     ("task_name", "onboarding")),
    ("task_success_rate", "month", "2026-03-01", 0.41, 5, 30, "insufficient_sample", *TSR,
     ("region", "middle_east_africa")),
    # feature adoption: any-feature adoption on target, every single feature weak
    ("feature_adoption_rate", "month", "2026-02-01", 0.64, 800, 30, "on_target", *ADOPTION, None),
    ("feature_adoption_rate", "month", "2026-03-01", 0.661, 820, 30, "on_target", *ADOPTION, None),
    ("feature_adoption_rate", "month", "2026-03-01", 0.35, 820, 30, "warning", *ADOPTION,
     ("feature", "dashboards")),
    ("feature_adoption_rate", "month", "2026-03-01", 0.056, 820, 30, "critical", *ADOPTION,
     ("feature", "reports")),
    ("feature_adoption_rate", "month", "2026-03-01", 0.27, 820, 30, "critical", *ADOPTION,
     ("feature", "export")),
    # a metric no definition declares any more
    ("legacy_metric", "month", "2026-02-01", 4.0, None, None, "no_target", None, None, None, H,
     "score", None),
    ("legacy_metric", "month", "2026-03-01", 5.0, None, None, "no_target", None, None, None, H,
     "score", None),
    # day grain only: 2026-04-14 is the latest complete day at as-of 2026-04-15
    ("dau", "day", "2026-04-12", 120.0, 120, None, "no_target", *NONE_USERS, None),
    ("dau", "day", "2026-04-13", 230.0, 230, None, "no_target", *NONE_USERS, None),
    ("dau", "day", "2026-04-14", 250.0, 250, None, "no_target", *NONE_USERS, None),
    ("dau", "day", "2026-04-15", 40.0, 40, None, "no_target", *NONE_USERS, None),
    ("dau", "day", "2026-04-14", 180.0, 180, None, "no_target", *NONE_USERS, ("platform", "web")),
    ("dau", "day", "2026-04-14", 70.0, 70, None, "no_target", *NONE_USERS, ("platform", "ios")),
    ("mau_28d", "day", "2026-04-12", 900.0, 900, None, "no_target", *NONE_USERS, None),
    ("mau_28d", "day", "2026-04-13", 905.0, 905, None, "no_target", *NONE_USERS, None),
    ("mau_28d", "day", "2026-04-14", 910.0, 910, None, "no_target", *NONE_USERS, None),
    ("mau_28d", "day", "2026-04-15", 912.0, 912, None, "no_target", *NONE_USERS, None),
    # stickiness = dau / mau_28d: 230 / 905 and 250 / 910
    ("stickiness", "day", "2026-04-13", 230 / 905, None, None, "on_target", *STICKINESS, None),
    ("stickiness", "day", "2026-04-14", 250 / 910, None, None, "on_target", *STICKINESS, None),
    ("stickiness", "day", "2026-04-15", 40 / 912, None, None, "critical", *STICKINESS, None),
]

LINK_COLUMNS = [
    "exposure_level",
    "ux_signal", "ux_signal_label", "ux_band", "ux_band_order", "account_months", "accounts",
    "at_risk_accounts", "churned_accounts", "churn_rate", "churn_rate_ci_lower",
    "churn_rate_ci_upper", "ux_issues_churned_accounts", "churn_z_vs_good", "nps_responses",
    "nps_promoters", "nps_detractors", "nps", "nps_ci_lower", "nps_ci_upper", "csat_responses",
    "csat_top_box_responses", "csat", "tickets", "bug_tickets", "tickets_per_account_month",
    "bug_tickets_per_account_month", "min_sample", "is_sample_sufficient",
    "is_churn_significantly_higher_than_good",
]
LINK_ROWS = [
    ("account", "task_success_rate", "Task success rate", "poor", 1, 200, 150, 200, 40, 0.20, 0.15, 0.26,
     25, 4.1, 80, 20, 40, -25.0, -40.0, -10.0, 50, 30, 0.6, 90, 60, 0.45, 0.30, 30, True, True),
    ("account", "task_success_rate", "Task success rate", "fair", 2, 20, 18, 20, 2, 0.10, 0.03, 0.30,
     0, 0.9, 10, 4, 3, 10.0, -40.0, 60.0, 8, 6, 0.75, 5, 1, 0.25, 0.05, 30, False, False),
    ("account", "task_success_rate", "Task success rate", "good", 3, 600, 400, 600, 30, 0.05, 0.035, 0.07,
     1, None, 300, 150, 60, 30.0, 22.0, 38.0, 200, 170, 0.85, 120, 20, 0.2, 0.033, 30, True,
     False),
]

LINK_MONTHLY_COLUMNS = [
    "month_start", "ux_signal", "ux_signal_label", "ux_band", "at_risk_accounts",
    "churned_accounts", "churn_rate", "churn_rate_ci_lower", "churn_rate_ci_upper",
    "ux_issues_churned_accounts", "good_at_risk_accounts", "good_churned_accounts",
    "churn_z_vs_good", "churn_z_rank",
]
# poor-band months ranked by z (rank 4 is not shown), and a good-band row (never shown)
LINK_MONTHLY_ROWS = [
    ("2026-02-01", "task_success_rate", "Task success rate", "poor", 40, 18, 0.45, 0.31, 0.60,
     12, 200, 16, 4.93, 1),
    ("2026-01-01", "task_success_rate", "Task success rate", "poor", 50, 8, 0.16, 0.08, 0.29,
     0, 210, 17, 2.10, 2),
    ("2025-12-01", "task_success_rate", "Task success rate", "poor", 45, 5, 0.11, 0.05, 0.24,
     0, 190, 15, 0.80, 3),
    ("2025-11-01", "task_success_rate", "Task success rate", "poor", 44, 4, 0.09, 0.04, 0.21,
     0, 180, 14, 0.50, 4),
    ("2026-02-01", "task_success_rate", "Task success rate", "good", 200, 16, 0.08, 0.05, 0.13,
     0, 200, 16, None, None),
]
# fmt: on


def _create_table(con, name: str, columns: list[str], rows: list[tuple]) -> None:
    placeholders = ", ".join("?" for _ in columns)
    con.execute(
        f"create table marts.{name} as select * from (values "
        + ", ".join(f"({placeholders})" for _ in rows)
        + ") as t("
        + ", ".join(columns)
        + ")",
        [value for row in rows for value in row],
    )


@pytest.fixture()
def report_warehouse(tmp_path: Path) -> Path:
    import duckdb

    path = tmp_path / "hand.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table marts.metric_values ({metric_values_ddl()})")
    for (name, grain, start, value, n, min_n, status, target, warning, critical, direction,
         unit, dimension) in METRIC_ROWS:
        start = dt.date.fromisoformat(start)
        end = start + dt.timedelta(days=1) if grain == "day" else \
            (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        dim_name, dim_value = dimension or ("total", "total")
        row = {
            "metric_name": name, "grain": grain, "period_start": start, "period_end": end,
            "dimension_name": dim_name, "dimension_value": dim_value, "value": value,
            "sample_size": n, "confidence": 0.95, "min_sample": min_n,
            "is_sample_sufficient": n is None or min_n is None or n >= min_n,
            "is_complete_period": end <= AS_OF, "target": target,
            "warning_threshold": warning, "critical_threshold": critical, "status": status,
            "direction": direction, "unit": unit,
        }
        con.execute(
            f"insert into marts.metric_values by name select "
            f"{', '.join('? as ' + key for key in row)}",
            list(row.values()),
        )
    _create_table(con, "mart_experience_link", LINK_COLUMNS, LINK_ROWS)
    _create_table(con, "mart_experience_link_monthly", LINK_MONTHLY_COLUMNS, LINK_MONTHLY_ROWS)
    con.execute(
        "create or replace table marts.mart_experience_link_monthly as "
        "select * replace (cast(month_start as date) as month_start) "
        "from marts.mart_experience_link_monthly"
    )
    con.close()
    return path


DEFINITION_FILES = {
    "metrics/cx/voice.yml": """
metrics:
  - name: nps
    label: Net Promoter Score (NPS)
    description: Promoters minus detractors, per 100 respondents.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    status: certified
    type: nps
    model: fct_survey_responses
    measure: score
    time: responded_at
    dimensions: [segment]
    unit: score
    direction: higher_is_better
    target: 40
    thresholds: {warning: 30, critical: 20}
    min_sample: 100
  - name: csat
    label: Customer satisfaction (CSAT)
    description: Top-box share of CSAT answers.
    domain: cx
    level: interaction
    audience: customer
    owner: cx
    status: certified
    type: top_box
    model: fct_survey_responses
    measure: score
    scale: [1, 5]
    cut: 4
    time: responded_at
    dimensions: [touchpoint]
    unit: share
    format: percent
    direction: higher_is_better
    target: 0.8
    thresholds: {warning: 0.75, critical: 0.7}
""",
    "metrics/cx/retention.yml": """
metrics:
  - name: churn_rate_annualised
    label: Annualised churn rate
    description: A draft under review.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    status: draft
    type: proportion
    model: fct_customer_months
    condition: is_churned
    time: month_start
    unit: share
    format: percent
    direction: lower_is_better
    target: 0.22
    thresholds: {warning: 0.31, critical: 0.46}
  - name: churn_reasons
    label: Churn reasons
    description: Each reason's share of the cancellations.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    status: certified
    type: count
    model: fct_cancellations
    time: cancelled_at
    dimensions: [cancel_reason]
    share_of_total: true
    unit: share
    format: percent
    direction: lower_is_better
""",
    "metrics/cx/support.yml": """
metrics:
  - name: first_reply_time_median
    label: First reply time (median)
    description: Median minutes to the first reply.
    domain: cx
    level: interaction
    audience: customer
    owner: support
    status: certified
    type: median
    model: fct_tickets
    measure: first_reply_minutes
    time: created_at
    dimensions: [channel]
    unit: minutes
    format: duration
    direction: lower_is_better
    target: 60
    thresholds: {warning: 120, critical: 240}
""",
    "metrics/ux/engagement.yml": """
metrics:
  - name: dau
    label: Daily active users (DAU)
    description: Distinct users active on the day.
    domain: ux
    level: relationship
    audience: user
    owner: product
    status: certified
    type: count_distinct
    model: fct_user_days
    measure: user_id
    time: activity_date
    grains: [day]
    dimensions: [platform]
    unit: users
    format: integer
    direction: higher_is_better
  - name: mau_28d
    label: Monthly active users (rolling 28 days)
    description: Distinct users active in the 28 days ending on the day.
    domain: ux
    level: relationship
    audience: user
    owner: product
    status: certified
    type: rolling
    model: fct_user_days
    measure: user_id
    window_days: 28
    agg: count_distinct
    time: activity_date
    grains: [day]
    dimensions: [platform]
    unit: users
    format: integer
    direction: higher_is_better
  - name: stickiness
    label: Stickiness (DAU / MAU)
    description: DAU over rolling MAU.
    domain: ux
    level: relationship
    audience: user
    owner: product
    status: certified
    type: derived
    expression: dau / nullif(mau_28d, 0)
    grains: [day]
    dimensions: [platform]
    unit: share
    format: percent
    direction: higher_is_better
    target: 0.2
    thresholds: {warning: 0.15, critical: 0.1}
  - name: feature_adoption_rate
    label: Feature adoption rate
    description: Eligible users who used a feature / eligible users; the total is any feature.
    domain: ux
    level: relationship
    audience: user
    owner: product
    status: certified
    type: ratio
    model: fct_user_feature_months
    numerator: {agg: count_distinct, measure: user_id, filter: is_used}
    denominator: {agg: count_distinct, measure: user_id}
    time: month_start
    dimensions: [feature]
    unit: share
    format: percent
    direction: higher_is_better
    target: 0.5
    thresholds: {warning: 0.4, critical: 0.3}
""",
    "metrics/ux/tasks.yml": """
metrics:
  - name: task_success_rate
    label: Task success rate
    description: Successful task attempts / all task attempts.
    domain: ux
    level: journey
    audience: user
    owner: design
    status: certified
    type: proportion
    model: fct_task_attempts
    condition: is_success
    time: started_at
    dimensions: [task_name, region]
    unit: share
    format: percent
    direction: higher_is_better
    target: 0.78
    thresholds: {warning: 0.7, critical: 0.6}
""",
}


@pytest.fixture()
def catalog_project(tmp_path: Path) -> Path:
    """A project root whose metric definitions are valid for the metric layer."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "dbt_project.yml").write_text("name: hand\n")
    for relative, text in DEFINITION_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip())
    return root
