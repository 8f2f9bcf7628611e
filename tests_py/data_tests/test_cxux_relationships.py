"""The generic test cxux_relationships (macros/tests/test_cxux_relationships.sql): dbt's
relationships check, except while the raw table behind the parent cannot be seen (its
domain is off: macros/staging/cxux_domains.sql).

A throwaway dbt project with the project's own macro files: a child table with one key
that has no parent, counted by hand.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
MACROS = ["macros/tests/test_cxux_relationships.sql", "macros/staging/cxux_domains.sql",
          "macros/staging/cxux_raw_relation.sql"]

SCHEMA_YML = """\
version: 2
models:
  - name: parents
  - name: children
    columns:
      - name: parent_id
        data_tests:
          - cxux_relationships:
              name: children_of_accounts
              arguments: {to: ref('parents'), field: parent_id, raw_table: accounts}
          - cxux_relationships:
              name: children_of_tickets
              arguments: {to: ref('parents'), field: parent_id, raw_table: support_tickets}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("relationships")
    (root / "dbt_project.yml").write_text(
        "name: relationships_check\nprofile: cxux\nconfig-version: 2\n"
        "model-paths: [models]\nmacro-paths: [macros]\n"
        "models:\n  relationships_check:\n    +materialized: table\n")
    (root / "profiles.yml").write_text(
        "cxux:\n  target: duckdb\n  outputs:\n    duckdb:\n"
        f"      type: duckdb\n      path: {root / 'check.duckdb'}\n      threads: 1\n")
    (root / "models").mkdir()
    (root / "models" / "parents.sql").write_text(
        "select * from (values ('p1'), ('p2')) as parents (parent_id)")
    # c3's parent p9 does not exist; c4 has no parent (null is not checked)
    (root / "models" / "children.sql").write_text(
        "select * from (values ('c1', 'p1'), ('c2', 'p2'), ('c3', 'p9'), "
        "('c4', cast(null as varchar))) as children (child_id, parent_id)")
    (root / "models" / "_models.yml").write_text(SCHEMA_YML)
    (root / "macros").mkdir()
    for macro in MACROS:
        shutil.copy(REPO / macro, root / "macros" / Path(macro).name)
    return root


def _build(root: Path, dbt_vars: dict) -> dict:
    """{test name: (status, its failing rows)} of `dbt build --store-failures`."""
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run([str(dbt), "build", "--store-failures", "--profiles-dir", str(root),
                    "--project-dir", str(root), "--target-path", str(root / "target"),
                    "--log-path", str(root / "logs"), "--vars", json.dumps(dbt_vars)],
                   check=False, cwd=root, capture_output=True, text=True)
    results = json.loads((root / "target" / "run_results.json").read_text())["results"]
    found = {}
    with duckdb.connect(str(root / "check.duckdb"), read_only=True) as con:
        for r in results:
            if r["unique_id"].startswith("test.") and r["relation_name"]:
                rows = con.execute(f"select * from {r['relation_name']}").fetchall()
                found[r["unique_id"].split(".")[2]] = (r["status"], set(rows))
    return found


def test_a_key_without_parent_fails_while_the_parent_is_seen(project):
    # accounts belongs to no domain: always seen, always checked
    found = _build(project, {"cxux_using_support": False})
    assert found["children_of_accounts"] == ("fail", {("p9",)})


def test_nothing_is_checked_while_the_parents_domain_is_off(project):
    found = _build(project, {"cxux_using_support": False})
    assert found["children_of_tickets"] == ("pass", set())
