"""Read metric values from `metric_values` (read-only DuckDB): by default the published
copy (what passed the checks), or the working warehouse (`--from warehouse`).

metric_values holds one slice per dimension and per declared crossing
(dimension_name 'region|segment': names sorted and joined by '|', dimension_value
the values in the same order), so a query slices by one dimension or by a
declared crossing (several --by, in any order). `--where` is checked like a
definition's filter, may use only the --by dimensions, and is rebuilt with
bound parameters (expressions.render_where): user text never reaches the SQL.

Only complete periods (metric_values.is_complete_period: the period is over at the
build's as-of) are read unless --include-partial asks for the running one too,
which is then marked partial. A status is always shown with the target and the
thresholds it was judged against.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.metrics.validate import _suggest

log = logging.getLogger("cxux.metrics.query")

VALUE_KEYS = ("value", "numerator", "denominator", "sample_size", "ci_lower", "ci_upper",
              "target", "warning_threshold", "critical_threshold", "status",
              "is_complete_period")
# the table shows is_complete_period as a word: "partial" marks the running period
PERIOD_COMPLETE, PERIOD_PARTIAL = "complete", "partial"


@dataclass
class Query:
    metrics: list[str]
    grain: str | None = None
    by: list[str] | None = None
    where: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    include_partial: bool = False


def check_query(query: Query, definitions: list[dict]) -> None:
    """Plain errors for unknown metrics, grains and dimensions before touching the warehouse."""
    known = {d["name"]: d for d in definitions}
    for name in query.metrics:
        if name not in known:
            raise CxuxError(f"unknown metric '{name}'{_suggest(name, known)}; "
                            "see `cxux metrics list`")
    by = query.by or []
    twice = [d for i, d in enumerate(by) if d in by[:i]]
    if twice:
        raise CxuxError(f"--by {twice[0]} is given twice")
    for name in query.metrics:
        d = known[name]
        if query.grain and query.grain not in d["grains"]:
            raise CxuxError(f"metric '{name}' is not computed at grain {query.grain} "
                            f"(it has {', '.join(d['grains'])})")
        for dimension in by:
            if dimension not in d["dimensions"]:
                choices = ", ".join(d["dimensions"]) or "none"
                raise CxuxError(f"metric '{name}' has no dimension '{dimension}' "
                                f"(its dimensions: {choices})")
        crossings = [sorted(c) for c in d.get("crossings") or []]
        if len(by) > 1 and sorted(by) not in crossings:
            declared = "; ".join(" --by ".join([""] + c).strip() for c in crossings)
            raise CxuxError(f"metric '{name}' does not declare the crossing "
                            f"[{', '.join(by)}]: metric_values holds only declared crossings "
                            f"(its crossings: {declared or 'none'}; add `crossings:` to the "
                            f"definition in {d.get('source_file') or 'metrics/'})")
    if query.since and query.until and query.since > query.until:
        raise CxuxError("--since is after --until")


def dimension_references(by: list[str]) -> dict[str, str]:
    """SQL giving each --by dimension's value; names come from checked definitions."""
    if len(by) < 2:
        return {d: "dimension_value" for d in by}
    order = sorted(by)
    return {d: f"split_part(dimension_value, '|', {order.index(d) + 1})" for d in by}


def build_sql(query: Query, schema: str = "marts") -> tuple[str, list]:
    """The SELECT and its parameters. Identifiers come from checked names only."""
    by = query.by or []
    select = ["metric_name as metric", "grain", "period_start"]
    params: list = []
    where = [f"metric_name in ({', '.join('?' for _ in query.metrics)})"]
    params += list(query.metrics)
    # a dimension's value: the slice's value, or its part of a crossed slice's value
    # (dimension_name holds the sorted names, dimension_value the values in that order)
    references = dimension_references(by)
    if by:
        select += [f'{references[d]} as "{d}"' for d in by]
        where.append("dimension_name = ?")
        params.append("|".join(sorted(by)))
    else:
        where.append("dimension_name = 'total'")
    select += list(VALUE_KEYS)
    if not query.include_partial:
        where.append("is_complete_period")
    if query.grain:
        where.append("grain = ?")
        params.append(query.grain)
    if query.since:
        where.append("period_start >= ?")
        params.append(query.since)
    if query.until:
        where.append("period_start <= ?")
        params.append(query.until)
    if query.where:
        from cxux_cli.metrics import expressions  # sqlglot only when --where is given

        try:
            sql, more = expressions.render_where(query.where, references)
        except ValueError as exc:
            raise CxuxError(str(exc)) from None
        where.append(sql)
        params += more
    order = "metric_name, case grain when 'day' then 1 when 'week' then 2 when 'month' then 3 " \
            "when 'quarter' then 4 else 5 end, period_start" + (", dimension_value" if by else "")
    sql = (f"select {', '.join(select)}\nfrom {schema}.metric_values\n"
           f"where {' and '.join(where)}\norder by {order}")
    return sql, params


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "is_finite"):  # Decimal
        return float(value)
    return value


def _execution_error(exc, query: Query, duckdb_path: Path, schema: str) -> CxuxError:
    """DuckDB's error in words the user can act on (its raw text goes to the debug log)."""
    import duckdb

    log.debug("metric query failed: %s", exc)
    metrics = ", ".join(query.metrics)
    if isinstance(exc, duckdb.CatalogException):
        return CxuxError(f"{schema}.metric_values does not exist in {duckdb_path}: run "
                         "`cxux build` (or `dbt build --select metric_values+`)")
    if query.where and isinstance(exc, (duckdb.BinderException, duckdb.ConversionException)):
        dimension = (query.by or ["region"])[0]
        return CxuxError(
            f"--where \"{query.where}\" (metrics {metrics}) compares a dimension "
            f"({', '.join(query.by or [])}) with a value of another type: dimension values are "
            f"text, so compare them with quoted text, e.g. --where \"{dimension} = 'europe'\"")
    if isinstance(exc, duckdb.OutOfMemoryException):
        return CxuxError(f"out of memory reading metric values for {metrics} from "
                         f"{duckdb_path}: narrow the query (--grain, --since, --until)")
    return CxuxError(f"cannot read metric values for {metrics} from {duckdb_path} "
                     f"({type(exc).__name__}): check that it was built by this version of "
                     "cxux (`cxux build`); run with `cxux --debug` for DuckDB's message")


def run(query: Query, duckdb_path: Path, schema: str) -> list[dict]:
    """Rows as dicts, keys as in the JSON output."""
    import duckdb  # only the commands that read the warehouse pay for it

    from cxux_cli.publish import connect_read_only

    if not duckdb_path.is_file():
        raise CxuxError(f"no DuckDB file at {duckdb_path}: build it first (`cxux build`)")
    sql, params = build_sql(query, schema)
    connection = connect_read_only(duckdb_path)
    try:
        try:
            cursor = connection.execute(sql, params)
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise _execution_error(exc, query, duckdb_path, schema) from None
        return [{k: _clean(v) for k, v in zip(names, row)} for row in rows]
    finally:
        connection.close()


def period_word(row: dict) -> str:
    """'complete', or 'partial' for the running period (is_complete_period false)."""
    return PERIOD_COMPLETE if row.get("is_complete_period") else PERIOD_PARTIAL


def table_rows(rows: list[dict]) -> list[dict]:
    """Rows for a text table: is_complete_period as the word `period`."""
    out = []
    for row in rows:
        shown = {k: v for k, v in row.items() if k != "is_complete_period"}
        shown["period"] = period_word(row)
        out.append(shown)
    return out


def render(rows: list[dict], fmt: str, by: list[str] | None = None) -> str:
    columns = ["metric", "grain", "period_start", *(by or []), *VALUE_KEYS]
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    from cxux_cli.metrics.catalog import format_table

    shown = [c for c in columns if c != "is_complete_period"] + ["period"]
    return format_table(table_rows(rows), shown)


LATEST_KEYS = ("grain", "period_start", "value", "target", "warning_threshold",
               "critical_threshold", "status", "sample_size", "ci_lower", "ci_upper",
               "is_complete_period")


def latest_values(name: str, duckdb_path: Path, schema: str,
                  include_partial: bool = False) -> list[dict]:
    """The latest total row per grain of one metric (for `show`): of the complete
    periods, or with include_partial of all (the running one marked by
    is_complete_period false); [] when not built."""
    import duckdb

    if not duckdb_path.is_file():
        return []
    complete = "" if include_partial else " and other.is_complete_period"
    sql = (
        f"select {', '.join(LATEST_KEYS)}\n"
        f"from {schema}.metric_values as latest\n"
        "where metric_name = ? and dimension_name = 'total' and period_start = (\n"
        f"    select max(period_start) from {schema}.metric_values as other\n"
        "    where other.metric_name = latest.metric_name and other.grain = latest.grain\n"
        f"        and other.dimension_name = 'total'{complete})\n"
        "order by case grain when 'day' then 1 when 'week' then 2 when 'month' then 3 "
        "when 'quarter' then 4 else 5 end"
    )
    from cxux_cli.publish import connect_read_only

    connection = connect_read_only(duckdb_path)  # a locked file is an error, not "not built"
    try:
        cursor = connection.execute(sql, [name])
        names = [column[0] for column in cursor.description]
        return [{k: _clean(v) for k, v in zip(names, row)} for row in cursor.fetchall()]
    except duckdb.Error:
        return []
    finally:
        connection.close()


def not_configured_reason(name: str, duckdb_path: Path, schema: str) -> str | None:
    """Why a metric is not configured in this build (its domain is off:
    marts.metric_availability), or None when it is, or when that is not known."""
    import duckdb

    if not duckdb_path.is_file():
        return None
    from cxux_cli.publish import connect_read_only

    connection = connect_read_only(duckdb_path)
    try:
        row = connection.execute(
            f"select not_configured_reason from {schema}.metric_availability "
            "where metric_name = ? and not is_configured", [name]).fetchone()
    except duckdb.Error:  # built before metric_availability existed
        return None
    finally:
        connection.close()
    return row[0] if row else None
