"""`cxux load DIR`: load a folder of exports into the raw schema of the DuckDB warehouse.

One file per raw table, named after the table: `<table>.csv`, `<table>.csv.gz` or
`<table>.parquet`. The loader checks what a raw table needs to exist at all
(known table, exactly the contract's columns, values that parse as the column's
type) and leaves the data rules (required, accepted values, ranges, duplicates,
foreign keys) to staging, which quarantines bad rows with a reason.

How it works, and why:
- Every file is first read by DuckDB's own readers into an in-memory staging
  database (CSV as text, Parquet as typed), so the warehouse is not opened, and
  not locked, while files are read and checked. `--check` stops there.
- Each column is converted by one SQL expression per portable type; the same
  rule finds the values that do not parse, with their row, so errors name the
  file, the physical line (CSV, header = line 1) or row (Parquet), the column,
  the primary key and the value. All problems are reported (up to a cap per file).
- Only when every file is clean is the warehouse attached and all tables written
  in ONE transaction: any failure rolls everything back, so the raw schema is
  never half-loaded.

Timestamps are UTC: ISO 8601 dates or date-times, `T` or a space between date and
time, optional fractional seconds, and an optional `Z` or `+HH`, `+HHMM`, `+HH:MM`
offset, which is converted to UTC. A value without an offset is taken as UTC.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

from cxux_cli.errors import CxuxError

log = logging.getLogger(__name__)

MODES = ("replace", "append")
MAX_PROBLEMS_PER_FILE = 20
# Longest first: "orders.csv.gz" must not be read as table "orders.csv".
SUFFIXES = {".csv.gz": "csv", ".csv": "csv", ".parquet": "parquet"}
TRUE_WORDS = ("true", "t", "1", "yes")
FALSE_WORDS = ("false", "f", "0", "no")

# Text accepted per portable type (checked before the cast so DuckDB's lenient
# casts, e.g. '3.5' -> 4 for integers or 'infinity' for timestamps, do not slip through).
_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_DOUBLE = _DECIMAL + r"([eE][+-]?[0-9]+)?"
_TIMESTAMP = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?"
    r" ?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?"
)
EXPECTED = {
    "integer": "is not an integer",
    "decimal": "is not a decimal number",
    "double": "is not a number",
    "boolean": "is not a boolean (use true/false, t/f, 1/0 or yes/no)",
    "timestamp": "is not an ISO 8601 timestamp (e.g. 2024-05-01T13:45:00Z)",
}


@dataclass(frozen=True)
class ExportFile:
    table: str
    path: Path
    kind: str  # csv or parquet

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, printed as one line."""

    file: str
    message: str
    line: int | None = None  # CSV: physical line, header = 1
    row: int | None = None  # Parquet: 1-based row
    column: str | None = None
    row_id: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f" line {self.line}")
        if self.row is not None:
            where.append(f" row {self.row}")
        if self.column is not None:
            where.append(f", column {self.column}")
        if self.row_id is not None:
            where.append(f", row id {self.row_id}")
        return f"{''.join(where)}: {self.message}"


@dataclass
class TableLoad:
    table: str
    file: str
    rows_loaded: int
    rows_in_table: int | None = None  # after the load; None with --check


@dataclass
class LoadReport:
    directory: str
    database: str
    schema: str
    mode: str
    checked_only: bool
    tables: list[TableLoad] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class LoadError(CxuxError):
    """Bad input: carries every problem found (exit code 2)."""

    def __init__(self, directory: Path, problems: list[Problem], omitted: dict[str, int]):
        self.problems = problems
        self.omitted = omitted
        count = len(problems) + sum(omitted.values())
        lines = [f"cannot load {directory}: {count} problem(s), nothing was loaded"]
        lines += [f"  {problem}" for problem in problems]
        lines += [f"  ... and {n} more problem(s) in {name}" for name, n in omitted.items()]
        super().__init__("\n".join(lines))


# ---------------------------------------------------------------------------
# Finding the files


def discover(directory: Path, table_names: list[str]) -> tuple[list[ExportFile], list[Problem]]:
    """The export files in `directory`, in contract order, and problems with their names."""
    if not directory.is_dir():
        raise CxuxError(f"{directory}: not a directory")
    found: dict[str, list[ExportFile]] = {}
    problems: list[Problem] = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = next((s for s in SUFFIXES if path.name.lower().endswith(s)), None)
        if suffix is None:
            log.info("ignoring %s (not .csv, .csv.gz or .parquet)", path.name)
            continue
        table = path.name[: -len(suffix)]
        if table not in table_names:
            problems.append(
                Problem(
                    path.name,
                    f"no raw table named {table!r} in the contract "
                    f"(expected one of: {', '.join(table_names)})",
                )
            )
            continue
        found.setdefault(table, []).append(ExportFile(table, path, SUFFIXES[suffix]))
    files = []
    for table in table_names:
        candidates = found.get(table, [])
        if len(candidates) > 1:
            names = " and ".join(f.name for f in candidates)
            problems.append(Problem(names, f"{len(candidates)} files for table {table}; keep one"))
        elif candidates:
            files.append(candidates[0])
    if not files and not problems:
        raise CxuxError(
            f"{directory}: no export files (expected <table>.csv, <table>.csv.gz or "
            f"<table>.parquet for tables: {', '.join(table_names)})"
        )
    return files, problems


# ---------------------------------------------------------------------------
# SQL helpers


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _open_text(path: Path):
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="")


def _csv_header(path: Path, delimiter: str) -> list[str] | None:
    with _open_text(path) as handle:
        row = next(csv.reader(handle, delimiter=delimiter), None)
    return None if row is None else [name.strip() for name in row]


def _csv_lines(path: Path, ordinals: set[int], delimiter: str) -> dict[int, int]:
    """Physical start line (header = 1) of the data records at these 0-based ordinals.

    Only used to word errors, and stops at the last wanted record. Python's csv
    module splits records like DuckDB's reader (quoted newlines, skipped blank lines).
    """
    csv.field_size_limit(2**31 - 1)  # long quoted fields (comments)
    wanted, lines, ordinal = max(ordinals), {}, -1
    with _open_text(path) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader, None)  # header
        end_of_previous = reader.line_num
        for record in reader:
            if record:
                ordinal += 1
                if ordinal in ordinals:
                    lines[ordinal] = end_of_previous + 1
                if ordinal >= wanted:
                    break
            end_of_previous = reader.line_num
    return lines


def _csv_error(name: str, error: Exception) -> Problem:
    """DuckDB's CSV parse error, shortened to what the user needs: line, reason, the line."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    original = re.search(r"Original Line: (.*)", text)
    skip = ("Invalid Input Error", "Original Line", "Possible")
    reasons = [part.strip() for part in text.splitlines()]
    reason = next((r for r in reasons if r and not r.startswith(skip)), text.splitlines()[0])
    if original:
        reason += f" (line: {original.group(1)[:120]})"
    return Problem(name, reason, line=int(line.group(1)) if line else None)


def _column_sql(name: str, data_type: str, source_type: str) -> tuple[str, str]:
    """(converted value, is-bad predicate) for one column: the single conversion rule.

    A value is bad when it is present but does not convert; nulls stay nulls
    (required columns are checked in staging, which quarantines the row).
    """
    from cxux_cli.contract import DUCKDB_TYPES

    col = _ident(name)
    target = DUCKDB_TYPES[data_type]
    if data_type == "string":
        return (col if source_type == "VARCHAR" else f"cast({col} as varchar)"), "false"
    if source_type == "VARCHAR":
        text = f"nullif(trim({col}), '')"
        if data_type == "boolean":
            words = ", ".join(_literal(w) for w in TRUE_WORDS + FALSE_WORDS)
            converted = (
                f"case when lower({text}) in ({', '.join(map(_literal, TRUE_WORDS))}) then true "
                f"when lower({text}) in ({', '.join(map(_literal, FALSE_WORDS))}) then false end"
            )
            return converted, f"({text} is not null and lower({text}) not in ({words}))"
        if data_type == "timestamp":
            # timestamptz applies the offset (the session is in UTC); a plain
            # cast to timestamp would silently drop it.
            converted = f"cast(try_cast({text} as timestamptz) as timestamp)"
            pattern = _TIMESTAMP
        else:
            converted = f"try_cast({text} as {target})"
            pattern = {"integer": _INTEGER, "decimal": _DECIMAL, "double": _DOUBLE}[data_type]
        bad = (
            f"({text} is not null and (not regexp_full_match({text}, {_literal(pattern)}) "
            f"or {converted} is null))"
        )
        return converted, bad
    # A typed (Parquet) column: cast, and reject what the cast loses or refuses.
    if source_type.lower() == target.replace(" ", "").lower():
        return col, "false"
    converted = f"try_cast({col} as {target})"
    bad = f"({col} is not null and {converted} is null)"
    numeric = re.match(r"(FLOAT|DOUBLE|DECIMAL|REAL)", source_type)
    if data_type == "integer" and numeric:
        bad = f"({bad} or {col} <> trunc({col}))"
    if data_type == "boolean" and re.match(r"(U?(TINY|SMALL|BIG|HUGE)?INT|INTEGER)", source_type):
        bad = f"({bad} or {col} not in (0, 1))"
    return converted, bad


# ---------------------------------------------------------------------------
# Reading and checking one file


@dataclass
class Staged:
    export: ExportFile
    relation: str
    columns: list[str]  # contract columns, in contract order
    conversions: dict[str, str]
    row_count: int


def _stage(con, export: ExportFile, table, allow_extra: bool, delimiter: str):
    """Read one file into the staging database: (Staged or None, problems, problem count)."""
    import duckdb

    name, relation = export.name, _ident(f"stage_{export.table}")
    path = _literal(str(export.path))
    if export.kind == "csv":
        header = _csv_header(export.path, delimiter)
        if not header or header == [""]:
            return None, [Problem(name, "the file is empty (expected a header row)")], 1
        duplicates = sorted({c for c in header if header.count(c) > 1})
        if duplicates:
            return None, [Problem(name, f"duplicate header columns: {', '.join(duplicates)}")], 1
        columns = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in header)
        source = (
            f"read_csv({path}, header = true, auto_detect = false, delim = {_literal(delimiter)}, "
            f"quote = '\"', escape = '\"', columns = {{{columns}}})"
        )
    else:
        source = f"read_parquet({path})"
    try:
        con.execute(f"create or replace table {relation} as select * from {source}")
    except duckdb.Error as error:  # malformed CSV, unreadable Parquet, bad UTF-8
        if export.kind == "csv" and "CSV Error" in str(error):
            return None, [_csv_error(name, error)], 1
        return None, [Problem(name, f"cannot read the file: {str(error).splitlines()[0]}")], 1
    source_types = {row[0]: row[1] for row in con.execute(f"describe {relation}").fetchall()}
    problems = []
    missing = [c for c in table.column_names if c not in source_types]
    extra = [c for c in source_types if c not in table.column_names]
    if missing:
        problems.append(Problem(name, f"missing columns: {', '.join(missing)}"))
    if extra and not allow_extra:
        problems.append(
            Problem(
                name,
                f"columns not in the contract for {table.name}: {', '.join(extra)} "
                "(remove them, or pass --allow-extra-columns to leave them out)",
            )
        )
    elif extra:
        log.info("%s: leaving out extra columns %s", name, ", ".join(extra))
    present = [c for c in table.columns if c.name in source_types]
    rules = {c.name: _column_sql(c.name, c.data_type, source_types[c.name]) for c in present}
    value_problems, bad_count = _bad_values(con, export, table, relation, rules, delimiter)
    total = len(problems) + bad_count
    problems += value_problems
    row_count = con.execute(f"select count(*) from {relation}").fetchone()[0]
    conversions = {name: converted for name, (converted, _) in rules.items()}
    staged = Staged(export, relation, [c.name for c in present], conversions, row_count)
    return staged, problems, total


def _bad_values(con, export: ExportFile, table, relation: str, rules: dict, delimiter: str):
    """(the first MAX_PROBLEMS_PER_FILE + 1 values that do not parse, how many there are)."""
    checked = [(i, name, bad) for i, (name, (_, bad)) in enumerate(rules.items()) if bad != "false"]
    if not checked:
        return [], 0
    key_parts = [
        f"coalesce(cast({_ident(k)} as varchar), '(null)')" if k in rules else "'(unknown)'"
        for k in table.primary_key
    ]
    row_id = " || '|' || ".join(key_parts) or "null"
    selects = [
        f"select _ordinal, {i} as _column, {_literal(name)} as column_name, {row_id} as row_id, "
        f"cast({_ident(name)} as varchar) as bad_value from staged where {bad}"
        for i, name, bad in checked
    ]
    bad_sql = (
        f"with staged as (select rowid as _ordinal, * from {relation}), "
        f"bad as ({' union all '.join(selects)}) "
    )
    rows = con.execute(
        bad_sql + "select _ordinal, column_name, row_id, bad_value from bad "
        f"order by _ordinal, _column limit {MAX_PROBLEMS_PER_FILE + 1}"
    ).fetchall()
    total = len(rows)
    if total > MAX_PROBLEMS_PER_FILE:
        total = con.execute(bad_sql + "select count(*) from bad").fetchone()[0]
    if not rows:
        return [], 0
    lines = _csv_lines(export.path, {r[0] for r in rows}, delimiter) if export.kind == "csv" else {}
    problems = []
    for ordinal, column, key, value in rows:
        shown = value if len(value) <= 80 else value[:77] + "..."
        problems.append(
            Problem(
                export.name,
                f"{shown!r} {EXPECTED[table.column(column).data_type]}",
                line=lines.get(ordinal) if export.kind == "csv" else None,
                row=ordinal + 1 if export.kind == "parquet" else None,
                column=column,
                row_id=key,
            )
        )
    return problems, total


# ---------------------------------------------------------------------------
# Writing


def _lock_error(database: Path, error: Exception) -> CxuxError:
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
        "notebook or BI tool with the file open) and rerun `cxux load`, or set "
        "CXUX_DUCKDB_PATH to another file. Nothing was loaded."
    )


def _write(con, project, staged: list[Staged], contract, mode: str) -> list[TableLoad]:
    """All tables in one transaction: either every file is loaded or nothing changes."""
    import duckdb

    database = project.duckdb_path
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        con.execute(f"attach {_literal(str(database))} as warehouse")
    except duckdb.Error as error:
        if "lock" in str(error).lower() or "already attached" in str(error):
            raise _lock_error(database, error) from error
        raise CxuxError(f"cannot open the warehouse {database}: {error}") from error
    schema = f"warehouse.{_ident(project.raw_schema)}"
    loads = []
    current = None
    try:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {schema}")
        for item in staged:
            current = item.export.table
            table = contract[current]
            target = f"{schema}.{_ident(table.name)}"
            ddl = ", ".join(f"{_ident(c.name)} {c.duckdb_type}" for c in table.columns)
            verb = "create or replace table" if mode == "replace" else "create table if not exists"
            con.execute(f"{verb} {target} ({ddl})")
            names = ", ".join(_ident(c) for c in item.columns)
            values = ", ".join(item.conversions[c] for c in item.columns)
            con.execute(f"insert into {target} ({names}) select {values} from {item.relation}")
            total = con.execute(f"select count(*) from {target}").fetchone()[0]
            loads.append(TableLoad(table.name, item.export.name, item.row_count, total))
        current = None
        con.execute("commit")
    except duckdb.Error as error:
        try:
            con.execute("rollback")
        except duckdb.Error:  # the failed statement may already have ended the transaction
            pass
        where = f"{project.raw_schema}.{current}" if current else project.raw_schema
        raise CxuxError(
            f"could not write {where} in {database}: {str(error).splitlines()[0]}; "
            "the transaction was rolled back, nothing was changed"
        ) from error
    finally:
        con.execute("detach warehouse")
    return loads


# ---------------------------------------------------------------------------
# The importable entry point


def load_directory(
    project,
    directory: str | Path,
    mode: str = "replace",
    allow_extra_columns: bool = False,
    check_only: bool = False,
    delimiter: str = ",",
) -> LoadReport:
    """Load every export file in `directory` into the raw schema; raise LoadError on bad input.

    mode: "replace" (each file replaces its table) or "append" (rows are added).
    Tables without a file are left alone in both modes.
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
    contract = load_contract(project.root)
    files, problems = discover(directory, list(contract))
    omitted: dict[str, int] = {}
    report = LoadReport(
        str(directory), str(project.duckdb_path), project.raw_schema, mode, check_only
    )
    with tempfile.TemporaryDirectory(prefix="cxux-load-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"set temp_directory = {_literal(spill)}")
            staged = []
            for export in files:
                table = contract[export.table]
                item, found, total = _stage(con, export, table, allow_extra_columns, delimiter)
                problems += found[:MAX_PROBLEMS_PER_FILE]
                if total > MAX_PROBLEMS_PER_FILE:
                    omitted[export.name] = total - MAX_PROBLEMS_PER_FILE
                if item is not None:
                    staged.append(item)
            if problems:
                raise LoadError(directory, problems, omitted)
            if check_only:
                report.tables = [
                    TableLoad(s.export.table, s.export.name, s.row_count) for s in staged
                ]
            else:
                report.tables = _write(con, project, staged, contract, mode)
        finally:
            con.close()
    return report


# ---------------------------------------------------------------------------
# The command


def _print_table(report: LoadReport) -> None:
    header = ("table", "file", "rows_loaded", "rows_in_table")
    rows = [
        (
            t.table,
            t.file,
            str(t.rows_loaded),
            "" if t.rows_in_table is None else str(t.rows_in_table),
        )
        for t in report.tables
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


@click.command("load")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(MODES, case_sensitive=False),
    default="replace",
    show_default=True,
    help="replace: each file replaces its table; append: add the rows (daily loads). "
    "Tables without a file are left alone either way.",
)
@click.option(
    "--allow-extra-columns",
    is_flag=True,
    help="Leave out columns the contract does not know instead of failing.",
)
@click.option(
    "--check", "check_only", is_flag=True, help="Read and check the files; write nothing."
)
@click.option("--delimiter", default=",", show_default=True, help="CSV field delimiter.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"], case_sensitive=False),
    default="table",
    show_default=True,
)
def load_command(directory, mode, allow_extra_columns, check_only, delimiter, output_format):
    """Load a folder of exports (one <table>.csv, .csv.gz or .parquet per raw table)
    into the raw schema of the warehouse, in one transaction.

    \b
    Examples:
      cxux load exports/                      replace the tables that have a file
      cxux load exports/2024-05-01 --mode append
      cxux load exports/ --check              check the files, write nothing

    Timestamps are UTC: ISO 8601 with or without 'Z' or an offset (converted to UTC).
    Booleans: true/false, t/f, 1/0, yes/no (any case). Any bad file, column or value
    fails the whole load (exit code 2) and leaves the warehouse as it was.
    """
    from cxux_cli.cli import get_project

    project = get_project(click.get_current_context())
    report = load_directory(
        project,
        directory,
        mode=mode.lower(),
        allow_extra_columns=allow_extra_columns,
        check_only=check_only,
        delimiter=delimiter,
    )
    if not check_only:
        from cxux_cli.engines import copy_raw

        copy_raw(project)  # the target's engine gets the same raw tables (no-op on duckdb)
    if output_format.lower() == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_table(report)
    if check_only:
        log.info("checked %d file(s); nothing was written (--check)", len(report.tables))
    else:
        log.info(
            "loaded %d table(s) into %s of %s (mode %s)",
            len(report.tables),
            report.schema,
            report.database,
            report.mode,
        )
