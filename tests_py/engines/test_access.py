"""Who may read what, and secrets stay secret.

- On PostgreSQL, the BI role `cxux_bi_reader` (created by scripts/postgres.sh, granted
  by dbt: macros/engines/cxux_grants.sql) reads every mart and nothing in raw,
  cxux_meta, staging, intermediate, seeds or quarantine.
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
