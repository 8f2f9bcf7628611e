"""The `cxux load` command: a thin Click layer over loader.py and ledger.py."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

import click

from cxux_cli.params import format_option

log = logging.getLogger(__name__)


def _echo_rows(header: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple("" if v is None else str(v) for v in row) for row in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    for row in [header, *cells]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _status(entry: dict) -> str:
    if entry.get("duplicate_of") is not None:
        return f"skipped (already loaded by load {entry['duplicate_of']})"
    return entry["status"]


def _history_status(row: dict) -> str:
    if row["undone_by"] is not None and row["status"] == "loaded":
        return f"undone by load {row['undone_by']}"
    if row["action"] == "undo":
        return f"{row['status']} (undo of load {row['undoes']})"
    return _status(row) if row["status"] else "(no files)"


def _show_history(database: Path, output_format: str) -> None:
    from cxux_cli.load.ledger import history

    rows = history(database)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    if not rows:
        log.info("no loads recorded in %s", database)
        return
    _echo_rows(
        ("load_id", "loaded_at_utc", "action", "table", "file", "rows", "status", "directory"),
        [
            (r["load_id"], f"{r['loaded_at']:%Y-%m-%d %H:%M:%S}", r["action"],
             f"{r['raw_schema']}.{r['table_name']}" if r["table_name"] else None,
             r["file_name"], r["rows"], _history_status(r), r["directory"])
            for r in rows
        ],
    )


@click.command("load")
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--replace",
    is_flag=True,
    help="Each file replaces its table instead of adding rows. Refused when the file has "
    "fewer than half of the table's current rows (see --allow-shrink). The replaced rows are "
    "kept, so --undo can put them back.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="With --replace: replace a table even when the file has fewer than half of its rows.",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Load files with a header and no rows (refused by default: an empty export is "
    "usually a failed one). With --replace this empties the table.",
)
@click.option(
    "--reload",
    is_flag=True,
    help="Load files again whose rows are already in their table (same sha256); by default "
    "such a file is skipped with a message.",
)
@click.option(
    "--allow-extra-columns",
    is_flag=True,
    help="Leave out columns the contract does not know instead of failing.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Read and check the files; write nothing and leave the warehouse closed "
    "(duplicates and --replace shrinking are only known when loading).",
)
@click.option(
    "--delimiter", default=",", show_default=True,
    help="CSV field delimiter, e.g. ';'.",
)
@click.option(
    "--list",
    "show_list",
    is_flag=True,
    help="Show the ledger of loads and undos (id, time in UTC, action, files, rows, status).",
)
@click.option(
    "--undo",
    "undo_id",
    type=int,
    metavar="ID",
    help="Take back load ID: remove the rows it added, or put back what a --replace replaced "
    "(refused if a later load changed that table: undo that one first).",
)
@click.option(
    "--source",
    metavar="SYSTEM",
    help="The files are one system's tables as its loader lands them (zendesk, shopify, "
    "stripe, segment, delighted): checked against that source adapter's source "
    "YAML and loaded into the schema it reads (var cxux_<system>_schema). docs/adapters.md",
)
@format_option(["table", "json"], dest="output_format",
               help_text="Output on stdout: a table, or JSON for scripts.")
@click.option("--mode", hidden=True)  # removed: a clear error below
def load_command(directory, replace, allow_shrink, allow_empty, reload, allow_extra_columns,
                 check_only, delimiter, show_list, undo_id, source, output_format, mode):
    """Load a folder of exports (one <table>.csv, .csv.gz or .parquet per raw table)
    into the raw schema of the warehouse, in one transaction, and record the load.

    \b
    Examples:
      cxux load exports/2024-05-01              add each file's rows (the default)
      cxux load exports/2024-05-01              again: every file is skipped, already loaded
      cxux load exports/2024-05-01 --reload     load the same files again on purpose
      cxux load exports/full --replace          each file replaces its table
      cxux load exports/full --replace --allow-shrink   even if a table loses most rows
      cxux load exports/quiet-day --allow-empty files with a header and no rows
      cxux load exports/ --check                check the files, write nothing
      cxux load exports/ --delimiter ';' --allow-extra-columns --format json
      cxux load --list                          the ledger: every load and undo
      cxux load --undo 3                        take back load 3
      cxux load exports/zendesk --source zendesk   a Zendesk export, for its adapter

    Every load gets an id and is recorded with its files' sizes, sha256 and rows
    (cxux_meta.loads, cxux_meta.load_files). A file whose rows are already in its
    table (same sha256) is skipped with a message, so loading a folder twice adds
    nothing. Refused without a flag: an empty file (--allow-empty), a --replace
    with a file of fewer than half the table's current rows (--allow-shrink). A
    replace keeps the rows it replaced (schema cxux_replaced) until it is undone.

    Timestamps are UTC: ISO 8601 with or without 'Z' or an offset (converted to UTC).
    Booleans: true/false, t/f, 1/0, yes/no (any case). Decimals: at most 2 decimal
    places (never rounded). Parquet columns must be of a type that holds the contract
    type (a boolean is not a decimal). Any bad file, column or value, or a refused
    file, fails the whole load (exit code 2) and leaves the warehouse as it was.
    """
    from cxux_cli.cli import get_project
    from cxux_cli.engines import META_SCHEMA, copy_raw
    from cxux_cli.load.loader import load_directory

    if mode is not None:
        raise click.UsageError(
            "--mode was removed: appending is now the default; use --replace to replace tables"
        )
    loading = {"--source": source, "--replace": replace, "--allow-shrink": allow_shrink, "--allow-empty": allow_empty,
               "--reload": reload, "--allow-extra-columns": allow_extra_columns,
               "--check": check_only}
    if show_list or undo_id is not None:
        used = [name for name, on in loading.items() if on]
        if directory is not None or used or (show_list and undo_id is not None):
            raise click.UsageError(
                "--list and --undo ID take no folder and no load options, and not each other"
                + (f" (got {', '.join(used)})" if used else "")
            )
    elif directory is None:
        raise click.UsageError("give the folder to load (or --list, or --undo ID)")
    if allow_shrink and not replace:
        raise click.UsageError("--allow-shrink only applies with --replace")
    project = get_project(click.get_current_context())

    if show_list:
        _show_history(project.duckdb_path, output_format)
        return
    if undo_id is not None:
        from cxux_cli.load.ledger import undo_load

        undone = undo_load(project.duckdb_path, undo_id)
        # the target's engine gets the same tables of the schema the load wrote (no-op on
        # duckdb)
        copy_raw(project, schemas=[undone.schema, META_SCHEMA])
        if output_format == "json":
            click.echo(json.dumps(undone.to_dict(), indent=2))
        else:
            _echo_rows(("table", "action", "rows_before", "rows_after"),
                       [(t.table_name, t.status, t.rows_before, t.rows_after)
                        for t in undone.tables])
        log.info("undid load %d (%s); recorded as load %d", undo_id, undone.action,
                 undone.load_id)
        return

    report = load_directory(
        project,
        directory,
        mode="replace" if replace else "append",
        allow_extra_columns=allow_extra_columns,
        check_only=check_only,
        delimiter=delimiter,
        allow_shrink=allow_shrink,
        allow_empty=allow_empty,
        reload=reload,
        source=source,
    )
    if any(t.status == "loaded" for t in report.tables):
        # the target's engine gets the same tables (no-op on duckdb)
        copy_raw(project, schemas=[report.schema, META_SCHEMA] if source else None)
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _echo_rows(
            ("table", "file", "rows_loaded", "rows_in_table", "status"),
            [(t.table, t.file, t.rows_loaded, t.rows_in_table, _status(asdict(t)))
             for t in report.tables],
        )
    if check_only:
        log.info("checked %d file(s); nothing was written (--check)", len(report.tables))
    else:
        loaded = sum(t.status == "loaded" for t in report.tables)
        log.info("load %d: %d table(s) loaded (%s), %d skipped, into %s of %s",
                 report.load_id, loaded, report.mode, len(report.tables) - loaded,
                 report.schema, report.database)
