"""The MetricFlow export loads, and MetricFlow agrees with metric_values (issue 15).

On the demo warehouse (session fixture `demo_warehouse`): the export is dropped
into a copy of the dbt project, `dbt parse` and `dbt run -s cxux_time_spine` run
there, then one Python process (this file run as a script, so dbt's global state
stays out of pytest) runs `mf validate-configs` (the Click command itself, data
warehouse checks included) and every query through one MetricFlow engine. Each
exported cxux metric is queried at its finest grain, in total and by one
dimension (one with a NULL slice where the metric has one), and compared with
metric_values period by period.

What is not compared, and why: the metrics the export skips (share of total,
previous_period; their reasons are asserted below). Nothing else.

Needs dbt-metricflow (`pip install -e '.[metricflow]'`); skipped without it,
failed without it when CXUX_REQUIRE_ENGINES=1 (CI).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cxux_cli.metrics.spec import NULL_DIMENSION_VALUE

REPO = Path(__file__).resolve().parents[2]
REQUIRE = os.environ.get("CXUX_REQUIRE_ENGINES") == "1"
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds")
SEMANTIC_YML = Path("models/semantic/cxux_semantic_layer.yml")
# The export's documented skips (docs/semantic_layer.md): the only metrics not compared.
NOT_EXPORTED = {
    "churn_reasons": "a share of total divides each slice by the total",
    "nps_change": "previous_period depends on the query's grain",
}
# Values are computed by the same engine on both sides; ratios and percentiles may
# differ in the last bits only.
RELATIVE_TOLERANCE = 1e-9


def _need_metricflow():
    if importlib.util.find_spec("dbt_metricflow") is None:
        reason = "dbt-metricflow is not installed (pip install -e '.[metricflow]')"
        if REQUIRE:
            pytest.fail(f"CXUX_REQUIRE_ENGINES=1 but {reason}")
        pytest.skip(reason)


def _run(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {result.returncode}\n"
                             f"stdout:\n{result.stdout[-6000:]}\nstderr:\n{result.stderr[-4000:]}")
    return result


def _metric_values(con, metric: str, grain: str, dimension: str) -> dict:
    rows = con.execute(
        "select period_start, dimension_value, value from marts.metric_values "
        "where metric_name = ? and grain = ? and dimension_name = ? and value is not null",
        [metric, grain, dimension]).fetchall()
    return {(period.isoformat(), value_of_slice): value
            for period, value_of_slice, value in rows}


@pytest.fixture(scope="module")
def metricflow(demo_warehouse, tmp_path_factory):
    """Export, parse, validate and query once; returns what the runner wrote."""
    _need_metricflow()
    root = tmp_path_factory.mktemp("metricflow")
    project = root / "project"
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / part)
    # MetricFlow's adapter opens the file for writing: work on a copy
    warehouse = root / "cxux.duckdb"
    shutil.copy(demo_warehouse.duckdb_path, warehouse)
    exported = demo_warehouse.cxux("metrics", "export", "--format", "metricflow",
                                   "--out", str(project / SEMANTIC_YML))
    env = dict(demo_warehouse.env, CXUX_DUCKDB_PATH=str(warehouse),
               DBT_TARGET_PATH=str(project / "target"), DBT_LOG_PATH=str(root / "logs"),
               DBT_PROJECT_DIR=str(project), DBT_PROFILES_DIR=str(project))
    dbt = str(Path(sys.executable).parent / "dbt")
    parsed = _run([dbt, "parse", "--no-partial-parse"], project, env)
    _run([dbt, "run", "--select", "cxux_time_spine"], project, env)

    document = yaml.safe_load((project / SEMANTIC_YML).read_text())
    con_args = {"database": str(warehouse), "read_only": True}
    import duckdb

    queries = []
    with duckdb.connect(**con_args) as con:
        for metric in document["metrics"]:
            meta = metric["config"]["meta"]
            if "cxux_part" in meta:
                continue
            grain = meta["cxux_grains"][0]
            queries.append({"metric": metric["name"], "cxux": meta["cxux_metric"],
                            "grain": grain, "dimension": None, "group_by": None})
            slices = meta["cxux_slices"]
            if not slices:
                continue
            with_null = [name for name in slices if any(
                value == NULL_DIMENSION_VALUE
                for _, value in _metric_values(con, meta["cxux_metric"], grain, name))]
            dimension = (with_null or list(slices))[0]
            queries.append({"metric": metric["name"], "cxux": meta["cxux_metric"],
                            "grain": grain, "dimension": dimension,
                            "group_by": slices[dimension]})
    # a grain finer than the definition allows is refused (first_reply_time_p90: week+)
    queries.append({"metric": "first_reply_time_p90", "cxux": "first_reply_time_p90",
                    "grain": "day", "dimension": None, "group_by": None, "refused": True})
    # a fact sliced by a dimension mart's attribute, through the customer entity
    queries.append({"metric": "first_reply_time_median", "cxux": "first_reply_time_median",
                    "grain": "day", "dimension": "segment", "group_by": "customer__segment",
                    "joined": True})
    spec_file = root / "queries.json"
    spec_file.write_text(json.dumps(queries))
    out_file = root / "results.json"
    _run([sys.executable, __file__, str(spec_file), str(out_file)], project, env)
    results = json.loads(out_file.read_text())
    results.update(document=document, export_stderr=exported.stderr,
                   parse_stdout=parsed.stdout, warehouse=str(warehouse))
    return results


def test_export_passes_dbt_parse_and_validate_configs(metricflow):
    assert "Error" not in metricflow["parse_stdout"], metricflow["parse_stdout"]
    # validate-configs exits 1 on any blocking issue, semantic or against the warehouse
    # (its spinners write past click, so the exit code is the verdict)
    assert metricflow["validate_exit_code"] == 0, metricflow["validate_output"]
    assert "ERROR" not in metricflow["validate_output"]


def test_every_exported_metric_agrees_with_metric_values(metricflow):
    import duckdb

    document = metricflow["document"]
    exported = {m["config"]["meta"]["cxux_metric"] for m in document["metrics"]
                if "cxux_part" not in m["config"]["meta"]}
    for name, reason in NOT_EXPORTED.items():
        assert name not in exported
        assert f"not exported: {name}: {reason}" in metricflow["export_stderr"]
    compared, null_slices, values_compared, mismatches = set(), 0, 0, []
    with duckdb.connect(metricflow["warehouse"], read_only=True) as con:
        for result in metricflow["results"]:
            query = result["query"]
            if query.get("refused") or query.get("joined"):
                continue
            assert "error" not in result, f"{query}: {result.get('error')}"
            expected = _metric_values(con, query["cxux"], query["grain"],
                                      query["dimension"] or "total")
            got = {(period, value_of_slice or "total"): value
                   for period, value_of_slice, value in result["rows"]
                   if period is not None and value is not None}
            # (a metric without data, like ces_1_mean in the demo, is empty on both sides)
            # every period and slice of metric_values, and no other
            missing = sorted(set(expected) - set(got))
            extra = sorted(set(got) - set(expected))
            if missing or extra:
                mismatches.append(f"{query['cxux']} {query['grain']} {query['dimension']}: "
                                  f"missing {missing[:3]} ({len(missing)}), "
                                  f"extra {extra[:3]} ({len(extra)})")
            values_compared += len(set(expected) & set(got))
            for key in set(expected) & set(got):
                if not math.isclose(got[key], expected[key], rel_tol=RELATIVE_TOLERANCE,
                                    abs_tol=1e-9):
                    mismatches.append(f"{query['cxux']} {query['grain']} {key}: MetricFlow "
                                      f"{got[key]} != metric_values {expected[key]}")
            null_slices += sum(1 for _, value_of_slice in expected
                               if value_of_slice == NULL_DIMENSION_VALUE)
            compared.add(query["cxux"])
    assert not mismatches, "\n".join(mismatches[:40])
    assert compared == exported
    assert values_compared > 1000
    # the NULL slice is exercised, not only declared
    assert null_slices > 0


def test_grain_finer_than_the_definition_is_refused(metricflow):
    refused = [r for r in metricflow["results"] if r["query"].get("refused")]
    assert len(refused) == 1
    assert "metric_time__week" in refused[0]["error"]  # MetricFlow's suggestion
    assert "rows" not in refused[0]


def test_entities_join_facts_to_dimensions(metricflow):
    by_name = {m["name"]: m for m in metricflow["document"]["semantic_models"]}
    primary = {e["name"]: name for name, m in by_name.items() for e in m["entities"]
               if e["type"] == "primary"}
    assert primary["customer"] == "dim_customers" and primary["end_user"] == "dim_users"
    tickets = {e["name"]: e for e in by_name["fct_tickets"]["entities"]}
    assert tickets["customer"] == {"name": "customer", "type": "foreign", "expr": "account_id"}
    assert tickets["end_user"]["expr"] == "requester_user_id"
    import duckdb

    [joined] = [r for r in metricflow["results"] if r["query"].get("joined")]
    assert "error" not in joined, joined["error"]
    with duckdb.connect(metricflow["warehouse"], read_only=True) as con:
        expected = _metric_values(con, "first_reply_time_median", "day", "segment")
    # fct_tickets.segment is the customer's segment: the same medians through the join.
    # Tickets without a customer have no dim_customers row (NULL after MetricFlow's left
    # join, `unknown` in the fact's own slice), so only known segments are compared.
    got = {(period, segment): value for period, segment, value in joined["rows"]
           if segment is not None and value is not None}
    known = {key: value for key, value in expected.items() if key[1] != NULL_DIMENSION_VALUE}
    assert len(known) > 10 and set(got) == set(known)
    assert all(math.isclose(got[key], known[key], rel_tol=RELATIVE_TOLERANCE) for key in known)


# ----------------------------------------------------------- the runner (a subprocess)

def _period(value) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _main(spec_file: str, out_file: str) -> None:
    """Run `mf validate-configs` and every query in one MetricFlow engine."""
    from click.testing import CliRunner
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from dbt_metricflow.cli.main import validate_configs
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    config = CLIConfiguration()
    config.setup(configure_file_logging=False)
    # the command itself, not the `mf` group: the group checks PyPI for updates
    validated = CliRunner().invoke(validate_configs, [], obj=config)
    out = {"validate_exit_code": validated.exit_code,
           "validate_output": validated.output[-20000:], "results": []}
    for query in json.loads(Path(spec_file).read_text()):
        group_by = [f"metric_time__{query['grain']}"]
        if query["group_by"]:
            group_by.append(query["group_by"])
        result = {"query": query}
        try:
            table = config.mf.query(MetricFlowQueryRequest.create(
                metric_names=[query["metric"]], group_by_names=group_by)).result_df
        except Exception as error:  # reported per query, asserted by the tests
            result["error"] = f"{type(error).__name__}: {error}"
        else:
            columns = list(table.column_names)
            time_at, value_at = columns.index(group_by[0]), columns.index(query["metric"])
            slice_at = columns.index(query["group_by"]) if query["group_by"] else None
            result["rows"] = [
                [_period(row[time_at]), None if slice_at is None else row[slice_at],
                 None if row[value_at] is None else float(row[value_at])]
                for row in table.rows]
        out["results"].append(result)
    Path(out_file).write_text(json.dumps(out))


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2])
