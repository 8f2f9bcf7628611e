"""The load ledger: every `cxux load` and every undo, recorded in the warehouse.

Tables (schema cxux_meta, which `copy_raw` also copies to PostgreSQL and Spark):
- `cxux_meta.loads`: one row per load or undo: load_id (1, 2, ...), loaded_at
  (UTC), action (append, replace or undo), raw_schema, directory, undoes.
- `cxux_meta.load_files`: one row per file of a load (table, file name, bytes,
  sha256, rows, status `loaded` or `skipped`, duplicate_of, rows before and
  after, and for a replace the table the replaced rows were kept in), and one
  row per table of an undo (status `removed` or `restored`).

Which rows a load added: raw tables written by `cxux load` carry a column
`_cxux_load_id` (the load that added the row; null for rows of `cxux generate`
or of another loader). Staging, the raw quality suites and the metrics read the
contract's columns by name, so they never see it. Undoing an append deletes the
rows with that id, exactly; a replace keeps the rows it replaced in schema
`cxux_replaced` (DuckDB cannot move a table to another schema, so they are
copied once) and undoing it puts them back. Before changing anything, undo
checks that the table still holds exactly the rows the ledger recorded, so a
table rewritten since (`cxux generate`, a later replace, a hand edit) is
refused, not half undone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxux_cli.engines import META_SCHEMA
from cxux_cli.errors import CxuxError
from cxux_cli.load.read import ident, literal

DB = "warehouse"  # the alias the warehouse is attached under
LOAD_ID_COLUMN = "_cxux_load_id"
REPLACED_SCHEMA = "cxux_replaced"
LOADS = f"{DB}.{META_SCHEMA}.loads"
FILES = f"{DB}.{META_SCHEMA}.load_files"

_DDL = (
    f"""create table if not exists {LOADS} (
        load_id bigint not null,
        loaded_at timestamp not null,
        action varchar not null,
        raw_schema varchar not null,
        directory varchar,
        undoes bigint
    )""",
    f"""create table if not exists {FILES} (
        load_id bigint not null,
        position integer not null,
        table_name varchar not null,
        file_name varchar,
        file_bytes bigint,
        sha256 varchar,
        rows bigint,
        status varchar not null,
        duplicate_of bigint,
        rows_before bigint,
        rows_after bigint,
        saved_as varchar
    )""",
)
# loads that an undo took back
_UNDONE = f"(select undoes from {LOADS} where action = 'undo')"


@dataclass
class FileEntry:
    table_name: str
    status: str  # loaded, skipped (same file already loaded), removed or restored (undo)
    rows: int | None = None
    file_name: str | None = None
    file_bytes: int | None = None
    sha256: str | None = None
    duplicate_of: int | None = None
    rows_before: int | None = None
    rows_after: int | None = None
    saved_as: str | None = None


@dataclass
class UndoReport:
    load_id: int  # the undo's own id in the ledger
    undid: int
    action: str  # what the undone load was: append or replace
    database: str
    schema: str  # where the undone load wrote: the raw schema, or an adapter's (--source)
    tables: list[FileEntry] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------
# The warehouse


def _lock_error(database: Path, error: Exception, command: str) -> CxuxError:
    outcome = "Nothing was loaded." if command == "cxux load" else "Nothing was changed."
    holder = re.search(r"held in (.*?) \(PID (\d+)\)", str(error))
    if holder:
        who = f" ({holder.group(1)}, PID {holder.group(2)})"
    elif "already attached" in str(error):
        who = " (this process already has it open)"
    else:
        who = ""
    return CxuxError(
        f"the warehouse {database} is in use by another process{who}; DuckDB allows one "
        "writer at a time. Close that program (a running `dbt build` or `cxux build`, a "
        f"notebook or BI tool with the file open) and rerun `{command}`, or set "
        f"CXUX_DUCKDB_PATH to another file. {outcome}"
    )


def attach(con, database: Path, read_only: bool = False, command: str = "cxux load") -> None:
    """Attach the warehouse to an in-memory connection as `warehouse`."""
    import duckdb

    if not read_only:
        database.parent.mkdir(parents=True, exist_ok=True)
    mode = " (read_only)" if read_only else ""
    try:
        con.execute(f"attach {literal(str(database))} as {DB}{mode}")
    except duckdb.Error as error:
        if "lock" in str(error).lower() or "already attached" in str(error):
            raise _lock_error(database, error, command) from error
        raise CxuxError(f"cannot open the warehouse {database}: {error}") from error


def _exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [DB, schema, table],
        ).fetchone()[0]
    )


def relation(schema: str, table: str) -> str:
    return f"{DB}.{ident(schema)}.{ident(table)}"


def table_state(con, schema: str, table: str) -> tuple[int | None, bool]:
    """(rows, or None when the table does not exist; whether it has the load id column)."""
    if not _exists(con, schema, table):
        return None, False
    rows = con.execute(f"select count(*) from {relation(schema, table)}").fetchone()[0]
    tagged = con.execute(
        "select count(*) from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? and column_name = ?",
        [DB, schema, table, LOAD_ID_COLUMN],
    ).fetchone()[0]
    return rows, bool(tagged)


def rows_of_load(con, schema: str, table: str, load_id: int) -> int:
    """How many rows of `schema.table` carry this load id (0 without the column)."""
    rows, tagged = table_state(con, schema, table)
    if not rows or not tagged:
        return 0
    return con.execute(
        f"select count(*) from {relation(schema, table)} where {LOAD_ID_COLUMN} = ?", [load_id]
    ).fetchone()[0]


# ---------------------------------------------------------------------------
# Recording loads


def ensure_ledger(con) -> None:
    con.execute(f"create schema if not exists {DB}.{META_SCHEMA}")
    for ddl in _DDL:
        con.execute(ddl)


def _has_ledger(con) -> bool:
    return _exists(con, META_SCHEMA, "loads") and _exists(con, META_SCHEMA, "load_files")


def next_load_id(con) -> int:
    return con.execute(f"select coalesce(max(load_id), 0) + 1 from {LOADS}").fetchone()[0]


def record(con, load_id: int, action: str, raw_schema: str, directory: str | None,
           entries: list[FileEntry], undoes: int | None = None) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        f"insert into {LOADS} values (?, ?, ?, ?, ?, ?)",
        [load_id, now, action, raw_schema, directory, undoes],
    )
    for position, entry in enumerate(entries, start=1):
        con.execute(
            f"insert into {FILES} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [load_id, position, entry.table_name, entry.file_name, entry.file_bytes,
             entry.sha256, entry.rows, entry.status, entry.duplicate_of, entry.rows_before,
             entry.rows_after, entry.saved_as],
        )


def find_duplicate(con, schema: str, table: str, sha256: str,
                   replace: bool) -> tuple[int, dt.datetime] | None:
    """The earlier load whose copy of this very file is still in the table, if any.

    Still there: every row that load added is in the table, and for a replace the
    table holds nothing else (replacing a table with the file it already holds is a
    no-op; after other appends it is not). A load that was undone, or whose rows a
    later replace or `cxux generate` took away, does not count.
    """
    candidates = con.execute(
        f"select f.load_id, l.loaded_at, f.rows from {FILES} f join {LOADS} l using (load_id) "
        "where l.raw_schema = ? and f.table_name = ? and f.sha256 = ? and f.status = 'loaded' "
        f"and f.load_id not in {_UNDONE} order by f.load_id desc",
        [schema, table, sha256],
    ).fetchall()
    current, _ = table_state(con, schema, table)
    for load_id, loaded_at, rows in candidates:
        if rows_of_load(con, schema, table, load_id) == rows and (not replace or current == rows):
            return load_id, loaded_at
    return None


def save_replaced(con, schema: str, table: str, load_id: int) -> str:
    """Keep the rows a replace is about to drop; returns the saved table's name."""
    saved = f"{schema}__{table}__load_{load_id}"
    con.execute(f"create schema if not exists {DB}.{REPLACED_SCHEMA}")
    con.execute(
        f"create table {relation(REPLACED_SCHEMA, saved)} as "
        f"select * from {relation(schema, table)}"
    )
    return saved


# ---------------------------------------------------------------------------
# Undo


def _later_loads(con, schema: str, table: str, load_id: int, replaces_only: bool) -> list[int]:
    """Loads after `load_id`, not undone, that changed `schema.table`."""
    only = "and l.action = 'replace' " if replaces_only else ""
    return [
        row[0]
        for row in con.execute(
            f"select distinct f.load_id from {FILES} f join {LOADS} l using (load_id) "
            "where l.raw_schema = ? and f.table_name = ? and f.status = 'loaded' "
            f"and f.load_id > ? and f.load_id not in {_UNDONE} {only}order by 1",
            [schema, table, load_id],
        ).fetchall()
    ]


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def undo_load(database: Path, load_id: int) -> UndoReport:
    """Take back one load in one transaction, and record the undo; all or nothing."""
    import duckdb

    if not database.exists():
        raise CxuxError(f"the warehouse {database} does not exist: no load to undo")
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        attach(con, database, command=f"cxux load --undo {load_id}")
        try:
            con.execute("begin transaction")
            report = _undo(con, database, load_id)
            con.execute("commit")
        except BaseException:
            try:
                con.execute("rollback")
            except duckdb.Error:  # a failed statement may already have ended it
                pass
            raise
        finally:
            con.execute(f"detach {DB}")
    except duckdb.Error as error:
        raise CxuxError(
            f"could not undo load {load_id} in {database}: {str(error).splitlines()[0]}; "
            "the transaction was rolled back, nothing was changed"
        ) from error
    finally:
        con.close()
    return report


def _undo(con, database: Path, load_id: int) -> UndoReport:
    def refuse(reason: str) -> CxuxError:
        return CxuxError(f"cannot undo load {load_id}: {reason}; nothing was changed")

    if not _has_ledger(con):
        raise refuse(f"no load is recorded in {database} (cxux_meta.loads does not exist)")
    found = con.execute(
        f"select action, raw_schema, undoes from {LOADS} where load_id = ?", [load_id]
    ).fetchone()
    if found is None:
        raise refuse("there is no such load (`cxux load --list` shows the ledger)")
    action, schema, undoes = found
    if action == "undo":
        raise refuse(f"it is the undo of load {undoes}; load that folder again to redo it")
    undone = con.execute(
        f"select load_id from {LOADS} where action = 'undo' and undoes = ?", [load_id]
    ).fetchone()
    if undone:
        raise refuse(f"it was already undone by load {undone[0]}")
    files = con.execute(
        f"select table_name, file_name, rows, rows_before, saved_as from {FILES} "
        "where load_id = ? and status = 'loaded' order by position",
        [load_id],
    ).fetchall()
    if not files:
        raise refuse("it loaded no rows (every file was skipped as already loaded)")

    problems = []
    for table, file_name, rows, rows_before, saved_as in files:
        name = f"{schema}.{table}"
        later = _later_loads(con, schema, table, load_id, replaces_only=action == "append")
        if later:
            what = "loaded into" if action == "replace" else "replaced"
            problems.append(
                f"{name}: load(s) {_ids(later)} {what} {name} after load {load_id}; "
                f"undo {'them' if len(later) > 1 else 'it'} first (newest first)"
            )
            continue
        present = rows_of_load(con, schema, table, load_id)
        if present != rows:
            problems.append(
                f"{name}: holds {present} row(s) of load {load_id} ({file_name}), the ledger "
                f"recorded {rows}: the table was changed outside `cxux load` since (by `cxux "
                "generate` or by hand)"
            )
        if action == "replace" and rows_before is not None and (
            not saved_as or not _exists(con, REPLACED_SCHEMA, saved_as)
        ):
            problems.append(
                f"{name}: the {rows_before} row(s) load {load_id} replaced were kept in "
                f"{REPLACED_SCHEMA}.{saved_as}, which no longer exists"
            )
    if problems:
        raise CxuxError(
            f"cannot undo load {load_id}, nothing was changed:\n  " + "\n  ".join(problems)
        )

    undo_id = next_load_id(con)
    report = UndoReport(undo_id, load_id, action, str(database), schema)
    for table, _file_name, rows, rows_before, saved_as in files:
        target = relation(schema, table)
        before, _ = table_state(con, schema, table)
        if action == "append":
            con.execute(f"delete from {target} where {LOAD_ID_COLUMN} = ?", [load_id])
            entry = FileEntry(table, "removed", rows, rows_before=before,
                              rows_after=before - rows)
        else:
            con.execute(f"drop table {target}")
            if saved_as:  # put the replaced rows back (the table did not exist otherwise)
                saved = relation(REPLACED_SCHEMA, saved_as)
                con.execute(f"create table {target} as select * from {saved}")
                con.execute(f"drop table {saved}")
            entry = FileEntry(table, "restored", rows_before, rows_before=before,
                              rows_after=rows_before)
        report.tables.append(entry)
    record(con, undo_id, "undo", schema, None, report.tables, undoes=load_id)
    return report


# ---------------------------------------------------------------------------
# History


HISTORY_COLUMNS = (
    "load_id", "loaded_at", "action", "raw_schema", "directory", "undoes", "undone_by",
    "table_name", "file_name", "file_bytes", "sha256", "rows", "status", "duplicate_of",
    "rows_before", "rows_after",
)


def history(database: Path) -> list[dict]:
    """Every load and undo, one entry per file (per table for an undo), oldest first."""
    import duckdb

    if not database.exists():
        return []
    con = duckdb.connect(":memory:")
    try:
        attach(con, database, read_only=True, command="cxux load --list")
        if not _has_ledger(con):
            return []
        rows = con.execute(
            "select l.load_id, l.loaded_at, l.action, l.raw_schema, l.directory, l.undoes, "
            "u.load_id, f.table_name, f.file_name, f.file_bytes, f.sha256, f.rows, f.status, "
            "f.duplicate_of, f.rows_before, f.rows_after "
            f"from {LOADS} l left join {FILES} f using (load_id) "
            f"left join {LOADS} u on u.action = 'undo' and u.undoes = l.load_id "
            "order by l.load_id, f.position"
        ).fetchall()
    finally:
        con.close()
    return [dict(zip(HISTORY_COLUMNS, row)) for row in rows]
