"""Shopify adapter (issue 18) end to end: the fixture in Fivetran's Shopify schema
(tests_py/fixtures/adapters/shopify/), the adapter, `cxux build`, and metric values worked out
by hand from the fixture files and the metric definitions (metrics/cx/orders.yml,
metrics/cx/retention.yml), not from cxux.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from tests_py.conftest import REPO, isolated_env, run_cxux

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adapters"
DUCKDB_TYPES = {"string": "varchar", "integer": "bigint", "decimal": "decimal(18, 2)",
                "double": "double", "boolean": "boolean", "timestamp": "timestamp"}


def load_system(env: dict, system: str) -> None:
    """Load tests_py/fixtures/adapters/<system>/<table>.csv into schema <system>, each column
    cast to the type models/adapters/<system>/_<system>__sources.yml declares (a stand-in for
    `cxux load DIR --source <system>` until that exists)."""
    sources = yaml.safe_load(
        (REPO / "models" / "adapters" / system / f"_{system}__sources.yml").read_text())
    (source,) = sources["sources"]
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        con.execute(f'create schema if not exists "{system}"')
        for table in source["tables"]:
            path = FIXTURES / system / f"{table['name']}.csv"
            assert path.is_file(), f"fixture {path} is missing"
            columns = ", ".join(
                f'cast(nullif("{column["name"]}", \'\') as {DUCKDB_TYPES[column["data_type"]]})'
                f' as "{column["name"]}"' for column in table["columns"])
            con.execute(f'create or replace table "{system}"."{table["name"]}" as select '
                        f"{columns} from read_csv(?, header = true, all_varchar = true)",
                        [str(path)])


def published(env: dict):
    return duckdb.connect(env["CXUX_PUBLISHED_PATH"], read_only=True)


AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def shopify_build(tmp_path_factory):
    """The Shopify fixture loaded into schema `shopify`, built with only the Shopify adapter on
    (no raw schema: every other domain is off), checked and published."""
    workdir = tmp_path_factory.mktemp("shopify")
    env = isolated_env(workdir)
    load_system(env, "shopify")
    built = run_cxux("build", "--as-of", AS_OF,
                     "--vars", json.dumps({"cxux_adapter_shopify": True}), env=env)
    return env, built


def test_shopify_june_commerce_metrics_worked_by_hand(shopify_build):
    """June 2026, the latest complete month before as-of 2026-07-01 (fixture order.csv,
    order_line.csv, refund.csv, order_line_refund.csv, order_adjustment.csv).

    Orders that count as completed (not cancelled, not returned), order_total net of refunds:
      5010 Alice 06-03 120.00 - 10.00 discount (total_discounts 15.00: 5.00 of
           it on shipping, not revenue; subtotal_price 110.00)        = 110.00
      5011 Alice 06-03 (same day, iphone)                               =  20.00
      5012 Alice 06-20 165.00 - 3.00 - 14.00 refunded socks - 5.00
                       refund discrepancy (partially_refunded: still an order) = 143.00
      5014 guest ' BOB@example.com ' -> customer Bob, 06-25 (draft order) =  95.00
      5015 Carol 06-02 210.00 - 120.00 jacket refunded in full            =  90.00
      5016 Carol 06-15 pending (placed) 90.00 shoe + 10.00 custom item    = 100.00
      5018 Erin  06-14 authorized (placed)                                =  20.00
      5019 guest Gina (own account 'guest:...'), 06-08, app id -> partner =  15.00
    Left out: 5013 Bob refunded in full (returned), 5017 Erin cancelled, 5022 Dan voided
    (cancelled), 5021 a test order, 5023 deleted in Shopify, 5020 a guest without email
    (quarantined: account_id missing).
    revenue = 110 + 20 + 143 + 95 + 90 + 100 + 20 + 15 = 593.00; AOV = 593 / 8 = 74.125.
    Repeat purchase: buyers Alice (days 3 and 20), Bob (25), Carol (2 and 15), Erin (14),
    Gina (8) -> 2 / 5 = 0.4.
    Cross-sell (categories of the lines kept): Alice Footwear, Accessories, uncategorized
    (blank product_type), Outerwear -> yes; Bob Footwear; Carol Footwear only (the jacket
    was refunded, the custom item has no product); Erin uncategorized; Gina Accessories
    -> 1 / 5 = 0.2.
    CLV 12m of the June cohort (first completed order in June): Carol 190.00, Erin 20.00,
    Gina 15.00 -> 225 / 3 = 75.00.
    Churn (no completed order in 90 days): active at June 1 are Dan (03-05, 88 days), Alice
    (05-10), Bob (05-20); at July 1 Dan's last completed order is 118 days old (his June
    order was voided) -> 1 / 3."""
    env, _ = shopify_build
    with published(env) as con:
        values = dict(con.execute(
            "select metric_name, value from marts.metric_values where grain = 'month' "
            "and period_start = date '2026-06-01' and dimension_name = 'total'").fetchall())
    assert values["revenue"] == pytest.approx(593.00)
    assert values["average_order_value"] == pytest.approx(74.125)
    assert values["repeat_purchase_rate"] == pytest.approx(0.4)
    assert values["cross_sell_rate"] == pytest.approx(0.2)
    assert values["clv_12m"] == pytest.approx(75.00)
    assert values["customer_churn_rate"] == pytest.approx(1 / 3)
    with published(env) as con:
        (discount,) = con.execute(
            "select discount_total from marts.fct_orders where order_id = 'shopify:5010'"
        ).fetchone()
    assert float(discount) == pytest.approx(10.00)  # the lines' discount, not shipping's


def test_shopify_rows_that_cannot_map_are_quarantined_with_reasons(shopify_build):
    """The guest order without email (5020) has no account; the custom line item (7020) has
    no product; 5020's own line (7024) then points at no accepted order."""
    env, _ = shopify_build
    with duckdb.connect(env["CXUX_DUCKDB_PATH"], read_only=True) as con:
        rows = sorted(con.execute(
            "select table_name, row_id, reasons from quarantine.quarantine_raw_rows").fetchall())
    assert rows == [
        ("order_items", "shopify:7020", "order_items.product_id is missing (required)"),
        ("order_items", "shopify:7024",
         "order_items.order_id: 'shopify:5020' has no accepted orders row"),
        ("orders", "shopify:5020", "orders.account_id is missing (required)"),
    ]
