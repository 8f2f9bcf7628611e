"""Parquet is checked as strictly as CSV, nothing is rounded, and bad files get plain
errors. Expected messages are written by hand from the files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from cxux_cli.cli import main
from cxux_cli.errors import CxuxError
from cxux_cli.load import LoadError, load_directory
from tests_py.load.test_load import ORDERS_HEADER, REPO, folder, problems_of, query

TOO_MANY = (
    "has more than 2 decimal places (contract type decimal(18, 2)); cxux does not round: "
    "correct the value or round it in the export"
)


def parquet(path: Path, select_sql: str) -> None:
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"copy ({select_sql}) to '{path}' (format parquet)")


ORDER_COLUMNS = (
    "'a1' as account_id, null::varchar as placed_by_user_id, "
    "timestamp '2024-03-01 10:00:00' as ordered_at, 'web' as channel, 'paid' as status, "
    "'USD' as currency, {total} as order_total, {discount} as discount_total, "
    "timestamp '2024-03-01 10:00:00' as updated_at"
)


# --- Parquet types --------------------------------------------------------------------------


def test_parquet_columns_of_the_wrong_type_are_refused(project, tmp_path):
    """Issue 15: a Parquet boolean loaded into the decimal order_total as 1.00."""
    path = tmp_path / "typed"
    path.mkdir()
    parquet(path / "orders.parquet",
            f"select 'o1' as order_id, {ORDER_COLUMNS.format(total='true', discount='null')}")
    parquet(
        path / "survey_item_answers.parquet",
        "select 'r1' as response_id, timestamp '2024-01-01' as item_number, 4 as answer",
    )
    parquet(
        path / "products.parquet",
        "select 'p1' as product_id, 1.5::double as product_name, 'hardware' as category, "
        "2.0 as is_subscription, 9.99 as list_price, 'USD' as currency, "
        "42 as launched_at",
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  products.parquet, column product_name: Parquet type DOUBLE does not fit the "
        "contract type string (varchar); write it as integer or UUID (or as text, checked "
        "like CSV)",
        "  products.parquet, column is_subscription: Parquet type DECIMAL(2,1) does not fit "
        "the contract type boolean (boolean); write it as boolean, or integer 0/1 (or as "
        "text, checked like CSV)",
        "  products.parquet, column launched_at: Parquet type INTEGER does not fit the "
        "contract type timestamp (timestamp); write it as timestamp (with or without time "
        "zone) or date (or as text, checked like CSV)",
        "  orders.parquet, column order_total: Parquet type BOOLEAN does not fit the contract "
        "type decimal (decimal(18, 2)); write it as decimal, integer or float (or as text, "
        "checked like CSV)",
        "  survey_item_answers.parquet, column item_number: Parquet type TIMESTAMP does not "
        "fit the contract type integer (bigint); write it as integer, or decimal/float "
        "holding whole numbers (or as text, checked like CSV)",
    ]
    assert not project.duckdb_path.exists()


def test_parquet_text_columns_follow_the_csv_rules(project, tmp_path):
    path = tmp_path / "text"
    path.mkdir()
    parquet(
        path / "survey_item_answers.parquet",
        "select * from (values ('r1', '1', '4'), ('r1', '2', 'four')) "
        "as t(response_id, item_number, answer)",
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  survey_item_answers.parquet row 2, column answer, row id r1|2: 'four' is not an "
        "integer"
    ]


def test_parquet_decimals_are_not_rounded(project, tmp_path):
    path = tmp_path / "dec"
    path.mkdir()
    # order_total a DOUBLE, discount_total a DECIMAL(18,4)
    parquet(
        path / "orders.parquet",
        f"select order_id, {ORDER_COLUMNS.format(total='d', discount='e')} from (values "
        "('o1', 12.345::double, 1.2300::decimal(18,4)), "
        "('o2', 0.1::double, 1.2345::decimal(18,4)), "
        "('o3', 0.1::double + 0.2::double, null::decimal(18,4))) as v(order_id, d, e)",
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        f"  orders.parquet row 1, column order_total, row id o1: '12.345' {TOO_MANY}",
        f"  orders.parquet row 2, column discount_total, row id o2: '1.2345' {TOO_MANY}",
        f"  orders.parquet row 3, column order_total, row id o3: '0.30000000000000004' "
        f"{TOO_MANY}",
    ]


def test_parquet_values_in_scale_load_exactly(project, tmp_path):
    path = tmp_path / "exact"
    path.mkdir()
    parquet(
        path / "orders.parquet",
        f"select 'o1' as order_id, {ORDER_COLUMNS.format(total='0.1::double', discount='null')}",
    )
    parquet(
        path / "page_views.parquet",
        "select 'pv1' as page_view_id, 'u1' as user_id, 'x' as anonymous_id, 's' as session_id, "
        "timestamp '2024-03-01 10:00:00' as occurred_at, "
        "timestamp '2024-03-01 10:00:00' as received_at, 'web' as platform, "
        "'desktop' as device_type, '/' as page_path, 1800::bigint as lcp_ms, "
        "0.1::float as inp_ms, 0.05::decimal(9,4) as cls, null::double as fcp_ms, "
        "'300' as ttfb_ms",
    )
    load_directory(project, path)
    assert query(project, "select order_total from raw.orders") == [(Decimal("0.10"),)]
    # a FLOAT 0.1 is 0.1, not 0.10000000149011612
    assert query(project, "select lcp_ms, inp_ms, cls, ttfb_ms from raw.page_views") == [
        (1800.0, 0.1, 0.05, 300.0)
    ]


# --- CSV decimals ---------------------------------------------------------------------------


def test_csv_decimals_beyond_the_scale_are_refused_not_rounded(project, tmp_path):
    rows = [
        "o1,a1,,2024-03-01T10:00:00Z,web,paid,USD,12.34,,2024-03-01T10:00:00Z",
        "o2,a1,,2024-03-01T10:00:00Z,web,paid,USD,12.345,,2024-03-01T10:00:00Z",
        "o3,a1,,2024-03-01T10:00:00Z,web,paid,USD,12.300,0.005,2024-03-01T10:00:00Z",
        "o4,a1,,2024-03-01T10:00:00Z,web,paid,USD,-.5,,2024-03-01T10:00:00Z",
    ]
    path = folder(tmp_path, "dec", orders__csv="\n".join([ORDERS_HEADER, *rows]) + "\n")
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        f"  orders.csv line 3, column order_total, row id o2: '12.345' {TOO_MANY}",
        f"  orders.csv line 4, column discount_total, row id o3: '0.005' {TOO_MANY}",
    ]
    # trailing zeros lose nothing: 12.300 is 12.30
    fixed = folder(tmp_path, "fixed", orders__csv="\n".join([ORDERS_HEADER, rows[0], rows[3],
                                                            rows[2].replace("0.005", "")]))
    load_directory(project, fixed)
    assert query(project, "select order_id, order_total from raw.orders order by 1") == [
        ("o1", Decimal("12.34")),
        ("o3", Decimal("12.30")),
        ("o4", Decimal("-0.50")),
    ]


# --- plain errors for bad files -------------------------------------------------------------


def test_a_csv_gz_that_is_not_gzip(project, tmp_path, capsys):
    path = folder(tmp_path, "notgz", orders__csv__gz=ORDERS_HEADER + "\n")
    assert main(["--project-dir", str(REPO), "load", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: cannot load {path}: 1 problem(s), nothing was loaded\n"
        "  orders.csv.gz: not a gzip file (a .csv.gz must be gzip-compressed; if it is plain "
        "CSV, rename it to .csv)\n"
    )


def test_an_unterminated_quote_is_reported_where_the_quoted_field_starts(project, tmp_path):
    """Issue 15: the error showed the next line's text. Here a quoted newline in line 3-4
    puts DuckDB's own count one line off; the bad field starts on physical line 5."""
    orders = (
        f"{ORDERS_HEADER}\n"
        "o1,a1,,2024-03-01T10:00:00Z,web,paid,USD,1.00,,2024-03-01T10:00:00Z\n"
        'o2,a1,,2024-03-01T10:00:00Z,"web\nsite",paid,USD,1.00,,2024-03-01T10:00:00Z\n'
        'o3,a1,,2024-03-01T10:00:00Z,"web,paid,USD,1.00,,2024-03-01T10:00:00Z\n'
        "o4,a1,,2024-03-01T10:00:00Z,web,paid,USD,1.00,,2024-03-01T10:00:00Z\n"
    )
    path = folder(tmp_path, "quote", orders__csv=orders)
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == [
        "  orders.csv line 5: Value with unterminated quote found. "
        '(line: o3,a1,,2024-03-01T10:00:00Z,"web,paid,USD,1.00,,2024-03-01T10:00:00Z)'
    ]


def test_a_folder_without_export_files(project, tmp_path, capsys):
    path = folder(tmp_path, "nothing", notes__txt="hello\n")
    assert main(["--project-dir", str(REPO), "load", str(path)]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: {path}: no export files (expected <table>.csv, <table>.csv.gz or "
        "<table>.parquet for tables: accounts, users,"
    )
    with pytest.raises(CxuxError, match="not a directory"):
        load_directory(project, tmp_path / "missing")


def test_a_broken_link_is_reported_not_skipped(project, tmp_path):
    path = folder(tmp_path, "link")
    (path / "orders.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path)
    assert problems_of(excinfo) == ["  orders.csv: cannot read the file: it is a broken link"]


def test_a_file_that_cannot_be_read(tmp_path):
    """Permission denied. Root reads anything, so as root the command runs without the
    capabilities that bypass file permissions (setpriv, util-linux)."""
    exports = folder(tmp_path, "exports", orders__csv=ORDERS_HEADER + "\n")
    os.chmod(exports / "orders.csv", 0o000)
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot be denied")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    env = {**os.environ, "CXUX_DUCKDB_PATH": str(tmp_path / "cxux.duckdb"),
           "CXUX_PROJECT_DIR": str(REPO)}
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "cxux_cli.cli", "load", str(exports)],
        env=env, capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-2:] == [
        f"error: cannot load {exports}: 1 problem(s), nothing was loaded",
        "  orders.csv: cannot read the file: Permission denied",
    ]
    assert not (tmp_path / "cxux.duckdb").exists()
