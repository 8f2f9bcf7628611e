"""Who may read what, and secrets stay secret.

- On PostgreSQL, the BI role `cxux_bi_reader` (created by scripts/postgres.sh, granted
  by the publish step: cxux_cli/engines/publish_postgres.py) reads every mart and nothing
  in raw, cxux_meta, staging, intermediate, seeds or quarantine.
- cxux never revokes: a host's grants on its own schemas survive a cxux dbt run.
- `cxux --debug` never prints the database password, neither when the connection
  works nor when the server rejects it.

The PostgreSQL tests reuse the parity build (conftest.py) and skip like it when no
server is available (fail with CXUX_REQUIRE_ENGINES=1).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests_py.engines.conftest import AS_OF, REPO, _env

BI_ROLE = "cxux_bi_reader"
PRIVATE_RELATIONS = [
    "raw.accounts",
    "raw.users",
    "cxux_meta.generation",
    "staging.stg_raw__accounts",
    "staging.stg_raw__survey_responses",
    "intermediate.int_customer_months_classified",
    "seeds.country_regions",
    "quarantine.quarantine_raw_rows",
    "quarantine.raw_row_reconciliation",
    # where dbt builds the marts before they are checked and published
    "marts_build.fct_orders",
    "marts_build.metric_values",
]


def _bi_connect():
    import psycopg2

    from cxux_cli.engines import postgres_dsn

    dsn = postgres_dsn()
    # scripts/postgres.sh sets this password; its default is for local/CI servers only.
    dsn.update(user=BI_ROLE,
               password=os.environ.get("CXUX_PG_BI_PASSWORD", "cxux-bi-local-ci-only"))
    con = psycopg2.connect(**dsn)
    con.autocommit = True
    return con


def test_bi_reader_reads_every_mart(postgres_marts):
    con = _bi_connect()
    try:
        with con.cursor() as cur:
            for table in postgres_marts["tables"]:
                cur.execute(f"select count(*) from marts.{table}")
                assert cur.fetchone()[0] == postgres_marts["counts"][table], table
    finally:
        con.close()


@pytest.mark.parametrize("relation", PRIVATE_RELATIONS)
def test_bi_reader_cannot_read_anything_else(postgres_marts, relation):
    import psycopg2

    con = _bi_connect()
    try:
        with con.cursor() as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(f"select * from {relation} limit 1")
    finally:
        con.close()


def test_bi_reader_cannot_write_marts(postgres_marts):
    import psycopg2

    con = _bi_connect()
    try:
        with con.cursor() as cur:
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("delete from marts.metric_values")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("create table marts.bi_scratch (x integer)")
    finally:
        con.close()


def _cxux(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cxux_cli.cli", "--debug", "--target", "postgres", *args],
        env=env, cwd=REPO, capture_output=True, text=True,
    )


def test_debug_output_never_shows_a_rejected_password(tmp_path):
    # A wrong password: the connection fails, the error is reported, the secret is not.
    pytest.importorskip("dbt.adapters.postgres")
    sentinel = "cxux-SENTINEL-p4ssw0rd-7f3a"
    env = _env(tmp_path, "postgres")
    env["CXUX_PG_PASSWORD"] = sentinel
    result = _cxux(env, "build", "--no-quality", "--no-publish", "-s", "dim_dates")
    assert result.returncode != 0
    assert "password authentication failed" in result.stdout + result.stderr
    assert sentinel not in result.stdout
    assert sentinel not in result.stderr


def test_debug_output_never_shows_the_working_password(postgres_marts, workdir):
    # The real password (from the environment): dbt connects and builds, and nothing it
    # or cxux logs in --debug contains the password.
    password = os.environ["CXUX_PG_PASSWORD"]
    env = _env(workdir, "postgres")
    result = _cxux(env, "build", "--no-quality", "--no-publish", "-s", "dim_dates",
                   "--as-of", AS_OF)
    assert "Completed successfully" in result.stdout + result.stderr, result.stdout[-3000:]
    assert password not in result.stdout
    assert password not in result.stderr
    logs = (workdir / "logs_postgres").glob("*.log")
    for log in logs:
        assert password not in log.read_text(errors="replace"), log


def test_a_dbt_run_of_cxux_keeps_the_hosts_own_grants(postgres_marts, workdir):
    """Issue 16: the BI role's access to a host's own schema (here `host_analytics`, and
    the target schema `public`) is what the host granted, before and after cxux runs."""
    import psycopg2

    from cxux_cli.engines import postgres_dsn

    owner = psycopg2.connect(**postgres_dsn())
    owner.autocommit = True
    try:
        with owner.cursor() as cur:
            cur.execute("drop schema if exists host_analytics cascade")
            cur.execute("create schema host_analytics")
            cur.execute("create table host_analytics.kpis as select 1 as id union all select 2")
            cur.execute("create table public.host_kpis as select 1 as id")
            cur.execute(f"grant usage on schema host_analytics, public to {BI_ROLE}")
            cur.execute(f"grant select on host_analytics.kpis, public.host_kpis to {BI_ROLE}")
        env = _env(workdir, "postgres")
        dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
        result = subprocess.run(
            [dbt, "run", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
             "--target", "postgres", "--vars", '{"cxux_as_of": "' + AS_OF + '"}',
             "-s", "dim_dates"],
            env=env, cwd=workdir, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:]
        con = _bi_connect()
        try:
            with con.cursor() as cur:
                cur.execute("select count(*) from host_analytics.kpis")
                assert cur.fetchone()[0] == 2
                cur.execute("select count(*) from public.host_kpis")
                assert cur.fetchone()[0] == 1
        finally:
            con.close()
    finally:
        with owner.cursor() as cur:
            cur.execute("drop schema if exists host_analytics cascade")
            cur.execute("drop table if exists public.host_kpis")
        owner.close()

