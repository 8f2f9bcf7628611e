"""`cxux quality`: run the expectation suites; exit 1 when an error-severity check fails."""

from __future__ import annotations

import click

from cxux_cli.errors import ChecksFailed
from cxux_cli.params import as_of_option, format_option, vars_option


@click.command("quality")
@click.option("--suite", "suites", multiple=True,
              type=click.Choice(["raw", "marts"], case_sensitive=False),
              help="Suites to run (repeatable; default: raw and marts).")
@format_option(["table", "json"], help_text="Summary format on stdout.")
@click.option("--failures-only", is_flag=True, help="Table: list only failing checks.")
@as_of_option("Reference time for freshness, future timestamps and complete periods "
              "(YYYY-MM-DD[THH:MM:SS], UTC; default: now).")
@vars_option
@click.option("--data-docs-dir", type=click.Path(file_okay=False), default=None,
              envvar="CXUX_DATA_DOCS_DIR",
              help="Where Data Docs are written (default: data_docs/ next to the warehouse). "
                   "Env: CXUX_DATA_DOCS_DIR.")
@click.pass_context
def quality(ctx, suites, fmt, failures_only, as_of, vars_, data_docs_dir):
    """Check raw tables and marts with Great Expectations.

    \b
    Warnings are printed but exit 0; a failing check of severity error exits 1;
    out of memory exits 2 with what to change.
    Examples:
      cxux quality
      cxux quality --suite marts --format json
      cxux quality --as-of 2026-06-30 --vars '{cxux_future_tolerance_hours: 48}'
    """
    from cxux_cli.cli import get_project
    from cxux_cli.quality import run_quality
    from cxux_cli.quality.report import format_json, format_table

    project = get_project(ctx)
    result = run_quality(project, suites=tuple(s.lower() for s in suites) or ("raw", "marts"),
                         as_of=as_of, data_docs_dir=data_docs_dir, vars_=vars_)
    click.echo(format_json(result) if fmt == "json" else format_table(result, failures_only))
    click.echo(f"Data Docs written to {result.data_docs_path}", err=True)
    if not result.passed:
        errors = sum(1 for o in result.failures if o.severity == "error")
        raise ChecksFailed(f"{errors} quality check(s) of severity error failed")
