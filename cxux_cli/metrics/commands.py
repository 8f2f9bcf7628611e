"""`cxux metrics ...`: a thin Click layer over the modules of cxux_cli.metrics.

Nothing here imports dbt or Great Expectations; `show` (compiled SQL) imports
dbt inside a function, only when it has to compile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cxux_cli.errors import ChecksFailed, CxuxError
from cxux_cli.metrics import spec
from cxux_cli.params import format_option
from cxux_cli.publish import read_from_option

FORMAT_HELP = "Output format (results on stdout, messages on stderr)."
INCLUDE_PARTIAL_HELP = ("Also show the running period (not over at the build's as-of), "
                        "marked partial; by default only complete periods are shown.")


def include_partial_option(function):
    """`--include-partial`, shared by `query` and `show`."""
    return click.option("--include-partial", is_flag=True, help=INCLUDE_PARTIAL_HELP)(function)


def _project():
    from cxux_cli.cli import get_project

    return get_project(click.get_current_context())


def _definitions(project, *, light: bool = False) -> list[dict]:
    """Valid definitions; problems go to stderr (list/show/query work on the valid ones)."""
    from cxux_cli.metrics.catalog import load_definitions

    validation = load_definitions(project.root, light=light)
    if validation.problems:
        click.echo(f"warning: {len(validation.problems)} problem(s) in metric definitions; "
                   "run `cxux metrics validate`", err=True)
    return validation.definitions


def _choice(values):
    return click.Choice(values, case_sensitive=False)


@click.group()
def metrics():
    """Metric definitions: list, show, validate, compile, query, docs, diff, export.

    \b
    Examples:
      cxux metrics validate
      cxux metrics compile --check
      cxux metrics list --domain ux --format json
      cxux metrics query nps csat --grain month --by region --since 2025-01-01
    """


@metrics.command("list")
@click.option("--domain", type=_choice(spec.DOMAINS))
@click.option("--level", type=_choice(spec.LEVELS))
@click.option("--audience", type=_choice(spec.AUDIENCES))
@click.option("--status", type=_choice(spec.STATUSES))
@format_option(["table", "json"])
def list_command(domain, level, audience, status, fmt):
    """The metric catalog, filtered.

    \b
    Example: cxux metrics list --domain cx --status certified
    """
    from cxux_cli.metrics import catalog

    project = _project()
    chosen = catalog.filter_definitions(_definitions(project, light=True), domain=domain, level=level,
                                        audience=audience, status=status)
    if fmt == "json":
        click.echo(json.dumps(catalog.list_rows(chosen), indent=2))
    else:
        click.echo(catalog.list_table(chosen))


@metrics.command()
@click.argument("name")
@click.option("--compile/--no-compile", "run_compile", default=True, show_default=True,
              help="Run `dbt compile` when no compiled SQL is in the target folder.")
@format_option(["text", "json"], default="text")
@include_partial_option
@read_from_option
def show(name, run_compile, fmt, include_partial, read_from):
    """One metric: definition, lineage, compiled SQL and latest values against target.

    Latest values come from the published copy (--from warehouse: the working warehouse):
    the latest complete period per grain, or with --include-partial the running one
    (marked partial). Each status is shown with its target and thresholds.

    \b
    Example: cxux metrics show nps --no-compile
    """
    from cxux_cli.metrics import catalog, query
    from cxux_cli.publish import published_path
    from cxux_cli.relations import marts_schema

    project = _project()
    definitions = _definitions(project)
    definition = catalog.find(definitions, name)
    sql, sql_origin = catalog.compiled_sql(project, name, run_compile=run_compile)
    values_path = project.duckdb_path if read_from == "warehouse" else published_path(project)
    schema = marts_schema(project)
    latest = query.latest_values(name, values_path, schema, include_partial=include_partial)
    not_configured = None if latest else query.not_configured_reason(name, values_path, schema)
    if fmt == "json":
        click.echo(json.dumps({"definition": definition,
                               "used_by": catalog.used_by(definitions, name),
                               "compiled_sql": sql, "compiled_sql_origin": sql_origin,
                               "latest": latest, "not_configured": not_configured}, indent=2))
        return
    from cxux_cli.metrics.loader import host_metric_names

    click.echo(catalog.describe(definition, definitions,
                                host_metric=name in (host_metric_names(project.root) or [])))
    click.echo("\nlatest values (total"
               + (", the running period marked partial)" if include_partial
                  else ", complete periods)"))
    if latest:
        rows = query.table_rows(latest)
        click.echo(catalog.format_table(rows, list(rows[0])))
    elif not_configured:
        click.echo(f"  none: not configured in this build ({not_configured})")
    else:
        click.echo(f"  none: no metric_values in {values_path}")
    click.echo(f"\ncompiled SQL ({sql_origin})")
    if sql:
        click.echo(sql)


def _print_problems(validation):
    for problem in validation.problems:
        click.echo(str(problem), err=True)
    note = validation.note()
    if note:
        click.echo(note, err=True)


@metrics.command()
def validate():
    """Check every definition; print each problem as file:line:column: message.

    Exit 1 when there is any problem. Model, column and dimension checks use
    the dbt manifest (run `dbt parse` first); without it they are skipped.
    """
    from cxux_cli.metrics.validate import validate_project

    validation = validate_project(_project().root)
    _print_problems(validation)
    if validation.problems:
        raise ChecksFailed(f"{len(validation.problems)} problem(s) in metric definitions")
    click.echo(f"{len(validation.definitions)} metric definitions are valid", err=True)


@metrics.command("compile")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 when a generated file is stale or missing (CI).")
def compile_command(check):
    """Validate, then write the registry macro and one dbt model per metric.

    \b
    Writes macros/generated/cxux_metric_registry.sql and
    models/marts/metrics/generated/ (metric__<name>.sql and their yml).
    """
    from cxux_cli.metrics import compiler
    from cxux_cli.metrics.validate import validate_project

    root = _project().root
    validation = validate_project(root)
    _print_problems(validation)
    if validation.problems:
        raise ChecksFailed(f"{len(validation.problems)} problem(s) in metric definitions; "
                           "nothing was written")
    plan = compiler.plan(root, validation.definitions)
    if check:
        for label, paths in (("stale", plan.stale), ("missing", plan.missing),
                             ("not generated by the definitions", plan.extra)):
            for path in paths:
                click.echo(f"{label}: {path.as_posix()}", err=True)
        if not plan.up_to_date:
            raise ChecksFailed("generated metric files are out of date: run "
                               "`cxux metrics compile`")
        click.echo("generated metric files are up to date", err=True)
        return
    for change in compiler.apply(root, plan):
        click.echo(change, err=True)
    click.echo(f"compiled {len(validation.definitions)} metrics"
               + ("" if plan.stale or plan.missing or plan.extra else " (no changes)"),
               err=True)


@metrics.command("query")
@click.argument("names", nargs=-1, required=True, metavar="NAME [NAME...]")
@click.option("--grain", type=_choice(spec.GRAINS), help="Only this grain (default: all).")
@click.option("--by", "by", multiple=True, metavar="DIM",
              help="Slice by a declared dimension; repeat it for a declared crossing "
              "(--by segment --by region).")
@click.option("--where", metavar="EXPR",
              help="Boolean expression over the --by dimensions, e.g. \"region = 'europe'\".")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First period_start (ISO).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last period_start (ISO).")
@format_option(["table", "json", "csv"])
@include_partial_option
@read_from_option
def query_command(names, grain, by, where, since, until, fmt, include_partial, read_from):
    """Metric values (metric_values, read-only) from the published copy, i.e. the last
    build that passed its checks; --from warehouse reads the file dbt writes.

    Complete periods only (over at the build's as-of) unless --include-partial, which
    adds the running period marked partial. Each status comes with the target and the
    thresholds (warning_threshold, critical_threshold) it was judged against.

    \b
    Examples:
      cxux metrics query nps --grain month --format json
      cxux metrics query csat --by region --where "region in ('europe', 'asia_pacific')"
      cxux metrics query nps --by segment --by region --where "segment = 'smb'"
      cxux metrics query nps --grain month --from warehouse
      cxux metrics query nps --grain month --include-partial
    """
    from cxux_cli.metrics import query
    from cxux_cli.publish import reader_path
    from cxux_cli.relations import marts_schema

    project = _project()
    request = query.Query(list(names), grain, list(by), where,
                          since.date() if since else None, until.date() if until else None,
                          include_partial)
    query.check_query(request, _definitions(project, light=True))
    rows = query.run(request, reader_path(project, read_from), marts_schema(project))
    click.echo(query.render(rows, fmt, list(by)))
    if not rows:
        click.echo("no rows matched", err=True)


@metrics.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.md and index.html (default: <target>/metrics_catalog).")
def docs(out):
    """Write the catalog (Markdown and HTML), grouped by domain and level."""
    from cxux_cli.metrics import catalog

    project = _project()
    out = out or project.dbt_target_path / "metrics_catalog"
    for path in catalog.write_catalog(_definitions(project), out):
        click.echo(str(path))


@metrics.command()
@click.argument("rev", default="HEAD")
@format_option(["text", "json"], default="text")
def diff(rev, fmt):
    """What changed in the definitions since a git revision (default HEAD).

    \b
    Example: cxux metrics diff origin/main
    """
    from cxux_cli.metrics.diff import diff_against

    result = diff_against(_project().root, rev)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(result.text(rev))


@metrics.command()
@format_option(["metricflow"], required=True, help_text="Export format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the YAML here instead of stdout, and the time spine model "
              "cxux_time_spine.sql beside it. Example: --out models/semantic/cxux.yml")
@click.option("--time-spine/--no-time-spine", default=True, show_default=True,
              help="With --out, also export a day-grain time spine model over dim_dates; "
              "--no-time-spine when the dbt project has one.")
def export(fmt, out, time_spine):
    """Definitions as dbt Semantic Layer (MetricFlow) YAML, where expressible.

    What cannot be expressed is listed on stderr with the reason
    (docs/semantic_layer.md).

    \b
    Examples:
      cxux metrics export --format metricflow --out models/semantic/cxux_semantic_layer.yml
      cxux metrics export --format metricflow --no-time-spine > semantic.yml
    """
    from cxux_cli.metrics import export as exporter

    result = exporter.export_metricflow(_definitions(_project()))
    spine = time_spine and out is not None
    text = exporter.to_yaml(result, time_spine=spine)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        if spine:
            (out.parent / f"{exporter.TIME_SPINE_MODEL}.sql").write_text(
                exporter.TIME_SPINE_SQL, encoding="utf-8")
    else:
        sys.stdout.write(text)
    click.echo(exporter.report(result), err=True)
    if time_spine and not out:
        click.echo(f"note: no time spine on stdout; use --out to write {exporter.TIME_SPINE_MODEL}"
                   ".sql, or declare a day-grain time spine in the dbt project", err=True)


__all__ = ["CxuxError", "metrics"]
