"""Reading and checking export files, before the warehouse is opened.

One file per raw table, named after the table: `<table>.csv`, `<table>.csv.gz` or
`<table>.parquet`. This module checks what a raw table needs to exist at all
(known table, exactly the contract's columns, values of the column's type, no
more decimals than the contract's scale) and leaves the data rules (required,
accepted values, ranges, duplicates, foreign keys) to staging, which quarantines
bad rows with a reason.

- Every file is read by DuckDB's own readers into an in-memory staging database
  (CSV as text, Parquet as typed), so the warehouse is not opened, and not
  locked, while files are read and checked.
- Each column is converted by one rule per (contract type, source type): a SQL
  expression for the value and predicates that find the values that do not fit,
  with their row, so errors name the file, the physical line (CSV, header =
  line 1) or row (Parquet), the column, the primary key and the value.
- Text (every CSV column, a Parquet text column) must match the same patterns in
  both formats. A typed Parquet column must be of a type that holds the contract
  type without inventing values: a boolean is not a decimal (it would load as
  1.00), a timestamp is not an integer. Nothing is rounded: a value with more
  decimals than the contract's decimal scale is refused.

Timestamps are UTC: ISO 8601 dates or date-times, `T` or a space between date and
time, optional fractional seconds, and an optional `Z` or `+HH`, `+HHMM`, `+HH:MM`
offset, which is converted to UTC. A value without an offset is taken as UTC.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from cxux_cli.contract import DUCKDB_TYPES
from cxux_cli.errors import CxuxError

log = logging.getLogger(__name__)

MAX_PROBLEMS_PER_FILE = 20
# Longest first: "orders.csv.gz" must not be read as table "orders.csv".
SUFFIXES = {".csv.gz": "csv", ".csv": "csv", ".parquet": "parquet"}
TRUE_WORDS = ("true", "t", "1", "yes")
FALSE_WORDS = ("false", "f", "0", "no")
GZIP_MAGIC = b"\x1f\x8b"

# The contract's decimal scale, read from its one definition (decimal(18, 2)).
DECIMAL_SCALE = int(re.fullmatch(r"decimal\(\d+, *(\d+)\)", DUCKDB_TYPES["decimal"]).group(1))

# Text accepted per portable type (checked before the cast so DuckDB's lenient
# casts, e.g. '3.5' -> 4 for integers or 'infinity' for timestamps, do not slip through).
_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
# At most DECIMAL_SCALE decimals; trailing zeros beyond it lose nothing ("1.500").
_DECIMAL_IN_SCALE = rf"[+-]?([0-9]+(\.[0-9]{{0,{DECIMAL_SCALE}}}0*)?|\.[0-9]{{1,{DECIMAL_SCALE}}}0*)"
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
TOO_MANY_DECIMALS = (
    f"has more than {DECIMAL_SCALE} decimal places (contract type {DUCKDB_TYPES['decimal']}); "
    "cxux does not round: correct the value or round it in the export"
)

# Typed (Parquet) columns: the DuckDB types a contract type accepts. Text columns
# always go through the text patterns above, exactly as CSV.
_INT_TYPES = r"U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)"
_FLOAT_TYPES = r"(FLOAT|REAL|DOUBLE)"
_DECIMAL_TYPES = r"DECIMAL\(\d+, *(\d+)\)"
ACCEPTED_TYPES = {
    "string": (rf"{_INT_TYPES}|UUID", "integer or UUID"),
    "integer": (
        rf"{_INT_TYPES}|{_FLOAT_TYPES}|{_DECIMAL_TYPES}",
        "integer, or decimal/float holding whole numbers",
    ),
    "decimal": (rf"{_INT_TYPES}|{_FLOAT_TYPES}|{_DECIMAL_TYPES}", "decimal, integer or float"),
    "double": (rf"{_INT_TYPES}|{_FLOAT_TYPES}|{_DECIMAL_TYPES}", "float, decimal or integer"),
    "boolean": (rf"BOOLEAN|{_INT_TYPES}", "boolean, or integer 0/1"),
    "timestamp": (
        r"TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|DATE",
        "timestamp (with or without time zone) or date",
    ),
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


class LoadError(CxuxError):
    """Bad input, or a load the guards refuse: carries every problem found (exit code 2)."""

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
        if path.name.startswith("."):
            continue
        suffix = next((s for s in SUFFIXES if path.name.lower().endswith(s)), None)
        if suffix is None:
            log.info("ignoring %s (not .csv, .csv.gz or .parquet)", path.name)
            continue
        if not path.is_file():
            if path.is_symlink():  # a link to nothing must not be skipped silently
                problems.append(Problem(path.name, "cannot read the file: it is a broken link"))
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
# SQL and file helpers


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fingerprint(path: Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of a file: what the ledger recognises a file by."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path.stat().st_size, digest.hexdigest()


def _unreadable(export: ExportFile, error: Exception) -> Problem:
    """A file that cannot be opened or decompressed, in words."""
    if isinstance(error, gzip.BadGzipFile) or str(error).startswith("Not a gzipped file"):
        return Problem(export.name, _NOT_GZIP)
    if isinstance(error, (EOFError, zlib.error)):
        return Problem(export.name, f"the gzip data is damaged or cut short ({error})")
    reason = getattr(error, "strerror", None) or str(error)
    return Problem(export.name, f"cannot read the file: {reason}")


_NOT_GZIP = (
    "not a gzip file (a .csv.gz must be gzip-compressed; if it is plain CSV, "
    "rename it to .csv)"
)
READ_ERRORS = (OSError, EOFError, zlib.error)


def _check_readable(export: ExportFile) -> Problem | None:
    try:
        if export.path.name.lower().endswith(".gz"):
            with open(export.path, "rb") as handle:
                if handle.read(2) != GZIP_MAGIC:
                    return Problem(export.name, _NOT_GZIP)
        else:
            open(export.path, "rb").close()
    except READ_ERRORS as error:
        return _unreadable(export, error)
    return None


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


def _bad_quote(path: Path, delimiter: str) -> tuple[int, str] | None:
    """(physical line, its text) where the quoted field DuckDB calls unterminated starts.

    DuckDB's own line number counts records, so after a field with a quoted newline
    it points at the wrong line. A quote opens a field only as its first character
    (`ab"c` is text); `""` inside is an escaped quote; a closing quote must be
    followed by the delimiter or the end of the line. Only run after DuckDB failed.
    """
    start: tuple[int, str] | None = None
    in_quote = False
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not in_quote and '"' not in line:
                continue
            pos = 0
            while True:
                if in_quote:
                    closing = line.find('"', pos)
                    if closing < 0:
                        break  # the field goes on over the next line
                    if line.startswith('"', closing + 1):
                        pos = closing + 2  # "" is an escaped quote
                        continue
                    in_quote, pos = False, closing + 1
                    after = line[pos : pos + 1]
                    if after == delimiter:
                        pos += 1
                    elif after not in ("\r", "\n", ""):
                        return start  # text after the closing quote: "y"z
                    else:
                        break
                elif line.startswith('"', pos):
                    in_quote, start, pos = True, (number, line.rstrip("\r\n")), pos + 1
                else:
                    next_field = line.find(delimiter, pos)
                    if next_field < 0:
                        break
                    pos = next_field + 1
    return start if in_quote else None


def _csv_error(export: ExportFile, error: Exception, delimiter: str) -> Problem:
    """DuckDB's CSV parse error, shortened to what the user needs: line, reason, the line."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    # DuckDB writes: the line number, "Original Line: " and the record (which may span
    # lines: it runs on to the end of the file after an unterminated quote), the reason,
    # then "Possible fixes" or "Possible Solution" lines and the reader's settings
    # ("  file = ..."). The reason is the last line before those.
    head = re.split(r"\nPossible |\n +file = ", text)[0]
    lines = [part.strip() for part in head.splitlines() if part.strip()]
    reason = lines[-1] if len(lines) > 1 else text.splitlines()[0]
    original = head.split("Original Line: ", 1)[1] if "Original Line: " in head else None
    record = [part.rstrip("\r") for part in (original or "").splitlines() if part.strip()]
    shown = record[0] if original is not None and record[:1] != [reason] else None
    number = int(line.group(1)) if line else None
    if "unterminated quote" in reason:
        try:
            found = _bad_quote(export.path, delimiter)
        except READ_ERRORS:
            found = None
        if found:
            number, shown = found
    if shown is not None:
        reason += f" (line: {shown[:120]})"
    return Problem(export.name, reason, line=number)


# ---------------------------------------------------------------------------
# One rule per column: how to convert it, and which values do not fit


@dataclass
class ColumnRule:
    converted: str  # SQL for the value in the contract type
    checks: list[tuple[str, str]]  # (SQL: this value is bad, message after the value)
    type_problem: str | None = None  # the whole column cannot hold the contract type


def _column_rule(name: str, data_type: str, source_type: str) -> ColumnRule:
    """The single conversion rule for one column of one file.

    A value is bad when it is present but does not convert exactly; nulls stay
    nulls (required columns are checked in staging, which quarantines the row).
    """
    col = ident(name)
    target = DUCKDB_TYPES[data_type]
    if source_type == "VARCHAR":
        return _text_rule(col, data_type, target)
    if source_type.strip('"') == "NULL":  # a column with no value at all (e.g. pyarrow null)
        return ColumnRule(f"cast({col} as {target})", [])
    pattern, accepted = ACCEPTED_TYPES[data_type]
    same = source_type.lower() == target.replace(" ", "").lower()
    if not same and not re.fullmatch(pattern, source_type):
        return ColumnRule(
            col,
            [],
            f"Parquet type {source_type} does not fit the contract type {data_type} "
            f"({target}); write it as {accepted} (or as text, checked like CSV)",
        )
    is_float = re.fullmatch(_FLOAT_TYPES, source_type) is not None
    is_decimal = re.fullmatch(_DECIMAL_TYPES, source_type)
    if data_type == "double" and is_float:
        # via text: a FLOAT 0.1 stays 0.1 (as in a CSV export), not 0.10000000149011612
        converted = col if same else f"try_cast(cast({col} as varchar) as double)"
        return ColumnRule(converted, [(f"({col} is not null and not isfinite({col}))",
                                       EXPECTED["double"])])
    if same:
        return ColumnRule(col, [])
    converted = f"try_cast({col} as {target})"
    lost = f"({col} is not null and {converted} is null)"
    if data_type == "string":
        return ColumnRule(f"cast({col} as varchar)", [])
    if data_type == "integer":
        if is_float or is_decimal:
            lost = f"({lost} or {col} <> trunc({col}))"
        return ColumnRule(converted, [(lost, EXPECTED["integer"])])
    if data_type == "boolean":  # an integer column: 0 or 1 only
        return ColumnRule(converted, [(f"({lost} or {col} not in (0, 1))", EXPECTED["boolean"])])
    checks = [(lost, f"does not fit the contract type {data_type} ({target})")]
    scale = int(is_decimal.group(1)) if is_decimal else None
    if data_type == "decimal" and (is_float or (scale is not None and scale > DECIMAL_SCALE)):
        checks.append((
            f"({converted} is not null and {col} <> round({col}, {DECIMAL_SCALE}))",
            TOO_MANY_DECIMALS,
        ))
    return ColumnRule(converted, checks)


def _text_rule(col: str, data_type: str, target: str) -> ColumnRule:
    """Text (every CSV column, a Parquet text column): the value must match its pattern."""
    if data_type == "string":
        return ColumnRule(col, [])
    text = f"nullif(trim({col}), '')"
    if data_type == "boolean":
        words = ", ".join(literal(w) for w in TRUE_WORDS + FALSE_WORDS)
        converted = (
            f"case when lower({text}) in ({', '.join(map(literal, TRUE_WORDS))}) then true "
            f"when lower({text}) in ({', '.join(map(literal, FALSE_WORDS))}) then false end"
        )
        bad = f"({text} is not null and lower({text}) not in ({words}))"
        return ColumnRule(converted, [(bad, EXPECTED["boolean"])])
    if data_type == "timestamp":
        # timestamptz applies the offset (the session is in UTC); a plain
        # cast to timestamp would silently drop it.
        converted = f"cast(try_cast({text} as timestamptz) as timestamp)"
        pattern = _TIMESTAMP
    else:
        converted = f"try_cast({text} as {target})"
        pattern = {"integer": _INTEGER, "decimal": _DECIMAL, "double": _DOUBLE}[data_type]
    matches = f"regexp_full_match({text}, {literal(pattern)})"
    checks = [(f"({text} is not null and (not {matches} or {converted} is null))",
               EXPECTED[data_type])]
    if data_type == "decimal":
        in_scale = f"regexp_full_match({text}, {literal(_DECIMAL_IN_SCALE)})"
        checks.append((f"({matches} and {converted} is not null and not {in_scale})",
                       TOO_MANY_DECIMALS))
    return ColumnRule(converted, checks)


# ---------------------------------------------------------------------------
# Reading and checking one file


@dataclass
class Staged:
    export: ExportFile
    relation: str
    columns: list[str]  # contract columns, in contract order
    conversions: dict[str, str]
    row_count: int
    size: int
    sha256: str


def stage(con, export: ExportFile, table, allow_extra: bool, delimiter: str):
    """Read one file into the staging database: (Staged or None, problems, problem count)."""
    import duckdb

    name, relation = export.name, ident(f"stage_{export.table}")
    unreadable = _check_readable(export)
    if unreadable:
        return None, [unreadable], 1
    path = literal(str(export.path))
    try:
        size, sha256 = fingerprint(export.path)
        if export.kind == "csv":
            header = _csv_header(export.path, delimiter)
    except READ_ERRORS as error:
        return None, [_unreadable(export, error)], 1
    if export.kind == "csv":
        if not header or header == [""]:
            return None, [Problem(name, "the file is empty (expected a header row)")], 1
        duplicates = sorted({c for c in header if header.count(c) > 1})
        if duplicates:
            return None, [Problem(name, f"duplicate header columns: {', '.join(duplicates)}")], 1
        columns = ", ".join(f"{literal(c)}: 'VARCHAR'" for c in header)
        source = (
            f"read_csv({path}, header = true, auto_detect = false, delim = {literal(delimiter)}, "
            f"quote = '\"', escape = '\"', columns = {{{columns}}})"
        )
    else:
        source = f"read_parquet({path})"
    try:
        con.execute(f"create or replace table {relation} as select * from {source}")
    except duckdb.Error as error:  # malformed CSV, unreadable Parquet, bad UTF-8
        if export.kind == "csv" and "CSV Error" in str(error):
            return None, [_csv_error(export, error, delimiter)], 1
        return None, [Problem(name, f"cannot read the file: {str(error).splitlines()[0]}")], 1
    source_types = {row[0]: row[1] for row in con.execute(f"describe {relation}").fetchall()}
    problems = []
    missing = [c.name for c in table.columns if c.name not in source_types and not c.optional]
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
    rules = {c.name: _column_rule(c.name, c.data_type, source_types[c.name]) for c in present}
    for column, rule in rules.items():
        if rule.type_problem:
            problems.append(Problem(name, rule.type_problem, column=column))
    value_problems, bad_count = _bad_values(con, export, table, relation, rules, delimiter)
    total = len(problems) + bad_count
    problems += value_problems
    row_count = con.execute(f"select count(*) from {relation}").fetchone()[0]
    conversions = {column: rule.converted for column, rule in rules.items()}
    staged = Staged(export, relation, [c.name for c in present], conversions, row_count, size, sha256)
    return staged, problems, total


def _bad_values(con, export: ExportFile, table, relation: str, rules: dict, delimiter: str):
    """(the first MAX_PROBLEMS_PER_FILE + 1 values that do not fit, how many there are)."""
    checked = [
        (i, k, name, bad, message)
        for i, (name, rule) in enumerate(rules.items())
        if not rule.type_problem
        for k, (bad, message) in enumerate(rule.checks)
    ]
    if not checked:
        return [], 0
    key_parts = [
        f"coalesce(cast({ident(k)} as varchar), '(null)')" if k in rules else "'(unknown)'"
        for k in table.primary_key
    ]
    row_id = " || '|' || ".join(key_parts) or "null"
    selects = [
        f"select _ordinal, {i} as _column, {k} as _check, {literal(name)} as column_name, "
        f"{row_id} as row_id, cast({ident(name)} as varchar) as bad_value from staged where {bad}"
        for i, k, name, bad, _ in checked
    ]
    messages = {(i, k): message for i, k, _, _, message in checked}
    bad_sql = (
        f"with staged as (select rowid as _ordinal, * from {relation}), "
        f"bad as ({' union all '.join(selects)}) "
    )
    rows = con.execute(
        bad_sql + "select _ordinal, _column, _check, column_name, row_id, bad_value from bad "
        f"order by _ordinal, _column, _check limit {MAX_PROBLEMS_PER_FILE + 1}"
    ).fetchall()
    total = len(rows)
    if total > MAX_PROBLEMS_PER_FILE:
        total = con.execute(bad_sql + "select count(*) from bad").fetchone()[0]
    if not rows:
        return [], 0
    lines = _csv_lines(export.path, {r[0] for r in rows}, delimiter) if export.kind == "csv" else {}
    problems = []
    for ordinal, i, k, column, key, value in rows:
        shown = value if len(value) <= 80 else value[:77] + "..."
        problems.append(
            Problem(
                export.name,
                f"{shown!r} {messages[(i, k)]}",
                line=lines.get(ordinal) if export.kind == "csv" else None,
                row=ordinal + 1 if export.kind == "parquet" else None,
                column=column,
                row_id=key,
            )
        )
    return problems, total
