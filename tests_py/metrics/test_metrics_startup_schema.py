"""Start-up imports, and the JSON Schema kept in step with the validator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from cxux_cli.metrics import spec

REPO = Path(__file__).resolve().parents[2]


def test_list_and_query_do_not_import_dbt_or_great_expectations(project):
    code = (
        "import sys\n"
        "from cxux_cli.cli import main\n"
        "assert main(['metrics', 'list', '--format', 'json']) == 0\n"
        "main(['metrics', 'query', 'nps'])\n"
        "main(['metrics', 'validate'])\n"
        "main(['metrics', 'diff'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dbt', 'great_expectations', 'pandas'))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            cwd=project)
    assert "HEAVY=\n" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]


def test_schema_file_is_current():
    assert spec.SCHEMA_PATH.read_text() == spec.schema_text(), (
        "run `python -m cxux_cli.metrics.spec` to rewrite the schema")


def test_repository_definitions_satisfy_the_json_schema():
    schema = json.loads(spec.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((REPO / "metrics").rglob("*.yml"))
    assert files
    for path in files:
        # YAML dates are ISO strings in the schema's eyes, as in the validator
        document = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        errors = sorted(str(e.message) for e in validator.iter_errors(document))
        assert errors == [], f"{path}: {errors}"


def test_schema_rejects_what_the_validator_rejects():
    validator = jsonschema.Draft202012Validator(json.loads(spec.SCHEMA_PATH.read_text()))
    document = {"metrics": [{
        "name": "nps", "label": "NPS", "description": "d", "domain": "cx",
        "level": "relationship", "audience": "customer", "owner": "cx", "type": "nps",
        "model": "fct_survey_responses", "time": "responded_at", "unit": "score",
        "direction": "higher_is_better", "treshold": 1}]}
    messages = sorted(e.message for e in validator.iter_errors(document))
    assert any("'treshold' was unexpected" in m for m in messages)
    assert any("'measure' is a required property" in m for m in messages)


def test_every_definition_file_points_editors_at_the_schema():
    for path in sorted((REPO / "metrics").rglob("*.yml")):
        first = path.read_text().splitlines()[0]
        assert first == ("# yaml-language-server: $schema=../../cxux_cli/metrics/schema/"
                         "metric_definition.schema.json"), path


def test_list_does_not_import_sqlglot(project):
    code = ("import sys\nfrom cxux_cli.cli import main\n"
            "assert main(['metrics', 'list']) == 0\n"
            "print('SQLGLOT=' + str('sqlglot' in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=project)
    assert "SQLGLOT=False" in result.stdout, result.stderr[-2000:]


def test_light_loading_finds_the_same_dependencies(project):
    from cxux_cli.metrics.catalog import load_definitions

    full = {d["name"]: d["depends_on"] for d in load_definitions(project).definitions}
    light = {d["name"]: d["depends_on"] for d in load_definitions(project, light=True).definitions}
    assert light == full
    assert full["stickiness"] == ["dau", "mau_28d"]
