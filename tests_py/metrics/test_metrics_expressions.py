"""Expressions: injection attempts through filters and --where are rejected."""

from __future__ import annotations

import pytest

from cxux_cli.metrics import expressions

KNOWN = {"survey_type", "score", "is_promoter", "region", "account_id"}


@pytest.mark.parametrize("text, message", [
    ("survey_type = 'nps'; drop table marts.fct_orders",
     "must be a single expression: ';' is not allowed"),
    ("survey_type = 'nps' -- ", "must not contain SQL comments (-- or /* */)"),
    ("survey_type = 'nps' /* x */", "must not contain SQL comments (-- or /* */)"),
    ("account_id in (select account_id from dim_customers)",
     "must be an expression, not a query or subquery"),
    ("exists (select 1)", "must be an expression, not a query or subquery"),
    ("select 1", "must be an expression, not a query or subquery"),
    ("score > 1 union select 2", "must be an expression, not a query or subquery"),
    ("drop table x", "must be an expression, not a statement"),
    ("pg_sleep(10) is null",
     "uses function pg_sleep(), which is not in the allow-list (see docs/metrics_spec.md)"),
    ("read_csv('/etc/passwd') is not null",
     "uses function read_csv(), which is not in the allow-list (see docs/metrics_spec.md)"),
    ("\"Score\" > 1", "uses '\"Score\"': column names must be plain lowercase identifiers"),
    ("score + 1", ("must be a boolean expression (a comparison, and/or/not, in, between, is "
                  "null, like, or a boolean column)")),
    ("scroe > 1", "unknown column 'scroe'"),
])
def test_filter_rejections(text, message):
    checked = expressions.check(text, boolean=True, known=KNOWN)
    assert checked.errors[0] == message


@pytest.mark.parametrize("text, columns", [
    ("survey_type = 'nps'", ["survey_type"]),
    ("is_promoter", ["is_promoter"]),
    ("not is_promoter and coalesce(score, 0) between 0 and 10", ["is_promoter", "score"]),
    ("lower(region) in ('europe', 'asia_pacific') or region is null", ["region"]),
])
def test_filters_accepted(text, columns):
    checked = expressions.check(text, boolean=True, known=KNOWN)
    assert (checked.errors, checked.columns) == ([], columns)


def test_where_is_rebuilt_with_bound_parameters():
    sql, params = expressions.render_where(
        "region in ('europe', 'asia_pacific') and not region = 'x''; drop table t'",
        {"region": "dimension_value"})
    assert sql == ("(dimension_value in (?, ?) and (not dimension_value = ?))")
    assert params == ["europe", "asia_pacific", "x'; drop table t"]


@pytest.mark.parametrize("text, message", [
    ("region = 'a'; drop table marts.metric_values",
     "--where must be a single expression: ';' is not allowed"),
    ("region = 'a' or 1 = (select 1)", "--where must be an expression, not a query or subquery"),
    ("lower(region) = 'a'", ("--where uses function lower(), which is not in the allow-list "
                            "(see docs/metrics_spec.md)")),
    ("metric_name = 'nps'", ("--where uses 'metric_name', which is not a --by dimension; "
                            "usable columns: region")),
    ("region = other_column", ("--where uses 'other_column', which is not a --by dimension; "
                              "usable columns: region")),
    ("region", "--where compares a column with a literal only"),
])
def test_where_rejections(text, message):
    with pytest.raises(ValueError) as excinfo:
        expressions.render_where(text, {"region": "dimension_value"})
    assert str(excinfo.value) == message
