"""The generic tests cxux_not_null_columns, cxux_accepted_values_columns and
cxux_primary_key (macros/tests/).

One test node checks several columns of a model (issue 6: fewer dbt nodes). A failure
must still say which column has nulls or values outside its list, and how many rows,
and on an incremental model it must see only the lookback window
(macros/incremental/cxux_test_window.sql) unless asked to check every row.

The model is a tiny hand-written table in a throwaway dbt project that uses the
project's own two macro files; the expected failures are counted by hand from its rows.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cxux_cli.dbt_runner import run_dbt
from cxux_cli.errors import ChecksFailed
from cxux_cli.project import Project

REPO = Path(__file__).resolve().parents[2]
MACROS = ["macros/tests/test_cxux_not_null_columns.sql",
          "macros/tests/cxux_test_columns_unpivoted.sql",
          "macros/tests/test_cxux_accepted_values_columns.sql",
          "macros/tests/test_cxux_primary_key.sql",
          "macros/incremental/cxux_test_window.sql"]

# latest loaded_at is 2026-01-10, so with the default 3-day lookback the window is
# loaded_at >= 2026-01-07: rows 2-4. Row 1 is outside it.
# ref_code is no key: 'y' in rows 1, 2 and 4, null in row 3.
PLANTED_SQL = """\
select * from (values
    (1, cast(null as {{ dbt.type_string() }}), 5, 'bogus', timestamp '2026-01-01 08:00:00', 'y'),
    (2, 'b', cast(null as {{ dbt.type_int() }}), 'open', timestamp '2026-01-09 08:00:00', 'y'),
    (3, cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_int() }}), 'wrong',
     timestamp '2026-01-10 08:00:00', cast(null as {{ dbt.type_string() }})),
    (4, 'd', 4, 'wrong', timestamp '2026-01-10 09:00:00', 'y')
) as planted (planted_id, label, amount, status, loaded_at, ref_code)
"""

SCHEMA_YML = """\
version: 2
models:
  - name: planted
    config:
      meta:
        cxux_test_window: loaded_at
    data_tests:
      - cxux_not_null_columns:
          name: planted_has_nulls
          arguments:
            columns: [planted_id, label, amount, loaded_at]
      - cxux_not_null_columns:
          name: planted_without_nulls
          arguments:
            columns: [planted_id, loaded_at]
      - cxux_accepted_values_columns:
          name: planted_has_rejected_values
          arguments:
            columns:
              status: [open, closed]
              label: [b, d]
              amount: [4, 5]
    columns:
      - name: planted_id
        data_tests:
          - cxux_primary_key:
              name: planted_id_is_a_key
      - name: ref_code
        data_tests:
          - cxux_primary_key:
              name: ref_code_is_no_key
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("not_null_columns")
    (root / "dbt_project.yml").write_text(
        "name: not_null_check\nprofile: cxux\nconfig-version: 2\n"
        "model-paths: [models]\nmacro-paths: [macros]\n"
        "models:\n  not_null_check:\n    +materialized: table\n"
    )
    (root / "profiles.yml").write_text(
        "cxux:\n  target: duckdb\n  outputs:\n    duckdb:\n"
        f"      type: duckdb\n      path: {root / 'check.duckdb'}\n      threads: 1\n"
    )
    (root / "models").mkdir()
    (root / "models" / "planted.sql").write_text(PLANTED_SQL)
    (root / "models" / "_planted__models.yml").write_text(SCHEMA_YML)
    (root / "macros").mkdir()
    for macro in MACROS:
        shutil.copy(REPO / macro, root / "macros" / Path(macro).name)
    return root


def dbt_build(root: Path, *extra: str) -> dict:
    """`dbt build --store-failures`; {test name: the rows it returned, as a set}."""
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), "build", "--store-failures", "--profiles-dir", str(root),
            "--project-dir", str(root), "--target-path", str(root / "target"),
            "--log-path", str(root / "logs"), *extra]
    result = subprocess.run(args, check=False, cwd=root, capture_output=True, text=True)
    run_results = json.loads((root / "target" / "run_results.json").read_text())
    tests = {r["unique_id"].split(".")[2]: r for r in run_results["results"]
             if r["unique_id"].startswith("test.")}
    assert set(tests) == {"planted_has_nulls", "planted_without_nulls",
                          "planted_has_rejected_values", "planted_id_is_a_key",
                          "ref_code_is_no_key"}, result.stdout[-3000:]
    found = {}
    with duckdb.connect(str(root / "check.duckdb"), read_only=True) as connection:
        for name, r in tests.items():
            found[name] = set(connection.execute(f"select * from {r['relation_name']}").fetchall())
            assert (r["status"] == "fail") == bool(found[name]), (name, r["status"])
    return found


def test_failure_names_each_column_in_the_window(project):
    # rows 2-4 only: label is null in row 3, amount in rows 2 and 3; status is 'wrong'
    # in rows 3 and 4; nulls are accepted values (as in dbt's accepted_values);
    # ref_code is 'y' in rows 2 and 4 and null in row 3
    found = dbt_build(project)
    assert found == {
        "planted_has_nulls": {("label", 1), ("amount", 2)},
        "planted_without_nulls": set(),
        "planted_has_rejected_values": {("status", "wrong", 2)},
        "planted_id_is_a_key": set(),
        "ref_code_is_no_key": {("y", 2), (None, 1)},
    }


def test_full_check_counts_every_row(project):
    # every row: label is null in rows 1 and 3, amount in rows 2 and 3; status is
    # 'bogus' in row 1 and 'wrong' in rows 3 and 4; ref_code 'y' in rows 1, 2 and 4
    found = dbt_build(project, "--vars", "{cxux_full_tests: true}")
    assert found == {
        "planted_has_nulls": {("label", 2), ("amount", 2)},
        "planted_without_nulls": set(),
        "planted_has_rejected_values": {("status", "bogus", 1), ("status", "wrong", 2)},
        "planted_id_is_a_key": set(),
        "ref_code_is_no_key": {("y", 3), (None, 1)},
    }


def test_a_failed_build_logs_the_failing_columns(project, monkeypatch, caplog):
    # what `cxux build` shows: dbt's own message names the test, not the column
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(project / "check.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(project / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(project / "logs"))
    with caplog.at_level("ERROR", logger="cxux.dbt"), pytest.raises(ChecksFailed):
        run_dbt(Project(root=project, target="duckdb"), ["build"])
    assert sorted(r.getMessage() for r in caplog.records if r.name == "cxux.dbt") == [
        "planted: amount: null_rows=2 (cxux_not_null_columns)",
        "planted: label: null_rows=1 (cxux_not_null_columns)",
        "planted: status: rejected_value=wrong, rejected_rows=2 (cxux_accepted_values_columns)",
    ]
