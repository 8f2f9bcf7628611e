"""The staging layer against `cxux generate` data: quarantine = the planted bad rows.

The generator records every bad row it plants in cxux_meta.planted_bad_rows. Staging must
quarantine exactly those rows (by table and row id), with a reason of the planted kind,
and stage everything else. For a planted duplicate both copies share the row id; the
quarantine holds one of them (the older version, or one of two identical copies), which
is the one the generator planted (or its identical twin).
"""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from .staging_build import REPO, build_staging, staging_env

AS_OF = "2026-06-30"

# What a reason must say for each planted defect.
REASON_BY_DEFECT = {
    "duplicate_superseded": ("is superseded by a later version",),
    "duplicate_exact": ("is an exact duplicate of a kept row",),
    "null_required": ("is missing (required)",),
    "orphan_foreign_key": ("has no accepted",),
    "future_timestamp": ("is in the future",),
    "ancient_timestamp": ("is before 2000-01-01",),
    "out_of_domain": ("is not one of", "is below the minimum", "is above the maximum",
                      "outside the", "score outside the scale"),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("staging_generated")
    env = staging_env(workdir)
    generate = subprocess.run(
        [sys.executable, "-m", "cxux_cli.cli", "generate", "--scale", "0.05", "--seed", "7",
         "--as-of", AS_OF],
        check=False, env=env, cwd=REPO, capture_output=True, text=True,
    )
    if generate.returncode != 0:
        raise AssertionError(f"cxux generate failed:\n{generate.stderr[-4000:]}")
    build_staging(env, AS_OF)
    connection = duckdb.connect(str(workdir / "cxux.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_quarantine_is_exactly_the_planted_bad_rows(generated):
    planted = generated.execute(
        "select table_name, row_id from cxux_meta.planted_bad_rows"
    ).fetchall()
    quarantined = generated.execute(
        "select table_name, row_id from quarantine.quarantine_raw_rows"
    ).fetchall()
    assert len(planted) > 100, "the generator plants bad rows in every table"
    assert set(quarantined) == set(planted)
    # one quarantined raw row per planted raw row (no extra copies, nothing cascaded)
    assert len(quarantined) == len(planted)


def test_each_reason_names_the_planted_defect(generated):
    rows = generated.execute(
        """
        select planted.table_name, planted.row_id, planted.defect, planted.column_name,
            quarantined.reasons
        from cxux_meta.planted_bad_rows as planted
        inner join quarantine.quarantine_raw_rows as quarantined
            on planted.table_name = quarantined.table_name
            and planted.row_id = quarantined.row_id
        """
    ).fetchall()
    wrong = []
    for table, row_id, defect, column, reasons in rows:
        if defect == "row_check_violation":
            expected = (f"{table}: ",)
        else:
            expected = REASON_BY_DEFECT[defect]
        if not any(text in reasons for text in expected) or (column and column not in reasons):
            wrong.append((table, row_id, defect, column, reasons))
    assert not wrong, wrong[:10]


def test_counts_reconcile(generated):
    rows = generated.execute(
        "select table_name, raw_rows, staged_rows, quarantined_rows, is_reconciled"
        " from quarantine.raw_row_reconciliation"
    ).fetchall()
    assert len(rows) == 13
    for table, raw, staged, quarantined, is_reconciled in rows:
        assert raw == generated.execute(f"select count(*) from raw.{table}").fetchone()[0]
        assert staged + quarantined == raw and is_reconciled, table
