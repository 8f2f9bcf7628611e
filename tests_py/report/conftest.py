"""A small hand-made warehouse for the report tests: the marts the report reads,
created directly in a temporary DuckDB file (no dbt), with values chosen by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

METRIC_VALUES_COLUMNS = """
    metric_name varchar, grain varchar, period_start date, period_end date,
    dimension_name varchar, dimension_value varchar, value double, numerator double,
    denominator double, sample_size bigint, ci_lower double, ci_upper double,
    ci_method varchar, confidence double, min_sample bigint, is_sample_sufficient boolean,
    target double, status varchar, direction varchar, unit varchar
"""

# (metric, month, value, sample_size, min_sample, target, status, unit, dimension)
# fmt: off
METRIC_ROWS = [
    ("nps", "2026-01-01", 28.0, 240, 100, 40.0, "warning", "score", None),
    ("nps", "2026-02-01", 30.0, 250, 100, 40.0, "warning", "score", None),
    ("nps", "2026-03-01", 32.5, 260, 100, 40.0, "warning", "score", None),
    ("nps", "2026-04-01", 99.0, 10, 100, 40.0, "insufficient_sample", "score", None),
    ("task_success_rate", "2026-01-01", 0.83, 900, 30, 0.80, "on_target", "share", None),
    ("task_success_rate", "2026-02-01", 0.81, 950, 30, 0.80, "on_target", "share", None),
    ("task_success_rate", "2026-03-01", 0.64, 980, 30, 0.80, "critical", "share", None),
    ("task_success_rate", "2026-04-01", 0.5, 40, 30, 0.80, "critical", "share", None),
    ("task_success_rate", "2026-03-01", 0.41, 5, 30, 0.80, "insufficient_sample", "share",
     ("region", "middle_east_africa")),
    ("csat", "2026-02-01", 0.82, 60, 30, 0.80, "on_target", "share", None),
    ("csat", "2026-03-01", 0.90, 12, 30, 0.80, "insufficient_sample", "share", None),
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
    con.execute(f"create table marts.metric_values ({METRIC_VALUES_COLUMNS})")
    for name, month, value, n, min_n, target, status, unit, dimension in METRIC_ROWS:
        start = dt.date.fromisoformat(month)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        dim_name, dim_value = dimension or ("total", "total")
        direction = "higher_is_better"
        con.execute(
            "insert into marts.metric_values values "
            "(?, 'month', ?, ?, ?, ?, ?, null, null, ?, null, null, null, 0.95, ?, ?, ?, ?, ?, ?)",
            [
                name,
                start,
                end,
                dim_name,
                dim_value,
                value,
                n,
                min_n,
                n >= min_n,
                target,
                status,
                direction,
                unit,
            ],
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


@pytest.fixture()
def catalog_project(tmp_path: Path) -> Path:
    """A project root with metric definitions, for labels and domains."""
    root = tmp_path / "project"
    (root / "metrics" / "cx").mkdir(parents=True)
    (root / "metrics" / "ux").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: hand\n")
    (root / "metrics" / "cx" / "voice.yml").write_text(
        "metrics:\n"
        "  - {name: nps, label: Net Promoter Score (NPS), domain: cx, unit: score}\n"
        "  - {name: csat, label: Customer satisfaction (CSAT), domain: cx, unit: share,"
        " format: percent}\n"
    )
    (root / "metrics" / "ux" / "tasks.yml").write_text(
        "metrics:\n"
        "  - {name: task_success_rate, label: Task success rate, domain: ux, unit: share,"
        " format: percent}\n"
    )
    return root
