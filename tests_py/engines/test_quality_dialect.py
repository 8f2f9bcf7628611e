"""The quality checks' SQL per engine: one definition, only the dialect's tokens differ.

No engine needed: the checks are built for the raw contract and every mart, once in the
standard dialect (DuckDB, PostgreSQL) and once in Spark's. Spark SQL reads "x" as a
string literal and rejects `varchar` without a length ([DATATYPE_MISSING_SIZE]); the
Spark leg (test_safe_publish.py) runs these checks in Spark.
"""

from __future__ import annotations

import datetime as dt

from tests_py.engines.conftest import REPO


def _sql(dialect) -> list[str]:
    from cxux_cli.contract import load_contract
    from cxux_cli.quality.checks import MART_KEYS, mart_checks, raw_checks
    from cxux_cli.quality.runner import load_metric_definitions

    as_of = dt.datetime(2026, 6, 30)
    checks = raw_checks(load_contract(REPO), "raw", as_of, {"orders": 100},
                        dialect=dialect)
    checks += mart_checks({*MART_KEYS, "metric_availability"}, load_metric_definitions(REPO),
                          as_of.date(), "marts_build", dialect=dialect)
    return [text for c in checks
            for text in (c.asset.query, c.kwargs.get("unexpected_rows_query", ""))]


def test_spark_sql_has_no_double_quotes_nor_varchar():
    from cxux_cli.quality.checks import SPARK

    spark = _sql(SPARK)
    assert len(spark) > 100
    quoted = [q for q in spark if '"' in q]
    assert not quoted, f"double quotes (a string literal in Spark SQL): {quoted[0][:200]}"
    varchar = [q for q in spark if "varchar" in q.lower()]
    assert not varchar, f"varchar without a length: {varchar[0][:200]}"
    assert any("`marts_build`.`fct_orders`" in q for q in spark)
    assert any("cast(`order_id` as string)" in q for q in spark)


def test_standard_and_spark_sql_differ_only_in_dialect_tokens():
    from cxux_cli.quality.checks import SPARK, STANDARD

    standard, spark = _sql(STANDARD), _sql(SPARK)
    assert any('"raw"."orders"' in q for q in standard)
    assert any("cast(\"order_id\" as varchar)" in q for q in standard)
    translated = [q.replace("`", '"').replace(" as string)", " as varchar)") for q in spark]
    assert translated == standard
