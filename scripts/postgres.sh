#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL for cxux, non-interactively, as root.
#
# Creates the database `cxux` (and `cxux_adapters`, `cxux_host` for tests), the login role `cxux` (owner, runs dbt) with the password
# from CXUX_PG_PASSWORD, and the role `cxux_bi_reader` (what BI tools use; dbt grants it
# select on the marts only) with the password from CXUX_PG_BI_PASSWORD.
#
# The default passwords below are for a throwaway local/CI server only: set the
# variables for anything else. Idempotent: rerunning updates passwords, nothing else.
set -euo pipefail

PG_PORT=${CXUX_PG_PORT:-5432}
PG_DB=${CXUX_PG_DBNAME:-cxux}
PG_USER=${CXUX_PG_USER:-cxux}
PG_PASSWORD=${CXUX_PG_PASSWORD:-cxux-local-ci-only}
BI_PASSWORD=${CXUX_PG_BI_PASSWORD:-cxux-bi-local-ci-only}

if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/postgres.sh: run as root (it installs packages and starts a cluster)" >&2
    exit 2
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed major version and its first cluster (Debian creates `main`).
PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v' | grep -q .; then
    pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >/dev/null
fi
CLUSTER=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v {print $2; exit}')
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}' | grep -q online; then
    pg_ctlcluster "$PG_VERSION" "$CLUSTER" start
fi

psql_admin() {
    # The postgres superuser over the local socket (peer authentication).
    su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT $*"
}

# Passwords go in through psql variables (:'name' quotes them), never into argv of psql.
export PG_USER PG_PASSWORD BI_PASSWORD
su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres \
    -v user=\"\$PG_USER\" -v pw=\"\$PG_PASSWORD\" -v bipw=\"\$BI_PASSWORD\"" <<'SQL'
select format('create role %I login password %L', :'user', :'pw')
where not exists (select 1 from pg_roles where rolname = :'user') \gexec
select format('alter role %I login password %L', :'user', :'pw') \gexec
select format('create role cxux_bi_reader login password %L', :'bipw')
where not exists (select 1 from pg_roles where rolname = 'cxux_bi_reader') \gexec
select format('alter role cxux_bi_reader login password %L', :'bipw') \gexec
SQL

# `<database>_adapters` and `<database>_host`: the adapter tests' and the host project test's
# own databases (tests_py/adapters/test_adapters_on_postgres.py, tests_py/package/
# test_host_on_postgres.py), so they run beside the engine tests without sharing schemas.
for DB in "$PG_DB" "${PG_DB}_adapters" "${PG_DB}_host"; do
    if ! psql_admin "-d postgres -tAc \"select 1 from pg_database where datname = '$DB'\"" | grep -q 1; then
        psql_admin "-d postgres -c 'create database \"$DB\" owner \"$PG_USER\"'"
    fi
    # Only the owner creates schemas; the BI role may connect and nothing more until dbt grants.
    psql_admin "-d $DB" <<SQL
revoke all on database "$DB" from public;
grant connect, temporary on database "$DB" to "$PG_USER";
grant connect on database "$DB" to cxux_bi_reader;
revoke create on schema public from public;
SQL
done

echo "PostgreSQL $PG_VERSION/$CLUSTER on port $PG_PORT: database $PG_DB, roles $PG_USER and cxux_bi_reader"
