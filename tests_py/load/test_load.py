"""`cxux load`: expected values are written by hand from the fixture files, never read back
from the loader's own output."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from cxux_cli.cli import main
from cxux_cli.errors import CxuxError
from cxux_cli.load import LoadError, load_directory
from cxux_cli.project import Project

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests_py" / "fixtures" / "exports_minimal"

# Counted by hand in tests_py/fixtures/exports_minimal (data rows, header excluded).
MINIMAL_ROWS = {
    "accounts": 3,
    "users": 6,
    "products": 3,
    "orders": 4,
    "order_items": 5,
    "subscription_events": 4,
    "support_tickets": 3,
    "ticket_events": 10,
    "survey_responses": 8,
    "survey_item_answers": 12,
    "reviews": 3,
    "page_views": 4,
    "events": 5,
}

ORDERS_HEADER = (
    "order_id,account_id,placed_by_user_id,ordered_at,channel,status,currency,"
    "order_total,discount_total,updated_at"
)


def folder(tmp_path: Path, name: str, copy: tuple[str, ...] = (), **files: str) -> Path:
    """An export folder: some minimal fixture files copied, others written from text."""
    path = tmp_path / name
    path.mkdir()
    for table in copy:
        shutil.copy(MINIMAL / f"{table}.csv", path / f"{table}.csv")
    for file_name, text in files.items():
        (path / file_name.replace("__", ".")).write_text(text)
    return path


def query(project: Project, sql: str) -> list[tuple]:
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(project: Project) -> dict[str, list[tuple]]:
    return {t: query(project, f"select * from raw.{t} order by all") for t in MINIMAL_ROWS}


def problems_of(excinfo) -> list[str]:
    return str(excinfo.value).splitlines()[1:]


# --- a good folder ---------------------------------------------------------


def test_minimal_folder_loads_every_table_with_exact_counts(project):
    report = load_directory(project, MINIMAL)
    assert {t.table: t.rows_loaded for t in report.tables} == MINIMAL_ROWS
    assert {t.table: t.rows_in_table for t in report.tables} == MINIMAL_ROWS
    for table, rows in MINIMAL_ROWS.items():
        assert query(project, f"select count(*) from raw.{table}") == [(rows,)]


def test_columns_get_the_contract_types_in_contract_order(project):
    load_directory(project, MINIMAL)
    described = query(project, "select column_name, column_type from (describe raw.order_items)")
    assert described == [
        ("order_item_id", "VARCHAR"),
        ("order_id", "VARCHAR"),
        ("product_id", "VARCHAR"),
        ("quantity", "BIGINT"),
        ("unit_price", "DECIMAL(18,2)"),
        ("discount", "DECIMAL(18,2)"),
        # which load added the row (for `cxux load --undo`); staging reads columns by name
        ("_cxux_load_id", "BIGINT"),
    ]
    assert query(project, "select * from raw.order_items where order_item_id = 'oi4'") == [
        ("oi4", "o3", "p1", 3, Decimal("999.00"), Decimal("50.00"), 1)
    ]
    # empty CSV fields are nulls; booleans and timestamps are typed
    assert query(
        project,
        "select account_id, is_account_owner, signup_at from raw.users where user_id = 'u6'",
    ) == [(None, False, datetime(2024, 3, 1, 12, 0))]
    assert query(
        project,
        "select lcp_ms, cls from raw.page_views where page_view_id in ('pv3', 'pv4') order by 1",
    ) == [
        (4200.0, 0.3),
        (None, None),
    ]
    # a quoted field keeps its comma
    comment = query(project, "select comment from raw.survey_responses where response_id = 'r2'")
    assert comment == [("Too expensive, mail me at chidi@example.org or call +44 20 7946 0958",)]


def test_timestamps_are_iso_8601_and_offsets_are_converted_to_utc(project, tmp_path):
    rows = "\n".join(
        f"o{i},a1,,{ts},web,paid,USD,1.00,,2024-03-10T00:00:00Z"
        for i, ts in enumerate(
            [
                "2024-03-10T08:30:00Z",
                "2024-03-10T08:30:00+02:00",
                "2024-03-10 08:30:00.5-0130",
                "2024-03-10T08:30:00",
                "2024-03-10",
                "2024-03-10T08:30+05",
            ]
        )
    )
    load_directory(project, folder(tmp_path, "ts", orders__csv=f"{ORDERS_HEADER}\n{rows}\n"))
    assert query(project, "select order_id, ordered_at from raw.orders order by order_id") == [
        ("o0", datetime(2024, 3, 10, 8, 30)),
        ("o1", datetime(2024, 3, 10, 6, 30)),
        ("o2", datetime(2024, 3, 10, 10, 0, 0, 500000)),
        ("o3", datetime(2024, 3, 10, 8, 30)),
        ("o4", datetime(2024, 3, 10, 0, 0)),
        ("o5", datetime(2024, 3, 10, 3, 30)),
    ]


def test_booleans_accept_true_false_t_f_1_0_yes_no_in_any_case(project, tmp_path):
    words = ["true", "FALSE", "t", "F", "1", "0", "Yes", "no", ""]
    rows = "\n".join(f"p{i},P,c,{w},1.00,USD," for i, w in enumerate(words))
    header = "product_id,product_name,category,is_subscription,list_price,currency,launched_at"
    load_directory(project, folder(tmp_path, "bools", products__csv=f"{header}\n{rows}\n"))
    values = query(project, "select is_subscription from raw.products order by product_id")
    assert [v for (v,) in values] == [True, False, True, False, True, False, True, False, None]


# --- errors ---------------------------------------------------------------


def test_unknown_table_is_an_error_naming_the_file(project, tmp_path):
    path = folder(tmp_path, "unknown", copy=("accounts",), refunds__csv="refund_id\nr1\n")
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        (
            "  refunds.csv: no raw table named 'refunds' in the contract (expected one of: accounts, "
            "users, products, orders, order_items, subscription_events, support_tickets, "
            "ticket_events, survey_responses, survey_item_answers, reviews, page_views, events)"
        )
    ]
    assert excinfo.value.exit_code == 2
    assert not project.duckdb_path.exists()


def test_missing_and_extra_columns_are_errors(project, tmp_path):
    path = folder(
        tmp_path,
        "columns",
        order_items__csv="order_item_id,order_id,product_id,quantity,unit_price\noi1,o1,p1,1,9.99\n",
        reviews__csv=(
            "review_id,account_id,product_id,platform,rating,is_verified_purchase,posted_at,title\n"
            "rv1,a1,p1,site,5,true,2024-01-12T08:00:00Z,Great\n"
        ),
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  order_items.csv: missing columns: discount",
        (
            "  reviews.csv: columns not in the contract for reviews: title "
            "(remove them, or pass --allow-extra-columns to leave them out)"
        ),
    ]


def test_allow_extra_columns_leaves_them_out(project, tmp_path):
    path = folder(
        tmp_path,
        "extra",
        reviews__csv=(
            "title,review_id,account_id,product_id,platform,rating,is_verified_purchase,posted_at\n"
            "Great,rv1,a1,p1,site,5,true,2024-01-12T08:00:00Z\n"
        ),
    )
    load_directory(project, path, allow_extra_columns=True)
    assert query(project, "select * from raw.reviews") == [
        ("rv1", "a1", "p1", "site", 5, True, datetime(2024, 1, 12, 8, 0), 1)  # load 1
    ]


def test_bad_values_name_file_physical_line_column_row_id_and_value(project, tmp_path):
    orders = (
        f"{ORDERS_HEADER}\n"
        'o1,a1,u1,2024-01-06T10:00:00Z,web,delivered,USD,"1,078.90",0.00,2024-01-09T15:00:00Z\n'
        'o2,a2,u2,2024-01-25T19:00:00Z,"app\nsecond line",paid,USD,149.80,10.00,2024-01-25T19:01:00Z\n'
        "\n"
        "o3,a3,u4,2024-02-30T11:00:00Z,phone,shipped,USD,2947.00,50.00,yesterday\n"
    )
    products = (
        "product_id,product_name,category,is_subscription,list_price,currency,launched_at\n"
        "p1,Laptop,hardware,maybe,999.00,USD,2023-09-01T00:00:00Z\n"
    )
    answers = "response_id,item_number,answer\nr6,1,4\nr6,3,4.5\n"
    path = folder(
        tmp_path,
        "values",
        orders__csv=orders,
        products__csv=products,
        survey_item_answers__csv=answers,
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        (
            "  products.csv line 2, column is_subscription, row id p1: 'maybe' is not a boolean "
            "(use true/false, t/f, 1/0 or yes/no)"
        ),
        "  orders.csv line 2, column order_total, row id o1: '1,078.90' is not a decimal number",
        # o2 spans lines 3-4 and line 5 is blank, so o3 is on physical line 6
        (
            "  orders.csv line 6, column ordered_at, row id o3: '2024-02-30T11:00:00Z' is not an "
            "ISO 8601 timestamp (e.g. 2024-05-01T13:45:00Z)"
        ),
        (
            "  orders.csv line 6, column updated_at, row id o3: 'yesterday' is not an "
            "ISO 8601 timestamp (e.g. 2024-05-01T13:45:00Z)"
        ),
        # a composite primary key is shown joined with '|'
        "  survey_item_answers.csv line 3, column answer, row id r6|3: '4.5' is not an integer",
    ]
    assert (
        str(excinfo.value).splitlines()[0]
        == f"cannot load {path}: 5 problem(s), nothing was loaded"
    )


def test_problems_are_capped_per_file_with_the_total_counted(project, tmp_path):
    rows = "\n".join(f"oi{i},o1,p1,x{i},1.00,0" for i in range(1, 26))
    header = "order_item_id,order_id,product_id,quantity,unit_price,discount"
    path = folder(tmp_path, "many", order_items__csv=f"{header}\n{rows}\n")
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    lines = problems_of(excinfo)
    assert len(lines) == 21
    assert (
        lines[0] == "  order_items.csv line 2, column quantity, row id oi1: 'x1' is not an integer"
    )
    assert (
        lines[19]
        == "  order_items.csv line 21, column quantity, row id oi20: 'x20' is not an integer"
    )
    assert lines[20] == "  ... and 5 more problem(s) in order_items.csv"


def test_malformed_csv_names_the_line(project, tmp_path):
    path = folder(
        tmp_path,
        "malformed",
        order_items__csv=(
            "order_item_id,order_id,product_id,quantity,unit_price,discount\n"
            "oi1,o1,p1,1,1.00,0\n"
            "oi2,o1,p1,1,1.00,0,surplus\n"
        ),
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        (
            "  order_items.csv line 3: Expected Number of Columns: 6 Found: 7 "
            "(line: oi2,o1,p1,1,1.00,0,surplus)"
        )
    ]


def test_two_files_for_one_table_and_an_empty_folder(project, tmp_path):
    path = folder(tmp_path, "twice", copy=("accounts",))
    with gzip.open(path / "accounts.csv.gz", "wt") as handle:
        handle.write((MINIMAL / "accounts.csv").read_text())
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  accounts.csv and accounts.csv.gz: 2 files for table accounts; keep one"
    ]
    empty = folder(tmp_path, "empty", README__md="not data\n")
    with pytest.raises(CxuxError, match="no export files"):
        load_directory(project, empty)


# --- atomicity and modes ---------------------------------------------------


def test_a_bad_load_leaves_the_raw_schema_exactly_as_it_was(project, tmp_path):
    load_directory(project, MINIMAL)
    before = snapshot(project)
    # accounts.csv is fine (one row), orders.csv has one bad value: nothing may change
    path = folder(
        tmp_path,
        "half_bad",
        accounts__csv=(
            "account_id,account_type,account_name,email,segment,country_code,"
            "acquisition_channel,created_at,updated_at\n"
            "a9,individual,New,new@example.com,consumer,US,organic,2024-05-01T00:00:00Z,"
            "2024-05-01T00:00:00Z\n"
        ),
        orders__csv=f"{ORDERS_HEADER}\no9,a9,,2024-05-01T00:00:00Z,web,paid,USD,ten,,2024-05-01T00:00:00Z\n",
    )
    with pytest.raises(LoadError):
        load_directory(project, path)
    assert snapshot(project) == before


def test_a_failure_while_writing_rolls_back_every_table(project, tmp_path):
    load_directory(project, MINIMAL)
    # the warehouse's orders table lost a column: appending orders fails after accounts
    with duckdb.connect(str(project.duckdb_path)) as con:
        con.execute("alter table raw.orders drop column discount_total")
    before = snapshot(project)
    path = folder(tmp_path, "append", copy=("accounts", "orders"))
    with pytest.raises(CxuxError) as excinfo:
        # reload: the same files are loaded already and would otherwise be skipped
        load_directory(project, path, reload=True)
    message = str(excinfo.value)
    assert message.startswith(f"could not write raw.orders in {project.duckdb_path}: ")
    assert message.endswith("the transaction was rolled back, nothing was changed")
    assert snapshot(project) == before


def test_append_adds_rows_and_leaves_tables_without_a_file_alone(project, tmp_path):
    load_directory(project, MINIMAL)
    path = folder(
        tmp_path,
        "daily",
        orders__csv=f"{ORDERS_HEADER}\no5,a2,u2,2024-04-01T09:00:00Z,app,paid,USD,12.00,,2024-04-01T09:00:00Z\n",
    )
    report = load_directory(project, path)  # append is the default
    assert [(t.table, t.rows_loaded, t.rows_in_table) for t in report.tables] == [("orders", 1, 5)]
    assert query(project, "select order_id from raw.orders order by 1") == [
        ("o1",),
        ("o2",),
        ("o3",),
        ("o4",),
        ("o5",),
    ]
    assert query(project, "select count(*) from raw.accounts") == [(3,)]


def test_replace_replaces_only_tables_with_a_file(project, tmp_path):
    load_directory(project, MINIMAL)
    path = folder(
        tmp_path,
        "replace",
        orders__csv=f"{ORDERS_HEADER}\no5,a2,u2,2024-04-01T09:00:00Z,app,paid,USD,12.00,,2024-04-01T09:00:00Z\n",
    )
    # 1 row for 4: fewer than half, so the shrink must be allowed explicitly
    load_directory(project, path, mode="replace", allow_shrink=True)
    assert query(project, "select order_id from raw.orders") == [("o5",)]
    assert query(project, "select count(*) from raw.order_items") == [(5,)]


def test_check_only_reads_everything_and_writes_nothing(project):
    report = load_directory(project, MINIMAL, check_only=True)
    assert {t.table: t.rows_loaded for t in report.tables} == MINIMAL_ROWS
    assert not project.duckdb_path.exists()


def test_the_raw_schema_comes_from_cxux_raw_schema(project, tmp_path, monkeypatch):
    monkeypatch.setenv("CXUX_RAW_SCHEMA", "landing")
    load_directory(project, folder(tmp_path, "schema", copy=("accounts",)))
    assert query(project, "select count(*) from landing.accounts") == [(3,)]


# --- other formats ----------------------------------------------------------


def test_gzipped_csv_loads(project, tmp_path):
    path = tmp_path / "gz"
    path.mkdir()
    with gzip.open(path / "orders.csv.gz", "wt") as handle:
        handle.write((MINIMAL / "orders.csv").read_text())
    report = load_directory(project, path)
    assert [(t.table, t.file, t.rows_loaded) for t in report.tables] == [
        ("orders", "orders.csv.gz", 4)
    ]
    assert query(project, "select order_total from raw.orders where order_id = 'o3'") == [
        (Decimal("2947.00"),)
    ]


def test_gzipped_csv_errors_name_the_line(project, tmp_path):
    path = tmp_path / "gzbad"
    path.mkdir()
    text = "response_id,item_number,answer\nr6,1,4\nr6,two,4\n"
    with gzip.open(path / "survey_item_answers.csv.gz", "wt") as handle:
        handle.write(text)
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        (
            "  survey_item_answers.csv.gz line 3, column item_number, row id r6|two: "
            "'two' is not an integer"
        )
    ]


def test_parquet_with_typed_columns_loads_and_converts(project, tmp_path):
    path = tmp_path / "parquet"
    path.mkdir()
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"""
            copy (
                select
                    'pv1' as page_view_id, 'u1' as user_id, 'anon1' as anonymous_id,
                    's1' as session_id,
                    timestamptz '2024-03-01 12:00:00+02' as occurred_at,
                    timestamp '2024-03-01 10:00:01' as received_at,
                    'web' as platform, 'desktop' as device_type, '/home' as page_path,
                    1800 as lcp_ms, 150.5::float as inp_ms, 0.05 as cls,
                    null::double as fcp_ms, '300' as ttfb_ms
            ) to '{path / "page_views.parquet"}' (format parquet)
            """
        )
    report = load_directory(project, path)
    assert [(t.table, t.rows_loaded) for t in report.tables] == [("page_views", 1)]
    assert query(
        project,
        "select occurred_at, received_at, lcp_ms, inp_ms, cls, fcp_ms, ttfb_ms from raw.page_views",
    ) == [
        (
            datetime(2024, 3, 1, 10, 0),
            datetime(2024, 3, 1, 10, 0, 1),
            1800.0,
            150.5,
            0.05,
            None,
            300.0,
        )
    ]


def test_parquet_errors_name_the_row(project, tmp_path):
    path = tmp_path / "parquetbad"
    path.mkdir()
    with duckdb.connect() as con:
        con.execute(
            f"""
            copy (
                select * from (values
                    ('oi1', 'o1', 'p1', 1.0, 999.0, 0.0),
                    ('oi2', 'o1', 'p2', 1.5, 79.9, 0.0)
                ) as t(order_item_id, order_id, product_id, quantity, unit_price, discount)
            ) to '{path / "order_items.parquet"}' (format parquet)
            """
        )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  order_items.parquet row 2, column quantity, row id oi2: '1.5' is not an integer"
    ]


# --- the warehouse lock and the command line ---------------------------------


def test_a_locked_warehouse_is_reported_plainly(project):
    project.duckdb_path.parent.mkdir(parents=True)
    duckdb.connect(str(project.duckdb_path)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
                "time.sleep(30)"
            ),
            str(project.duckdb_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(CxuxError) as excinfo:
            load_directory(project, MINIMAL)
    finally:
        holder.kill()
        holder.wait()
    message = str(excinfo.value)
    assert message.startswith(f"the warehouse {project.duckdb_path} is in use by another process (")
    assert f"PID {holder.pid})" in message
    assert "Close that program" in message and message.endswith("Nothing was loaded.")
    time.sleep(0.1)
    assert load_directory(project, MINIMAL).tables  # works once the other process is gone


def test_cli_reports_rows_as_json_and_exits_2_on_bad_input(project, tmp_path, capsys):
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL), "--format", "json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["mode"] == "append" and output["schema"] == "raw"
    assert output["load_id"] == 1
    assert {t["table"]: t["rows_in_table"] for t in output["tables"]} == MINIMAL_ROWS

    bad = folder(tmp_path, "cli_bad", refunds__csv="refund_id\nr1\n")
    assert main(["--project-dir", str(REPO), "load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"error: cannot load {bad}: 1 problem(s), nothing was loaded" in err
    assert "refunds.csv: no raw table named 'refunds'" in err


def test_cli_table_format_reload_and_the_removed_mode_option(project, capsys):
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["table", "file", "rows_loaded", "rows_in_table", "status"]
    assert lines[1].split() == ["accounts", "accounts.csv", "3", "3", "loaded"]
    assert len(lines) == 14
    # the same folder again: every file is skipped (already loaded by load 1)
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == [
        "accounts", "accounts.csv", "0", "3", "skipped", "(already", "loaded", "by", "load", "1)"
    ]
    # --reload loads them again on purpose: 3 + 3 accounts
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL), "--reload"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["accounts", "accounts.csv", "3", "6", "loaded"]
    assert len(lines) == 14
    # --mode is gone: a usage error that says what to use instead
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL), "--mode", "append"]) == 2
    assert "--mode was removed: appending is now the default; use --replace" in (
        capsys.readouterr().err
    )
    assert main(["--project-dir", str(REPO), "load", str(MINIMAL), "--allow-shrink"]) == 2
    assert "Error: --allow-shrink only applies with --replace" in capsys.readouterr().err
    assert main(["--project-dir", str(REPO), "load"]) == 2
    assert "Error: give the folder to load (or --list, or --undo ID)" in capsys.readouterr().err


def test_unterminated_quote_and_bad_encoding_name_the_line(project, tmp_path):
    path = folder(tmp_path, "broken")
    header = "order_item_id,order_id,product_id,quantity,unit_price,discount\n"
    (path / "order_items.csv").write_text(header + 'oi1,o1,p1,1,"1.00,0\n')
    (path / "reviews.csv").write_bytes(
        b"review_id,account_id,product_id,platform,rating,is_verified_purchase,posted_at\n"
        b"rv1,a1,p1,site,5,true,2024-01-12T08:00:00Z\n"
        b"rv2,a1,p1,\xff\xfe,5,true,2024-01-12T08:00:00Z\n"
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        (
            "  order_items.csv line 2: Value with unterminated quote found. "
            '(line: oi1,o1,p1,1,"1.00,0)'
        ),
        (
            "  reviews.csv line 3: Invalid unicode (byte sequence mismatch) detected. This file is "
            "not utf-8 encoded. (line: rv2,a1,p1,??,5,true,2024-01-12T08:00:00Z)"
        ),
    ]


def test_another_delimiter(project, tmp_path):
    path = folder(
        tmp_path,
        "semicolon",
        survey_item_answers__csv='response_id;item_number;answer\nr6;1;4\n"r;7";2;x\n',
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path, delimiter=";")
    assert problems_of(excinfo) == [
        "  survey_item_answers.csv line 3, column answer, row id r;7|2: 'x' is not an integer"
    ]
    with pytest.raises(CxuxError, match="--delimiter must be one character"):
        load_directory(project, path, delimiter=";;")
