"""The main job end to end on generated demo data: generate, build, quality, publish, query.

Expected values here are computed independently of the models, straight from
the raw tables with plain SQL, so a wrong model cannot agree with itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from cxux_cli.contract import load_contract

REPO = Path(__file__).resolve().parents[2]


def test_every_raw_row_is_staged_or_quarantined(demo_warehouse):
    with demo_warehouse.connect() as con:
        for table in load_contract(REPO):
            raw = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            staged = con.execute(f"select count(*) from staging.stg_raw__{table}").fetchone()[0]
            quarantined = con.execute(
                "select count(*) from quarantine.quarantine_raw_rows where table_name = ?", [table]
            ).fetchone()[0]
            assert raw > 0, table
            assert staged + quarantined == raw, table


def test_build_prints_reconciliation_summary(demo_warehouse):
    with demo_warehouse.connect() as con:
        raw_orders = con.execute("select count(*) from raw.orders").fetchone()[0]
    line = next(row for row in demo_warehouse.build_output.splitlines() if row.startswith("orders "))
    assert f"{raw_orders:,}" in line


def test_published_copy_holds_the_marts(demo_warehouse):
    """Every mart but the per-metric models (metric__*, whose rows metric_values holds),
    with the rows the build wrote."""
    assert demo_warehouse.published_path.is_file()
    with demo_warehouse.connect() as con:
        built = [name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]
        expected = {
            name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for name in built if not name.startswith("metric__")
        }
    with duckdb.connect(str(demo_warehouse.published_path), read_only=True) as published:
        copied = {name for (name,) in published.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
        assert copied == set(expected)
        for name, rows in expected.items():
            assert published.execute(f'select count(*) from marts."{name}"').fetchone()[0] == rows


def test_monthly_nps_matches_raw_survey_answers(demo_warehouse):
    """NPS per month recomputed from raw rows: one valid answer per respondent per wave."""
    result = demo_warehouse.cxux("metrics", "query", "nps", "--grain", "month", "--format", "json")
    rows = {row["period_start"]: row for row in json.loads(result.stdout)}
    assert rows, "no monthly NPS values"
    with demo_warehouse.connect() as con:
        expected = con.execute(
            """
            with valid as (
                select distinct response_id, survey_id, respondent_user_id, score, responded_at
                from raw.survey_responses
                where survey_type = 'nps' and score between 0 and 10
                  and response_id in (select response_id from staging.stg_raw__survey_responses)
            ),
            answers as (  -- one answer per respondent per wave: the latest
                select * from valid
                qualify row_number() over (
                    partition by survey_id, coalesce(respondent_user_id, response_id)
                    order by responded_at desc, response_id desc
                ) = 1
            )
            select
                strftime(date_trunc('month', responded_at), '%Y-%m-%d') as month,
                100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6))
                    / count(*) as nps,
                count(*) as n
            from answers
            group by 1
            """
        ).fetchall()
    checked = 0
    for month, nps, n in expected:
        if month in rows:
            assert abs(rows[month]["value"] - nps) < 1e-9, month
            assert rows[month]["sample_size"] == n, month
            checked += 1
    assert checked >= len(expected) - 1  # every month with answers is reported


def test_quality_passes_on_clean_demo_build(demo_warehouse):
    result = demo_warehouse.cxux("quality", "--as-of", demo_warehouse.as_of, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
