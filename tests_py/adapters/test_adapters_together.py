"""Two adapters that feed the same contract tables, end to end (issue 18): Shopify and Stripe
both give `products` and accounts. Staging then reads the UNION ALL of their outputs by
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
