"""Publish the marts to the copy BI tools read: `published/cxux.duckdb`.

BI tools never read the file dbt writes (a DuckDB file has one writer, and a
reader would block the build or see a half-built state). `publish(project)`
copies every table of schema `marts` (and the quarantine summary) into a new
DuckDB file next to the published one, fsyncs it, then swaps it in with
`os.replace`, an atomic rename on POSIX. A reader that has the old file open
keeps its open file (the old inode) and reads the old consistent copy; new
connections see the new copy. Nothing here runs unless the caller decided the
build passed: `cxux build` calls `publish` only after dbt tests and the
error-severity expectations passed, so a failed build leaves the previous
published file byte-for-byte unchanged.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from cxux_cli.errors import CxuxError
from cxux_cli.project import Project

log = logging.getLogger("cxux.publish")

PUBLISHED_SCHEMAS = ("marts",)
# Small quarantine summaries BI users may want next to the marts (copied if present).
EXTRA_TABLES = (("quarantine", "raw_row_reconciliation"),)


@dataclass
class PublishResult:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows


def published_path(project: Project) -> Path:
    raw = os.environ.get("CXUX_PUBLISHED_PATH", "published/cxux.duckdb")
    path = Path(raw)
    return path if path.is_absolute() else project.root / path


def _source_tables(con) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        f"where database_name = 'src' and schema_name in ({schemas}) "
        "union all select schema_name, view_name from duckdb_views() "
        f"where database_name = 'src' and schema_name in ({schemas}) and not internal "
        "order by 1, 2"
    ).fetchall()
    present = set(
        con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'src' "
            "union all select schema_name, view_name from duckdb_views() "
            "where database_name = 'src'"
        ).fetchall()
    )
    return rows + [t for t in EXTRA_TABLES if t in present]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(project: Project, source: Path | None = None,
            target: Path | None = None) -> PublishResult:
    """Copy the marts into a new file and atomically replace the published copy."""
    import duckdb

    source = Path(source or project.duckdb_path)
    target = Path(target or published_path(project))
    if not source.is_file():
        raise CxuxError(f"{source}: no warehouse file to publish (run `cxux build` first)")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same directory as the target, so os.replace is a rename within one filesystem.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    tables: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach '{_sql_path(source)}' as src (read_only)")
            to_copy = _source_tables(con)
            if not any(schema == "marts" for schema, _ in to_copy):
                raise CxuxError(f"{source}: schema marts has no tables; nothing to publish")
            for schema, table in to_copy:
                con.execute(f'create schema if not exists "{schema}"')
                con.execute(
                    f'create table "{schema}"."{table}" as select * from src."{schema}"."{table}"'
                )
                tables[f"{schema}.{table}"] = con.execute(
                    f'select count(*) from "{schema}"."{table}"'
                ).fetchone()[0]
            con.execute("detach src")
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    log.info("published %d tables to %s", len(tables), target)
    return PublishResult(path=target, tables=tables)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable."""
    try:
        _fsync(directory)
    except OSError:  # not supported on every platform
        pass


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@click.command("publish")
@click.pass_context
def publish_command(ctx):
    """Copy the marts to the published file BI tools read (atomic replace).

    \b
    Target: published/cxux.duckdb (env CXUX_PUBLISHED_PATH). `cxux build`
    runs this only after dbt tests and quality checks pass; run it by hand
    only on a warehouse you have checked.
    """
    from cxux_cli.cli import get_project

    result = publish(get_project(ctx))
    for name, rows in sorted(result.tables.items()):
        click.echo(f"{name}\t{rows}")
    click.echo(f"published {len(result.tables)} tables to {result.path}", err=True)
