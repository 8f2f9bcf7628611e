"""The adapters' dbt unit tests (hand-worked rows in models/adapters/<system>/_<system>__models.yml)
and data tests, run with each adapter on. An adapter is disabled by default, and dbt skips the
unit tests of a disabled model without a word, so a default `dbt build` never runs them. Each
adapter also has an end-to-end module (test_<system>.py); this one checks, for Stripe, Shopify,
Delighted and Zendesk, that every unit test their YAML declares really ran and passed, in a
build of their models alone (tests_py/adapters/test_adapters_on_postgres.py does the same for
every adapter on PostgreSQL).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests_py.adapters.test_shopify import load_system
from tests_py.conftest import REPO, isolated_env

DBT = str(Path(sys.executable).parent / "dbt")


def build_adapter_and_check_unit_tests(system: str, env: dict, *dbt_args: str) -> None:
    """`dbt build` of one adapter's models (and their parents) with the adapter on, then
    check that every unit test its YAML declares really ran and passed (a disabled model's
    unit tests would be skipped and the build still pass)."""
    result = subprocess.run(
        [DBT, "build", "--select", f"+path:models/adapters/{system}", *dbt_args,
         "--vars", json.dumps({f"cxux_adapter_{system}": True, "cxux_as_of": "2026-07-01"})],
        env=env, cwd=REPO, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    declared = yaml.safe_load(
        (REPO / "models" / "adapters" / system / f"_{system}__models.yml").read_text())
    names = [test["name"] for test in declared.get("unit_tests", [])]
    assert names, f"the {system} adapter declares no unit test"
    passed = [line for line in output.splitlines() if " PASS " in line]
    for name in names:
        assert any(f"::{name} " in line for line in passed), (
            f"unit test {name} did not pass:\n{output[-3000:]}")


@pytest.mark.parametrize("system", ["stripe", "delighted", "zendesk", "shopify"])
def test_adapter_models_and_unit_tests_pass(system, tmp_path):
    env = isolated_env(tmp_path)
    load_system(env, system)
    build_adapter_and_check_unit_tests(system, env)
