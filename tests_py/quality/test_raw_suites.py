"""Raw suites: a clean load passes; each class of bad data fails the right check with the right count.

Counts are worked out by hand from the injections below (200 rows per table,
tolerance 2%: 4 bad rows pass, 10 fail).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from rawdata import make_raw_db

from cxux_cli.project import Project
from cxux_cli.quality.runner import run_quality, state_path

ROOT = Path(__file__).resolve().parents[2]
FRESH = dt.datetime(2024, 6, 2)  # the hand-made rows are from 2024-06-01


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clean") / "cxux.duckdb"
    make_raw_db(path, ROOT)
    return path


def _project(monkeypatch, db: Path) -> Project:
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(db))
    return Project(root=ROOT, target="duckdb")


def _find(result, suite, label_start):
    matches = [o for o in result.outcomes if o.suite == suite and o.expectation.startswith(label_start)]
    assert len(matches) == 1, (suite, label_start, [o.expectation for o in result.outcomes if o.suite == suite])
    return matches[0]


def test_clean_load_passes_and_warnings_do_not_fail(clean_db, tmp_path, monkeypatch):
    db = tmp_path / "cxux.duckdb"
    shutil.copy(clean_db, db)
    project = _project(monkeypatch, db)
    # 9 days after the newest row: freshness (warning) fails, nothing else does.
    result = run_quality(project, suites=("raw",), as_of=dt.datetime(2024, 6, 10))
    errors = [o for o in result.failures if o.severity == "error"]
    assert errors == []
    assert result.passed
    stale = {o.suite for o in result.failures}
    assert "raw.orders" in stale and all(
        o.expectation.startswith("freshness") and o.severity == "warning" for o in result.failures
    )
    assert (result.data_docs_path).is_file()
    # a passing run records this load's counts as the next baseline
    counts = json.loads(state_path(project).read_text())["raw_row_counts"]
    assert counts["orders"] == 200 and counts["survey_item_answers"] == 2000


INJECTIONS = [
    # (sql, suite, check label prefix, unexpected count)
    ("update raw.orders set channel = null where order_id in ({ids:orders})",
     "raw.orders", "channel not null", 10),
    ("update raw.support_tickets set status = 'bogus' where ticket_id in ({ids:support_tickets})",
     "raw.support_tickets", "status in accepted values", 10),
    ("update raw.order_items set quantity = -1 where order_item_id in ({ids:order_items})",
     "raw.order_items", "quantity >= 1", 10),
    ("update raw.reviews set rating = 6 where review_id in ({ids:reviews})",
     "raw.reviews", "rating >= 1 and rating <= 5", 10),
    ("update raw.events set occurred_at = timestamp '2030-01-01' where event_id in ({ids:events})",
     "raw.events", "occurred_at between 2000-01-01 and now", 10),
    (("update raw.page_views set occurred_at = timestamp '1999-12-31' "
     "where page_view_id in ({ids:page_views})"),
     "raw.page_views", "occurred_at between 2000-01-01 and now", 10),
    # 5 exact copies: the 5 originals and the 5 copies are unexpected (10 of 205 = 4.9% > 3%)
    ("insert into raw.products select * from raw.products where product_id in ({ids5:products})",
     "raw.products", "product_id unique", 10),
    (("update raw.ticket_events set ticket_id = 'no-such-ticket' "
     "where ticket_event_id in ({ids:ticket_events})"),
     "raw.ticket_events.relations", "ticket_id references support_tickets.ticket_id", 10),
    ("update raw.survey_responses set score = 11 where response_id in ({ids:survey_responses})",
     "raw.survey_responses.relations", "row check: not (score outside the scale", 10),
]


def _ids(table, n):
    return ", ".join(f"'{table}-{i}'" for i in range(n))


def test_each_class_of_bad_data_fails_the_right_check(clean_db, tmp_path, monkeypatch):
    db = tmp_path / "cxux.duckdb"
    shutil.copy(clean_db, db)
    with duckdb.connect(str(db)) as con:
        for sql, *_ in INJECTIONS:
            table = sql.split("{ids")[1].split(":")[1].split("}")[0]
            sql = sql.replace(f"{{ids:{table}}}", _ids(table, 10))
            sql = sql.replace(f"{{ids5:{table}}}", _ids(table, 5))
            con.execute(sql)
        # within tolerance: 2 of 200 (1%) nulls pass
        con.execute(f"update raw.accounts set segment = null where account_id in ({_ids('accounts', 2)})")
    project = _project(monkeypatch, db)
    # previous load had 1000 users: 200 now is a drop below half
    state_path(project).write_text(json.dumps({"raw_row_counts": {"users": 1000, "reviews": 50}}))
    result = run_quality(project, suites=("raw",), as_of=FRESH)
    assert not result.passed
    for _, suite, label, count in INJECTIONS:
        outcome = _find(result, suite, label)
        assert not outcome.success, (suite, label)
        assert outcome.severity == "error"
        assert outcome.unexpected_count == count, (suite, label, outcome)
    tolerated = _find(result, "raw.accounts", "segment not null")
    assert tolerated.success and tolerated.unexpected_count == 2
    drop = _find(result, "raw.users", "row count >= 0.5 x previous")
    assert not drop.success and drop.severity == "error" and drop.observed_value == 200
    spike = _find(result, "raw.reviews", "row count <= 3 x previous")  # 200 > 150
    assert not spike.success and spike.severity == "warning"
    sample = _find(result, "raw.orders", "channel not null").sample_ids
    assert sample and set(sample) <= {f"orders-{i}" for i in range(10)}
    failing = {(o.suite, o.expectation) for o in result.failures}
    expected = {(s, _find(result, s, label).expectation) for _, s, label, _ in INJECTIONS}
    expected |= {("raw.users", drop.expectation), ("raw.reviews", spike.expectation)}
    assert failing == expected  # nothing else failed
    # a failed run keeps the old baseline
    assert json.loads(state_path(project).read_text())["raw_row_counts"]["users"] == 1000
