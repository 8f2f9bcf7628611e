"""`cxux build` in a host project on PostgreSQL (issue 16, point 8 on a team warehouse).

The example host (integration_tests/) gets a PostgreSQL target of its own in its own
profile (database `<CXUX_PG_DBNAME>_host`, scripts/postgres.sh creates it, so this runs
beside the engine tests). Run in the host folder, `cxux generate`, `cxux metrics compile`
and `cxux build` use the host's profile and naming: dbt builds the marts into the host's
name for the build schema (analytics_marts_build), the gate checks them there, and the
publish swaps them into the host's name for the published one (analytics_marts), which
the BI role reads. Nothing lands in cxux's standalone names (marts, marts_build ...).
Expected values are counted here from the raw tables with plain SQL.
"""

from __future__ import annotations

import os

import pytest

from tests_py.engines.conftest import _postgres_missing, _unavailable
from tests_py.package.test_installed_as_package import (
    AS_OF,
    CXUX,
    DBT,
    _env,
    _host_copy,
    _in_host,
    _run,
    assert_host_metric_counted_by_hand,
)

BI_ROLE = "cxux_bi_reader"
HOST_TARGET = """    pg:
      type: postgres
      host: "{{ env_var('CXUX_PG_HOST', 'localhost') }}"
      port: "{{ env_var('CXUX_PG_PORT', '5432') | as_number }}"
      user: "{{ env_var('CXUX_PG_USER', 'cxux') }}"
      password: "{{ env_var('CXUX_PG_PASSWORD') }}"
      dbname: "{{ env_var('CXUX_PG_DBNAME') }}"
      schema: analytics
      threads: 2
"""


def _connect(env: dict, as_bi: bool = False):
    import psycopg2

    con = psycopg2.connect(
        host=env.get("CXUX_PG_HOST", "localhost"), port=int(env.get("CXUX_PG_PORT", "5432")),
        dbname=env["CXUX_PG_DBNAME"],
        user=BI_ROLE if as_bi else env.get("CXUX_PG_USER", "cxux"),
        password=(env.get("CXUX_PG_BI_PASSWORD", "cxux-bi-local-ci-only") if as_bi
                  else env["CXUX_PG_PASSWORD"]))
    con.autocommit = True
    return con


def _query(env: dict, sql: str) -> list[tuple]:
    con = _connect(env)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def host_on_postgres(tmp_path_factory):
    database = os.environ.get("CXUX_PG_DBNAME", "cxux") + "_host"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXUX_PG_DBNAME", database)
        missing = _postgres_missing()
    if missing:
        _unavailable(missing)
    workdir = tmp_path_factory.mktemp("host_pg")
    host = _host_copy(workdir)
    profiles = host / "profiles.yml"
    profiles.write_text(profiles.read_text(encoding="utf-8") + HOST_TARGET, encoding="utf-8")
    env = _in_host(dict(_env(workdir, host), CXUX_PG_DBNAME=database,
                        CXUX_DUCKDB_PATH=str(workdir / "staging.duckdb")))
    con = _connect(env)
    try:
        with con.cursor() as cur:
            # a clean database: every schema of an earlier run goes (the host's too)
            cur.execute("select nspname from pg_namespace where nspname not like 'pg\\_%' "
                        "and nspname not in ('information_schema', 'public')")
            for (schema,) in cur.fetchall():
                cur.execute(f'drop schema "{schema}" cascade')
            # the host's own `raw` source (schema shop), as in the DuckDB host
            cur.execute("create schema shop")
            cur.execute("create table shop.orders (id bigint, total_price numeric(10, 2), "
                        "email text)")
            cur.execute("insert into shop.orders values (1, 10, 'a@x'), (2, 20, 'b@x'), "
                        "(3, 30, 'c@x')")
    finally:
        con.close()
    _run([DBT, "deps"], env, host)
    _run(CXUX + ["--target", "pg", "generate", "--scale", "0.1", "--seed", "7",
                 "--as-of", AS_OF], env, host)
    _run(CXUX + ["metrics", "compile"], env, host)
    output = _run(CXUX + ["--target", "pg", "build", "--as-of", AS_OF], env, host)
    return env, output


def _tables(env: dict, schema: str) -> set[str]:
    return {name for (name,) in _query(
        env, f"select table_name from information_schema.tables where table_schema = '{schema}'")}


def test_the_host_build_is_checked_and_published_in_the_hosts_schemas(host_on_postgres):
    env, output = host_on_postgres
    assert "quality: passed" in output
    assert "published: postgres schema analytics_marts" in output
    assert "analytics_marts.metric_values" in output  # the summary names the published schema
    schemas = {name for (name,) in _query(env, "select nspname from pg_namespace")}
    assert {"analytics_staging", "analytics_marts_build", "analytics_marts"} <= schemas
    # nothing in cxux's standalone names, and no publish leftovers
    assert not schemas & {"marts", "marts_build", "staging", "quarantine", "marts__next",
                          "analytics_marts__next", "analytics_marts__previous"}
    built, published = _tables(env, "analytics_marts_build"), _tables(env, "analytics_marts")
    assert {"fct_orders", "metric_values", "dim_customers"} <= published
    assert published == built
    for table in ("fct_orders", "metric_values"):
        assert (_query(env, f"select count(*) from analytics_marts.{table}")
                == _query(env, f"select count(*) from analytics_marts_build.{table}"))


def test_the_hosts_metric_is_published_with_the_value_counted_by_hand(host_on_postgres):
    env, _output = host_on_postgres
    # the host's own metric, from the published schema, against a count of the raw rows
    assert_host_metric_counted_by_hand(lambda sql: _query(env, sql))


def test_the_bi_role_reads_the_published_marts_only(host_on_postgres):
    import psycopg2

    env, _output = host_on_postgres
    (orders,) = _query(env, "select count(*) from analytics_marts.fct_orders")[0]
    con = _connect(env, as_bi=True)
    try:
        with con.cursor() as cur:
            cur.execute("select count(*) from analytics_marts.fct_orders")
            assert cur.fetchone()[0] == orders > 0
            for private in ("analytics_marts_build.fct_orders",
                            "analytics_staging.stg_raw__orders"):
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    cur.execute(f"select 1 from {private} limit 1")
    finally:
        con.close()
