"""PostgreSQL: check the marts where BI cannot see them, then swap them in at once.

dbt builds the mart models into schema `marts_build` (macros/generate_schema_name.sql),
which BI roles cannot read; incremental models keep their state there between runs.
BI tools read schema `marts`, which only `publish` writes:

1. `run_quality_postgres`: the same Great Expectations suites as on DuckDB
   (cxux_cli/quality/checks.py: raw and marts), through GX's PostgreSQL data source, on
   `raw` and `marts_build`. The computation runs in PostgreSQL.
2. `publish`, in ONE transaction: copy every relation of `marts_build` into a fresh
   schema `marts__next` (as tables, with their table and column comments), grant the
   BI roles usage and select on it, plus every grant the current `marts` and its tables
   carry (so grants an administrator added survive), then lock the current marts
   tables, rename `marts` -> `marts__previous`, `marts__next` -> `marts`, drop the old
   tables and schema, commit.

What a reader sees: the complete old or the complete new marts, never a mix and never
an error. A statement that started before the swap holds its tables (ACCESS SHARE), so
the swap waits for it; a statement that starts during the swap waits for the commit,
then PostgreSQL resolves `marts.x` again and reads the new table. The swap's lock
wait is shorter (LOCK_TIMEOUT) than PostgreSQL's deadlock_timeout (1 s by default): a
reader holding one old table while waiting for another is never chosen as a deadlock
victim; the publisher gives up, rolls back to its savepoint (the copy is kept) and
tries again. Limits (docs/engines.md "Publishing"): one statement, or one transaction
that reads every table it needs before the swap, sees one build; separate
autocommitted statements may straddle a publish.

Views, functions or tables of other schemas that depend on a marts table stop the
publish (PostgreSQL refuses to drop the old table), with the dependent objects named.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from cxux_cli.engines import _connect_postgres, _quote, postgres_dsn
from cxux_cli.errors import CxuxError
from cxux_cli.quality.warehouse import Warehouse
from cxux_cli.relations import MARTS_BUILD, PublishSchemas, publish_schemas, quarantine_schema

log = logging.getLogger("cxux.publish")

DEFAULT_BI_ROLES = ("cxux_bi_reader",)  # var cxux_bi_roles (dbt_project.yml)
NEXT, PREVIOUS = "__next", "__previous"  # marts__next, marts__previous
# Shorter than PostgreSQL's default deadlock_timeout (1 s): see the module docstring.
LOCK_TIMEOUT_MS = 500
LOCK_ATTEMPTS = 40


class PostgresWarehouse(Warehouse):
    """The quality checks on PostgreSQL: raw and the unpublished marts_build."""

    state_file = "quality_state.postgres.json"

    def __init__(self, project=None, marts_schema: str = MARTS_BUILD):
        self.project = project  # its target's connection (postgres_dsn)
        self.dsn = postgres_dsn(project)
        self.marts_schema = marts_schema
        self.name = f"postgres {self.dsn['user']}@{self.dsn['host']}:{self.dsn['port']}/" \
                    f"{self.dsn['dbname']}"

    def _query(self, sql: str, params=None) -> tuple[list[str], list[tuple]]:
        con = _connect_postgres(self.project)
        try:
            with con.cursor() as cur:
                cur.execute(sql, params)
                return [d[0] for d in cur.description], cur.fetchall()
        finally:
            con.close()

    def tables(self, schema: str) -> set[str]:
        return {name for (name,) in self._query(
            "select table_name from information_schema.tables where table_schema = %s",
            (schema,))[1]}

    def count(self, schema: str, table: str) -> int:
        return self._query(f"select count(*) from {_quote(schema)}.{_quote(table)}")[1][0][0]

    def rows(self, sql: str) -> tuple[list[str], list[tuple]]:
        return self._query(sql)

    def add_datasource(self, context):
        import sqlalchemy

        # The password goes to psycopg2 as a connect argument, never into the URL GX keeps.
        url = sqlalchemy.URL.create(
            "postgresql+psycopg2", username=self.dsn["user"], host=self.dsn["host"],
            port=self.dsn["port"], database=self.dsn["dbname"],
        )
        return context.data_sources.add_postgres(
            name="warehouse",
            connection_string=url.render_as_string(hide_password=False),
            kwargs={"connect_args": {"password": self.dsn["password"],
                                     "sslmode": self.dsn["sslmode"]}},
        )

    def close_datasource(self, datasource) -> None:
        datasource.get_execution_engine().close()
        engine = getattr(datasource, "_engine", None)
        if engine is not None:
            engine.dispose()


def run_quality_postgres(project, as_of=None, data_docs_dir=None, vars_: dict | None = None,
                         progress=None):
    """The raw and marts suites on PostgreSQL (marts: the unpublished marts_build)."""
    from cxux_cli.quality.runner import run_quality

    warehouse = PostgresWarehouse(project, publish_schemas(project, "postgres").build)
    return run_quality(project, as_of=as_of, data_docs_dir=data_docs_dir,
                       warehouse=warehouse, vars_=vars_, progress=progress)


@dataclass
class PostgresPublishResult:
    schema: str
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    attempts: int = 1


def bi_roles(project, vars_: dict | None = None) -> list[str]:
    """The BI roles: var cxux_bi_roles (--vars, then dbt_project.yml), else cxux_bi_reader."""
    if vars_ and vars_.get("cxux_bi_roles"):
        return list(vars_["cxux_bi_roles"])
    return list(project.dbt_vars().get("cxux_bi_roles") or DEFAULT_BI_ROLES)


def _relations(cur, schema: str) -> list[str]:
    cur.execute(
        "select table_name from information_schema.tables where table_schema = %s order by 1",
        (schema,),
    )
    return [name for (name,) in cur.fetchall()]


def _existing_roles(cur, roles: list[str]) -> list[str]:
    cur.execute("select rolname from pg_roles where rolname = any(%s)", (list(roles),))
    present = {name for (name,) in cur.fetchall()}
    missing = [r for r in roles if r not in present]
    if missing:
        log.warning("BI role(s) %s do not exist: not granted", ", ".join(missing))
    return [r for r in roles if r in present]


def _grantee(role: str | None) -> str:
    return "public" if role is None else _quote(role)


def _carried_grants(cur, published: str) -> tuple[list[tuple], list[tuple]]:
    """Grants on the current published schema and its tables, other than its owner's."""
    cur.execute(
        "select a.privilege_type, r.rolname from pg_namespace as n"
        " cross join lateral aclexplode(n.nspacl) as a"
        " left join pg_roles as r on r.oid = a.grantee"
        " where n.nspname = %s and a.grantee <> n.nspowner",
        (published,),
    )
    schema_grants = cur.fetchall()
    cur.execute(
        "select c.relname, a.privilege_type, r.rolname from pg_class as c"
        " join pg_namespace as n on n.oid = c.relnamespace"
        " cross join lateral aclexplode(c.relacl) as a"
        " left join pg_roles as r on r.oid = a.grantee"
        " where n.nspname = %s and a.grantee <> c.relowner",
        (published,),
    )
    return schema_grants, cur.fetchall()


def _copy_comments(cur, relations: list[str], schemas: PublishSchemas) -> None:
    """Table and column descriptions (dbt persist_docs) travel with the copy."""
    cur.execute(
        "select c.relname, a.attname, d.description from pg_description as d"
        " join pg_class as c on c.oid = d.objoid and d.classoid = 'pg_class'::regclass"
        " join pg_namespace as n on n.oid = c.relnamespace"
        " left join pg_attribute as a on a.attrelid = c.oid and a.attnum = d.objsubid"
        " where n.nspname = %s and (d.objsubid = 0 or a.attnum is not null)",
        (schemas.build,),
    )
    for table, column, description in cur.fetchall():
        if table not in relations:
            continue
        target = f"{_quote(schemas.derived(NEXT))}.{_quote(table)}"
        if column is None:
            cur.execute(f"comment on table {target} is %s", (description,))
        else:
            cur.execute(f"comment on column {target}.{_quote(column)} is %s", (description,))


def publish(project, vars_: dict | None = None,
            lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> PostgresPublishResult:
    """Replace the published schema (`marts`) with a copy of the build schema
    (`marts_build`), in one transaction (relations.publish_schemas: the host's names)."""
    import psycopg2

    roles = bi_roles(project, vars_)
    schemas = publish_schemas(project, "postgres")
    published, next_ = schemas.published, schemas.derived(NEXT)
    con = _connect_postgres(project)
    try:
        with con:  # one transaction: commit on success, roll back on any error
            with con.cursor() as cur:
                relations = _relations(cur, schemas.build)
                if not relations:
                    raise CxuxError(
                        f"schema {schemas.build} has no tables: nothing to publish"
                        " (run `cxux build --target postgres` first)"
                    )
                cur.execute(f"drop schema if exists {_quote(next_)} cascade")
                cur.execute(f"create schema {_quote(next_)}")
                result = PostgresPublishResult(schema=published)
                for table in relations:
                    cur.execute(
                        f"create table {_quote(next_)}.{_quote(table)} as"
                        f" select * from {_quote(schemas.build)}.{_quote(table)}"
                    )
                    result.tables[table] = cur.rowcount
                _copy_comments(cur, relations, schemas)
                _grant(cur, roles, relations, schemas)
                cur.execute("select 1 from pg_namespace where nspname = %s", (published,))
                has_marts = cur.fetchone() is not None
                cur.execute("savepoint cxux_swap")
                while True:
                    try:
                        _swap(cur, has_marts, lock_timeout_ms, schemas)
                        break
                    except psycopg2.errors.LockNotAvailable:
                        # A reader holds an old table: let it finish, then try again.
                        cur.execute("rollback to savepoint cxux_swap")
                        if result.attempts >= LOCK_ATTEMPTS:
                            raise CxuxError(
                                f"publish: could not lock schema {published} in"
                                f" {LOCK_ATTEMPTS} attempts (long-running readers?);"
                                " the published marts were left unchanged"
                            ) from None
                        result.attempts += 1
                        time.sleep(min(0.05 * result.attempts, 1.0))
                    except psycopg2.errors.DependentObjectsStillExist as exc:
                        raise CxuxError(
                            f"publish: objects outside cxux depend on schema {published}"
                            f" ({(exc.diag.message_detail or str(exc)).strip()}); a publish"
                            " replaces its tables: drop them or point them at a copy."
                            " The published marts were left unchanged"
                        ) from None
    finally:
        con.close()
    log.info("published %d tables to schema %s (%d attempt(s))", len(result.tables),
             published, result.attempts)
    return result


def _grant(cur, roles: list[str], relations: list[str], schemas: PublishSchemas) -> None:
    """The BI roles, plus every grant the current marts carries, on marts__next."""
    schema = _quote(schemas.derived(NEXT))
    for role in _existing_roles(cur, roles):
        cur.execute(f"grant usage on schema {schema} to {_quote(role)}")
        cur.execute(f"grant select on all tables in schema {schema} to {_quote(role)}")
    schema_grants, table_grants = _carried_grants(cur, schemas.published)
    for privilege, role in schema_grants:
        cur.execute(f"grant {privilege} on schema {schema} to {_grantee(role)}")
    for table, privilege, role in table_grants:
        if table in relations:
            cur.execute(f"grant {privilege} on {schema}.{_quote(table)} to {_grantee(role)}")


def _swap(cur, has_marts: bool, lock_timeout_ms: int, schemas: PublishSchemas) -> None:
    marts, next_, previous = schemas.published, schemas.derived(NEXT), schemas.derived(PREVIOUS)
    cur.execute(f"set local lock_timeout = {int(lock_timeout_ms)}")
    if has_marts:
        old = _relations(cur, marts)
        if old:
            # All old tables at once, before any rename: no reader sees half of a swap.
            cur.execute(
                "lock table "
                + ", ".join(f"{_quote(marts)}.{_quote(t)}" for t in old)
                + " in access exclusive mode"
            )
        cur.execute(f"drop schema if exists {_quote(previous)} cascade")
        cur.execute(f"alter schema {_quote(marts)} rename to {_quote(previous)}")
    cur.execute(f"alter schema {_quote(next_)} rename to {_quote(marts)}")
    if has_marts:
        # No cascade: views elsewhere that read an old table stop the publish instead of
        # disappearing silently.
        for table in old:
            cur.execute(f"drop table {_quote(previous)}.{_quote(table)}")
        cur.execute(f"drop schema {_quote(previous)}")
    cur.execute("set local lock_timeout = 0")


def gate_and_publish(project, options, vars_: dict, as_of, checks) -> dict:
    """After dbt build passed: quality on marts_build, then publish (cxux build's engine step).
    checks: how the build shows the checks (engines.QualityReport)."""
    summary: dict = {}
    if options.quality:
        from cxux_cli.errors import ChecksFailed

        result = run_quality_postgres(project, as_of=as_of, vars_=vars_, progress=checks.progress)
        checks.results.append(result)
        summary["quality"] = "passed" if result.passed else "failed"
        if not result.passed:
            raise ChecksFailed(
                "quality checks failed (error severity); the published schema was left unchanged"
            )
    if options.publish:
        published = publish(project, vars_)
        summary["published"] = f"postgres schema {published.schema}"
        summary["marts"] = dict(sorted(published.tables.items()))
        summary["schemas"] = {"marts": published.schema, "quarantine": quarantine_schema(project)}
    return summary
