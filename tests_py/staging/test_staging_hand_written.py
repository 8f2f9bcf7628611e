"""The staging layer against small hand-written raw tables (raw_fixture.py).

Every planted bad row must be quarantined with exactly the reasons written down by hand,
every good row must be staged, and the counts must reconcile.
"""

from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from .raw_fixture import AS_OF, EXPECTED_REASONS, RAW_ROWS, create_raw_tables
from .staging_build import build_staging, staging_env


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staging_hand_written")
    env = staging_env(workdir)
    create_raw_tables(workdir / "cxux.duckdb")
    build_staging(env, AS_OF)
    run_results = json.loads((workdir / "target" / "run_results.json").read_text())
    statuses = {result["unique_id"]: result["status"] for result in run_results["results"]}
    connection = duckdb.connect(str(workdir / "cxux.duckdb"), read_only=True)
    yield connection, statuses
    connection.close()


def test_build_ran_the_unit_tests_and_reconciliation_tests(warehouse):
    _, statuses = warehouse
    unit_tests = {uid: status for uid, status in statuses.items() if uid.startswith("unit_test.")}
    assert len(unit_tests) == 4 and set(unit_tests.values()) == {"pass"}, unit_tests
    reconciliation_tests = {
        uid: status for uid, status in statuses.items()
        if uid.startswith("test.") and "reconcil" in uid
    }
    assert len(reconciliation_tests) >= 2 and set(reconciliation_tests.values()) == {"pass"}


def test_quarantine_holds_exactly_the_planted_rows_with_all_their_reasons(warehouse):
    connection, _ = warehouse
    rows = connection.execute(
        "select table_name, row_id, reasons from quarantine.quarantine_raw_rows"
    ).fetchall()
    quarantined = {(table, row_id): reasons.split("; ") for table, row_id, reasons in rows}
    assert len(rows) == len(quarantined), "one rejected copy per planted key expected"
    assert quarantined == EXPECTED_REASONS


def test_counts_reconcile_for_every_table(warehouse):
    connection, _ = warehouse
    rows = connection.execute(
        "select table_name, raw_rows, staged_rows, quarantined_rows, is_reconciled"
        " from quarantine.raw_row_reconciliation"
    ).fetchall()
    assert {table: raw for table, raw, *_ in rows} == RAW_ROWS
    planted = {}
    for table, _ in EXPECTED_REASONS:
        planted[table] = planted.get(table, 0) + 1
    for table, raw, staged, quarantined, is_reconciled in rows:
        assert quarantined == planted.get(table, 0), table
        assert staged == raw - quarantined, table
        assert is_reconciled is True, table


def test_latest_version_wins(warehouse):
    connection, _ = warehouse
    assert connection.execute(
        "select status from staging.stg_raw__orders where order_id = 'O-4'"
    ).fetchall() == [("delivered",)]
    assert connection.execute(
        "select segment, account_name from staging.stg_raw__accounts where account_id = 'A-1'"
    ).fetchall() == [("mid_market", "Acme GmbH")]
    assert connection.execute(
        "select cast(received_at as varchar) from staging.stg_raw__page_views where page_view_id = 'PV-2'"
    ).fetchall() == [("2024-05-03 09:00:00",)]
    # no version column and two different copies: the one first as JSON text is kept
    assert connection.execute(
        "select product_name from staging.stg_raw__products where product_id = 'P-3'"
    ).fetchall() == [("Alpha",)]


def test_pii_is_hashed_dropped_or_scrubbed(warehouse):
    connection, _ = warehouse
    accounts = dict(
        connection.execute("select account_id, email_hash from staging.stg_raw__accounts").fetchall()
    )
    # A-1's kept version has ' Alice@Example.com ': trimmed and lower-cased before hashing.
    assert accounts["A-1"] == hashlib.sha256(b"alice@example.com").hexdigest()
    assert accounts["A-3"] is None
    names = dict(
        connection.execute("select account_id, account_name from staging.stg_raw__accounts").fetchall()
    )
    assert names == {"A-1": "Acme GmbH", "A-2": None, "A-3": None, "A-5": None}
    columns = {
        (table, column)
        for table, column in connection.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'staging' and table_name like 'stg_raw__%'"
        ).fetchall()
    }
    assert not {column for _, column in columns} & {"email", "comment"}
    comment = connection.execute(
        "select comment_scrubbed from staging.stg_raw__survey_responses where response_id = 'R-1'"
    ).fetchone()[0]
    assert comment == "Great! Mail me at [email] or call [phone] after 2024-06-01."


def test_region_comes_from_the_country(warehouse):
    connection, _ = warehouse
    regions = dict(connection.execute("select account_id, region from staging.stg_raw__accounts").fetchall())
    # A-1 has country 'de' (lower case), A-3 none.
    assert regions == {"A-1": "europe", "A-2": "north_america", "A-3": "unknown", "A-5": "asia_pacific"}
    users = dict(connection.execute("select user_id, region from staging.stg_raw__users").fetchall())
    assert users == {"U-1": "europe", "U-2": "middle_east_africa"}


def test_staging_columns_have_contract_types(warehouse):
    connection, _ = warehouse
    types = dict(
        connection.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'staging' and table_name = 'stg_raw__reviews'"
        ).fetchall()
    )
    # rating is varchar in this raw table; staging casts it to the contract's integer
    assert types["rating"] == "BIGINT"
    assert types["posted_at"] == "TIMESTAMP"


def test_raw_row_is_the_raw_row_as_json(warehouse):
    connection, _ = warehouse
    raw_row = connection.execute(
        "select raw_row from quarantine.quarantine_raw_rows where table_name = 'reviews' and row_id = 'RV-3'"
    ).fetchone()[0]
    assert json.loads(raw_row) == {
        "review_id": "RV-3", "account_id": None, "product_id": "P-1", "platform": "trustpilot",
        "rating": "five", "is_verified_purchase": False, "posted_at": "2024-05-12 00:00:00",
    }
