"""--where errors a user can act on: too deep nesting, a text dimension compared with a
number. Both are refused before any SQL runs, with exit code 2 from the CLI."""

from __future__ import annotations

import pytest

from cxux_cli.metrics import expressions

REGION = {"region": "dimension_value"}
DEEP = "(" * 2000 + "region = 'europe'" + ")" * 2000


@pytest.mark.parametrize("text", [
    DEEP,
    "not " * 3000 + "region = 'europe'",               # deep without parentheses
    " or ".join(["region = 'europe'"] * 3000),          # a long chain parses into a deep tree
    "(" * 26 + "region = 'europe'" + ")" * 26,          # one level beyond the limit
])
def test_deep_nesting_is_a_plain_error_not_a_recursion_error(text):
    with pytest.raises(ValueError, match="too deeply nested") as caught:
        expressions.render_where(text, REGION)
    assert "RecursionError" not in str(caught.value)


def test_nesting_up_to_the_limit_still_works():
    depth = expressions.MAX_PARENTHESES
    sql, params = expressions.render_where("(" * depth + "region = 'europe'" + ")" * depth,
                                           REGION)
    # worked by hand: each kept pair of parentheses renders as one pair around the comparison
    assert sql == "(" * depth + "dimension_value = ?" + ")" * depth
    assert params == ["europe"]


def test_definition_expressions_get_the_same_limit():
    checked = expressions.check("(" * 500 + "score" + ")" * 500 + " > 8", boolean=True)
    assert checked.errors and "too deeply nested" in checked.errors[0]


@pytest.mark.parametrize(("text", "literal"), [
    ("region > 5", "5"),
    ("5 < region", "5"),
    ("region = -5", "-5"),
    ("(region) = 2.5", "2.5"),
    ("region in ('europe', 3)", "3"),
    ("region between 1 and 'z'", "1"),
    ("region = true", "TRUE"),
])
def test_text_dimension_compared_with_a_number_is_a_type_error(text, literal):
    with pytest.raises(ValueError) as caught:
        expressions.render_where(text, REGION)
    message = str(caught.value)
    assert f"compares 'region' with {literal}" in message
    assert "text dimension" in message and "quote the value" in message


@pytest.mark.parametrize(("text", "sql", "params"), [
    ("region > '5'", "dimension_value > ?", ["5"]),
    ("region in ('europe', 'asia_pacific')", "dimension_value in (?, ?)",
     ["europe", "asia_pacific"]),
    ("region is null", "(dimension_value is null)", []),
])
def test_text_comparisons_still_render(text, sql, params):
    assert expressions.render_where(text, REGION) == (sql, params)


def _run_query(monkeypatch, tmp_path, capsys, where):
    import duckdb

    from cxux_cli.cli import main

    published = tmp_path / "published.duckdb"
    duckdb.connect(str(published)).close()  # exists, holds nothing: no SQL may reach it
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(published))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "warehouse.duckdb"))
    code = main(["metrics", "query", "nps", "--by", "region", "--where", where])
    return code, capsys.readouterr().err


def test_cli_deep_where_exits_2_with_the_message(monkeypatch, tmp_path, capsys):
    code, err = _run_query(monkeypatch, tmp_path, capsys, DEEP)
    assert code == 2
    assert "too deeply nested" in err
    assert "RecursionError" not in err and "unexpected error" not in err


def test_cli_text_dimension_against_number_exits_2_before_sql(monkeypatch, tmp_path, capsys):
    code, err = _run_query(monkeypatch, tmp_path, capsys, "region > 5")
    assert code == 2
    assert "'region' is a text dimension" in err
    assert "Binder" not in err and "metric_values does not exist" not in err
