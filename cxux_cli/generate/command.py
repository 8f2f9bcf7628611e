"""The `cxux generate` command: a thin Click layer over cxux_cli.generate.runner."""

from __future__ import annotations

import click

from cxux_cli.params import as_of_option


@click.command("generate")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True,
              help="Volume multiplier (linear). 1 = about 2.5k accounts, 8k users, "
                   "a few hundred thousand events and page views.")
@click.option("--seed", type=click.IntRange(min=0), default=42, show_default=True,
              help="Random seed; the same seed, scale and as-of give identical tables.")
@as_of_option("Last day of data is the day before this date (UTC). Default: today (UTC).")
@click.option("--schema", default=None,
              help="Raw schema to write (default: env CXUX_RAW_SCHEMA or 'raw').")
@click.pass_context
def generate(ctx, scale, seed, as_of, schema):
    """Write deterministic demo data into the raw schema of the DuckDB warehouse.

    Creates all 13 tables of the raw contract (24 months ending at --as-of),
    with realistic customers, users, orders, subscriptions, tickets, surveys,
    reviews, page views and events, a planted UX incident and a small share
    of planted bad rows. What was planted is recorded in cxux_meta.planted_effects
    and cxux_meta.planted_bad_rows (see docs/demo_data.md). The tables are
    replaced in one transaction: on failure the old raw schema stays as it was.

    \b
    Examples:
      cxux generate                          scale 1, seed 42, as of today
      cxux generate --scale 0.05 --seed 7    a small data set for tests
      cxux generate --as-of 2026-06-30       a fixed, reproducible window
      CXUX_DUCKDB_PATH=/tmp/demo.duckdb cxux generate --scale 10

    Rows per table go to stdout, progress to stderr.
    """
    from cxux_cli.cli import get_project
    from cxux_cli.generate.runner import generate_raw

    project = get_project(ctx)
    counts = generate_raw(
        project.duckdb_path, project.package_root, schema=schema or project.raw_schema, seed=seed,
        scale=scale, as_of=as_of.date() if as_of else None,
    )
    from cxux_cli.engines import copy_raw

    copy_raw(project)  # the target's engine gets the same raw tables (no-op on duckdb)
    width = max(len(name) for name in counts)
    for name, count in counts.items():
        click.echo(f"{name:<{width}}  {count:>12,}")
    click.echo(f"{'total':<{width}}  {sum(counts.values()):>12,}")
