"""The published copy of the demo build: what it holds, its docs, and readers that read it
while a build holds the warehouse (the session's `demo_warehouse`, built and published once)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

# models/marts/core/_core__models.yml, copied by hand
DIM_CUSTOMERS_DOC = ("One row per customer: the party that buys and pays. Grain: account_id. "
                     "Current values (status, MRR, seats) are as of the end of the last month in "
                     "the data.")
LIFETIME_REVENUE_DOC = ("Sum of order_total over completed orders (historical CLV, in the "
                        "orders' currency).")
# the BI-facing relations: models/marts/{core,experience} and metric_values, scorecards
BI_FACING = {
    "bridge_customer_users", "dim_customers", "dim_dates", "dim_products", "dim_users",
    "fct_account_seat_months", "fct_customer_months", "fct_feature_usage", "fct_order_lines",
    "fct_orders", "fct_page_views", "fct_reviews", "fct_sessions", "fct_survey_responses",
    "fct_task_attempts", "fct_tickets", "fct_user_days", "fct_user_feature_months",
    "mart_account_health_monthly", "mart_customer_journey", "mart_experience_hotspots",
    "mart_experience_link", "mart_experience_link_monthly", "mart_experience_signals",
    "metric_availability", "metric_values", "scorecard_cx_monthly", "scorecard_ux_monthly",
}


@pytest.fixture(scope="module")
def published(demo_warehouse):
    with duckdb.connect(str(demo_warehouse.published_path), read_only=True) as con:
        yield con


def test_the_copy_holds_the_bi_facing_relations(published):
    tables = published.execute("select schema_name, table_name from duckdb_tables()").fetchall()
    assert {t for s, t in tables if s == "marts"} == BI_FACING  # no metric__* models
    assert {s for s, _ in tables} == {"marts", "quarantine", "cxux_meta"}
    # one reconciliation row per raw table of the contract (13), one row per domain (9)
    assert published.execute("select count(*) from quarantine.raw_domains").fetchone() == (9,)
    assert published.execute("select count(*), bool_and(is_reconciled) "
                             "from quarantine.raw_row_reconciliation").fetchone() == (13, True)
    assert published.execute("select count(*) from cxux_meta.published_build").fetchone() == (1,)


def test_the_copy_carries_the_dbt_docs(published):
    assert published.execute(
        "select comment from duckdb_tables() where schema_name = 'marts' "
        "and table_name = 'dim_customers'").fetchone() == (DIM_CUSTOMERS_DOC,)
    assert published.execute(
        "select comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'dim_customers' and column_name = 'lifetime_revenue'"
    ).fetchone() == (LIFETIME_REVENUE_DOC,)
    undocumented = published.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' "
        "and coalesce(comment, '') = ''").fetchall()
    assert undocumented == []


HOLD_WRITE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # a writer, as dbt is during a build
print("holding", flush=True)
sys.stdin.readline()
"""


def test_readers_work_while_a_build_holds_the_warehouse(demo_warehouse, published):
    expected = published.execute(
        "select period_start::varchar, value from marts.metric_values where metric_name = 'nps' "
        "and grain = 'month' and dimension_name = 'total' and is_complete_period "
        "order by period_start").fetchall()  # query reads complete periods by default
    assert len(expected) > 12
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(demo_warehouse.duckdb_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = demo_warehouse.cxux("metrics", "query", "nps", "--grain", "month",
                                     "--format", "json")
        assert [(r["period_start"], r["value"]) for r in json.loads(result.stdout)] == [
            (start, pytest.approx(value)) for start, value in expected]
        shown = demo_warehouse.cxux("metrics", "show", "nps", "--no-compile", "--format", "json")
        assert json.loads(shown.stdout)["latest"]
        for command in (("metrics", "query", "nps", "--from", "warehouse"),
                        ("metrics", "show", "nps", "--no-compile", "--from", "warehouse"),
                        ("report", "--output", "-", "--from", "warehouse")):
            failed = demo_warehouse.cxux(*command, check=False)
            assert failed.returncode == 2, command
            assert "is locked by another process" in failed.stderr, failed.stderr
            assert "IO Error" not in failed.stderr
        report = demo_warehouse.cxux("report", "--output", "-", "--as-of", demo_warehouse.as_of)
        assert "<html" in report.stdout
    finally:
        holder.kill()
        holder.wait()


def test_a_query_duckdb_cannot_run_gets_a_plain_error(demo_warehouse):
    failed = demo_warehouse.cxux("metrics", "query", "nps", "--by", "region", "--where",
                                 "region > 5", check=False)
    assert failed.returncode == 2
    assert "region" in failed.stderr
    assert "Binder Error" not in failed.stderr and "INTEGER" not in failed.stderr
