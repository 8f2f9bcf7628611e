"""`cxux build`: compile metric definitions, dbt build, quality checks, publish.

Only a build whose dbt tests and error-severity expectations passed in the same
run replaces the published copy that BI tools read; any failure stops before
publishing, so the previous published marts stay as they were. Skipping the
quality checks (--no-quality) therefore means not publishing; the one way
around it, --publish-unchecked, records in the published copy what was skipped.

Channels: the results (the quality table of failed checks and the summary) go to
stdout; progress, dbt's console and Great Expectations' logs to stderr (one line per
phase with its elapsed time, updates, a heartbeat: cxux_cli/progress.py); dbt's full
log to its file (dbt_runner.log_file). --quiet leaves warnings and errors only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
from dataclasses import dataclass, field

import click

from cxux_cli.errors import ChecksFailed
from cxux_cli.params import as_of_option, as_of_sql_text, parse_as_of, vars_option
from cxux_cli.progress import Progress
from cxux_cli.project import Project

log = logging.getLogger("cxux.build")


@dataclass
class BuildOptions:
    select: tuple[str, ...] = ()
    selector: str | None = None
    full_refresh: bool = False
    quality: bool = True
    publish: bool = True
    as_of: dt.datetime | None = None  # "now" (naive UTC) for timestamp checks and periods
    vars_: dict = field(default_factory=dict)  # dbt vars (--vars), also read by quality
    # publish although the quality checks were skipped (recorded in the published copy)
    publish_unchecked: bool = False


def build(project: Project, options: BuildOptions, progress: Progress | None = None,
          dbt_console: str = "warn") -> dict:
    """Run the pipeline; returns a summary dict. Raises ChecksFailed on failed checks.

    progress: where the phases are reported (default: nowhere, timings only);
    dbt_console: the level of dbt's console on stderr (dbt_runner.CONSOLE_LEVELS).
    """
    progress = progress or Progress(quiet=True)
    summary: dict = {}
    try:
        _run_phases(project, options, progress, dbt_console, summary)
    finally:
        summary["phases"] = progress.timings_text()
    return summary


def _run_phases(project: Project, options: BuildOptions, progress: Progress,
                dbt_console: str, summary: dict) -> None:
    from cxux_cli.engines import target_type
    from cxux_cli.metrics.compiler import compile_project  # the registry must be current

    engine = target_type(project)
    with progress.phase("compile metrics"):
        changed = compile_project(project.root) or []
        progress.detail(f"{len(changed)} generated file(s) rewritten" if changed
                        else "up to date")
    args = ["build"]
    if options.select:
        args += ["--select", *options.select]
    if options.selector:
        args += ["--selector", options.selector]
    if options.full_refresh:
        args.append("--full-refresh")
    log.debug("dbt %s", " ".join(args))
    from cxux_cli.dbt_runner import log_file, run_dbt

    vars_ = dict(options.vars_)
    if options.as_of:
        vars_["cxux_as_of"] = as_of_sql_text(options.as_of)
    with progress.phase(f"dbt {args[0]}"):
        progress.echo(f"dbt {args[0]}: dbt's full log is {log_file(project)}")
        run_dbt(project, args, vars_=vars_ or None, console=dbt_console, progress=progress)
    summary["dbt"] = "passed"

    if engine != "duckdb":
        # dbt built the marts where BI does not look; check them there, then publish
        # atomically (docs/engines.md "Publishing").
        from cxux_cli.engines import QualityReport, gate_and_publish
        from cxux_cli.quality.report import format_table

        summary["engine"] = engine
        checks = QualityReport(progress=_checks_progress(progress))
        try:
            with progress.phase(f"quality and publish ({engine})"), _stdout_to_stderr():
                summary.update(gate_and_publish(project, engine, options, vars_,
                                                _as_of_datetime(options.as_of), checks))
        finally:
            # the checks that failed (warnings included) are results: stdout
            for result in checks.results:
                click.echo(format_table(result, only_failures=True))
        return
    if options.quality:
        from cxux_cli.quality import run_quality
        from cxux_cli.quality.report import format_table

        checks_done = _checks_progress(progress)
        with progress.phase("quality"), _stdout_to_stderr():
            progress.status("preparing the checks")  # the heartbeat shows it if slow
            result = run_quality(project, as_of=options.as_of, vars_=options.vars_,
                                 progress=checks_done)
            failed = len(result.failures)
            progress.detail(f"{len(result.outcomes)} checks, {failed} failed")
        # the checks that failed (warnings included) are results: stdout
        click.echo(format_table(result, only_failures=True))
        summary["quality"] = "passed" if result.passed else "failed"
        if not result.passed:
            raise ChecksFailed(
                "quality checks failed (error severity); the published marts were left unchanged"
            )
    if options.publish and not options.quality and not options.publish_unchecked:
        # the gate: what BI tools read has passed every check of one run
        click.echo("quality checks skipped (--no-quality): not publishing; the published "
                   "marts were left unchanged (--publish-unchecked publishes anyway)", err=True)
    elif options.publish:
        from cxux_cli.publish import publish

        with progress.phase("publish"):
            published = publish(project, build_info=build_info(options))
        summary["published"] = str(published.path)
    summary.update(warehouse_summary(project))


def _checks_progress(progress: Progress):
    """progress(done, total) for the quality runner: "quality: 40/120 checks"."""

    def checks_done(done: int, total: int) -> None:
        # after the last suite GX writes Data Docs: say so, it takes a while
        progress.update(f"{done}/{total} checks" + (
            ", writing Data Docs" if done == total and total else ""))
        progress.detail(f"{total} checks")

    return checks_done


@contextlib.contextmanager
def _stdout_to_stderr():
    """Whatever a library prints while it runs (Great Expectations, pyspark) is a log,
    not a result: send it to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        yield


def _as_of_datetime(as_of) -> dt.datetime | None:
    """The as-of as a naive UTC datetime (BuildOptions.as_of already is one)."""
    if as_of is None or isinstance(as_of, dt.datetime):
        return as_of
    return parse_as_of(str(as_of))


def build_info(options: BuildOptions) -> dict:
    """What this build checked and skipped, recorded in the published copy."""
    checks_run = ["dbt build (models and data tests)"]
    skipped = []
    if options.quality:
        checks_run.append("quality checks")
    else:
        skipped.append("quality checks")
    info = {
        "trigger": "cxux build" + (" --publish-unchecked" if skipped else ""),
        "as_of": options.as_of.date().isoformat() if options.as_of else None,
        "checks_run": checks_run,
        "checks_skipped": skipped,
    }
    if skipped:
        info["note"] = "published with --publish-unchecked: the quality checks did not run"
    return info


def warehouse_summary(project: Project) -> dict:
    """Row counts of the marts and the quarantine, read from the warehouse (in the schemas
    dbt gave them: relations.py)."""
    import duckdb

    from cxux_cli.relations import marts_schema, quarantine_schema

    marts_at, quarantine_at = marts_schema(project), quarantine_schema(project)
    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        names = con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1",
            [marts_at]).fetchall()
        marts = [
            (name, con.execute(f'select count(*) from "{marts_at}"."{name}"').fetchone()[0])
            for (name,) in names
        ]
        # a partial build (--select) may not have built these
        tables = {name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ?",
            [quarantine_at]).fetchall()}
        reconciliation = con.execute(
            f"""
            select table_name, raw_rows, staged_rows, quarantined_rows
            from "{quarantine_at}".raw_row_reconciliation
            order by table_name
            """
        ).fetchall() if "raw_row_reconciliation" in tables else []
        domains_off = con.execute(
            f'select domain, reason from "{quarantine_at}".raw_domains where not is_enabled '
            "order by domain").fetchall() if "raw_domains" in tables else []
    return {
        "schemas": {"marts": marts_at, "quarantine": quarantine_at},
        "domains_off": dict(domains_off),
        "marts": {name: rows for name, rows in marts},
        "raw_tables": {
            name: {"raw": raw, "staged": staged, "quarantined": quarantined}
            for name, raw, staged, quarantined in reconciliation
        },
    }


def print_summary(summary: dict) -> None:
    schemas = summary.get("schemas") or {"marts": "marts", "quarantine": "quarantine"}
    raw = summary.get("raw_tables", {})
    if raw:
        click.echo(f"{'raw table':<24}{'raw rows':>12}{'staged':>12}{'quarantined':>13}")
        for name, counts in raw.items():
            click.echo(
                f"{name:<24}{counts['raw']:>12,}{counts['staged']:>12,}{counts['quarantined']:>13,}"
            )
    off = summary.get("domains_off", {})
    if off:
        click.echo(f"\n{len(off)} domain(s) off, their metrics not configured "
                   f"({schemas['quarantine']}.raw_domains, {schemas['marts']}.metric_availability):")
        for name, reason in off.items():
            click.echo(f"  {name:<16}{reason}")
    marts = summary.get("marts", {})
    if marts:
        click.echo(f"\n{len(marts)} mart tables built:")
        for name, rows in marts.items():
            click.echo(f"  {schemas['marts'] + '.' + name:<46}{rows:>12,} rows")
    for key in ("quality", "published"):
        if key in summary:
            click.echo(f"{key}: {summary[key]}")
    if summary.get("phases"):
        click.echo(f"phases: {summary['phases']}")


@click.command("build")
@click.option("--select", "-s", multiple=True,
              help="dbt node selection (as in `dbt build --select`); a partial build is "
                   "never published.")
@click.option("--selector", metavar="NAME",
              help="A selector of selectors.yml, e.g. daily (everything but the unit tests, which "
                   "do not depend on the data).")
@click.option("--full-refresh", is_flag=True,
              help="Rebuild incremental models from scratch (after backfills or corrections).")
@click.option("--quality/--no-quality", default=True, show_default=True,
              help="Run the Great Expectations checks after dbt build. --no-quality also means "
                   "no publish: only checked builds reach BI tools.")
@click.option("--publish/--no-publish", default=True, show_default=True,
              help="Replace the published copy BI tools read (only when dbt tests and quality "
                   "checks passed in this run).")
@click.option("--publish-unchecked", is_flag=True,
              help="Skip the quality checks and publish anyway (dbt tests must still pass); "
                   "the published copy records it in cxux_meta.published_build. For "
                   "development copies only.")
@as_of_option("The 'now' of this build (YYYY-MM-DD[THH:MM:SS], UTC): timestamps after it "
              "are rejected and quality judges complete periods before it. Default: now. "
              "Pin it to rebuild past data reproducibly.")
@vars_option
@click.option("--quiet", "-q", is_flag=True,
              help="Only warnings, errors and the results: no progress lines on stderr, "
                   "dbt's console at error level (its log file keeps everything).")
@click.pass_context
def build_command(ctx, select, selector, full_refresh, quality, publish, publish_unchecked,
                  as_of, vars_, quiet):
    """Build the warehouse: dbt build (models and tests), quality checks, publish.

    \b
    Publishing happens only after dbt tests and the quality checks passed in
    this run. Exit codes: 0 built (and published unless --no-publish,
    --no-quality or --select), 1 dbt tests or quality checks failed (nothing
    published), 2 usage error, out of memory or another error.

    \b
    Output: the failed quality checks and the summary on stdout; on stderr one
    line per phase with its elapsed time, progress ("quality: 40/120 checks")
    at least every few seconds, dbt's warnings and failures (all of dbt's
    output with --debug); dbt's full log in $DBT_LOG_PATH/dbt.log.

    \b
    Examples:
      cxux build                       everything, then publish
      cxux build --selector daily      a daily load: incremental facts, no unit tests
      cxux build --full-refresh        after a backfill
      cxux build --as-of 2026-06-30 --vars '{cxux_future_tolerance_hours: 48}'
      cxux build --no-quality -s staging+    a quick check of staging; nothing published
      cxux build --quiet > build.txt   the summary in a file, warnings and errors only
    """
    from cxux_cli.cli import get_project

    as_of = _resolve_as_of(as_of, vars_ or {})
    if publish_unchecked:
        source = ctx.get_parameter_source("quality")
        if quality and source == click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError("--publish-unchecked skips the quality checks; "
                                   "it cannot be combined with --quality")
        if not publish or select:
            raise click.UsageError("--publish-unchecked publishes: it cannot be combined with "
                                   + ("--no-publish" if not publish else "--select"))
        quality = False
        click.echo("warning: --publish-unchecked: the quality checks do not run and the build "
                   "is published anyway; cxux_meta.published_build records it", err=True)
    project = get_project(ctx)
    # a partial build (--select) is never published: BI tools see whole builds only
    options = BuildOptions(select, selector, full_refresh, quality, publish and not select,
                           as_of, dict(vars_ or {}), publish_unchecked)
    debug = bool((ctx.find_root().obj or {}).get("debug"))
    if quiet:  # INFO logs (cxux's, Great Expectations') are progress, not warnings
        logging.getLogger().setLevel(logging.WARNING)
    console = "error" if quiet else "info" if debug else "warn"
    with Progress(quiet=quiet) as progress:
        summary = build(project, options, progress, dbt_console=console)
    print_summary(summary)


def _resolve_as_of(as_of: dt.datetime | None, vars_: dict) -> dt.datetime | None:
    """--as-of, or `cxux_as_of` of --vars, through the one parser; both: they must agree."""
    from_vars = vars_.get("cxux_as_of")
    if from_vars is None:
        return as_of
    try:
        parsed = parse_as_of(str(from_vars))
    except ValueError as exc:
        raise click.BadParameter(f"cxux_as_of: {exc}", param_hint="--vars") from None
    if as_of is not None and as_of != parsed:
        raise click.UsageError(f"--as-of {as_of:%Y-%m-%d %H:%M:%S} and --vars cxux_as_of "
                               f"{from_vars!r} disagree; give the as-of once")
    return parsed
