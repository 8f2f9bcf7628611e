"""An incremental metric model rebuilds exactly the periods whose source rows changed.

metric__fixture_incremental is the median of `amount` by day and by month, total and
by segment, built like the generated metric models on the usage facts (delete+insert
on grain and period_start, source_checksum per row). Its source,
metric_fixture_facts, is replaced by hand-made rows (v1), then changed (v2):

  v1: a 1.0 on 01-01; b 2.0 on 01-02; a 3.0 on 02-01; b 5.0 on 02-03
  v2: + a 7.0 on 02-03 (a late row); the 01-02 row moves from segment b to a
      (a changed attribute of an old row)

Worked by hand, after the incremental run:
  kept (source unchanged): day 01-01 (1; a 1), day 02-01 (3; a 3);
  rebuilt: day 01-02 (2; a 2; b gone), day 02-03 (median(5, 7) = 6; a 7; b 5),
  month 01 (median(1, 2) = 1.5; a 1.5; b gone), month 02 (median(3, 5, 7) = 5;
  a median(3, 7) = 5; b 5).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests_py.conftest import isolated_env

REPO = Path(__file__).resolve().parents[2]
MODEL = "metric_fixtures.metric__fixture_incremental"
V1 = [("a", 1.0, "2026-01-01 10:00"), ("b", 2.0, "2026-01-02 10:00"),
      ("a", 3.0, "2026-02-01 10:00"), ("b", 5.0, "2026-02-03 10:00")]
V2 = [("a", 1.0, "2026-01-01 10:00"), ("a", 2.0, "2026-01-02 10:00"),
      ("a", 3.0, "2026-02-01 10:00"), ("b", 5.0, "2026-02-03 10:00"),
      ("a", 7.0, "2026-02-03 11:00")]


def _dbt(env: dict, *args: str) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run([str(dbt), *args, "--profiles-dir", str(REPO)], env=env, cwd=REPO,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}")


def _load(db: Path, rows) -> None:
    """Replace the (empty) fixture fact with rows (segment, amount, occurred_at)."""
    values = ", ".join(f"({i}, '{segment}', {amount}, timestamp '{at}')"
                       for i, (segment, amount, at) in enumerate(rows, start=1))
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create or replace view metric_fixtures.metric_fixture_facts as "
            "select fixture_row_id::bigint as fixture_row_id, null::varchar as user_id, segment, "
            "null::bigint as score, amount::double as amount, null::double as duration_seconds, "
            "null::boolean as is_success, occurred_at "
            f"from (values {values}) as v(fixture_row_id, segment, amount, occurred_at)")


def _rows(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {(grain, str(start), name, value_of): (value, unit)
                for grain, start, name, value_of, value, unit in con.execute(
                    f"select grain, period_start, dimension_name, dimension_value, value, unit "
                    f"from {MODEL}").fetchall()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    work = tmp_path_factory.mktemp("incremental_metric")
    db = work / "cxux.duckdb"
    env = dict(isolated_env(work), CXUX_DUCKDB_PATH=str(db))
    _dbt(env, "run", "-s", "metric_fixture_facts", "metric__fixture_incremental", "--full-refresh")
    _load(db, V1)
    _dbt(env, "run", "-s", "metric__fixture_incremental", "--full-refresh")
    first = _rows(db)
    with duckdb.connect(str(db)) as con:  # a row the next run rebuilds loses the mark
        con.execute(f"update {MODEL} set unit = 'kept'")
    _load(db, V2)
    _dbt(env, "run", "-s", "metric__fixture_incremental")
    incremental = _rows(db)
    _dbt(env, "run", "-s", "metric__fixture_incremental", "--full-refresh")
    return {"first": first, "incremental": incremental, "full": _rows(db)}


def test_first_build_holds_every_period(runs):
    first = runs["first"]
    assert first[("month", "2026-01-01", "total", "total")] == (1.5, "amount")
    assert first[("month", "2026-01-01", "segment", "b")] == (2.0, "amount")
    assert len(first) == 14  # 4 days x (total + 1 segment) + 2 months x (total + 2 segments)


def test_incremental_run_rebuilds_only_changed_periods(runs):
    expected = {
        ("day", "2026-01-01", "total", "total"): (1.0, "kept"),
        ("day", "2026-01-01", "segment", "a"): (1.0, "kept"),
        ("day", "2026-01-02", "total", "total"): (2.0, "amount"),
        ("day", "2026-01-02", "segment", "a"): (2.0, "amount"),
        ("day", "2026-02-01", "total", "total"): (3.0, "kept"),
        ("day", "2026-02-01", "segment", "a"): (3.0, "kept"),
        ("day", "2026-02-03", "total", "total"): (6.0, "amount"),
        ("day", "2026-02-03", "segment", "a"): (7.0, "amount"),
        ("day", "2026-02-03", "segment", "b"): (5.0, "amount"),
        ("month", "2026-01-01", "total", "total"): (1.5, "amount"),
        ("month", "2026-01-01", "segment", "a"): (1.5, "amount"),
        ("month", "2026-02-01", "total", "total"): (5.0, "amount"),
        ("month", "2026-02-01", "segment", "a"): (5.0, "amount"),
        ("month", "2026-02-01", "segment", "b"): (5.0, "amount"),
    }
    assert runs["incremental"] == expected


def test_incremental_run_equals_a_full_refresh(runs):
    unmarked = {key: (value, "amount") for key, (value, _) in runs["incremental"].items()}
    assert unmarked == runs["full"]
