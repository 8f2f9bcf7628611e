"""The Stripe adapter end to end (issue 18): the fixture in Fivetran's Stripe schema
(tests_py/fixtures/adapters/stripe/) loaded with `cxux load --source stripe`, built, checked
and published with `cxux build` (only the Stripe adapter on: subscriptions is the one domain
with data), and the values worked out by hand from the fixture files and the rules of
models/adapters/stripe/ (docs/adapters/stripe.md), not read from cxux.

MRR per item = unit_amount / 100 x quantity per month (yearly / 12, weekly x 52 / 12), or
for a tiered price the amount its tiers (tier.csv) give the quantity; invoice lines of type
subscription only, and not the negative "unused time" prorations; discounts of duration once
ignored, and a discount on the customer applies to each of its subscriptions that has none
of its own in force; a version holds from _fivetran_start, an ended one from ended_at, the
first paying version after a trial from trial_end; a subscription first seen paying (or
already ended) was paying from start_date.

sub_A (cus_A): 04-01 basic_m x 2 = 10 x 2 = 20.00 (the 50% coupon is `once`: ignored);
    06-15 proration line to pro_m x 2 = 30 x 2 = 60.00 (the -10.67 line and the one-off
    invoiceitem are not item history) -> start 20.00, upgrade 60.00.
sub_B (cus_B): 03-10 pro_y x 1 = 300 / 12 = 25.00 less 20% forever = 20.00;
    06-10 quantity 4 = 100.00 less 20% = 80.00 -> start, seat_change (same price).
sub_C (cus_C): 04-20 team_w x 3 = 7 x 3 x 52 / 12 = 91.00; cancel requested 06-02 at period
    end, ended 06-20 00:00 with feedback too_expensive -> start 91.00, cancel (price),
    product the plan left.
sub_D (cus_D): 05-05 pro_m 30.00 less 5.00 a month (repeating to 06-25) = 25.00; 06-08
    basic_m 10.00 - 5.00 = 5.00; 06-25 the discount ends: 10.00 -> start, downgrade, upgrade.
sub_E (cus_E): trial 05-20 to 06-03 (the 0.00 trial line is no revenue), paying from
    trial_end 06-03 00:00 (not Fivetran's 02:00) -> start 10.00 on 06-03.
sub_F (cus_F): 02-01 legacy plan (plan_id, no price_id) x 5 = 50.00 plus a metered item
    (0, no seats); unpaid 05-15 (a pause: cancel without reason); active again 06-12 ->
    start, cancel, reactivate 50.00.
sub_H (cus_G): one version, seen canceled on 04-01 06:00 but ended 03-10 (ended_at wins);
    paying from start_date 01-10 at 10.00; feedback switched_service -> start, cancel
    (competitor). The discount di_G was applied to one invoice (invoice_id): not read.
sub_J (cus_J): price_seats_m, monthly, volume tiers (up to 5 at 8.00 + 10.00 flat, 6-20 at
    6.00 + 20.00 flat, then 5.00): 05-01 4 seats -> 10 + 4 x 8 = 42.00; 06-16 a proration
    line bills 8 seats (the -21.00 line is not item history) -> tier 2: 20 + 8 x 6 = 68.00
    -> start 42.00, seat_change 68.00.
sub_K (cus_K): price_storage_y, yearly, graduated tiers (1-10 at 12.00 + 60.00 flat, 11-50
    at 9.00 + 12.00 flat, then 6.00): 04-15 30 units -> (60 + 10 x 12) + (12 + 20 x 9) =
    180 + 192 = 372.00 a year = 31.00 a month; cus_K's customer discount di_K (10% forever,
    no subscription) -> 27.90 -> start 27.90.
sub_L (cus_K): 05-10 pro_m 30.00 with its own discount di_L (5.00 a month, repeating to
    06-20), which overrides the customer's 10% -> 25.00; 06-20 it ends, the customer's 10%
    applies -> 27.00 -> start 25.00, upgrade 27.00.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests_py.adapters.helpers import query, reconciliation
from tests_py.conftest import isolated_env, run_cxux

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adapters" / "stripe"
AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def stripe_build(tmp_path_factory) -> dict:
    """Loaded, built, checked and published once for the module (the quality gate passes:
    the subscription metrics have values for June, and no other domain is on)."""
    workdir = tmp_path_factory.mktemp("stripe")
    env = isolated_env(workdir)
    run_cxux("load", str(FIXTURE), "--source", "stripe", env=env)
    run_cxux("build", "--as-of", AS_OF,
             "--vars", json.dumps({"cxux_adapter_stripe": True}), env=env)
    return env


def _published(env: dict, sql: str) -> list[tuple]:
    return query(env["CXUX_PUBLISHED_PATH"], sql)


def _warehouse(env: dict, sql: str) -> list[tuple]:
    return query(env["CXUX_DUCKDB_PATH"], sql)


def _month(env: dict, month: str) -> dict[str, float]:
    """The totals of one month: metric name -> value."""
    return dict(_published(env, (
        "select metric_name, value from marts.metric_values where grain = 'month' "
        f"and period_start = date '{month}' and dimension_name = 'total'")))


def _churn_reasons(env: dict, month: str) -> dict[str, float]:
    return dict(_published(env, (
        "select dimension_value, value from marts.metric_values where grain = 'month' "
        "and metric_name = 'churn_reasons' and dimension_name = 'cancel_reason' "
        f"and period_start = date '{month}'")))


def test_subscription_events_worked_by_hand(stripe_build):
    """The adapter's subscription_events (module docstring), every row; all staged."""
    rows = _warehouse(stripe_build, (
        "select subscription_event_id, product_id, event_type, "
        "strftime(occurred_at, '%m-%d %H:%M'), seats_after, cast(mrr_after as double), "
        "cancel_reason from adapters.cxux_stripe__subscription_events "
        "order by subscription_event_id"))
    assert rows == [
        ("stripe:sub_A:1", "stripe:price_basic_m", "start", "04-01 00:00", 2, 20.0, None),
        ("stripe:sub_A:2", "stripe:price_pro_m", "upgrade", "06-15 00:00", 2, 60.0, None),
        ("stripe:sub_B:1", "stripe:price_pro_y", "start", "03-10 00:00", 1, 20.0, None),
        ("stripe:sub_B:2", "stripe:price_pro_y", "seat_change", "06-10 00:00", 4, 80.0, None),
        ("stripe:sub_C:1", "stripe:price_team_w", "start", "04-20 00:00", 3, 91.0, None),
        ("stripe:sub_C:2", "stripe:price_team_w", "cancel", "06-20 00:00", 0, 0.0, "price"),
        ("stripe:sub_D:1", "stripe:price_pro_m", "start", "05-05 00:00", 1, 25.0, None),
        ("stripe:sub_D:2", "stripe:price_basic_m", "downgrade", "06-08 00:00", 1, 5.0, None),
        ("stripe:sub_D:3", "stripe:price_basic_m", "upgrade", "06-25 00:00", 1, 10.0, None),
        ("stripe:sub_E:1", "stripe:price_basic_m", "start", "06-03 00:00", 1, 10.0, None),
        ("stripe:sub_F:1", "stripe:plan_basic_legacy", "start", "02-01 00:00", 5, 50.0, None),
        ("stripe:sub_F:2", "stripe:plan_basic_legacy", "cancel", "05-15 00:00", 0, 0.0, None),
        ("stripe:sub_F:3", "stripe:plan_basic_legacy", "reactivate", "06-12 00:00", 5, 50.0,
         None),
        ("stripe:sub_H:1", "stripe:price_basic_m", "start", "01-10 00:00", 1, 10.0, None),
        ("stripe:sub_H:2", "stripe:price_basic_m", "cancel", "03-10 00:00", 0, 0.0,
         "competitor"),
        ("stripe:sub_J:1", "stripe:price_seats_m", "start", "05-01 00:00", 4, 42.0, None),
        ("stripe:sub_J:2", "stripe:price_seats_m", "seat_change", "06-16 00:00", 8, 68.0, None),
        ("stripe:sub_K:1", "stripe:price_storage_y", "start", "04-15 00:00", 30, 27.9, None),
        ("stripe:sub_L:1", "stripe:price_pro_m", "start", "05-10 00:00", 1, 25.0, None),
        ("stripe:sub_L:2", "stripe:price_pro_m", "upgrade", "06-20 00:00", 1, 27.0, None),
    ]
    # every event on its customer's account (sub_H is cus_G's, sub_L cus_K's), all in USD,
    # all in 2026
    owners = _warehouse(stripe_build, (
        "select distinct subscription_id, account_id, currency, year(occurred_at) "
        "from adapters.cxux_stripe__subscription_events"))
    assert sorted(owners) == [
        (f"stripe:sub_{sub}", f"stripe:cus_{cus}", "USD", 2026)
        for sub, cus in ["AA", "BB", "CC", "DD", "EE", "FF", "HG", "JJ", "KK", "LK"]]
    # 20 events, 9 prices as products, 9 customers as accounts: nothing quarantined
    assert reconciliation(stripe_build["CXUX_PUBLISHED_PATH"],
                          ["subscription_events", "products", "accounts"]) == {
        "subscription_events": (20, 20, 0), "products": (9, 9, 0), "accounts": (9, 9, 0)}


def test_june_retention_worked_by_hand(stripe_build):
    """June 2026 (as-of 07-01: the latest complete month). MRR at the start (the state in
    force at 06-01 00:00) and at the end (07-01 00:00) per customer:
      cus_A 20.00 -> 60.00 (upgrade 06-15)            expansion 40
      cus_B 20.00 -> 80.00 (4 seats 06-10)            expansion 60
      cus_C 91.00 -> 0 (ended 06-20, too_expensive)   churned 91, reason price
      cus_D 25.00 -> 10.00 (5.00 on 06-08, 10.00 from 06-25) contraction 15
      cus_J 42.00 -> 68.00 (8 seats 06-16, tier 2)   expansion 26
      cus_K 27.90 + 25.00 = 52.90 -> 27.90 + 27.00 = 54.90 (sub_L's own discount ended
            06-20, the customer's 10% applies)      expansion 2
      cus_E 0 -> 10.00 (new), cus_F 0 -> 50.00 (reactivated), cus_G 0 -> 0: not in the
      starting cohort.
    Cohort A, B, C, D, J, K: churn 1 / 6, retention 5 / 6.
    Start MRR 20 + 20 + 91 + 25 + 42 + 52.90 = 250.90;
    GRR = (250.90 - 91 - 15) / 250.90 = 144.90 / 250.90;
    NRR = (250.90 + 40 + 60 + 26 + 2 - 15 - 91) / 250.90 = 272.90 / 250.90 (the cohort's end
    MRR: 60 + 80 + 0 + 10 + 68 + 54.90)."""
    june = _month(stripe_build, "2026-06-01")
    assert june["customer_churn_rate"] == pytest.approx(1 / 6)
    assert june["customer_retention_rate"] == pytest.approx(5 / 6)
    assert june["gross_revenue_retention"] == pytest.approx(144.90 / 250.90)
    assert june["net_revenue_retention"] == pytest.approx(272.90 / 250.90)
    assert _churn_reasons(stripe_build, "2026-06-01") == {"price": pytest.approx(1.0)}


def test_earlier_months_pause_and_backdated_end(stripe_build):
    """May: cohort cus_A 20, cus_B 20, cus_C 91, cus_F 50, cus_K 27.90 (sub_K since 04-15;
    cus_D starts 05-05 and cus_J at 05-01 00:00: new); cus_F's subscription is unpaid from
    05-15 (a cancel without reason) -> churn 1 / 5; cus_K's second subscription sub_L (25.00
    from 05-10) is expansion: 27.90 -> 52.90. Start MRR 181 + 27.90 = 208.90;
    GRR = (208.90 - 50) / 208.90 = 158.90 / 208.90;
    NRR = (20 + 20 + 91 + 0 + 52.90) / 208.90 = 183.90 / 208.90; cus_F's reason is not set.
    April: cus_A starts at 04-01 00:00 exactly (an event at the 1st opens its month, so A is
    new in April), cus_K on 04-15 (new); cohort cus_B 20, cus_F 50, nobody lost -> churn 0,
    GRR 70 / 70 = 1.
    March: cus_B starts 03-10 (new); cohort cus_F 50 and cus_G 10 (sub_H, paying from
    01-10); sub_H ended 03-10 though Fivetran saw it only on 04-01 -> churn 1 / 2,
    GRR (60 - 10) / 60, reason competitor (switched_service)."""
    may = _month(stripe_build, "2026-05-01")
    assert may["customer_churn_rate"] == pytest.approx(1 / 5)
    assert may["gross_revenue_retention"] == pytest.approx(158.90 / 208.90)
    assert may["net_revenue_retention"] == pytest.approx(183.90 / 208.90)
    assert _churn_reasons(stripe_build, "2026-05-01") == {"(not set)": pytest.approx(1.0)}
    april = _month(stripe_build, "2026-04-01")
    assert april["customer_churn_rate"] == pytest.approx(0.0)
    assert april["gross_revenue_retention"] == pytest.approx(1.0)
    march = _month(stripe_build, "2026-03-01")
    assert march["customer_churn_rate"] == pytest.approx(0.5)
    assert march["gross_revenue_retention"] == pytest.approx(50 / 60)
    assert _churn_reasons(stripe_build, "2026-03-01") == {"competitor": pytest.approx(1.0)}


def test_prices_as_products_and_customers_as_accounts(stripe_build):
    """price.csv: a nickname names the plan, else product name and interval; list_price in
    major units per billing interval; the one-time setup price is no subscription; a tiered
    price has no unit_amount, so no list price.
    customer.csv: each customer is an account named stripe:<id> (no external id key set),
    country upper-cased."""
    products = {row[0]: row[1:] for row in _published(stripe_build, (
        "select product_id, product_name, category, is_subscription, "
        "cast(list_price as double) from marts.dim_products"))}
    assert products == {
        "stripe:price_basic_m": ("Basic (monthly)", "Basic", True, 10.0),
        "stripe:plan_basic_legacy": ("Basic (legacy plan)", "Basic", True, 10.0),
        "stripe:price_pro_m": ("Pro monthly", "Pro", True, 30.0),
        "stripe:price_pro_y": ("Pro yearly", "Pro", True, 300.0),
        "stripe:price_team_w": ("Team (weekly)", "Team", True, 7.0),
        "stripe:price_api_metered": ("API calls", "API", True, 0.05),
        "stripe:price_setup": ("Onboarding", "Onboarding", False, 150.0),
        "stripe:price_seats_m": ("Seats (monthly)", "Seats", True, None),
        "stripe:price_storage_y": ("Storage yearly", "Storage", True, None),
    }
    accounts = dict(_warehouse(stripe_build, (
        "select account_id, country_code from staging.stg_raw__accounts")))
    assert accounts == {"stripe:cus_A": "GB", "stripe:cus_B": "DE", "stripe:cus_C": "US",
                        "stripe:cus_D": "FR", "stripe:cus_E": "US", "stripe:cus_F": "NL",
                        "stripe:cus_G": "IE", "stripe:cus_J": "FI", "stripe:cus_K": "SE"}
