"""Publish the BI-facing relations to the copy BI tools read: `published/cxux.duckdb`.

BI tools never read the file dbt writes (a DuckDB file has one writer, and a
reader would block the build or see a half-built state). `publish(project)`
copies the relations the dbt project marks for publishing into a new DuckDB
file next to the published one, fsyncs it, then swaps it in with `os.replace`,
an atomic rename on POSIX. A reader that has the old file open keeps its open
file (the old inode) and reads the old consistent copy; new connections see
the new copy. Nothing here runs unless the caller decided the build passed:
`cxux build` calls `publish` only after dbt tests and the error-severity
expectations passed, so a failed build leaves the previous published file
byte-for-byte unchanged.

What the copy holds has one owner, dbt_project.yml: models whose config meta
has `cxux_publish: true` (the marts; not the per-metric models, which
metric_values already holds, and the quarantine reconciliation summary). It is
read from the manifest every dbt invocation writes. The copy is written in
DuckDB storage version v1.0.0 so DuckDB 1.x clients (BI connectors) open it,
carries the dbt docs as table and column comments, and records what was
checked in `cxux_meta.published_build`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from cxux_cli.errors import CxuxError
from cxux_cli.project import Project

log = logging.getLogger("cxux.publish")

# dbt config meta key that marks a model for the published copy (dbt_project.yml sets it).
PUBLISH_META_KEY = "cxux_publish"
# The oldest storage format DuckDB 2.0 writes; every DuckDB 1.x client reads it (checked
# with 1.0.0 to 1.5.6, DECISIONLOG). 2.0's default (version 69) no 1.x client opens.
STORAGE_VERSION = "v1.0.0"
# One row about the build that was published: what ran and what was skipped.
BUILD_INFO_SCHEMA, BUILD_INFO_TABLE = "cxux_meta", "published_build"
BUILD_INFO_KEYS = ("trigger", "as_of", "checks_run", "checks_skipped", "note")
MANUAL_BUILD_INFO = {
    "trigger": "manual cxux publish",
    "checks_run": [],
    "checks_skipped": ["dbt tests", "quality checks"],
    "note": "published by hand with `cxux publish`: no check ran in that run; the "
            "warehouse is as its last build left it",
}
READ_FROM_CHOICES = ("published", "warehouse")


@dataclass
class PublishResult:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # "schema.table" -> rows


def published_path(project: Project) -> Path:
    raw = os.environ.get("CXUX_PUBLISHED_PATH", "published/cxux.duckdb")
    path = Path(raw)
    return path if path.is_absolute() else project.root / path


def published_relations(project: Project) -> list[tuple[str, str]]:
    """(schema, name) of every model marked `cxux_publish: true`, from the dbt manifest."""
    from cxux_cli.relations import manifest_nodes, node_meta

    relations = set()
    for node in manifest_nodes(project).values():
        config = node.get("config") or {}
        if (node.get("resource_type") == "model" and node_meta(node).get(PUBLISH_META_KEY) is True
                and config.get("enabled", True) and config.get("materialized") != "ephemeral"):
            relations.add((node["schema"], node.get("alias") or node["name"]))
    if not relations:
        raise CxuxError(f"{project.dbt_target_path / 'manifest.json'}: no model has "
                        f"`+meta: {{{PUBLISH_META_KEY}: true}}` (dbt_project.yml); nothing to publish")
    return sorted(relations)


def check_distinct_paths(source: Path, target: Path) -> None:
    """Publishing onto the warehouse would replace it with the marts-only copy."""
    same = source.resolve() == target.resolve()
    if not same and source.exists() and target.exists():
        same = os.path.samefile(source, target)
    if same:
        raise CxuxError(
            f"the published path {target} is the warehouse {source}: publishing would replace "
            "the warehouse (raw, staging, quarantine) with the BI copy. Set CXUX_PUBLISHED_PATH "
            "to another file (default published/cxux.duckdb); nothing was changed")


def _source_relations(con, wanted: list[tuple[str, str]]) -> list[tuple[str, str]]:
    present = set(
        con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'src' "
            "union all select schema_name, view_name from duckdb_views() "
            "where database_name = 'src' and not internal"
        ).fetchall()
    )
    missing = [f"{s}.{t}" for s, t in wanted if (s, t) not in present]
    if missing:
        raise CxuxError(f"the warehouse lacks {len(missing)} relation(s) marked for publishing: "
                        f"{', '.join(missing[:10])}; run a full `cxux build` first")
    return wanted


def _comments(con, schema: str, name: str) -> tuple[str | None, dict[str, str]]:
    """The dbt docs persisted in the warehouse: the relation's and its columns' comments."""
    relation = con.execute(
        "select comment from duckdb_tables() where database_name = 'src' and schema_name = ? "
        "and table_name = ? union all select comment from duckdb_views() "
        "where database_name = 'src' and schema_name = ? and view_name = ?",
        [schema, name, schema, name]).fetchone()
    columns = con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'src' "
        "and schema_name = ? and table_name = ? and comment is not null and comment <> ''",
        [schema, name]).fetchall()
    return (relation[0] if relation else None), dict(columns)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_leftovers(target: Path) -> list[Path]:
    """Temp files of a publish that was killed (kill -9 skips its own clean-up)."""
    removed = []
    for pattern in (f".{target.name}.*.tmp", f".{target.name}.*.tmp.wal"):
        for leftover in target.parent.glob(pattern):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    if removed:
        log.warning("removed %d temp file(s) left by an interrupted publish: %s", len(removed),
                    ", ".join(p.name for p in removed))
    return removed


def _checked_build_info(build_info: dict | None) -> dict:
    info = dict(MANUAL_BUILD_INFO if build_info is None else build_info)
    unknown = sorted(set(info) - set(BUILD_INFO_KEYS))
    if unknown:
        raise ValueError(f"build_info keys {unknown} are not among {list(BUILD_INFO_KEYS)}")
    as_of = info.get("as_of")
    if isinstance(as_of, dt.datetime):
        info["as_of"] = as_of.date()
    elif isinstance(as_of, str):
        info["as_of"] = dt.date.fromisoformat(as_of[:10])
    return info


def _joined(names) -> str | None:
    """Text, not a list column: DuckDB 1.0 cannot read an empty list written by 2.0 in
    v1.0.0 storage (checked here), and BI tools show text plainly."""
    return "; ".join(names) if names else None


def _write_build_info(con, info: dict, table_count: int) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        cxux_version = version("cxux")
    except PackageNotFoundError:
        cxux_version = None
    table = f"{BUILD_INFO_SCHEMA}.{BUILD_INFO_TABLE}"
    con.execute(f"create schema {BUILD_INFO_SCHEMA}")
    con.execute(f"create table {table} (published_at timestamp, trigger varchar, as_of date, "
                "checks_run varchar, checks_skipped varchar, note varchar, "
                "table_count integer, cxux_version varchar)")
    con.execute(f"insert into {table} values (?, ?, ?, ?, ?, ?, ?, ?)", [
        dt.datetime.now(dt.UTC).replace(tzinfo=None), info.get("trigger") or "",
        info.get("as_of"), _joined(info.get("checks_run")), _joined(info.get("checks_skipped")),
        info.get("note"), table_count, cxux_version])
    con.execute(f"comment on table {table} is "
                + _literal("The build this copy was published from: when (published_at, UTC), "
                           "its as-of date, the checks that ran and the checks that were "
                           "skipped (each a '; '-separated list, null for none). One row."))


def publish(project: Project, source: Path | None = None, target: Path | None = None,
            build_info: dict | None = None) -> PublishResult:
    """Copy the published relations into a new file and atomically replace the published copy.

    build_info: what `cxux build` checked, written to cxux_meta.published_build; keys
    trigger (str), as_of (date or ISO string), checks_run and checks_skipped (lists of
    str), note (str). None means a manual `cxux publish` (MANUAL_BUILD_INFO).
    """
    import duckdb

    source = Path(source or project.duckdb_path)
    target = Path(target or published_path(project))
    check_distinct_paths(source, target)
    if not source.is_file():
        raise CxuxError(f"{source}: no warehouse file to publish (run `cxux build` first)")
    wanted = published_relations(project)
    info = _checked_build_info(build_info)  # a bad build_info fails before any write
    target.parent.mkdir(parents=True, exist_ok=True)
    # One publish at a time per target: a temp file seen under the lock is a dead one's.
    lock = open(target.parent / f".{target.name}.lock", "w")  # noqa: SIM115 (held to the end)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _remove_leftovers(target)
        return _publish_locked(duckdb, source, target, wanted, info)
    finally:
        lock.close()  # releases the flock


def _publish_locked(duckdb, source: Path, target: Path, wanted, info: dict) -> PublishResult:
    # Same directory as the target, so os.replace is a rename within one filesystem.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    tables: dict[str, int] = {}
    try:
        con = duckdb.connect()
        try:
            con.execute(f"attach {_literal(str(tmp))} as pub "
                        f"(storage_version '{STORAGE_VERSION}')")
            con.execute(f"attach {_literal(str(source))} as src (read_only)")
            con.execute("use pub")
            for schema, name in _source_relations(con, wanted):
                relation = f"{_ident(schema)}.{_ident(name)}"
                con.execute(f"create schema if not exists {_ident(schema)}")
                try:
                    con.execute(f"create table {relation} as select * from src.{relation}")
                except duckdb.Error as exc:
                    raise CxuxError(f"copying {schema}.{name} to the published copy failed "
                                    f"({exc}); the published copy was left unchanged") from None
                comment, column_comments = _comments(con, schema, name)
                if comment:
                    con.execute(f"comment on table {relation} is {_literal(comment)}")
                for column, text in column_comments.items():
                    con.execute(f"comment on column {relation}.{_ident(column)} "
                                f"is {_literal(text)}")
                tables[f"{schema}.{name}"] = con.execute(
                    f"select count(*) from {relation}").fetchone()[0]
            _write_build_info(con, info, len(tables))
            con.execute("use memory")
            con.execute("detach src")
            con.execute("checkpoint pub")
            con.execute("detach pub")
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


# Readers: `metrics query`, `metrics show` and `report` read the published copy by default.

def reader_path(project: Project, read_from: str) -> Path:
    """The file a reader opens: the published copy, or the working warehouse dbt writes."""
    if read_from == "warehouse":
        path = project.duckdb_path
        if not path.is_file():
            raise CxuxError(f"{path}: no warehouse file; run `cxux build` first (or set "
                            "CXUX_DUCKDB_PATH)")
        return path
    path = published_path(project)
    if not path.is_file():
        raise CxuxError(f"{path}: no published copy; run `cxux build` (it publishes once every "
                        "check passed), or read the working warehouse with --from warehouse")
    return path


def connect_read_only(path: Path):
    """A read-only DuckDB connection, or a CxuxError that says who holds the file."""
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise CxuxError(f"cannot open {path} read-only: {exc}") from None
        pid = re.search(r"PID (\d+)", str(exc))
        holder = f" (process {pid.group(1)})" if pid else ""
        raise CxuxError(f"{path} is locked by another process{holder}, probably a build or a "
                        "load writing it: wait for it to finish, or read the published copy "
                        "(the default, without --from warehouse)") from None
    except duckdb.Error as exc:
        raise CxuxError(f"cannot open {path} read-only: {exc}") from None


read_from_option = click.option(
    "--from", "read_from", type=click.Choice(READ_FROM_CHOICES), default="published",
    show_default=True,
    help="published: the copy that passed the checks (CXUX_PUBLISHED_PATH; readable while a "
         "build runs). warehouse: the file dbt writes (CXUX_DUCKDB_PATH; its latest build, "
         "checked or not; locked while a build runs). Example: --from warehouse")


@click.command("publish")
@click.pass_context
def publish_command(ctx):
    """Copy the BI-facing marts to the published file BI tools read (atomic replace).

    \b
    Target: published/cxux.duckdb (env CXUX_PUBLISHED_PATH), never the
    warehouse itself. What is copied: the models dbt_project.yml marks with
    `+meta: {cxux_publish: true}`, with their dbt docs as comments, plus
    cxux_meta.published_build (this one records a manual publish). The file
    opens in DuckDB 1.x and 2.x. `cxux build` runs this only after dbt tests
    and quality checks pass; run it by hand only on a warehouse you have
    checked.
    """
    from cxux_cli.cli import get_project

    result = publish(get_project(ctx))
    for name, rows in sorted(result.tables.items()):
        click.echo(f"{name}\t{rows}")
    click.echo(f"published {len(result.tables)} tables to {result.path}", err=True)
