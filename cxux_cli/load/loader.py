"""Writing checked files into the raw schema: one transaction, guarded and recorded.

Only when every file is clean is the warehouse attached. Then, in ONE transaction:
files already loaded are skipped, the guards run (an empty file, or a replace
that would cut a table to less than half its rows, is refused without the
matching --allow flag), the tables are written, and the load is recorded in the
ledger (ledger.py). Any failure or refusal rolls everything back, so the raw
schema is never half-loaded.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.load import ledger
from cxux_cli.load.read import (
    MAX_PROBLEMS_PER_FILE,
    LoadError,
    Problem,
    Staged,
    discover,
    ident,
    literal,
    stage,
)

log = logging.getLogger(__name__)

MODES = ("append", "replace")
# A replace whose file has fewer rows than this share of the table's current rows
# is refused without --allow-shrink (a one-day folder cut page_views 67,169 -> 72).
SHRINK_LIMIT = 0.5


@dataclass
class TableLoad:
    table: str
    file: str
    rows_loaded: int
    rows_in_table: int | None = None  # after the load; None with --check
    status: str = "loaded"  # loaded, skipped (already loaded: duplicate_of), checked
    duplicate_of: int | None = None
    rows_before: int | None = None
    sha256: str | None = None


@dataclass
class LoadReport:
    directory: str
    database: str
    schema: str
    mode: str
    checked_only: bool
    load_id: int | None = None  # None with --check
    tables: list[TableLoad] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def guard(item: Staged, relation: str, mode: str, current: int | None,
          allow_shrink: bool, allow_empty: bool) -> Problem | None:
    """Why this file may not be loaded as it is (None: it may).

    current: the table's rows now (None: no such table, or not known with --check).
    """
    new = item.row_count
    now = f"; {relation} has {current} rows now" if current is not None else ""
    if new == 0 and not allow_empty:
        emptied = f" and --replace would empty {relation}" if mode == "replace" and current else ""
        return Problem(
            item.export.name,
            f"the file has no data rows{now}{emptied}. An empty export is usually a failed "
            "one: pass --allow-empty if the table really has no new rows",
        )
    if mode == "replace" and new > 0 and current and new < current * SHRINK_LIMIT and (
        not allow_shrink
    ):
        return Problem(
            item.export.name,
            f"--replace would cut {relation} from {current} to {new} rows (the file has fewer "
            f"than {SHRINK_LIMIT:.0%} of the current rows). Pass --allow-shrink to replace it "
            "anyway, or leave out --replace to append the rows",
        )
    return None


def _write(con, project, staged: list[Staged], contract, report: LoadReport,
           allow_shrink: bool, allow_empty: bool, reload: bool) -> None:
    """All tables in one transaction: either every file is loaded or nothing changes."""
    import duckdb

    database, schema, mode = project.duckdb_path, report.schema, report.mode
    ledger.attach(con, database)
    current_table = None
    try:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {ledger.DB}.{ident(schema)}")
        ledger.ensure_ledger(con)
        load_id = ledger.next_load_id(con)
        # what to do with each file, decided before anything is written
        plans, problems = [], []
        for item in staged:
            table = item.export.table
            current, tagged = ledger.table_state(con, schema, table)
            earlier = None if reload else ledger.find_duplicate(
                con, schema, table, item.sha256, replace=mode == "replace"
            )
            refused = None if earlier else guard(
                item, f"{schema}.{table}", mode, current, allow_shrink, allow_empty
            )
            if refused:
                problems.append(refused)
            plans.append((item, current, tagged, earlier))
        if problems:
            raise LoadError(Path(report.directory), problems, {})

        entries = []
        for item, current, tagged, earlier in plans:
            current_table = item.export.table
            entry = ledger.FileEntry(
                current_table, "loaded", item.row_count, item.export.name, item.size,
                item.sha256, rows_before=current,
            )
            if earlier:
                duplicate_of, loaded_at = earlier
                log.warning(
                    "%s: skipped: the same file (sha256 %s...) was loaded into %s.%s by load %d "
                    "at %s UTC and its rows are still there (pass --reload to load it again)",
                    item.export.name, item.sha256[:12], schema, current_table, duplicate_of,
                    loaded_at.strftime("%Y-%m-%d %H:%M:%S"),
                )
                entry.status, entry.duplicate_of, entry.rows = "skipped", duplicate_of, 0
            else:
                entry.saved_as = _write_table(
                    con, schema, contract[current_table], item, load_id, mode, current, tagged
                )
            entry.rows_after, _ = ledger.table_state(con, schema, current_table)
            entries.append(entry)
            report.tables.append(
                TableLoad(current_table, item.export.name, entry.rows, entry.rows_after,
                          entry.status, entry.duplicate_of, current, item.sha256)
            )
        current_table = None
        ledger.record(con, load_id, mode, schema, str(Path(report.directory).resolve()), entries)
        con.execute("commit")
        report.load_id = load_id
    except BaseException as error:  # a refusal, a failed statement, an interrupt: roll back
        try:
            con.execute("rollback")
        except duckdb.Error:  # the failed statement may already have ended the transaction
            pass
        if not isinstance(error, duckdb.Error):
            raise
        where = f"{schema}.{current_table}" if current_table else schema
        raise CxuxError(
            f"could not write {where} in {database}: {str(error).splitlines()[0]}; "
            "the transaction was rolled back, nothing was changed"
        ) from error
    finally:
        con.execute(f"detach {ledger.DB}")


def _write_table(con, schema: str, table, item: Staged, load_id: int, mode: str,
                 current: int | None, tagged: bool) -> str | None:
    """Write one file's rows, each tagged with the load id; returns where a replace kept
    the rows it replaced (None otherwise)."""
    target = ledger.relation(schema, table.name)
    tag = ident(ledger.LOAD_ID_COLUMN)
    ddl = ", ".join(f"{ident(c.name)} {c.duckdb_type}" for c in table.columns)
    saved = None
    if mode == "replace":
        if current is not None:
            saved = ledger.save_replaced(con, schema, table.name, load_id)
        con.execute(f"create or replace table {target} ({ddl}, {tag} bigint)")
    elif current is None:
        con.execute(f"create table {target} ({ddl}, {tag} bigint)")
    elif not tagged:  # e.g. a table of `cxux generate`: its rows keep a null load id
        con.execute(f"alter table {target} add column {tag} bigint")
    names = ", ".join(ident(c) for c in [*item.columns, ledger.LOAD_ID_COLUMN])
    values = ", ".join([*(item.conversions[c] for c in item.columns), str(load_id)])
    con.execute(f"insert into {target} ({names}) select {values} from {item.relation}")
    return saved


# ---------------------------------------------------------------------------
# The importable entry point


def load_directory(
    project,
    directory: str | Path,
    mode: str = "append",
    allow_extra_columns: bool = False,
    check_only: bool = False,
    delimiter: str = ",",
    allow_shrink: bool = False,
    allow_empty: bool = False,
    reload: bool = False,
    source: str | None = None,
) -> LoadReport:
    """Load every export file in `directory` into the raw schema; raise LoadError on bad input.

    source: a system with a source adapter (models/adapters/<system>/): the files are that
    system's tables as its loader lands them, checked against the adapter's source YAML and
    loaded into the schema the adapter reads (var cxux_<system>_schema).
    mode: "append" (rows are added; the default) or "replace" (each file replaces
    its table, refused when that would cut the table to less than half its rows
    unless allow_shrink). Tables without a file are left alone in both modes. An
    empty file is refused unless allow_empty. A file whose rows are already in its
    table (same sha256) is skipped unless reload.
    """
    import duckdb

    from cxux_cli.contract import load_contract

    if mode not in MODES:
        raise CxuxError(f"unknown mode {mode!r} (expected one of: {', '.join(MODES)})")
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise CxuxError(
            f"--delimiter must be one character other than a quote or newline, not {delimiter!r}"
        )
    directory = Path(directory)
    if source is not None and source not in project.adapter_systems():
        raise CxuxError(f"--source {source}: no such source adapter (one of: "
                        f"{', '.join(project.adapter_systems())})")
    contract = load_contract(project.package_root, source)
    schema = project.adapter_schema(source) if source else project.raw_schema
    files, problems = discover(directory, list(contract))
    omitted: dict[str, int] = {}
    report = LoadReport(str(directory), str(project.duckdb_path), schema, mode, check_only)
    with tempfile.TemporaryDirectory(prefix="cxux-load-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"set temp_directory = {literal(spill)}")
            staged = []
            for export in files:
                table = contract[export.table]
                item, found, total = stage(con, export, table, allow_extra_columns, delimiter)
                problems += found[:MAX_PROBLEMS_PER_FILE]
                if total > MAX_PROBLEMS_PER_FILE:
                    omitted[export.name] = total - MAX_PROBLEMS_PER_FILE
                if item is not None:
                    staged.append(item)
            if check_only:  # the warehouse stays closed: only what the files alone show
                problems += [
                    p for s in staged
                    if (p := guard(s, f"{schema}.{s.export.table}", mode, None,
                                   allow_shrink, allow_empty))
                ]
            if problems:
                raise LoadError(directory, problems, omitted)
            if check_only:
                report.tables = [
                    TableLoad(s.export.table, s.export.name, s.row_count, status="checked",
                              sha256=s.sha256)
                    for s in staged
                ]
            else:
                _write(con, project, staged, contract, report, allow_shrink, allow_empty, reload)
        finally:
            con.close()
    return report
