"""What dbt builds from the models' YAML runs on every engine: names that become relations
fit PostgreSQL's identifiers (63 characters), and unit-test fixtures written in SQL quote no
identifiers and give varchar a length (Spark refuses both).

PostgreSQL refuses longer names where dbt creates relations from them: a model, a seed, a
unit test (dbt builds each unit test as a relation of its name) and each input a unit test
stands in for (`__dbt__cte__<source>__<table>` or `__dbt__cte__<model>`). A name that fits
DuckDB can fail only on PostgreSQL, as two adapters' unit tests did
(tests_py/adapters/test_adapters_on_postgres.py runs them there). This test reads the files,
so it fails on every machine, not only where PostgreSQL runs.
"""

from __future__ import annotations

import re

import yaml

from tests_py.conftest import REPO

LIMIT = 63
INPUT = re.compile(r"^\s*(source|ref)\(\s*'([^']+)'\s*(?:,\s*'([^']+)'\s*)?\)\s*$")


def _yaml_documents():
    for path in sorted((REPO / "models").rglob("*.yml")):
        yield path, yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def test_model_and_seed_names_fit():
    files = [*(REPO / "models").rglob("*.sql"), *(REPO / "models").rglob("*.py"),
             *(REPO / "seeds").rglob("*.csv")]
    too_long = sorted(f"{p.relative_to(REPO)} ({len(p.stem)})" for p in files
                      if len(p.stem) > LIMIT)
    assert files and not too_long, too_long


def test_unit_test_names_and_their_stand_ins_fit():
    names, checked = [], 0
    for path, document in _yaml_documents():
        for unit_test in document.get("unit_tests") or []:
            checked += 1
            relations = [unit_test["name"]]
            for given in unit_test.get("given") or []:
                match = INPUT.match(given["input"])
                assert match, f"{path}: unit test {unit_test['name']}: input {given['input']!r}"
                kind, first, second = match.groups()
                relations.append("__dbt__cte__" + (f"{first}__{second}" if kind == "source"
                                                   else first))
            names += [f"{path.relative_to(REPO)}: {name} ({len(name)})" for name in relations
                      if len(name) > LIMIT]
    assert checked > 20, "found almost no unit tests: is the models folder where it was?"
    assert not names, names


def test_sql_fixtures_quote_no_identifiers():
    """A fixture in `format: sql` is sent to the engine as written: double quotes name a
    column on DuckDB and PostgreSQL and are a syntax error on Spark (a Stripe fixture's
    `as "start"` was). Columns named like keywords (start, end) need no quotes after `as`."""
    quoted, checked = [], 0
    for path, document in _yaml_documents():
        for unit_test in document.get("unit_tests") or []:
            for given in unit_test.get("given") or []:
                if given.get("format") != "sql":
                    continue
                checked += 1
                # "x" names a column on DuckDB and PostgreSQL only; varchar without a
                # length is a syntax error on Spark (DATATYPE_MISSING_SIZE)
                if '"' in given["rows"] or re.search(r"\bvarchar\s*\)", given["rows"]):
                    quoted.append(f"{path.relative_to(REPO)}: {unit_test['name']}: {given['input']}")
    assert checked, "no SQL fixture found: is the models folder where it was?"
    assert not quoted, quoted
