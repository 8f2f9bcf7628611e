"""The source adapters on PostgreSQL (issue 18: they run on every engine like the rest).

Each adapter's fixture (tests_py/fixtures/adapters/<system>/, Fivetran's or the loader's
column names) is loaded with `cxux load DIR --source <system>` on the postgres target, which
checks the files in DuckDB and copies them into the system's schema in PostgreSQL; then dbt
builds the adapter's models there with the adapter on, and every unit test its YAML declares
must run and pass: the hand-worked rows (business minutes across weekends, holidays and time
zones; MRR normalised to a month; sessions by inactivity; identity records ...) are checked
against PostgreSQL's SQL, not only DuckDB's.

The database is `<CXUX_PG_DBNAME>_adapters` (scripts/postgres.sh creates it), not the engine
tests' one, so both run at once without sharing schemas. Spark is not covered: a dbt-spark
session per adapter costs minutes, and the engine tests hold the one embedded metastore.
"""

from __future__ import annotations

import json
import os

import pytest

from tests_py.adapters.test_adapter_unit_tests import build_adapter_and_check_unit_tests
from tests_py.conftest import isolated_env, run_cxux
from tests_py.engines.conftest import _postgres_missing, _unavailable

FIXTURES = "tests_py/fixtures/adapters"
SYSTEMS = ["delighted", "segment", "shopify", "snowplow", "stripe", "zendesk"]


@pytest.fixture
def postgres_env(tmp_path, monkeypatch) -> dict:
    """The environment of a `cxux` run on the postgres target, in the adapter tests' own
    database and with a DuckDB file of its own."""
    monkeypatch.setenv("CXUX_PG_DBNAME", os.environ.get("CXUX_PG_DBNAME", "cxux") + "_adapters")
    missing = _postgres_missing()
    if missing:
        _unavailable(missing)
    return dict(isolated_env(tmp_path), CXUX_TARGET="postgres")


@pytest.mark.parametrize("system", SYSTEMS)
def test_adapter_models_and_unit_tests_pass_on_postgres(system, postgres_env):
    env = postgres_env
    # a DuckDB file of its own: the load checks the files there, then replaces the
    # system's tables in PostgreSQL with exactly the fixture's rows
    run_cxux("load", f"{FIXTURES}/{system}", "--source", system, env=env)
    build_adapter_and_check_unit_tests(system, env, "--target", "postgres")


def test_undo_of_a_source_load_reaches_postgres(postgres_env):
    """`cxux load --undo` of a `--source` load takes its rows out of the adapter's schema in
    PostgreSQL too (it used to copy only the raw schema there). The Zendesk fixture's
    ticket.csv holds 10 tickets (1001-1010)."""
    import psycopg2

    from cxux_cli.engines import postgres_dsn

    def tickets() -> int:
        with psycopg2.connect(**postgres_dsn()) as con, con.cursor() as cur:
            cur.execute("select count(*) from zendesk.ticket")
            return cur.fetchone()[0]

    env = postgres_env
    loaded = json.loads(run_cxux("load", f"{FIXTURES}/zendesk", "--source", "zendesk",
                                 "--format", "json", env=env).stdout)
    assert tickets() == 10
    run_cxux("load", "--undo", str(loaded["load_id"]), env=env)
    assert tickets() == 0
