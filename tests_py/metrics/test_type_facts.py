"""One table of metric-type facts (spec.TYPE_FACTS) and one declaration of the
metric_values columns: the macros, the compiler, the quality checks and the export
read them, and nothing else restates them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cxux_cli.metrics import compiler, spec
from cxux_cli.quality.checks import value_range_family

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros" / "metrics"


def _table_keys(text: str, name: str) -> set[float]:
    """The confidence keys of a Jinja dict literal `set <name> = {0.8: ..., 0.9: ...}`."""
    body = text.split(f"set {name} = {{", 1)[1]
    return {float(key) for key in re.findall(r"(?:^|[,{\s])(0\.\d+):", body.split("} -%}")[0])}


def test_confidence_levels_are_those_the_interval_sql_computes():
    stats = (MACROS / "cxux_metric_stats.sql").read_text()
    assert _table_keys(stats, "table") == set(spec.Z_CONFIDENCE_LEVELS) == {
        0.8, 0.9, 0.95, 0.98, 0.99}
    assert _table_keys(stats, "tables") == set(spec.T_CONFIDENCE_LEVELS) == {0.9, 0.95, 0.99}


def test_macros_read_the_normalized_keys_without_aliases_or_defaults():
    # the second normaliser is gone: no alias lists (['cut', 'top_box_min', ...]), no
    # definition.get(key, default), no cxux_metric_param
    for path in sorted(MACROS.glob("*.sql")):
        text = path.read_text()
        assert "cxux_metric_param" not in text, path.name
        assert "cxux_metric_required" not in text, path.name
        assert "definition.get(" not in text, path.name
        assert "top_box_min" not in text and "'formula'" not in text, path.name
        assert "'unknown'" not in text, path.name  # the NULL slice comes from the registry


def test_type_facts_drive_interval_defaults_and_ranges():
    assert spec.type_facts("nps").defaults == {"scale": [0, 10], "promoter_min": 9,
                                               "detractor_max": 6}
    assert spec.type_facts("nps").intervals[0] == "rocks"
    assert spec.type_facts("average").intervals == ("t", "none")
    assert spec.type_facts("derived").incremental is False
    assert value_range_family({"type": "nps"}) == "nps"
    assert value_range_family({"type": "apdex"}) == "proportion"
    assert value_range_family({"type": "ratio", "unit": "share"}) is None


def test_null_dimension_value_cannot_be_a_code():
    # codes are lowercase letters, digits and underscores; '(' and ' ' are neither
    assert spec.NULL_DIMENSION_VALUE == "(not set)"
    assert not re.match(r"^[a-z0-9_]+$", spec.NULL_DIMENSION_VALUE)


def test_registry_carries_the_null_dimension_value():
    text = compiler.registry_text([])
    assert ("{% macro cxux_metric_null_dimension_value() -%}\n"
            "{{ return('(not set)') }}\n") in text


def test_metric_values_columns_are_declared_once_with_an_enforced_contract():
    models = yaml.safe_load((REPO / "models/marts/metrics/_metrics__models.yml").read_text())
    metric_values = next(m for m in models["models"] if m["name"] == "metric_values")
    assert metric_values["config"]["contract"] == {"enforced": True}
    columns = metric_values["columns"]
    names = [c["name"] for c in columns]
    assert all("data_type" in c for c in columns)
    assert all(c["description"] == f"{{{{ doc('metric_values__{c['name']}') }}}}"
               for c in columns)
    # the new judgement columns, next to target
    assert names[names.index("target"):names.index("status") + 1] == [
        "target", "warning_threshold", "critical_threshold", "status"]
    assert "is_complete_period" in names
    # a doc block for each, and the compiler writes exactly these columns
    docs = (REPO / "models/marts/metrics/_metrics__docs.md").read_text()
    assert sorted(re.findall(r"{% docs metric_values__(\w+) %}", docs)) == sorted(names)
    assert list(compiler.metric_value_columns()) == names
    # metric_values.sql selects the contract's columns, not its own list
    sql = (REPO / "models/marts/metrics/metric_values.sql").read_text()
    assert "model['columns']" in sql and "'ci_lower'" not in sql
