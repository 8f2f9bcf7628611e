"""Two adapters that feed the same contract tables, end to end (issue 18): Shopify and Stripe
both give `products` and accounts; Zendesk and Delighted both give `survey_responses`; Segment
and Snowplow both give `page_views` and `events`. Staging then reads the UNION ALL of their outputs by
column name (cxux_adapter_relation), and the identity crosswalk holds the customers of both.
The fixtures are those of test_shopify.py and test_stripe.py (no email in common, so no
customer is merged across the two); the values below are worked out by hand from those
modules' worked examples, combined.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests_py.adapters.helpers import query, reconciliation
from tests_py.conftest import isolated_env, run_cxux

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"
AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def shop_and_billing(tmp_path_factory) -> dict:
    """Both fixtures loaded, built with both adapters on, checked and published."""
    workdir = tmp_path_factory.mktemp("shopify_stripe")
    env = isolated_env(workdir)
    for system in ("shopify", "stripe"):
        run_cxux("load", str(FIXTURES / system), "--source", system, env=env)
    run_cxux("build", "--as-of", AS_OF, "--vars", json.dumps(
        {"cxux_adapter_shopify": True, "cxux_adapter_stripe": True}), env=env)
    return env


def _published(env: dict, sql: str) -> list[tuple]:
    return query(env["CXUX_PUBLISHED_PATH"], sql)


def test_products_and_accounts_of_both_systems(shop_and_billing):
    """products: 9 Stripe prices + 5 Shopify products = 14; accounts: 9 Stripe customers +
    Shopify's 5 customers and the guest Gina (the guest ' BOB@example.com ' is customer Bob)
    = 15; nothing of either quarantined (Shopify's 3 rejects are orders and order lines)."""
    assert reconciliation(shop_and_billing["CXUX_PUBLISHED_PATH"],
                          ["products", "accounts", "subscription_events"]) == {
        "products": (14, 14, 0), "accounts": (15, 15, 0), "subscription_events": (20, 20, 0)}
    systems = dict(_published(shop_and_billing, (
        "select split_part(product_id, ':', 1), count(*) from marts.dim_products group by 1")))
    assert systems == {"shopify": 5, "stripe": 9}


def test_june_metrics_pool_buyers_and_subscribers(shop_and_billing):
    """June 2026.
    Orders are Shopify's alone: revenue 593.00, AOV 593 / 8 = 74.125 (test_shopify).
    Churn cohort (active at June 1): Stripe subscribers with MRR cus_A, cus_B, cus_C, cus_D,
    cus_J, cus_K and Shopify buyers with a completed order in the 90 days before: Alice
    (05-10), Bob (05-20), Dan (03-05) -> 9. Lost by July 1: cus_C (ended 06-20) and Dan (last
    completed order 118 days old) -> 2 / 9; churn_reasons: cus_C price, Dan no cancel event
    (not set) -> 1/2 each.
    GRR and NRR read MRR only: the buyers have none -> 144.90 / 250.90 and 272.90 / 250.90
    (test_stripe).
    CLV 12m of the June cohort (first completed order or subscription event in June): Carol
    190.00, Erin 20.00, Gina 15.00 and the subscriber cus_E (0: order revenue only) ->
    225 / 4 = 56.25."""
    june = dict(_published(shop_and_billing, (
        "select metric_name, value from marts.metric_values where grain = 'month' "
        "and period_start = date '2026-06-01' and dimension_name = 'total'")))
    assert june["revenue"] == pytest.approx(593.00)
    assert june["average_order_value"] == pytest.approx(74.125)
    assert june["customer_churn_rate"] == pytest.approx(2 / 9)
    assert june["gross_revenue_retention"] == pytest.approx(144.90 / 250.90)
    assert june["net_revenue_retention"] == pytest.approx(272.90 / 250.90)
    assert june["clv_12m"] == pytest.approx(225 / 4)
    reasons = dict(_published(shop_and_billing, (
        "select dimension_value, value from marts.metric_values where grain = 'month' "
        "and period_start = date '2026-06-01' and metric_name = 'churn_reasons' "
        "and dimension_name = 'cancel_reason'")))
    assert reasons == {"price": pytest.approx(0.5), "(not set)": pytest.approx(0.5)}


@pytest.fixture(scope="module")
def help_desk_and_surveys(tmp_path_factory) -> dict:
    """Zendesk and Delighted loaded and built together: both feed `survey_responses` (Zendesk's
    satisfaction ratings as CSAT, Delighted's NPS, CSAT and CES answers). Zendesk's fixture is
    of January 2024 and Delighted's of June 2026, so at an as-of of 2026-07-01 the support
    metrics have no value for the latest month: the gate refuses to publish, as it must for a
    help desk that stopped sending tickets, and the build's own DuckDB file is read."""
    workdir = tmp_path_factory.mktemp("zendesk_delighted")
    env = isolated_env(workdir)
    for system in ("zendesk", "delighted"):
        run_cxux("load", str(FIXTURES / system), "--source", system, env=env)
    result = run_cxux("build", "--as-of", AS_OF, "--vars", json.dumps({
        "cxux_adapter_zendesk": True, "cxux_adapter_delighted": True,
        "cxux_using_commerce": False, "cxux_using_subscriptions": False,
        "cxux_using_reviews": False, "cxux_using_product_usage": False,
        "cxux_using_survey_items": False}), env=env, check=False)
    return dict(env, returncode=result.returncode, output=result.stdout + result.stderr)


def test_survey_responses_of_both_systems_are_one_union(help_desk_and_surveys):
    """survey_responses: Zendesk's 5 answered ratings (tickets 1001, 1002, 1003, 1007, 1008;
    test_zendesk) + Delighted's 24 responses, of which r18, r22 and r23 are quarantined
    (test_delighted) -> raw 29, staged 26, quarantined 3. Each system keeps its own answers."""
    path = help_desk_and_surveys["CXUX_DUCKDB_PATH"]
    assert reconciliation(path, ["survey_responses"]) == {"survey_responses": (29, 26, 3)}
    by_system = {(system, survey_type): count for system, survey_type, count in query(path, (
        "select split_part(response_id, ':', 1), survey_type, count(*) "
        "from marts.fct_survey_responses group by all"))}
    assert by_system == {("zendesk", "csat"): 5, ("delighted", "csat"): 5,
                         ("delighted", "nps"): 13, ("delighted", "ces"): 3}


def test_csat_of_each_month_is_its_system_s(help_desk_and_surveys):
    """CSAT January 2024 = Zendesk's 3 good of 5 rated (test_zendesk); June 2026 = Delighted's
    3 top-box answers of 5 (test_delighted). The union changes neither."""
    csat = {month.isoformat(): (value, sample) for month, value, sample in query(
        help_desk_and_surveys["CXUX_DUCKDB_PATH"], (
            "select period_start, value, sample_size from marts.metric_values "
            "where metric_name = 'csat' and grain = 'month' and dimension_name = 'total'"))}
    assert csat == {"2024-01-01": (pytest.approx(0.6), 5), "2026-06-01": (pytest.approx(0.6), 5)}


def test_the_gate_refuses_support_metrics_that_stopped(help_desk_and_surveys):
    """The tickets end in January 2024: the certified support metrics had values and have none
    for June 2026, so the gate fails and nothing is published."""
    assert help_desk_and_surveys["returncode"] != 0
    output = help_desk_and_surveys["output"]
    assert "every certified metric has a total for the latest complete period" in output
    assert "first_reply_time_median" in output
    assert "the published marts were left unchanged" in output
    assert not Path(help_desk_and_surveys["CXUX_PUBLISHED_PATH"]).exists()


@pytest.fixture(scope="module")
def two_trackers(tmp_path_factory) -> dict:
    """Segment and Snowplow (shredded layout) loaded and built together, with the one raw
    accounts row both fixtures carry (the same row: loaded once), checked and published."""
    workdir = tmp_path_factory.mktemp("segment_snowplow")
    env = isolated_env(workdir)
    for system in ("segment", "snowplow"):
        run_cxux("load", str(FIXTURES / system), "--source", system, env=env)
    run_cxux("load", str(FIXTURES / "segment" / "raw"), env=env)
    run_cxux("build", "--as-of", AS_OF, "--vars", json.dumps(
        {"cxux_adapter_segment": True, "cxux_adapter_snowplow": True}), env=env)
    return env


def test_page_views_events_and_sessions_of_both_trackers(two_trackers):
    """Page views: Segment 15 rows, 14 staged, p04's second delivery quarantined
    (test_segment) + Snowplow's 5 (test_snowplow) -> (20, 19, 1). Events: Segment (18, 16, 2)
    + Snowplow (9, 8, 1) -> (27, 24, 3). Sessions: Segment's 9 + Snowplow's 3, each keyed by
    its system."""
    path = two_trackers["CXUX_PUBLISHED_PATH"]
    assert reconciliation(path, ["page_views", "events"]) == {
        "page_views": (20, 19, 1), "events": (27, 24, 3)}
    sessions = dict(_published(two_trackers, (
        "select split_part(session_id, ':', 1), count(*) from marts.fct_sessions group by 1")))
    assert sessions == {"segment": 9, "snowplow": 3}


def test_june_usage_metrics_pool_both_trackers(two_trackers):
    """Task attempts with a start in June: Segment 6 (success t02, t07, att-2; abandoned t08,
    att-1; failure t04, with error t05) and Snowplow 2 (success e07; abandoned att-1, with
    error e15) -> success 4/8, abandonment 3/8, error 2/8. Attempt ids keep their system, so
    the two att-1 stay apart. LCP comes from Snowplow alone (Segment records none):
    [1800, 3100] -> p75 2775 (test_snowplow, before its late load)."""
    june = dict(_published(two_trackers, (
        "select metric_name, value from marts.metric_values where grain = 'month' "
        "and period_start = date '2026-06-01' and dimension_name = 'total'")))
    assert june["task_success_rate"] == pytest.approx(4 / 8)
    assert june["task_abandonment_rate"] == pytest.approx(3 / 8)
    assert june["task_error_rate"] == pytest.approx(2 / 8)
    assert june["lcp_p75"] == pytest.approx(2775)
    attempts = set(dict(_published(two_trackers, (
        "select task_attempt_id, outcome from marts.fct_task_attempts"))))
    assert {"segment:att-1", "snowplow:att-1"} <= attempts
