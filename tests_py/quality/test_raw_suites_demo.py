"""Raw suites on the demo generator's data (`cxux generate`).

The generator records every bad row it plants (cxux_meta.planted_bad_rows);
the expected unexpected counts come from that record, not from our checks.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from cxux_cli.project import Project
from cxux_cli.quality.runner import run_quality

generate = pytest.importorskip("cxux_cli.generate.runner")

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "cxux.duckdb"
    generate.generate_raw(path, ROOT, seed=7, scale=0.2, as_of=AS_OF)
    return path


def _run(db: Path, monkeypatch):
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(db))
    return run_quality(Project(root=ROOT, target="duckdb"), suites=("raw",),
                       as_of=dt.datetime.combine(AS_OF, dt.time()), update_state=False)


def _planted(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select table_name, defect, column_name, count(*) from cxux_meta.planted_bad_rows "
            "group by all"
        ).fetchall()


def test_clean_demo_passes_and_counts_match_what_was_planted(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "cxux.duckdb"
    shutil.copy(demo_db, db)
    result = _run(db, monkeypatch)
    assert result.passed, [o for o in result.failures]
    got = {(o.suite, o.expectation): o.unexpected_count or 0 for o in result.outcomes}

    expected: dict[tuple[str, str], int] = defaultdict(int)
    row_checks: dict[str, int] = defaultdict(int)
    for table, defect, column, n in _planted(db):
        suite = f"raw.{table}"
        labels = [label for s, label in got if s == suite]
        if defect == "null_required":
            expected[(suite, f"{column} not null")] += n
        elif defect == "orphan_foreign_key":
            label = next(la for s, la in got
                         if s == f"{suite}.relations" and la.startswith(f"{column} references"))
            expected[(f"{suite}.relations", label)] += n
        elif defect in ("ancient_timestamp", "future_timestamp"):
            expected[(suite, f"{column} between 2000-01-01 and now")] += n
        elif defect == "duplicate_exact":  # GX counts both copies
            expected[(suite, next(la for la in labels if la.endswith(" unique")))] += 2 * n
        elif defect == "out_of_domain":
            domain = [la for la in labels if la.startswith(f"{column} ")
                      and ("accepted" in la or ">=" in la or "<=" in la)]
            if domain:
                expected[(suite, domain[0])] += n
            else:  # e.g. a score outside its survey's scale: a contract row check
                row_checks[suite] += n
        elif defect == "row_check_violation":
            row_checks[suite] += n
    assert expected, "the generator planted nothing?"
    for key, n in expected.items():
        assert got[key] == n, (key, got[key], n)
    for suite, n in row_checks.items():
        total = sum(v for (s, label), v in got.items()
                    if s == f"{suite}.relations" and label.startswith("row check"))
        assert total == n, (suite, total, n)
    # a freshness warning only where the latest row that is not in the future (as-of + the
    # 24 h tolerance) is more than 2 days old: future-dated rows cannot make a table fresh
    stale = set()
    with duckdb.connect(str(db), read_only=True) as con:
        for suite, label in got:
            if label.startswith("freshness: max(") and got[(suite, label)]:
                column = label[len("freshness: max("):label.index(")")]
                latest = con.execute(
                    f"select max({column}) from {suite} where {column} <= ?",
                    [dt.datetime.combine(AS_OF, dt.time()) + dt.timedelta(hours=24)],
                ).fetchone()[0]
                assert latest < dt.datetime.combine(AS_OF, dt.time()) - dt.timedelta(days=2), (
                    suite, latest)
                stale.add((suite, label))
    # nothing else is unexpected
    accounted = set(expected) | stale | {
        (s, label) for (s, label) in got if label.startswith("row check")
    }
    assert {k for k, v in got.items() if v} <= accounted


def test_demo_with_a_bad_batch_beyond_tolerance_fails(demo_db, tmp_path, monkeypatch):
    db = tmp_path / "cxux.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        total = con.execute("select count(*) from raw.orders").fetchone()[0]
        planted = con.execute("select count(*) from raw.orders where status not in "
                              "('placed', 'paid', 'shipped', 'delivered', 'cancelled', "
                              "'returned')").fetchone()[0]
        # 5% of the orders get an unknown status (tolerance: 2%)
        injected = con.execute(
            "update raw.orders set status = 'lost_in_export' where order_id in "
            f"(select order_id from raw.orders where status = 'delivered' "
            f"order by order_id limit {total // 20})"
        ).fetchone()[0]
    result = _run(db, monkeypatch)
    assert not result.passed
    [failure] = [o for o in result.failures if o.severity == "error"]
    assert (failure.suite, failure.expectation) == ("raw.orders", "status in accepted values")
    assert failure.unexpected_count == planted + injected
