"""`cxux load` keeps history: append by default, guarded replaces, a ledger, duplicates
skipped, exact undo. Expected rows and messages are worked out by hand from the files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from cxux_cli.cli import main
from cxux_cli.errors import CxuxError
from cxux_cli.load import LoadError, load_directory
from cxux_cli.load.ledger import undo_load
from tests_py.load.test_load import (
    MINIMAL,
    MINIMAL_ROWS,
    ORDERS_HEADER,
    REPO,
    folder,
    problems_of,
    query,
    snapshot,
)


def order(order_id: str) -> str:
    return f"{order_id},a1,,2024-04-01T09:00:00Z,web,paid,USD,10.00,,2024-04-01T09:00:00Z"


def orders_file(*order_ids: str) -> str:
    return "\n".join([ORDERS_HEADER, *(order(o) for o in order_ids)]) + "\n"


def order_ids(project) -> list[str]:
    return [row[0] for row in query(project, "select order_id from raw.orders order by 1")]


def ledger(project) -> list[tuple]:
    return query(
        project,
        "select load_id, action, undoes, table_name, file_name, rows, status, duplicate_of "
        "from cxux_meta.loads left join cxux_meta.load_files using (load_id) "
        "order by load_id, position",
    )


# --- the default appends; a replace that shrinks, or an empty file, needs a flag ----------


def test_a_replace_that_removes_most_rows_is_refused_and_nothing_is_written(project, tmp_path):
    load_directory(project, MINIMAL)  # load 1: orders o1-o4
    before = snapshot(project)
    # accounts: 2 rows for 3 (not fewer than half, fine); orders: 1 row for 4 (refused)
    accounts = (MINIMAL / "accounts.csv").read_text().splitlines()
    path = folder(
        tmp_path,
        "shrink",
        accounts__csv="\n".join(accounts[:3]) + "\n",
        orders__csv=orders_file("o5"),
    )
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, path, mode="replace")
    assert problems_of(excinfo) == [
        "  orders.csv: --replace would cut raw.orders from 4 to 1 rows (the file has fewer "
        "than 50% of the current rows). Pass --allow-shrink to replace it anyway, or leave "
        "out --replace to append the rows"
    ]
    assert str(excinfo.value).splitlines()[0] == (
        f"cannot load {path}: 1 problem(s), nothing was loaded"
    )
    assert snapshot(project) == before
    assert {row[0] for row in ledger(project)} == {1}  # the refused load is not recorded

    # the same from the command line: exit 2, nothing written
    assert main(["--project-dir", str(REPO), "load", str(path), "--replace"]) == 2
    assert snapshot(project) == before

    # exactly half is not "fewer than half": 2 rows for 4 replaces
    half = folder(tmp_path, "half", orders__csv=orders_file("o5", "o6"))
    report = load_directory(project, half, mode="replace")
    assert [(t.table, t.rows_before, t.rows_loaded, t.rows_in_table) for t in report.tables] == [
        ("orders", 4, 2, 2)
    ]
    assert order_ids(project) == ["o5", "o6"]


def test_the_default_appends(project, tmp_path):
    load_directory(project, MINIMAL)
    load_directory(project, folder(tmp_path, "day", orders__csv=orders_file("o5")))
    assert order_ids(project) == ["o1", "o2", "o3", "o4", "o5"]


def test_an_empty_file_is_refused_unless_allowed(project, tmp_path):
    load_directory(project, MINIMAL)  # load 1
    before = snapshot(project)
    empty = folder(tmp_path, "empty", orders__csv=ORDERS_HEADER + "\n")
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, empty)
    assert problems_of(excinfo) == [
        "  orders.csv: the file has no data rows; raw.orders has 4 rows now. An empty export "
        "is usually a failed one: pass --allow-empty if the table really has no new rows"
    ]
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, empty, mode="replace")
    assert problems_of(excinfo) == [
        "  orders.csv: the file has no data rows; raw.orders has 4 rows now and --replace "
        "would empty raw.orders. An empty export is usually a failed one: pass --allow-empty "
        "if the table really has no new rows"
    ]
    # --check sees it too, without opening the warehouse
    with pytest.raises(LoadError) as excinfo:
        load_directory(project, empty, check_only=True)
    assert problems_of(excinfo) == [
        "  orders.csv: the file has no data rows. An empty export is usually a failed one: "
        "pass --allow-empty if the table really has no new rows"
    ]
    assert snapshot(project) == before

    report = load_directory(project, empty, mode="replace", allow_empty=True)  # load 2
    assert report.load_id == 2
    assert query(project, "select count(*) from raw.orders") == [(0,)]
    undo_load(project.duckdb_path, 2)  # load 3 puts the 4 orders back
    assert snapshot(project) == before


# --- the ledger and duplicates ----------------------------------------------------------------


def test_every_load_is_recorded_with_sizes_checksums_and_rows(project, tmp_path):
    path = folder(tmp_path, "one", orders__csv=orders_file("o5", "o6"))
    text = (path / "orders.csv").read_bytes()
    report = load_directory(project, path)
    assert report.load_id == 1
    rows = query(
        project,
        "select load_id, action, raw_schema, directory, undoes, table_name, file_name, "
        "file_bytes, sha256, rows, status, rows_before, rows_after "
        "from cxux_meta.loads join cxux_meta.load_files using (load_id)",
    )
    assert rows == [
        (1, "append", "raw", str(path.resolve()), None, "orders", "orders.csv", len(text),
         hashlib.sha256(text).hexdigest(), 2, "loaded", None, 2)
    ]
    loaded_at = query(project, "select loaded_at from cxux_meta.loads")[0][0]
    assert loaded_at.tzinfo is None  # UTC wall time, like every raw timestamp


def test_the_same_folder_twice_is_skipped_by_checksum(project, tmp_path):
    """Issue 15: a daily folder loaded twice doubled its rows and blocked publishing."""
    day = tmp_path / "2024-05-01"
    shutil.copytree(MINIMAL, day)
    env = {**os.environ, "CXUX_DUCKDB_PATH": str(project.duckdb_path),
           "CXUX_PROJECT_DIR": str(REPO)}
    command = [sys.executable, "-m", "cxux_cli.cli", "load", str(day)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    assert second.returncode == 0, second.stderr
    for table, rows in MINIMAL_ROWS.items():
        assert query(project, f"select count(*) from raw.{table}") == [(rows,)]
    skipped = [line for line in second.stderr.splitlines() if "skipped:" in line]
    assert len(skipped) == 13
    assert skipped[0].startswith(
        "WARNING accounts.csv: skipped: the same file (sha256 "
    )
    assert "was loaded into raw.accounts by load 1 at " in skipped[0]
    assert skipped[0].endswith("UTC and its rows are still there (pass --reload to load it again)")
    statuses = query(
        project,
        "select status, duplicate_of, count(*) from cxux_meta.load_files where load_id = 2 "
        "group by all",
    )
    assert statuses == [("skipped", 1, 13)]

    # one new file next to an old one: the new one loads, the old one is skipped
    mixed = folder(tmp_path, "mixed", orders__csv=orders_file("o5"))
    shutil.copy(MINIMAL / "accounts.csv", mixed / "accounts.csv")
    report = load_directory(project, mixed)
    assert [(t.table, t.status, t.duplicate_of, t.rows_loaded, t.rows_in_table)
            for t in report.tables] == [
        ("accounts", "skipped", 1, 0, 3),
        ("orders", "loaded", None, 1, 5),
    ]


def test_a_file_is_not_a_duplicate_once_its_rows_are_gone(project, tmp_path):
    a = folder(tmp_path, "a", orders__csv=orders_file("o1", "o2"))
    b = folder(tmp_path, "b", orders__csv=orders_file("o3", "o4", "o5"))
    load_directory(project, a)  # 1: o1 o2
    load_directory(project, b, mode="replace")  # 2: o3 o4 o5 (3 rows for 2)
    load_directory(project, a)  # 3: a's rows left with load 2, so they load again
    assert order_ids(project) == ["o1", "o2", "o3", "o4", "o5"]
    undo_load(project.duckdb_path, 3)  # 4
    report = load_directory(project, a)  # 5: undone loads do not count
    assert [t.status for t in report.tables] == ["loaded"]
    # replacing with the file the table holds plus other rows is not a no-op
    c = folder(tmp_path, "c", orders__csv=orders_file("o3", "o4", "o5"))
    report = load_directory(project, c, mode="replace")  # 3 rows for 5: not fewer than half
    assert [t.status for t in report.tables] == ["loaded"]
    assert order_ids(project) == ["o3", "o4", "o5"]
    report = load_directory(project, c, mode="replace")  # now it is exactly what raw holds
    assert [(t.status, t.duplicate_of) for t in report.tables] == [("skipped", 6)]


# --- undo -----------------------------------------------------------------------------------


def test_undo_removes_exactly_one_append(project, tmp_path):
    load_directory(project, MINIMAL)  # 1: o1-o4
    load_directory(project, folder(tmp_path, "d1", orders__csv=orders_file("o5", "o6")))  # 2
    load_directory(project, folder(tmp_path, "d2", orders__csv=orders_file("o7")))  # 3
    report = undo_load(project.duckdb_path, 2)
    assert (report.load_id, report.undid, report.action) == (4, 2, "append")
    assert [(t.table_name, t.status, t.rows, t.rows_before, t.rows_after)
            for t in report.tables] == [("orders", "removed", 2, 7, 5)]
    assert order_ids(project) == ["o1", "o2", "o3", "o4", "o7"]
    assert ledger(project)[-1] == (4, "undo", 2, "orders", None, 2, "removed", None)
    with pytest.raises(CxuxError) as excinfo:
        undo_load(project.duckdb_path, 2)
    assert str(excinfo.value) == (
        "cannot undo load 2: it was already undone by load 4; nothing was changed"
    )
    with pytest.raises(CxuxError) as excinfo:
        undo_load(project.duckdb_path, 4)
    assert str(excinfo.value) == (
        "cannot undo load 4: it is the undo of load 2; load that folder again to redo it; "
        "nothing was changed"
    )
    with pytest.raises(CxuxError) as excinfo:
        undo_load(project.duckdb_path, 9)
    assert str(excinfo.value) == (
        "cannot undo load 9: there is no such load (`cxux load --list` shows the ledger); "
        "nothing was changed"
    )


def test_undo_of_a_replace_puts_back_what_it_replaced(project, tmp_path):
    load_directory(project, MINIMAL)  # 1
    before = snapshot(project)
    load_directory(project, folder(tmp_path, "r", orders__csv=orders_file("o1", "o2", "o9")),
                   mode="replace")  # 2: 3 rows for 4
    load_directory(project, folder(tmp_path, "a", orders__csv=orders_file("o10")))  # 3
    with pytest.raises(CxuxError) as excinfo:
        undo_load(project.duckdb_path, 2)
    assert str(excinfo.value) == (
        "cannot undo load 2, nothing was changed:\n"
        "  raw.orders: load(s) 3 loaded into raw.orders after load 2; undo it first "
        "(newest first)"
    )
    assert order_ids(project) == ["o1", "o10", "o2", "o9"]
    undo_load(project.duckdb_path, 3)  # 4
    report = undo_load(project.duckdb_path, 2)  # 5
    assert [(t.table_name, t.status, t.rows_before, t.rows_after) for t in report.tables] == [
        ("orders", "restored", 3, 4)
    ]
    assert snapshot(project) == before
    # the kept copy is gone once restored
    assert query(
        project, "select count(*) from duckdb_tables() where schema_name = 'cxux_replaced'"
    ) == [(0,)]


def test_undo_refuses_a_table_rewritten_outside_cxux_load(project, tmp_path):
    load_directory(project, folder(tmp_path, "o", orders__csv=orders_file("o1", "o2")))
    with duckdb.connect(str(project.duckdb_path)) as con:  # as `cxux generate` does
        con.execute("create or replace table raw.orders as select * exclude (_cxux_load_id) "
                    "from raw.orders")
    with pytest.raises(CxuxError) as excinfo:
        undo_load(project.duckdb_path, 1)
    assert str(excinfo.value) == (
        "cannot undo load 1, nothing was changed:\n"
        "  raw.orders: holds 0 row(s) of load 1 (orders.csv), the ledger recorded 2: the "
        "table was changed outside `cxux load` since (by `cxux generate` or by hand)"
    )
    assert order_ids(project) == ["o1", "o2"]


def test_append_and_undo_on_tables_written_by_cxux_generate(tmp_path, monkeypatch):
    """Generated raw tables have no load id column: loads add it, undo removes exactly
    the loaded rows and leaves every generated row as it was."""
    from tests_py.conftest import isolated_env, run_cxux

    env = isolated_env(tmp_path)
    run_cxux("generate", "--scale", "0.05", "--seed", "7", "--as-of", "2026-06-30", env=env)
    database = env["CXUX_DUCKDB_PATH"]

    def rows(sql):
        with duckdb.connect(database, read_only=True) as con:
            return con.execute(sql).fetchall()

    generated = rows("select * from raw.orders order by all")
    day1 = folder(tmp_path, "day1", orders__csv=orders_file("new1", "new2"))
    day2 = folder(tmp_path, "day2", orders__csv=orders_file("new3"))
    run_cxux("load", str(day1), env=env)  # load 1
    run_cxux("load", str(day2), env=env)  # load 2
    assert rows("select order_id, _cxux_load_id from raw.orders where _cxux_load_id "
                "is not null order by 1") == [("new1", 1), ("new2", 1), ("new3", 2)]
    listed = run_cxux("load", "--list", "--format", "json", env=env)
    assert [(r["load_id"], r["action"], r["table_name"], r["rows"], r["status"])
            for r in json.loads(listed.stdout)] == [
        (1, "append", "orders", 2, "loaded"),
        (2, "append", "orders", 1, "loaded"),
    ]
    undone = run_cxux("load", "--undo", "1", env=env)
    assert undone.stdout.splitlines()[1].split() == [
        "orders", "removed", str(len(generated) + 3), str(len(generated) + 1)
    ]
    assert rows("select order_id from raw.orders where _cxux_load_id is not null") == [
        ("new3",)
    ]
    assert rows("select * exclude (_cxux_load_id) from raw.orders "
                "where _cxux_load_id is null order by all") == generated
    table = run_cxux("load", "--list", env=env).stdout.splitlines()
    assert table[0].split() == [
        "load_id", "loaded_at_utc", "action", "table", "file", "rows", "status", "directory"
    ]
    assert table[1].split()[3:] == [
        "append", "raw.orders", "orders.csv", "2", "undone", "by", "load", "3", str(day1.resolve())
    ]
    assert table[3].split()[3:] == [
        "undo", "raw.orders", "2", "removed", "(undo", "of", "load", "1)"
    ]
    # the other options do not mix with --list / --undo
    mixed = run_cxux("load", str(day1), "--undo", "2", env=env, check=False)
    assert mixed.returncode == 2
    assert "--list and --undo ID take no folder and no load options" in mixed.stderr
