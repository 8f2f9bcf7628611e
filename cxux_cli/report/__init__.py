"""`cxux report`: a self-contained HTML report for CX and UX leads.

The logic lives in `cxux_cli.report.builder` (importable without Click); this
module is the thin command.
"""

from __future__ import annotations

from pathlib import Path

import click

from cxux_cli.params import as_of_option
from cxux_cli.publish import read_from_option


@click.command("report")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default="cxux_report.html",
    show_default=True,
    envvar="CXUX_REPORT_OUTPUT",
    help="Where to write the HTML file ('-' for stdout). Env: CXUX_REPORT_OUTPUT.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First month shown in the trend charts (YYYY-MM-DD). Default: all months.",
)
@as_of_option("Treat months ending after this date as incomplete (default: today, UTC).")
@read_from_option
@click.pass_context
def report_command(ctx, output, since, as_of, read_from):
    """Write an HTML report: a summary, the metrics by level, the UX to CX link.

    \b
    The summary lists the certified metrics off target, the ones that moved
    most since the previous period, thin samples and totals that hide weak
    slices. Cards follow, grouped by level (relationship, journey,
    interaction), each at its grain with its target, thresholds, trend and
    the slices of its first dimension; drafts apart, marked.

    \b
    Reads the published copy read-only (marts.metric_values and the experience
    marts; --from warehouse: the file dbt writes) and the metric definitions;
    the HTML file has inline CSS and SVG charts and needs no network to open.

    \b
    Examples:
      cxux report                                  writes ./cxux_report.html
      cxux report --output /tmp/cx.html --since 2025-01-01
      cxux report --from warehouse                 the latest build, checked or not
    """
    from cxux_cli.cli import get_project
    from cxux_cli.publish import connect_read_only, reader_path
    from cxux_cli.relations import marts_schema
    from cxux_cli.report.builder import build_report_html

    project = get_project(ctx)
    path = reader_path(project, read_from)
    connect_read_only(path).close()  # a locked file gets the plain message, not DuckDB's
    html = build_report_html(
        path,
        since=since.date() if since else None,
        as_of=as_of.date() if as_of else None,
        project_root=project.root,
        marts_schema=marts_schema(project),
    )
    if output == "-":
        click.echo(html)
        return
    path = Path(output)
    path.write_text(html, encoding="utf-8")
    click.echo(f"wrote {path} ({len(html.encode('utf-8')) // 1024} KiB)", err=True)
    click.echo(str(path.resolve()))


__all__ = ["report_command"]
