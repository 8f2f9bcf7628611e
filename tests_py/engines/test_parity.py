"""Same models, same numbers: DuckDB, PostgreSQL and Spark build the same demo data.

One small demo data set (scale 0.1, seed 7, as of 2026-06-30) is generated into
DuckDB, copied to each other engine with `cxux_cli.engines.copy_raw`, and built with
dbt on every engine. Then for every mart (every table in schema `marts`):

- the same tables exist and have the same row counts;
- a column profile agrees: per column the non-null count, and for numeric and
  boolean columns the sum (true = 1);
- `metric_values` agrees row by row, keyed by metric, grain, period and slice: every
  numeric field (value, numerator, denominator, sample size, confidence interval,
  target ...) within FLOAT_TOLERANCE, every text/date/boolean field exactly.

Differences between engines (quantile methods, integer division, week start, null
ordering, numeric scale) are removed in the macros, not tolerated here: the only
tolerance is for the last bits of floating-point sums, whose order differs between
engines.

An engine that is not installed locally is skipped with the reason; with
CXUX_REQUIRE_ENGINES=1 (CI) a missing engine fails instead. PostgreSQL needs a server
(scripts/postgres.sh) and CXUX_PG_PASSWORD; the test replaces schemas raw, cxux_meta,
seeds, staging, intermediate, quarantine and marts in database CXUX_PG_DBNAME (default
cxux): point it at a scratch database. Spark runs in session mode in a temporary
directory. The Spark leg runs `dbt build --exclude test_type:data` (data tests run on
DuckDB and PostgreSQL; Spark is slow per query).
"""

from __future__ import annotations

from tests_py.engines.conftest import _same

# Columns that are engine-specific by design, left out of the comparison: the
# checksums of incremental models (an incremental metric model's source_checksum,
# fct_user_feature_months.month_checksum) hash with each engine's own function, and
# Spark, where incremental models are tables, may have none (docs/incremental.md).
ENGINE_SPECIFIC_COLUMNS = {"source_checksum", "month_checksum"}

# ---------------------------------------------------------------------------
# Comparing


def _compare(expected: dict, actual: dict, engine: str) -> None:
    assert actual["tables"] == expected["tables"], (
        f"{engine}: marts differ: missing {sorted(set(expected['tables']) - set(actual['tables']))},"
        f" extra {sorted(set(actual['tables']) - set(expected['tables']))}"
    )
    counts = {
        t: (expected["counts"][t], actual["counts"][t])
        for t in expected["tables"] if expected["counts"][t] != actual["counts"][t]
    }
    assert not counts, f"{engine}: row counts differ (duckdb, {engine}): {counts}"

    profiles = []
    for table in expected["tables"]:
        for column, entry in expected["profiles"][table].items():
            if column in ENGINE_SPECIFIC_COLUMNS:
                continue
            other = actual["profiles"][table].get(column)
            if other is None or set(other) != set(entry) or not all(
                _same(entry[k], other[k]) for k in entry
            ):
                profiles.append(f"{table}.{column}: duckdb {entry} != {engine} {other}")
    assert not profiles, (
        f"{engine}: {len(profiles)} mart columns differ, e.g.:\n" + "\n".join(profiles[:25])
    )

    exp, act = expected["metric_values"], actual["metric_values"]
    assert exp, "duckdb built no metric values: nothing to compare"
    missing, extra = sorted(set(exp) - set(act), key=str), sorted(set(act) - set(exp), key=str)
    assert not missing and not extra, (
        f"{engine}: metric_values keys differ: {len(missing)} missing, e.g. {missing[:5]};"
        f" {len(extra)} extra, e.g. {extra[:5]}"
    )
    differences = []
    for key, record in exp.items():
        for column, value in record.items():
            if not _same(value, act[key][column]):
                differences.append(f"{key} {column}: duckdb {value!r} != {engine} {act[key][column]!r}")
    assert not differences, (
        f"{engine}: {len(differences)} metric values differ, e.g.:\n" + "\n".join(differences[:25])
    )


def test_duckdb_builds_metric_values(duckdb_marts):
    # The reference leg must have something to compare: the demo data covers the catalog.
    assert len(duckdb_marts["metric_values"]) > 1000
    assert duckdb_marts["counts"]["metric_values"] == len(duckdb_marts["metric_values"])


def test_postgres_matches_duckdb(duckdb_marts, postgres_marts):
    _compare(duckdb_marts, postgres_marts, "postgres")


def test_spark_matches_duckdb(duckdb_marts, spark_marts):
    _compare(duckdb_marts, spark_marts, "spark")
