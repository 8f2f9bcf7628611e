"""Independent contract checks for the generator tests.

Written from the contract (models/staging/raw/_raw__sources.yml) alone, not from
the generator's rule list: every violation found in raw data is returned as
(table, row_id, defect), with the defect names of docs/demo_data.md.
"""

from __future__ import annotations

from collections import Counter

SCALE_REASON = "score outside the scale of its survey_type"


def row_key(table) -> str:
    return " || '|' || ".join(f"cast({c} as varchar)" for c in table.primary_key)


def find_violations(con, tables: dict, as_of, schema: str = "raw") -> Counter:
    found: Counter = Counter()

    def add(table_name, sql, defect):
        for (row_id,) in con.execute(sql).fetchall():
            found[(table_name, row_id, defect)] += 1

    for name, table in tables.items():
        source = f"{schema}.{name}"
        key = row_key(table)
        # Duplicates: rows below the latest version lose; identical extra copies of the winner.
        version = table.version_column
        if version:
            add(name, f"""select k from (
                    select {key} as k, {version} as v, max({version}) over (partition by {key}) as m
                    from {source}) where v < m""", "duplicate_superseded")
            add(name, f"""select k from (
                    select {key} as k, row_number() over (partition by {key}, {version}) as r
                    from {source} where {version} is not null) where r > 1""", "duplicate_exact")
        else:
            add(name, f"""select k from (
                    select {key} as k, row_number() over (partition by {key}) as r from {source})
                    where r > 1""", "duplicate_exact")
        for column in table.columns:
            c = column.name
            if column.required:
                add(name, f"select {key} from {source} where {c} is null", "null_required")
            if column.accepted_values:
                values = ", ".join(f"'{v}'" for v in column.accepted_values)
                add(name, f"select {key} from {source} where {c} not in ({values})", "out_of_domain")
            if column.min is not None:
                add(name, f"select {key} from {source} where {c} < {column.min}", "out_of_domain")
            if column.max is not None:
                add(name, f"select {key} from {source} where {c} > {column.max}", "out_of_domain")
            if column.references:
                parent, parent_column = column.references.split(".")
                add(name, f"""select {key} from {source}
                    where {c} is not null
                    and {c} not in (select {parent_column} from {schema}.{parent}
                                    where {parent_column} is not null)""", "orphan_foreign_key")
            if column.data_type == "timestamp":
                add(name, f"select {key} from {source} where {c} >= timestamp '{as_of}'",
                    "future_timestamp")
                add(name, f"select {key} from {source} where {c} < timestamp '2000-01-01'",
                    "ancient_timestamp")
        for check in table.row_checks:
            defect = "out_of_domain" if check["reason"] == SCALE_REASON else "row_check_violation"
            add(name, f"select {key} from {source} where coalesce(({check['fail_when']}), false)",
                defect)
    return found


def planted(con) -> Counter:
    rows = con.execute(
        "select table_name, row_id, defect from cxux_meta.planted_bad_rows").fetchall()
    return Counter(rows)
