"""`cxux build`: compile metric definitions, dbt build, quality checks, publish.

Only a build whose dbt tests and error-severity expectations pass replaces the
published copy that BI tools read; any failure stops before publishing, so the
previous published marts stay as they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import click

from cxux_cli.errors import ChecksFailed
from cxux_cli.project import Project

log = logging.getLogger("cxux.build")


@dataclass
class BuildOptions:
    select: tuple[str, ...] = ()
    selector: str | None = None
    full_refresh: bool = False
    quality: bool = True
    publish: bool = True
    as_of: str | None = None  # "now" for timestamp checks and complete periods
    vars_: dict = field(default_factory=dict)


def build(project: Project, options: BuildOptions) -> dict:
    """Run the pipeline; returns a summary dict. Raises ChecksFailed on failed checks."""
    from cxux_cli.metrics.compiler import compile_project  # the registry must be current

    compile_project(project.root)
    args = ["build"]
    if options.select:
        args += ["--select", *options.select]
    if options.selector:
        args += ["--selector", options.selector]
    if options.full_refresh:
        args.append("--full-refresh")
    log.info("dbt %s", " ".join(args))
    from cxux_cli.dbt_runner import run_dbt

    vars_ = dict(options.vars_)
    if options.as_of:
        vars_["cxux_as_of"] = options.as_of
    run_dbt(project, args, vars_=vars_ or None)

    summary: dict = {"dbt": "passed"}
    from cxux_cli.engines import target_type

    engine = target_type(project)
    if engine != "duckdb":
        # Quality (GX through DuckDB) and publish (a DuckDB file) are DuckDB-only so far;
        # on a server engine BI roles read the marts schema through grants.
        log.warning("target %s (%s): quality checks and publish run on duckdb only; skipped",
                    project.target, engine)
        summary["engine"] = engine
        return summary
    if options.quality:
        from cxux_cli.quality import run_quality
        from cxux_cli.quality.report import format_table

        result = run_quality(project, as_of=_as_of_datetime(options.as_of))
        click.echo(format_table(result, only_failures=True), err=True)
        summary["quality"] = "passed" if result.passed else "failed"
        if not result.passed:
            raise ChecksFailed(
                "quality checks failed (error severity); the published marts were left unchanged"
            )
    if options.publish:
        from cxux_cli.publish import publish

        published = publish(project)
        summary["published"] = str(published.path)
    summary.update(warehouse_summary(project))
    return summary


def _as_of_datetime(as_of: str | None):
    if as_of is None:
        return None
    import datetime as dt

    return dt.datetime.fromisoformat(as_of)


def warehouse_summary(project: Project) -> dict:
    """Row counts of the marts and the quarantine, read from the warehouse."""
    import duckdb

    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        names = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
        marts = [
            (name, con.execute(f'select count(*) from marts."{name}"').fetchone()[0])
            for (name,) in names
        ]
        reconciliation = con.execute(
            """
            select table_name, raw_rows, staged_rows, quarantined_rows
            from quarantine.raw_row_reconciliation
            order by table_name
            """
        ).fetchall()
    return {
        "marts": {name: rows for name, rows in marts},
        "raw_tables": {
            name: {"raw": raw, "staged": staged, "quarantined": quarantined}
            for name, raw, staged, quarantined in reconciliation
        },
    }


def print_summary(summary: dict) -> None:
    raw = summary.get("raw_tables", {})
    if raw:
        click.echo(f"{'raw table':<24}{'raw rows':>12}{'staged':>12}{'quarantined':>13}")
        for name, counts in raw.items():
            click.echo(
                f"{name:<24}{counts['raw']:>12,}{counts['staged']:>12,}{counts['quarantined']:>13,}"
            )
    marts = summary.get("marts", {})
    if marts:
        click.echo(f"\n{len(marts)} mart tables built:")
        for name, rows in marts.items():
            click.echo(f"  marts.{name:<40}{rows:>12,} rows")
    for key in ("quality", "published"):
        if key in summary:
            click.echo(f"{key}: {summary[key]}")


@click.command("build")
@click.option("--select", "-s", multiple=True, help="dbt node selection (as in `dbt build --select`).")
@click.option("--selector", metavar="NAME",
              help="A selector of selectors.yml, e.g. daily (everything but the unit tests, which "
                   "do not depend on the data).")
@click.option("--full-refresh", is_flag=True,
              help="Rebuild incremental models from scratch (after backfills or corrections).")
@click.option("--quality/--no-quality", default=True, show_default=True,
              help="Run the Great Expectations checkpoint after dbt build.")
@click.option("--publish/--no-publish", default=True, show_default=True,
              help="Replace the published marts BI tools read (only when every check passed).")
@click.option("--as-of", metavar="DATE",
              help="The 'now' of this build (YYYY-MM-DD[THH:MM:SS], UTC): timestamps after it are "
                   "rejected and quality judges complete periods before it. Default: now. "
                   "Pin it to rebuild past data reproducibly.")
@click.pass_context
def build_command(ctx, select, selector, full_refresh, quality, publish, as_of):
    """Build the warehouse: dbt build (models and tests), quality checks, publish.

    \b
    Examples:
      cxux build                       everything, then publish
      cxux build --selector daily      a daily load: incremental facts, no unit tests
      cxux build --full-refresh        after a backfill
      cxux build --no-quality --no-publish -s staging+
    """
    from cxux_cli.cli import get_project

    project = get_project(ctx)
    if as_of:
        try:
            _as_of_datetime(as_of)
        except ValueError:
            raise click.BadParameter(
                f"{as_of!r} is not a date (YYYY-MM-DD)", param_hint="--as-of"
            ) from None
    # a partial build (--select) is never published: BI tools see whole builds only
    options = BuildOptions(select, selector, full_refresh, quality, publish and not select, as_of)
    summary = build(project, options)
    print_summary(summary)
