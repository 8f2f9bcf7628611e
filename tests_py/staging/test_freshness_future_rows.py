"""`dbt source freshness` cannot be fooled by future-dated rows.

A small warehouse whose data ended 30 days ago (stale: error_after is 7 days) gets
one extra row per table at a chosen distance from now. A row later than now +
cxux_future_tolerance_hours (24) must not count; a row within it (clock skew) does.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests_py.conftest import REPO, isolated_env, run_cxux

# table -> (loaded_at_field, hours from now of the one extra row, expected status)
CASES = {
    "orders": ("updated_at", 24 * 10, "error"),    # 10 days ahead: ignored, table stale
    "page_views": ("received_at", 25, "error"),    # just beyond the tolerance: ignored
    "reviews": ("posted_at", 12, "pass"),          # within the tolerance: counts, fresh
    "accounts": ("updated_at", -1, "pass"),        # an hour ago: fresh
}
STALE_DAYS = 30


@pytest.fixture(scope="module")
def freshness_results(tmp_path_factory):
    if shutil.which("dbt", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("dbt is not installed next to this Python")
    workdir = tmp_path_factory.mktemp("freshness")
    env = isolated_env(workdir)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    as_of = (now - dt.timedelta(days=STALE_DAYS)).date()
    run_cxux("generate", "--scale", "0.05", "--seed", "7", "--as-of", as_of.isoformat(), env=env)

    import duckdb

    latest = {}
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        for table, (field, hours, _) in CASES.items():
            latest[table] = con.execute(f"select max({field}) from raw.{table}").fetchone()[0]
            key = con.execute(
                "select column_name from duckdb_columns() where schema_name = 'raw' "
                "and table_name = ? order by column_index limit 1", [table]).fetchone()[0]
            stamp = now + dt.timedelta(hours=hours)
            con.execute(
                f"insert into raw.{table} select * replace "
                f"('freshness-probe' as {key}, ?::timestamp as {field}) "
                f"from raw.{table} limit 1", [stamp])
    dbt = Path(sys.executable).parent / "dbt"
    selection = [f"source:cxux_raw.{table}" for table in CASES]
    completed = subprocess.run(
        [str(dbt), "source", "freshness", "--profiles-dir", str(REPO), "--project-dir",
         str(REPO), "--select", *selection],
        env=env, cwd=REPO, capture_output=True, text=True)
    sources = json.loads((workdir / "target" / "sources.json").read_text())
    results = {r["unique_id"].split(".")[-1]: r for r in sources["results"]}
    return completed, results, latest, now


def test_every_case_ran(freshness_results):
    completed, results, _, _ = freshness_results
    assert set(results) == set(CASES), completed.stdout[-3000:]
    assert completed.returncode != 0  # dbt exits non-zero when a source is stale


@pytest.mark.parametrize("table", sorted(CASES))
def test_status(freshness_results, table):
    _, results, _, _ = freshness_results
    assert results[table]["status"] == CASES[table][2]


@pytest.mark.parametrize("table", ["orders", "page_views"])
def test_future_rows_do_not_set_the_maximum(freshness_results, table):
    _, results, latest, _ = freshness_results
    reported = dt.datetime.fromisoformat(results[table]["max_loaded_at"]).replace(tzinfo=None)
    # the newest real row, from before the generated window ended 30 days ago
    assert reported == latest[table]
    assert results[table]["max_loaded_at_time_ago_in_s"] > (STALE_DAYS - 2) * 86400


@pytest.mark.parametrize("table", ["reviews", "accounts"])
def test_rows_within_the_tolerance_count(freshness_results, table):
    _, results, _, now = freshness_results
    reported = dt.datetime.fromisoformat(results[table]["max_loaded_at"]).replace(tzinfo=None)
    expected = now + dt.timedelta(hours=CASES[table][1])
    assert abs((reported - expected).total_seconds()) < 1
