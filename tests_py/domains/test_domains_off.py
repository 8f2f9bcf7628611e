"""Domains that can be off (issue 16): an orders-only history end to end, and switched-off
domains on demo data. Expected values are worked out by hand from the fixture files and
from the metric definitions (which fact and columns each metric reads), not from cxux.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests_py.conftest import isolated_env, run_cxux

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ALL_DOMAINS = {"commerce", "subscriptions", "support", "surveys", "survey_items", "reviews",
               "product_usage", "tasks", "web_vitals"}


def _published(env: dict):
    return duckdb.connect(env["CXUX_PUBLISHED_PATH"], read_only=True)


@pytest.fixture(scope="module")
def orders_only(tmp_path_factory):
    """accounts, products, orders, order_items of 1997-98 (tests_py/fixtures/exports_orders_only):
    loaded with `cxux load`, built, checked and published with `cxux build`."""
    workdir = tmp_path_factory.mktemp("orders_only")
    env = isolated_env(workdir)
    run_cxux("load", str(FIXTURES / "exports_orders_only"), env=env)
    built = run_cxux("build", "--as-of", "1998-07-01",
                     "--vars", json.dumps({"cxux_min_timestamp": "1990-01-01"}), env=env)
    return env, built


def test_orders_only_history_builds_passes_quality_and_publishes(orders_only):
    env, built = orders_only
    assert Path(env["CXUX_PUBLISHED_PATH"]).is_file()
    assert "quality: passed" in built.stdout
    # the build summary says which domains are off and why
    assert "8 domain(s) off" in built.stdout
    assert "reviews         no raw table reviews" in built.stdout
    with _published(env) as con:
        domains = dict(con.execute(
            "select domain, is_enabled from quarantine.raw_domains").fetchall())
    assert domains == {name: name == "commerce" for name in ALL_DOMAINS}


def test_orders_only_values_worked_by_hand(orders_only):
    """June 1998, the latest complete month before as-of 1998-07-01 (orders.csv):
    O20001 ALFKI 100.00 delivered (produce P51 + beverages P01, P02), O20002 ALFKI 57.00
    shipped (beverages), O20003 ERNSH 50.00 delivered (dairy), O20004 QUICK 30.00 cancelled,
    O20005 WOLZA 40.00 delivered (beverages; WOLZA's first order: cohort June 1998).
    Completed: 100 + 57 + 50 + 40 = 247.00 over 4 orders -> average order value 61.75.
    Customers with a completed June order: ALFKI (2 days, 2 categories), ERNSH (1, 1),
    WOLZA (1, 1) -> repeat purchase 1/3, cross-sell 1/3.
    Churn (inactive after 90 days without a completed order): active at the start of June
    are ALFKI, BONAP, ERNSH, QUICK, SAVEA; BONAP's last completed order is 1998-03-14, 108
    days before June 30 -> 1 of 5 = 0.2. QUICK's June order is cancelled, but its May
    order keeps it active. CLV of the June 1998 cohort: WOLZA's 40.00 / 1 customer."""
    env, _ = orders_only
    with _published(env) as con:
        values = dict(con.execute(
            "select metric_name, value from marts.metric_values where grain = 'month' "
            "and period_start = date '1998-06-01' and dimension_name = 'total'").fetchall())
    assert values["average_order_value"] == pytest.approx(61.75)
    assert values["revenue"] == pytest.approx(247.00)
    assert values["cross_sell_rate"] == pytest.approx(1 / 3)
    assert values["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert values["customer_churn_rate"] == pytest.approx(0.2)
    assert values["clv_12m"] == pytest.approx(40.00)


def test_orders_only_metrics_of_missing_domains_are_not_configured(orders_only):
    env, _ = orders_only
    with _published(env) as con:
        availability = {name: (configured, reason) for name, configured, reason in con.execute(
            "select metric_name, is_configured, not_configured_reason "
            "from marts.metric_availability").fetchall()}
        with_values = {name for (name,) in con.execute(
            "select distinct metric_name from marts.metric_values").fetchall()}
    assert availability["nps"] == (False, "surveys is off (no raw table survey_responses)")
    assert availability["lcp_p75"][0] is False
    # contact_rate reads ticket_count of fct_customer_months: support's column
    assert availability["contact_rate"] == (False, "support is off (no raw table "
                                                   "support_tickets, ticket_events)")
    # orders and churn need only accounts and orders
    for name in ("average_order_value", "customer_churn_rate", "repeat_purchase_rate"):
        assert availability[name] == (True, None)
    not_configured = {name for name, (configured, _) in availability.items() if not configured}
    assert not (not_configured & with_values)


@pytest.fixture(scope="module")
def domains_switched_off(tmp_path_factory):
    """Demo data with four domains switched off by var: the gate must stay green."""
    workdir = tmp_path_factory.mktemp("domains_off")
    env = isolated_env(workdir)
    # scale 0.1 as the demo tests: at 0.05 some certified survey metrics have no value for
    # the latest month, which the gate rightly refuses
    run_cxux("generate", "--scale", "0.1", "--seed", "7", "--as-of", "2026-06-30", env=env)
    off = {"cxux_using_support": False, "cxux_using_reviews": False,
           "cxux_using_tasks": False, "cxux_using_web_vitals": False}
    built = run_cxux("build", "--as-of", "2026-06-30", "--vars", json.dumps(off), env=env)
    return env, built


def test_switched_off_domains_are_not_configured_and_the_gate_passes(domains_switched_off):
    env, built = domains_switched_off
    assert "quality: passed" in built.stdout
    # From the definitions in metrics/: the metrics on fct_tickets (business minutes and SLA
    # breaches included), fct_reviews and
    # fct_task_attempts, those reading a web-vital column of fct_page_views, and contact_rate
    # (ticket_count of fct_customer_months).
    expected = {
        "contact_rate", "first_reply_time_median", "first_reply_time_p90",
        "first_resolution_time_median", "full_resolution_time_median",
        "full_resolution_time_p90", "one_touch_resolution_rate", "reopen_rate", "ticket_count",
        "first_reply_business_minutes_median", "full_resolution_business_minutes_median",
        "sla_breach_rate",
        "positive_review_share", "review_rating_avg",
        "task_abandonment_rate", "task_error_rate", "task_success_rate", "time_on_task_geomean",
        "apdex", "cls_p75", "core_web_vitals_pass_rate", "fcp_p75", "inp_p75", "lcp_p75",
        "ttfb_p75",
    }
    with _published(env) as con:
        not_configured = {name for (name,) in con.execute(
            "select metric_name from marts.metric_availability where not is_configured").fetchall()}
        tickets = con.execute("select count(*) from marts.fct_tickets").fetchone()[0]
        vitals = con.execute("select count(lcp_ms) from marts.fct_page_views").fetchone()[0]
        page_views = con.execute("select count(*) from marts.fct_page_views").fetchone()[0]
        reasons = dict(con.execute("select domain, reason from quarantine.raw_domains "
                                   "where not is_enabled").fetchall())
    assert not_configured == expected
    assert tickets == 0 and vitals == 0 and page_views > 0
    assert reasons == {d: f"var cxux_using_{d} is false"
                       for d in ("support", "reviews", "tasks", "web_vitals")}


def test_report_says_which_metrics_are_not_configured(domains_switched_off, tmp_path):
    env, _ = domains_switched_off
    out = tmp_path / "report.html"
    run_cxux("report", "-o", str(out), "--as-of", "2026-06-30", env=env)
    html = out.read_text(encoding="utf-8")
    assert 'id="not-configured"' in html and "Not configured, so left out (25)" in html
    assert "var cxux_using_tasks is false" in html


def test_a_missing_raw_table_switches_its_domain_off(tmp_path):
    """Demo data without raw.reviews: the domain is off by itself (no var)."""
    env = isolated_env(tmp_path)
    run_cxux("generate", "--scale", "0.05", "--seed", "7", "--as-of", "2026-06-30", env=env)
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        con.execute("drop table raw.reviews")
    run_cxux("build", "--as-of", "2026-06-30", "--no-quality", "--no-publish",
             "-s", "raw_domains", env=env)
    with duckdb.connect(env["CXUX_DUCKDB_PATH"], read_only=True) as con:
        assert con.execute("select is_enabled, reason from quarantine.raw_domains "
                           "where domain = 'reviews'").fetchone() == (False,
                                                                      "no raw table reviews")


def test_half_a_domain_is_an_error_naming_the_missing_table(tmp_path):
    env = isolated_env(tmp_path)
    run_cxux("generate", "--scale", "0.05", "--seed", "7", "--as-of", "2026-06-30", env=env)
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        con.execute("drop table raw.ticket_events")
    result = run_cxux("build", "--as-of", "2026-06-30", "--no-quality", "--no-publish",
                      "-s", "raw_domains", env=env, check=False)
    assert result.returncode != 0
    assert "ticket_events do not exist" in result.stdout + result.stderr
    assert "cxux_using_support: false" in result.stdout + result.stderr


