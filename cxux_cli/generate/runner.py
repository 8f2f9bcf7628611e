"""Orchestration: generate every raw table in one DuckDB transaction.

All 13 contract tables plus cxux_meta are written inside a single transaction:
a failure rolls everything back, so a half-written raw schema never exists.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from cxux_cli.contract import load_contract
from cxux_cli.generate import params as P
from cxux_cli.generate.base import Timeline, add_months
from cxux_cli.generate.writer import create_table, insert

log = logging.getLogger("cxux.generate")
GENERATOR_VERSION = "2"  # 2: incident churn follows each account's own exposure


@dataclass
class Context:
    con: object
    schema: str
    tables: dict
    seed: int
    scale: float
    timeline: Timeline
    rows: dict = field(default_factory=dict)
    sinks: dict = field(default_factory=dict)  # table -> (connection, schema) written elsewhere

    def write(self, name: str, data: dict, exprs: dict | None = None) -> None:
        con, schema = self.sinks.get(name, (self.con, self.schema))
        count = insert(con, schema, self.tables[name], data, exprs)
        self.rows[name] = self.rows.get(name, 0) + count


def generate_raw(duckdb_path: Path, project_root: Path, *, schema: str = "raw", seed: int = 42,
                 scale: float = 1.0, as_of: dt.date | None = None) -> dict[str, int]:
    """Write the demo raw tables; returns rows per table (bad rows included)."""
    import duckdb

    from cxux_cli.generate import bad_rows, entities, service, usage

    if scale <= 0:
        raise ValueError("scale must be positive")
    as_of = as_of or dt.datetime.now(dt.UTC).date()
    tables = load_contract(Path(project_root))
    duckdb_path = Path(duckdb_path)
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # Bounded memory at any scale: DuckDB spills beyond memory_limit (same env vars as dbt).
    con = duckdb.connect(str(duckdb_path), config=_duckdb_config(duckdb_path))
    try:
        con.execute("begin transaction")
        ctx = Context(con, schema, tables, seed, scale, Timeline(as_of))
        con.execute(f"create schema if not exists {schema}")
        con.execute("create schema if not exists cxux_meta")
        for table in tables.values():
            create_table(con, schema, table)
        _create_meta(con)
        log.info("generating %s (seed %s, scale %s, as_of %s) into %s.%s",
                 "demo data", seed, scale, as_of, duckdb_path, schema)
        acc = entities.make_accounts(ctx)
        users = entities.make_users(ctx, acc)
        entities.make_products(ctx)
        # usage traits first: who meets the planted incident (and so may churn from it)
        # depends on how actively each user uses the product
        traits = usage.user_traits(ctx, users)
        subs = entities.make_subscriptions(ctx, acc, users, traits)
        acc["ended_at"] = subs["ended_at"]
        usage.user_ends(ctx, users, acc)
        orders = entities.make_orders(ctx, acc, users, subs)
        log.info("commerce done: %s", {k: v for k, v in ctx.rows.items()})
        tickets = service.make_tickets(ctx, acc, users, subs)
        service.make_surveys(ctx, acc, users, orders, tickets, traits)
        service.make_reviews(ctx, acc, users, orders, subs, traits)
        _make_usage_spooled(ctx, duckdb_path, users, traits)
        bad = bad_rows.plant(con, schema, tables, seed, as_of, P.BAD_ROW_RATE, log)
        _write_meta(con, ctx, subs, as_of)
        counts = {name: con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
                  for name in tables}
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # the transaction may already be aborted
            con.execute("rollback")
        raise
    finally:
        con.close()
        for leftover in (Path(f"{duckdb_path}.generating"), Path(f"{duckdb_path}.generating.wal")):
            leftover.unlink(missing_ok=True)
    log.info("generated %d rows (%d planted bad rows) in %.1fs", sum(counts.values()), bad,
             time.monotonic() - started)
    return counts


BIG_TABLES = ("page_views", "events")


def _make_usage_spooled(ctx: Context, duckdb_path: Path, users: dict, traits: dict) -> None:
    """Page views and events go first to a spool file, committed chunk by chunk, then
    into the raw schema with one INSERT ... SELECT per table inside the main transaction.

    Why: DuckDB keeps many small appends of one open transaction in memory (about
    130 bytes a row here, beyond memory_limit), which would not fit at 100M+ events;
    one bulk INSERT ... SELECT is written to the file as it goes. The raw schema is
    still replaced atomically."""
    import duckdb

    from cxux_cli.generate import usage

    spool_path = Path(f"{duckdb_path}.generating")
    for stale in (spool_path, Path(f"{spool_path}.wal")):
        stale.unlink(missing_ok=True)
    spool = duckdb.connect(str(spool_path), config=_duckdb_config(spool_path))
    try:
        for name in BIG_TABLES:
            create_table(spool, "main", ctx.tables[name])
            ctx.sinks[name] = (spool, "main")
        usage.make_usage(ctx, users, traits)
    finally:
        ctx.sinks.clear()
        spool.close()
    ctx.con.execute(f"attach '{spool_path}' as cxux_spool (read_only)")
    for name in BIG_TABLES:
        ctx.con.execute(f"insert into {ctx.schema}.{name} select * from cxux_spool.main.{name}")
    # the spool stays attached until the connection closes (a detach needs the commit first);
    # generate_raw removes the file


def _duckdb_config(duckdb_path: Path) -> dict:
    import os

    config = {
        "memory_limit": os.environ.get("CXUX_DUCKDB_MEMORY_LIMIT", "8GB"),
        "temp_directory": os.environ.get("CXUX_DUCKDB_TEMP_DIR", f"{duckdb_path}.tmp"),
        "preserve_insertion_order": False,
    }
    if os.environ.get("CXUX_DUCKDB_THREADS"):
        config["threads"] = int(os.environ["CXUX_DUCKDB_THREADS"])
    if os.environ.get("CXUX_DUCKDB_MAX_TEMP_SIZE"):  # as the dbt on-run-start hook does
        config["max_temp_directory_size"] = os.environ["CXUX_DUCKDB_MAX_TEMP_SIZE"]
    return config


def _create_meta(con) -> None:
    con.execute("drop table if exists cxux_meta.planted_bad_rows")
    con.execute("""create table cxux_meta.planted_bad_rows (
        table_name varchar, row_id varchar, defect varchar, column_name varchar)""")
    con.execute("drop table if exists cxux_meta.planted_effects")
    con.execute("""create table cxux_meta.planted_effects (
        effect_name varchar, region varchar, period_start date, period_end date,
        parameter_name varchar, parameter_value varchar, description varchar)""")
    con.execute("drop table if exists cxux_meta.generation")
    con.execute("""create table cxux_meta.generation (
        seed bigint, scale double, as_of date, window_start date, generator_version varchar)""")


def _write_meta(con, ctx: Context, subs: dict, as_of: dt.date) -> None:
    tl = ctx.timeline
    start, end = tl.incident_month, add_months(tl.incident_month, 1)
    descriptions = {
        "lcp_multiplier": "LCP of page views by affected users multiplied by this",
        "inp_multiplier": "INP multiplied by this",
        "cls_multiplier": "CLS multiplied by this",
        "fcp_multiplier": "FCP multiplied by this",
        "ttfb_multiplier": "TTFB multiplied by this",
        "failure_error_events": "error events inside each failed task attempt",
        "extra_bug_ticket_probability": "chance an affected account files one extra bug ticket",
        "exposed_cancel_probability": "chance an exposed subscriber (a user of the account had a failed"
                                      " or abandoned task attempt during the incident) cancels, ux_issues;"
                                      " unexposed subscribers keep the base rate",
        "cancel_delay_days": "incident cancels fall this many days (uniform) after the account's first"
                             " failed or abandoned attempt in the incident",
        "nps_shift": "shift of the mean relationship NPS score in the month and the next",
        "sus_shift": "shift of the SUS/UMUX-Lite latent (1-5 item scale) in the month and the next",
        "months_before_as_of": "the incident month starts this many months before as_of's month",
        "region": "region of the affected customers and users",
    }
    rows = [("ux_incident", key, str(value), descriptions.get(key, ""))
            for key, value in P.INCIDENT.items()]
    rows += [
        ("ux_incident", "task_outcomes_base", str(P.TASK_OUTCOMES_BASE),
         "task attempt outcome shares (success, failure, abandoned, incomplete) elsewhere"),
        ("ux_incident", "task_outcomes_incident", str(P.TASK_OUTCOMES_INCIDENT),
         "task attempt outcome shares for affected users in the incident month"),
        ("ux_incident", "incident_cancels", str(subs["incident_churned"]),
         "subscriptions cancelled with reason ux_issues by the incident (realised count)"),
        ("ux_incident", "exposed_accounts", str(subs["incident"]["exposed_accounts"]),
         "accounts with such a user: the only ones whose churn the incident raises (realised count)"),
    ]
    for effect, parameter, value, description in rows:
        con.execute("insert into cxux_meta.planted_effects values (?, ?, ?, ?, ?, ?, ?)",
                    [effect, P.INCIDENT["region"], start, end, parameter, value, description])
    seasonal = [
        ("seasonality", "december_shopping_factor", "1.8 until Dec 24, 1.2 after",
         "order, ticket and account-creation day weights in December"),
        ("seasonality", "black_friday_factor", "1.5", "day weight from Nov 24 to Nov 30"),
        ("seasonality", "weekend_work_factor", "0.3", "business product use on weekends"),
        ("seasonality", "weekend_leisure_factor", "1.3", "consumer product use on weekends"),
        ("growth", "trend", "1 + 0.6 * t", "day weights grow linearly over the 24 months"),
    ]
    for effect, parameter, value, description in seasonal:
        con.execute("insert into cxux_meta.planted_effects values (?, null, ?, ?, ?, ?, ?)",
                    [effect, tl.start_date, as_of, parameter, value, description])
    con.execute("insert into cxux_meta.generation values (?, ?, ?, ?, ?)",
                [ctx.seed, ctx.scale, as_of, tl.start_date, GENERATOR_VERSION])
