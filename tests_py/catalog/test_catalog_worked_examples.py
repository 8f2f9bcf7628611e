"""Every catalog metric against values worked out by hand on a tiny raw data set,
tests_py/fixtures/catalog_small (exports_minimal plus a few rows; see
tests_py/fixtures/README.md), loaded with `cxux load` and built once. Each
expectation is the total slice of metric_values for one grain and period, with
the arithmetic in the comment. Customers: a1 individual (orders only), a2 household
(subscription 2024-02-10, cancelled 2024-04-10 for `price`), a3 business
(subscription from 2024-02-01, 5 then 8 seats).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cxux_cli.metrics.catalog import load_definitions

REPO = Path(__file__).resolve().parents[2]

# (metric, grain, period_start, expected value); None = a row whose value is null.
EXPECTED = [
    # ---- surveys (fct_survey_responses) --------------------------------------------
    # NPS counts one answer per respondent per wave (METRICS_REFERENCE): u1 answered wave
    # nps-2024q1 twice, r12 = 6 (Jan 30) and r1 = 9 (Feb 15); only the later r1 counts, so
    # January has no NPS answer at all (test_nps_keeps_the_latest_answer_per_wave).
    # NPS February: r1 = 9, r11 = 10 (promoters), r2 = 3 (detractor) -> 100 * (2 - 1) / 3
    ("nps", "month", "2024-02-01", 100 / 3),
    # NPS Q1 and 2024: the same three answers -> 100 / 3
    ("nps", "quarter", "2024-01-01", 100 / 3),
    ("nps", "year", "2024-01-01", 100 / 3),
    # NPS change February: January has no NPS, so there is nothing to compare with
    ("nps_change", "month", "2024-02-01", None),
    # CSAT January: r3 = 5, r5 = 4, r9 = 2 -> 2 of 3 answers are 4-5
    ("csat", "month", "2024-01-01", 2 / 3),
    ("csat", "quarter", "2024-01-01", 2 / 3),
    # CES February: r4 = 6, r10 = 3 on 1-7 -> 1 of 2 answered 5-7; mean (6 + 3) / 2 = 4.5
    ("ces", "month", "2024-02-01", 0.5),
    ("ces_mean", "month", "2024-02-01", 4.5),
    ("ces_mean", "quarter", "2024-01-01", 4.5),
    # SUS r6 (February): items 4,2,4,1,5,2,4,2,5,1 -> (17 + 17) * 2.5 = 85
    ("sus_score", "month", "2024-02-01", 85.0),
    # UMUX-Lite r7 (March): items 6, 5 -> (6 + 5 - 2) * 100 / 12 = 75
    ("umux_lite_score", "month", "2024-03-01", 75.0),
    # ... on the SUS scale: 0.65 * 75 + 22.9 = 71.65
    ("umux_lite_sus_equivalent", "month", "2024-03-01", 71.65),
    # in-app rating r8 (March, free user u6): 4
    ("in_app_rating_avg", "month", "2024-03-01", 4.0),
    # ---- customer months (fct_customer_months) -------------------------------------
    # Active at start: Feb {a1 (order 01-06)}; Mar {a1, a2 (MRR 12), a3 (MRR 60)};
    # Apr {a1, a2, a3}. In April a1 lapses (last completed order 01-06, > 90 days by
    # May 1) and a2 cancels -> 2 of 3 churn; none before.
    ("customer_churn_rate", "month", "2024-02-01", 0.0),
    ("customer_churn_rate", "month", "2024-03-01", 0.0),
    ("customer_churn_rate", "month", "2024-04-01", 2 / 3),
    ("customer_retention_rate", "month", "2024-04-01", 1 / 3),
    # annualised: 1 - (1 - 2/3)^12 = 1 - (1/3)^12
    ("customer_churn_rate_annualised", "month", "2024-04-01", 1 - (1 / 3) ** 12),
    ("customer_churn_rate_annualised", "month", "2024-03-01", 0.0),
    # churn reasons is a share of total: the total slice is all churned customers over
    # themselves (2 / 2 = 1; a1 and a2 in April, nobody else all year); the reasons are
    # in test_churn_reasons_slices
    ("churn_reasons", "month", "2024-04-01", 1.0),
    ("churn_reasons", "quarter", "2024-04-01", 1.0),
    ("churn_reasons", "year", "2024-01-01", 1.0),
    # MRR March: start a3 60 + a2 12 = 72; a3 expands by 36 on 03-01.
    # GRR = (72 - 0 - 0) / 72 = 1; NRR = (72 + 36) / 72 = 1.5
    ("gross_revenue_retention", "month", "2024-03-01", 1.0),
    ("net_revenue_retention", "month", "2024-03-01", 1.5),
    # April: start a3 96 + a2 12 = 108; a2 churns 12 -> (108 - 12) / 108 for both
    ("gross_revenue_retention", "month", "2024-04-01", 96 / 108),
    ("net_revenue_retention", "month", "2024-04-01", 96 / 108),
    # CLV 12m by acquisition cohort. January cohort a1 (o1 1078.90; o4 returned, not
    # counted) and a2 (o2 149.80): 1228.70 / 2 = 614.35. February cohort a3 (o3 2947.00
    # + o5 999.00): 3946.00. Q1 and 2024: 5174.70 / 3 = 1724.90
    ("clv_12m", "month", "2024-01-01", 614.35),
    ("clv_12m", "month", "2024-02-01", 3946.00),
    ("clv_12m", "quarter", "2024-01-01", 1724.90),
    ("clv_12m", "year", "2024-01-01", 1724.90),
    # Repeat purchase: January a1 and a2 one completed order each -> 0 of 2;
    # February a3 o3 (02-03) and o5 (02-20), two purchase days -> 1 of 1
    ("repeat_purchase_rate", "month", "2024-01-01", 0.0),
    ("repeat_purchase_rate", "month", "2024-02-01", 1.0),
    # Contact rate = tickets / customers active at start or end of the month.
    # Jan: t1 / {a1} (a2's subscription starts in February) = 1; Feb: t2 / {a1, a2, a3};
    # Mar: t3 + t4 / {a1, a2, a3}; Apr: 0 / 3; Q1: 4 tickets / 3 customers
    ("contact_rate", "month", "2024-01-01", 1.0),
    ("contact_rate", "month", "2024-02-01", 1 / 3),
    ("contact_rate", "month", "2024-03-01", 2 / 3),
    ("contact_rate", "month", "2024-04-01", 0.0),
    ("contact_rate", "quarter", "2024-01-01", 4 / 3),
    # ---- orders (fct_orders) -------------------------------------------------------
    # completed orders: o1 1078.90 + o2 149.80 (January), o3 2947.00 + o5 999.00
    # (February); o4 is returned. AOV Jan 1228.70 / 2; Feb 3946.00 / 2; Q1 5174.70 / 4
    ("average_order_value", "month", "2024-01-01", 614.35),
    ("average_order_value", "month", "2024-02-01", 1973.00),
    ("average_order_value", "quarter", "2024-01-01", 1293.675),
    # o1 on Saturday 2024-01-06 is in the week starting Monday 2024-01-01
    ("average_order_value", "week", "2024-01-01", 1078.90),
    ("revenue", "day", "2024-01-06", 1078.90),
    ("revenue", "month", "2024-02-01", 3946.00),
    ("revenue", "quarter", "2024-01-01", 5174.70),
    ("revenue", "year", "2024-01-01", 5174.70),
    # cross-sell: o1 has hardware + accessories (a1); a2 only accessories -> Jan 1 of 2;
    # a3 only hardware (o3 and o5) -> Feb 0 of 1
    ("cross_sell_rate", "month", "2024-01-01", 0.5),
    ("cross_sell_rate", "month", "2024-02-01", 0.0),
    # ---- support (fct_tickets) -----------------------------------------------------
    # t1 (Jan): reply 90, solved 240, one public agent comment. t2 (Feb): reply 60 (the
    # first agent comment is private), first solve 1140, reopened, last solve 4200, one
    # public agent comment. t3 (Mar): no reply, open. t4 (Mar): reply 30, solved 120,
    # two public agent comments.
    ("first_reply_time_median", "month", "2024-01-01", 90.0),
    ("first_reply_time_median", "day", "2024-02-05", 60.0),
    ("first_reply_time_median", "week", "2024-03-04", 30.0),
    # Q1 replies 90, 60, 30 (t3 left out, not zero) -> median 60
    ("first_reply_time_median", "quarter", "2024-01-01", 60.0),
    # nearest rank of 0.9 over 3 values: rank ceil(2.7) = 3 -> 90
    ("first_reply_time_p90", "quarter", "2024-01-01", 90.0),
    ("first_reply_time_p90", "month", "2024-03-01", 30.0),
    ("first_reply_time_p90", "week", "2024-02-05", 60.0),
    # first solves 240, 1140, 120 -> median 240
    ("first_resolution_time_median", "quarter", "2024-01-01", 240.0),
    # full resolution: t2 (Feb) 4200; Q1 240, 4200, 120 -> median 240, p90 rank 3 -> 4200
    ("full_resolution_time_median", "month", "2024-02-01", 4200.0),
    ("full_resolution_time_median", "quarter", "2024-01-01", 240.0),
    ("full_resolution_time_median", "week", "2024-01-08", 240.0),
    ("full_resolution_time_p90", "quarter", "2024-01-01", 4200.0),
    ("full_resolution_time_p90", "month", "2024-03-01", 120.0),
    # solved at least once: t1, t2, t4; reopened: t2 -> 1 of 3
    ("reopen_rate", "quarter", "2024-01-01", 1 / 3),
    ("reopen_rate", "month", "2024-02-01", 1.0),
    ("reopen_rate", "week", "2024-03-04", 0.0),
    # solved: t1, t2 (closed), t4; exactly one public agent comment: t1, t2 -> 2 of 3
    ("one_touch_resolution_rate", "quarter", "2024-01-01", 2 / 3),
    ("one_touch_resolution_rate", "month", "2024-03-01", 0.0),
    ("one_touch_resolution_rate", "week", "2024-01-08", 1.0),
    ("ticket_count", "month", "2024-03-01", 2.0),
    ("ticket_count", "day", "2024-01-08", 1.0),
    ("ticket_count", "week", "2024-03-04", 1.0),
    # ---- reviews (fct_reviews) -----------------------------------------------------
    # rv1 5 (Jan), rv3 4 and rv2 2 (Feb): Feb mean 3, Q1 mean 11 / 3; 4-5 stars Feb 1 of 2,
    # Q1 2 of 3
    ("review_rating_avg", "month", "2024-02-01", 3.0),
    ("review_rating_avg", "quarter", "2024-01-01", 11 / 3),
    ("positive_review_share", "month", "2024-02-01", 0.5),
    ("positive_review_share", "quarter", "2024-01-01", 2 / 3),
    # ---- tasks (fct_task_attempts), all on 2024-02-03 by u5 ---------------------------
    # ta1 success (180 s, error E42 inside), ta2 failure (error E17 inside), ta3 abandoned,
    # ta4 incomplete (no end event), ta5 success (120 s)
    # success: 2 of 5 attempts
    ("task_success_rate", "month", "2024-02-01", 0.4),
    ("task_success_rate", "week", "2024-01-29", 0.4),
    ("task_success_rate", "quarter", "2024-01-01", 0.4),
    # abandoned: 1 of 5 (the incomplete attempt is not abandoned)
    ("task_abandonment_rate", "month", "2024-02-01", 0.2),
    # at least one error: ta1, ta2 -> 2 of 5
    ("task_error_rate", "month", "2024-02-01", 0.4),
    # successful attempts only: sqrt(180 * 120) = sqrt(21600)
    ("time_on_task_geomean", "month", "2024-02-01", 21600 ** 0.5),
    # ---- engagement (fct_user_days, fct_feature_usage) -----------------------------
    # active days: u5 02-03; u6 03-01 (signed up that day; pv1 stitched to u6); u1 03-05
    ("dau", "day", "2024-03-05", 1.0),
    # 28 days ending 03-01 = (02-02, 03-01]: u5 and u6; ending 03-05: u6 and u1
    ("mau_28d", "day", "2024-03-01", 2.0),
    ("mau_28d", "day", "2024-03-05", 2.0),
    # ending 03-02 = (02-03, 03-02]: u5's 02-03 falls out -> u6 only
    ("mau_28d", "day", "2024-03-02", 1.0),
    ("stickiness", "day", "2024-03-05", 0.5),
    # new users / active users: March u6 of {u6, u1}; Q1 u6 of {u5, u6, u1}; 03-01 1 of 1
    ("adoption_rate", "month", "2024-03-01", 0.5),
    ("adoption_rate", "quarter", "2024-01-01", 1 / 3),
    ("adoption_rate", "day", "2024-03-01", 1.0),
    ("adoption_rate", "week", "2024-01-29", 0.0),
    # feature_used: u5 search 02-03 (ev14); u1 export and search 03-05 (ev2, ev15). search
    # is available from February (first use 02-03), export from March (first use 03-05).
    # Eligible user-months (fct_user_feature_months): Feb u5 for search; Mar u1 and u6 for
    # search and export. Feb: u5 used search -> 1 of 1; Mar: u1 of {u1, u6} -> 1 / 2;
    # Q1: {u5, u1} of {u5, u1, u6} -> 2 / 3 (per feature: test_feature_adoption_slices)
    ("feature_adoption_rate", "month", "2024-02-01", 1.0),
    ("feature_adoption_rate", "month", "2024-03-01", 0.5),
    ("feature_adoption_rate", "quarter", "2024-01-01", 2 / 3),
    # first uses: u5 search (Feb), u1 export and u1 search (both 03-05, week of 03-04)
    ("feature_new_adopters", "month", "2024-02-01", 1.0),
    ("feature_new_adopters", "month", "2024-03-01", 2.0),
    ("feature_new_adopters", "week", "2024-03-04", 2.0),
    ("feature_new_adopters", "quarter", "2024-01-01", 3.0),
    # ---- web vitals (fct_page_views), March: pv1, pv2, pv3 measured; pv4 (Feb) not --------
    # continuous p75 of 3 values = value at position 1.5 (0-based): v2 + 0.5 (v3 - v2)
    # LCP 1800, 2600, 4200 -> 2600 + 0.5 * 1600 = 3400
    ("lcp_p75", "month", "2024-03-01", 3400.0),
    # 03-01 only: 1800, 2600 -> 1800 + 0.75 * 800 = 2400
    ("lcp_p75", "day", "2024-03-01", 2400.0),
    ("lcp_p75", "week", "2024-02-26", 2400.0),
    # INP 150, 250, 600 -> 250 + 0.5 * 350 = 425
    ("inp_p75", "month", "2024-03-01", 425.0),
    ("inp_p75", "day", "2024-03-05", 600.0),
    ("inp_p75", "week", "2024-03-04", 600.0),
    # CLS 0.05, 0.12, 0.3 -> 0.12 + 0.5 * 0.18 = 0.21
    ("cls_p75", "month", "2024-03-01", 0.21),
    ("cls_p75", "day", "2024-03-01", 0.1025),
    ("cls_p75", "week", "2024-03-04", 0.3),
    # FCP 900, 1500, 3200 -> 2350; TTFB 300, 700, 1900 -> 1300
    ("fcp_p75", "month", "2024-03-01", 2350.0),
    ("fcp_p75", "day", "2024-03-05", 3200.0),
    ("fcp_p75", "week", "2024-02-26", 1350.0),
    ("ttfb_p75", "month", "2024-03-01", 1300.0),
    ("ttfb_p75", "day", "2024-03-01", 600.0),
    ("ttfb_p75", "week", "2024-03-04", 1900.0),
    # all three good: pv1 only -> 1 of 3
    ("core_web_vitals_pass_rate", "month", "2024-03-01", 1 / 3),
    ("core_web_vitals_pass_rate", "day", "2024-03-01", 0.5),
    ("core_web_vitals_pass_rate", "week", "2024-03-04", 0.0),
    # Apdex T = 2500 ms: pv1 1800 satisfied, pv2 2600 and pv3 4200 tolerating (<= 10000)
    # -> (1 + 2 / 2) / 3
    ("apdex", "month", "2024-03-01", 2 / 3),
    ("apdex", "day", "2024-03-01", 0.75),
    ("apdex", "week", "2024-03-04", 0.5),
    # ---- across the bridge (fct_account_seat_months) -------------------------------
    # paid seats at month end: Feb a3 5 + a2 1 = 6, active users u5 (a3) -> 1 / 6;
    # Mar a3 8 + a2 1 = 9, no seat holder active (u1 is a1's, which has no seats) -> 0;
    # Q1: 1 / 15
    ("seat_utilisation", "month", "2024-02-01", 1 / 6),
    ("seat_utilisation", "month", "2024-03-01", 0.0),
    ("seat_utilisation", "quarter", "2024-01-01", 1 / 15),
    # customers active at month end with an active user: Jan {a1}: none active -> 0;
    # Feb {a1, a2, a3}: a3 -> 1/3; Mar: a1 (u1 03-05) -> 1/3; Apr {a3}: none -> 0
    ("account_adoption_rate", "month", "2024-01-01", 0.0),
    ("account_adoption_rate", "month", "2024-02-01", 1 / 3),
    ("account_adoption_rate", "month", "2024-03-01", 1 / 3),
    ("account_adoption_rate", "month", "2024-04-01", 0.0),
]


@pytest.fixture(scope="module")
def values(catalog_small_warehouse):
    rows = catalog_small_warehouse.query("""
        select metric_name, grain, cast(period_start as varchar), value
        from marts.metric_values
        where dimension_name = 'total'
    """)
    return {(name, grain, start): value for name, grain, start, value in rows}


# Worked examples that need another configuration than catalog_small's build.
WORKED_ELSEWHERE = {"ces_1_mean": "tests_py/surveys/test_ces_scales.py",
                    # need Zendesk's schedules and SLA policies (the adapter's fixture)
                    "first_reply_business_minutes_median": "tests_py/adapters/test_zendesk.py",
                    "full_resolution_business_minutes_median": "tests_py/adapters/test_zendesk.py",
                    "sla_breach_rate": "tests_py/adapters/test_zendesk.py"}


def test_every_catalog_metric_has_a_worked_example():
    names = {d["name"] for d in load_definitions(REPO).definitions}
    assert names - {metric for metric, *_ in EXPECTED} - set(WORKED_ELSEWHERE) == set()


@pytest.mark.parametrize(("metric", "grain", "period_start", "expected"), EXPECTED,
                         ids=[f"{m}-{g}-{p}" for m, g, p, _ in EXPECTED])
def test_worked_example(values, metric, grain, period_start, expected):
    key = (metric, grain, period_start)
    assert key in values, f"no total row for {metric} at {grain} {period_start}"
    if expected is None:
        assert values[key] is None
    else:
        assert values[key] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_nps_keeps_the_latest_answer_per_wave(values):
    # r12 (January) is superseded by the same respondent's later answer to the same wave
    assert ("nps", "month", "2024-01-01") not in values


def test_churn_reasons_slices(catalog_small_warehouse):
    # April's two churned customers: a2 cancelled for price; a1 lapsed without a cancel
    # -> price 1 / 2 = 0.5, no reason 1 / 2 = 0.5 in the NULL slice '(not set)' (numerator
    # the reason's churned customers, denominator all churned customers, sample size the
    # total's 2); '(' sorts before 'p'
    rows = catalog_small_warehouse.query("""
        select dimension_value, value, numerator, denominator, sample_size
        from marts.metric_values
        where metric_name = 'churn_reasons' and grain = 'month'
            and period_start = date '2024-04-01' and dimension_name = 'cancel_reason'
        order by dimension_value
    """)
    assert rows == [("(not set)", 0.5, 1.0, 2.0, 2), ("price", 0.5, 1.0, 2.0, 2)]


def test_nps_crossed_by_segment_and_region_through_query(catalog_small_warehouse):
    # February's latest NPS answers: r1 = 9 (a1 consumer, US -> north_america), r2 = 3
    # (a2 consumer, GB -> europe), r11 = 10 (a3 smb, DE -> europe); one answer per cell:
    # europe|consumer 100 * (0 - 1) / 1 = -100, europe|smb 100, north_america|consumer 100
    import json

    out = catalog_small_warehouse.cxux("metrics", "query", "nps", "--grain", "month",
                                       "--by", "segment", "--by", "region",
                                       "--until", "2024-02-01", "--format", "json",
                                       "--from", "warehouse")
    rows = [(r["period_start"], r["segment"], r["region"], r["value"], r["sample_size"])
            for r in json.loads(out)]
    assert rows == [
        ("2024-02-01", "consumer", "europe", -100.0, 1),
        ("2024-02-01", "smb", "europe", 100.0, 1),
        ("2024-02-01", "consumer", "north_america", 100.0, 1),
    ]


def test_insufficient_samples_are_flagged(catalog_small_warehouse):
    # NPS February has 3 answers, below min_sample 50: flagged, value still shown
    rows = catalog_small_warehouse.query("""
        select status, is_sample_sufficient, sample_size from marts.metric_values
        where metric_name = 'nps' and grain = 'month' and period_start = date '2024-02-01'
            and dimension_name = 'total'
    """)
    assert rows == [("insufficient_sample", False, 3)]


class _Slices:
    """metric_values slices of one dimension as [(value, value, numerator, denominator)],
    ordered by dimension value; compares equal to expected rows with numbers approximate."""

    def __init__(self, rows):
        self.rows = rows

    def __eq__(self, expected):
        return (len(self.rows) == len(expected)
                and all(row[0] == want[0] and list(row[1:]) == pytest.approx(list(want[1:]),
                                                                          rel=1e-9, abs=1e-9)
                        for row, want in zip(self.rows, expected)))

    def __repr__(self):
        return repr(self.rows)


def _slices(warehouse, metric, grain, period_start, dimension):
    return _Slices(warehouse.query("""
        select dimension_value, value, numerator, denominator
        from marts.metric_values
        where metric_name = ? and grain = ? and period_start = cast(? as date)
            and dimension_name = ?
        order by dimension_value
    """, [metric, grain, period_start, dimension]))


def test_feature_adoption_slices(catalog_small_warehouse):
    # Eligibility per feature. Q1 search: eligible u5 (Feb), u1 and u6 (Mar), used by u5 and
    # u1 -> 2 / 3. Q1 export: eligible u1 and u6 (Mar) only: u5 was active only in
    # February, before export's first use -> 1 / 2 (every active user of Q1 eligible would
    # give 1 / 3). March: search 1 / 2 (u1), export 1 / 2 (u1).
    assert _slices(catalog_small_warehouse, "feature_adoption_rate", "quarter", "2024-01-01",
                   "feature") == [("export", 0.5, 1.0, 2.0), ("search", 2 / 3, 2.0, 3.0)]
    assert _slices(catalog_small_warehouse, "feature_adoption_rate", "month", "2024-03-01",
                   "feature") == [("export", 0.5, 1.0, 2.0), ("search", 0.5, 1.0, 2.0)]
    # crossed with platform: in March u1 and u6 were both on web
    assert _slices(catalog_small_warehouse, "feature_adoption_rate", "month", "2024-03-01",
                   "feature|platform") == [("export|web", 0.5, 1.0, 2.0),
                                           ("search|web", 0.5, 1.0, 2.0)]


def test_metrics_sliced_by_plan(catalog_small_warehouse):
    # The month's plan (fct_customer_months.plan): a2 and a3 are on p3 "Pro plan (per seat)";
    # a1 orders only -> no_subscription. April churn: a1 lapses (1 of 1 no_subscription),
    # a2 cancels: the plan it left is still its April plan -> 1 of 2 on the Pro plan.
    assert _slices(catalog_small_warehouse, "customer_churn_rate", "month", "2024-04-01",
                   "plan") == [("Pro plan (per seat)", 0.5, 1.0, 2.0),
                               ("no_subscription", 1.0, 1.0, 1.0)]
    # April GRR: the Pro plan holds all MRR at start (a3 96 + a2 12 = 108), a2 churns 12
    assert _slices(catalog_small_warehouse, "gross_revenue_retention", "month", "2024-04-01",
                   "plan") == [("Pro plan (per seat)", 96 / 108, 96.0, 108.0)]
    # February seat utilisation: all paid seats are on the Pro plan (a3 5 + a2 1), u5 active
    assert _slices(catalog_small_warehouse, "seat_utilisation", "month", "2024-02-01",
                   "plan") == [("Pro plan (per seat)", 1 / 6, 1.0, 6.0)]
    # NPS by the plan in force at the answer (fct_survey_responses.plan), February's latest
    # answers: r11 = 10 (a3) and r2 = 3 (a2, 02-16, subscribed since 02-10) on the Pro plan
    # -> 100 * (1 - 1) / 2 = 0; r1 = 9 (a1, no subscription) -> 100 * 1 / 1
    assert _slices(catalog_small_warehouse, "nps", "month", "2024-02-01",
                   "plan") == [("Pro plan (per seat)", 0.0, 0.0, 2.0),
                               ("no_subscription", 100.0, 1.0, 1.0)]
    # March account adoption: active at end a1 (u1 active 03-05) and a2, a3 (no active
    # user) -> no_subscription 1 of 1, Pro plan 0 of 2
    assert _slices(catalog_small_warehouse, "account_adoption_rate", "month", "2024-03-01",
                   "plan") == [("Pro plan (per seat)", 0.0, 0.0, 2.0),
                               ("no_subscription", 1.0, 1.0, 1.0)]
