"""The expectation suites, defined in code from the raw contract and the mart interfaces.

Pure Python (no Great Expectations import): a `Check` names a GX expectation
class, its arguments and a severity; `runner.py` turns checks into GX suites.
Every asset is a SQL query over the warehouse that also returns a
`cxux_row_id` column (the primary key, composite keys joined with '|') so that
the summary can show a sample of offending ids for any table. The SQL is written
once for every engine; the little that differs (identifier quoting, the string
type) comes from a `Dialect` that the engine's Warehouse names (STANDARD for
DuckDB and PostgreSQL, SPARK for Spark SQL).

Tolerances and severities (documented in docs/quality.md):
- raw tables contain planted or real bad rows that staging quarantines, so
  row-level raw checks use `mostly` (at most RAW_BAD_ROW_TOLERANCE of rows
  may fail) with severity error: a normal dirty export passes, a batch that is
  broken beyond tolerance stops the build;
- marts are built by us, so mart checks are strict (mostly = 1) and error,
  except the distribution check, which is a warning (a real change in the
  business can look like a break; a person should look, not the build stop).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from cxux_cli.contract import Table
from cxux_cli.metrics import spec as metric_spec

ROW_ID = "cxux_row_id"
ERROR = "error"
WARNING = "warning"

# Share of rows a raw row-level expectation may fail before it fails (error).
RAW_BAD_ROW_TOLERANCE = 0.02
# Uniqueness counts every copy of a duplicated id as unexpected (2 rows per
# planted duplicate), hence a wider tolerance.
RAW_DUPLICATE_TOLERANCE = 0.03
# Small tables (30 products) would fail on a single bad row: a rule may always
# fail on this many rows (twice as many for uniqueness), whatever the share.
RAW_BAD_ROW_ALLOWANCE = 3
EARLIEST_TIMESTAMP = dt.datetime(2000, 1, 1)
# Clock skew allowed for "not in the future".
FUTURE_SLACK = dt.timedelta(days=1)
# Volume against the previous load: a drop below half is an error (truncated
# export), growth beyond 3x a warning (duplicated load or backfill).
VOLUME_MIN_RATIO = 0.5
VOLUME_MAX_RATIO = 3.0
# Freshness: the newest load timestamp older than this is a warning (dbt source
# freshness, error_after 7 days, is the hard check).
FRESHNESS_MAX_AGE = dt.timedelta(days=2)
# Distribution: latest value more than K standard deviations from its history.
DISTRIBUTION_K = 4.0
DISTRIBUTION_MIN_HISTORY = 6
# History = the previous 12 periods, not all of them: a growing business (revenue
# up 5x in two years) would otherwise always look like a break.
DISTRIBUTION_WINDOW = 12

# Mart keys from INTERFACES.md (checked when the table exists).
MART_KEYS: dict[str, tuple[str, ...]] = {
    "dim_customers": ("account_id",),
    "dim_users": ("user_id",),
    # one row per user; account_id is null for users with no paying customer
    "bridge_customer_users": ("user_id",),
    "dim_products": ("product_id",),
    "dim_dates": ("date_day",),
    "fct_orders": ("order_id",),
    "fct_order_lines": ("order_item_id",),
    "fct_customer_months": ("account_id", "month_start"),
    "fct_tickets": ("ticket_id",),
    "fct_survey_responses": ("response_id",),
    "fct_reviews": ("review_id",),
    "fct_sessions": ("session_id",),
    "fct_page_views": ("page_view_id",),
    "fct_task_attempts": ("task_attempt_id",),
    "fct_user_days": ("user_id", "activity_date"),
    "fct_feature_usage": ("user_id", "feature"),
    "fct_user_feature_months": ("user_id", "month_start", "feature"),
    "fct_account_seat_months": ("account_id", "month_start"),
    "metric_values": (
        "metric_name", "grain", "period_start", "dimension_name", "dimension_value",
    ),
}
METRIC_VALUES_KEY = MART_KEYS["metric_values"]


@dataclass(frozen=True)
class Asset:
    """A query over the warehouse; `name` is also the suite name in the summary."""

    name: str
    query: str


@dataclass(frozen=True)
class Check:
    asset: Asset
    label: str  # human name shown in the summary, e.g. "order_total >= 0"
    expectation: str  # GX expectation class name
    kwargs: dict = field(default_factory=dict)
    severity: str = ERROR
    description: str = ""

    @property
    def suite(self) -> str:
        return self.asset.name


@dataclass(frozen=True)
class Dialect:
    """What the checks' SQL needs to know of an engine (the Warehouse says which).

    Everything else in the checks is SQL that DuckDB, PostgreSQL and Spark read alike.
    """

    name: str
    quote: str = '"'  # identifier quote; Spark reads "x" as a string literal
    string_type: str = "varchar"  # Spark rejects varchar without a length

    def ident(self, name: str) -> str:
        return self.quote + name.replace(self.quote, self.quote * 2) + self.quote


STANDARD = Dialect("standard")  # DuckDB, PostgreSQL
SPARK = Dialect("spark", quote="`", string_type="string")


def _q(name: str, dialect: Dialect = STANDARD) -> str:
    return dialect.ident(name)


def row_id_sql(columns: tuple[str, ...], alias: str = "",
               dialect: Dialect = STANDARD) -> str:
    prefix = f"{alias}." if alias else ""
    parts = [f"cast({prefix}{_q(c, dialect)} as {dialect.string_type})" for c in columns]
    if len(parts) == 1:
        return parts[0]
    return "concat_ws('|', " + ", ".join(parts) + ")"


def _sql_literal(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# ----------------------------------------------------------------------------- raw


def raw_checks(
    contract: dict[str, Table],
    relations: str | dict[str, tuple[str, str]],
    as_of: dt.datetime,
    previous_counts: dict[str, int] | None = None,
    row_counts: dict[str, int] | None = None,
    earliest: dt.datetime = EARLIEST_TIMESTAMP,
    future_slack: dt.timedelta = FUTURE_SLACK,
    dialect: Dialect = STANDARD,
) -> list[Check]:
    """Checks for every raw table of the contract (row_counts: current rows per table).

    relations: where each table is read, {name: (schema, relation)}: what staging read
    (the raw_input__<table> views, runner.raw_relations); a schema name reads the tables
    of that schema. earliest and future_slack: the timestamp bounds staging applies (dbt
    vars cxux_min_timestamp and cxux_future_tolerance_hours; runner.timestamp_bounds).
    dialect: the engine's identifier quoting and string type (Warehouse.dialect).
    """
    if isinstance(relations, str):
        relations = {name: (relations, name) for name in contract}
    fq = {name: f"{_q(schema, dialect)}.{_q(relation, dialect)}"
          for name, (schema, relation) in relations.items()}
    checks: list[Check] = []
    bounds = (earliest, future_slack)
    for table in contract.values():
        rows = (row_counts or {}).get(table.name, 0)
        checks += _raw_table_checks(table, fq, as_of, previous_counts or {}, rows, bounds,
                                    dialect)
    return checks


def raw_mostly(rows: int, share: float, allowance: int) -> float:
    """GX `mostly` letting `share` of the rows, or at least `allowance` rows, fail."""
    if rows <= 0:
        return 1 - share
    return round(min(1 - share, max(0.0, 1 - allowance / rows)), 6)


def _raw_table_checks(table, relations, as_of, previous_counts, rows,
                      bounds=(EARLIEST_TIMESTAMP, FUTURE_SLACK),
                      dialect: Dialect = STANDARD) -> list[Check]:
    earliest, future_slack = bounds
    mostly = raw_mostly(rows, RAW_BAD_ROW_TOLERANCE, RAW_BAD_ROW_ALLOWANCE)
    fq = relations[table.name]
    base = Asset(
        name=f"raw.{table.name}",
        query=f"select *, {row_id_sql(table.primary_key, dialect=dialect)} as {ROW_ID} from {fq}",
    )
    checks: list[Check] = []
    for column in table.columns:
        name = column.name
        if column.required:
            checks.append(Check(base, f"{name} not null", "ExpectColumnValuesToNotBeNull",
                                {"column": name, "mostly": mostly}))
        if column.accepted_values:
            checks.append(Check(base, f"{name} in accepted values", "ExpectColumnValuesToBeInSet",
                                {"column": name, "value_set": list(column.accepted_values),
                                 "mostly": mostly}))
        if column.min is not None or column.max is not None:
            bounds = {"min_value": column.min, "max_value": column.max}
            text = " and ".join(
                f"{name} {op} {v}" for op, v in ((">=", column.min), ("<=", column.max))
                if v is not None
            )
            checks.append(Check(base, text, "ExpectColumnValuesToBeBetween",
                                {"column": name, **bounds, "mostly": mostly}))
        if column.data_type == "timestamp":
            checks.append(Check(
                base, f"{name} between {earliest:%Y-%m-%d} and now",
                "ExpectColumnValuesToBeBetween",
                {"column": name, "min_value": earliest,
                 "max_value": as_of + future_slack, "mostly": mostly},
                description=f"timestamps neither before {earliest:%Y-%m-%d} nor in the future",
            ))

    key = table.primary_key + ((table.version_column,) if table.version_column else ())
    dup_mostly = raw_mostly(rows, RAW_DUPLICATE_TOLERANCE, 2 * RAW_BAD_ROW_ALLOWANCE)
    if len(key) == 1:
        checks.append(Check(base, f"{key[0]} unique", "ExpectColumnValuesToBeUnique",
                            {"column": key[0], "mostly": dup_mostly}))
    elif key:
        checks.append(Check(base, f"({', '.join(key)}) unique", "ExpectCompoundColumnsToBeUnique",
                            {"column_list": list(key), "mostly": dup_mostly}))

    previous = previous_counts.get(table.name)
    if previous:
        checks.append(Check(
            base, f"row count >= {VOLUME_MIN_RATIO:g} x previous ({previous})",
            "ExpectTableRowCountToBeBetween",
            {"min_value": math.ceil(previous * VOLUME_MIN_RATIO)},
            description="sudden drop against the previous load",
        ))
        checks.append(Check(
            base, f"row count <= {VOLUME_MAX_RATIO:g} x previous ({previous})",
            "ExpectTableRowCountToBeBetween",
            {"max_value": math.floor(previous * VOLUME_MAX_RATIO)}, severity=WARNING,
            description="sudden spike against the previous load",
        ))

    if table.loaded_at_field:
        limit = (as_of - FRESHNESS_MAX_AGE).strftime("%Y-%m-%d %H:%M:%S")
        # future-dated rows do not count, as in dbt source freshness (_raw__sources.yml)
        future = (as_of + future_slack).strftime("%Y-%m-%d %H:%M:%S")
        field_ = _q(table.loaded_at_field, dialect)
        checks.append(Check(
            base, f"freshness: max({table.loaded_at_field}) within {FRESHNESS_MAX_AGE.days} days",
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": (
                f"select max({field_}) as latest from {{batch}} "
                f"where {field_} <= timestamp '{future}' "
                f"having max({field_}) is null or max({field_}) < timestamp '{limit}'"
            )},
            severity=WARNING,
        ))

    checks += _raw_flag_checks(table, relations, fq, mostly, dialect)
    return checks


def _raw_flag_checks(table, relations, fq, mostly, dialect: Dialect = STANDARD) -> list[Check]:
    """FK coverage and the contract's row checks, as boolean columns of one query."""
    joins, flags, labels = [], [], []
    for i, column in enumerate(c for c in table.columns if c.references):
        parent_table, parent_column = column.references.split(".")
        if parent_table not in relations:
            continue
        alias = f"p{i}"
        joins.append(
            f"left join (select distinct {_q(parent_column, dialect)} as k "
            f"from {relations[parent_table]}) as {alias} on c.{_q(column.name, dialect)} = {alias}.k"
        )
        flag = f"{column.name}__has_parent"
        flags.append(
            f"case when c.{_q(column.name, dialect)} is null then null "
            f"else {alias}.k is not null end as {_q(flag, dialect)}"
        )
        labels.append((flag, f"{column.name} references {column.references}",
                       "foreign-key coverage"))
    for i, rule in enumerate(table.row_checks, start=1):
        flag = f"row_check_{i}__passes"
        flags.append(f"not coalesce(({rule['fail_when']}), false) as {_q(flag, dialect)}")
        labels.append((flag, f"row check: not ({rule['reason']})", "contract row check"))
    if not flags:
        return []
    asset = Asset(
        name=f"raw.{table.name}.relations",
        query=(
            f"select {row_id_sql(table.primary_key, 'c', dialect)} as {ROW_ID}, "
            + ", ".join(flags) + f" from {fq} as c " + " ".join(joins)
        ),
    )
    return [
        Check(asset, label, "ExpectColumnValuesToBeInSet",
              {"column": flag, "value_set": [True], "mostly": mostly}, description=why)
        for flag, label, why in labels
    ]


# --------------------------------------------------------------------------- marts


def mart_checks(
    existing_tables: set[str],
    metric_definitions: dict[str, dict],
    as_of: dt.date,
    schema: str = "marts",
    dialect: Dialect = STANDARD,
) -> list[Check]:
    """Key checks for every mart that exists, and metric checks on metric_values."""
    checks: list[Check] = []
    for table, key in MART_KEYS.items():
        if table not in existing_tables:
            continue
        asset = Asset(
            name=f"marts.{table}",
            query=(f"select *, {row_id_sql(key, dialect=dialect)} as {ROW_ID} "
                   f"from {_q(schema, dialect)}.{_q(table, dialect)}"),
        )
        for column in key:
            checks.append(Check(asset, f"{column} not null", "ExpectColumnValuesToNotBeNull",
                                {"column": column}))
        if len(key) == 1:
            checks.append(Check(asset, f"{key[0]} unique", "ExpectColumnValuesToBeUnique",
                                {"column": key[0]}))
        else:
            checks.append(Check(asset, f"({', '.join(key)}) unique",
                                "ExpectCompoundColumnsToBeUnique", {"column_list": list(key)}))
    if "metric_values" in existing_tables:
        checks += metric_value_checks(metric_definitions, as_of, schema,
                                      with_availability="metric_availability" in existing_tables,
                                      dialect=dialect)
    return checks


# Metric-type facts (value ranges) live in the metric spec (cxux_cli/metrics/spec.py,
# TYPE_FACTS): one table read by the validator, the compiler, the export and these checks.
VALUE_RANGES = metric_spec.VALUE_RANGES


def value_range_family(definition: dict) -> str | None:
    """Which fixed range a metric's values must lie in (spec.value_range)."""
    return metric_spec.value_range(definition)


def _range_rules() -> list[tuple[str, str, str]]:
    """(flag column, label, SQL true when the row is fine, null when not applicable)."""
    rules = [
        (f"{family}_in_range", label,
         f"case when d.range_family = '{family}' then m.value between {low} and {high} end")
        for family, (label, low, high) in VALUE_RANGES.items()
    ]
    rules.append((
        "ci_contains_value", "ci_lower <= value <= ci_upper",
        ("case when m.value is not null and m.ci_lower is not null and m.ci_upper is not null "
         "then m.ci_lower <= m.value + 1e-9 and m.value <= m.ci_upper + 1e-9 end"),
    ))
    return rules


def _definitions_values(metric_definitions: dict[str, dict],
                        dialect: Dialect = STANDARD) -> str:
    null = f"cast(null as {dialect.string_type})"  # a typed null: Spark cannot join on void
    rows = [
        f"({_sql_literal(name)}, {_sql_literal(family)})"
        for name, spec in sorted(metric_definitions.items())
        if (family := value_range_family(spec))
    ] or [f"({null}, {null})"]
    return "select * from (values " + ", ".join(rows) + ") as v(metric_name, range_family)"


GRAINS_COARSE_TO_FINE = ("year", "quarter", "month", "week", "day")


def completeness_grain(definition: dict) -> str:
    """The grain at which a certified metric must have a value for the latest period.

    Month when the metric has it; otherwise its coarsest grain. Finer grains
    legitimately have empty periods (no ticket answered that day, no in-app
    rating that week), so requiring them would fail a healthy build.
    """
    grains = definition.get("grains") or ["month"]
    if "month" in grains:
        return "month"
    known = [g for g in GRAINS_COARSE_TO_FINE if g in grains]
    return known[0] if known else grains[0]


def metric_value_checks(metric_definitions: dict[str, dict], as_of: dt.date,
                        schema: str = "marts", with_availability: bool = True,
                        dialect: Dialect = STANDARD) -> list[Check]:
    """with_availability: marts.metric_availability exists; metrics it marks as not
    configured (their domain is off) are not expected to have values."""
    table = f"{_q(schema, dialect)}.metric_values"
    row_id = row_id_sql(METRIC_VALUES_KEY, "m", dialect)
    rules = _range_rules()
    ranges = Asset(
        name="marts.metric_values.ranges",
        query=(  # GX query assets must start with SELECT: no CTE
            f"select {row_id} as {ROW_ID}, "
            + ", ".join(f"{sql} as {flag}" for flag, _, sql in rules)
            + f" from {table} as m left join ({_definitions_values(metric_definitions, dialect)}) as d "
            "on m.metric_name = d.metric_name"
        ),
    )
    checks = [
        Check(ranges, label, "ExpectColumnValuesToBeInSet", {"column": flag, "value_set": [True]})
        for flag, label, _ in rules
    ]

    values = Asset(
        name="marts.metric_values",
        query=f"select *, {row_id_sql(METRIC_VALUES_KEY, dialect=dialect)} as {ROW_ID} from {table}",
    )
    as_of_sql = f"date '{as_of.isoformat()}'"
    expected = [
        f"({_sql_literal(name)}, {_sql_literal(completeness_grain(spec))})"
        for name, spec in sorted(metric_definitions.items())
        # a metric that needs configuration (e.g. ces_1_mean: var cxux_ces_1_survey_ids)
        # is empty until it is configured
        if spec.get("status") == "certified"
        and "requires_configuration" not in (spec.get("tags") or [])
    ]
    if expected:
        expected_sql = ("expected as (select * from (values " + ", ".join(expected)
                        + ") as e(metric_name, grain)) ")
        # a metric whose domain is off is not configured, not missing (issue 16)
        configured = (f" and not exists (select 1 from {_q(schema, dialect)}.metric_availability "
                      "as a where a.metric_name = e.metric_name and not a.is_configured)"
                      if with_availability else "")
        # a total of e in some period (any_period) or in the latest complete one
        has_total = ("exists (select 1 from {batch} as m where m.metric_name = e.metric_name "
                     "and m.grain = e.grain and m.dimension_name = 'total' "
                     "and m.value is not null{period})")
        checks.append(Check(
            values, "every certified metric has a total for the latest complete period",
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": (
                # {batch} needs an alias (PostgreSQL < 16): GX leaves aliasing to
                # queries that join
                "with latest as (select grain, max(period_start) as period_start "
                "from {batch} as batch_rows "
                f"where period_end <= {as_of_sql} group by grain), "
                + expected_sql
                + "select e.metric_name, e.grain, l.period_start from expected as e "
                "join latest as l on e.grain = l.grain "
                "where not " + has_total.replace("{period}", " and m.period_start = l.period_start")
                # a metric without a value in any period measures something this warehouse
                # does not collect (no NPS survey in a Zendesk-only setup): the warning
                # below names it; one that had values and lost them is a break
                + " and " + has_total.replace("{period}", "")
                + configured
            )},
        ))
        checks.append(Check(
            values, "data collected for each certified metric (a total in some period)",
            "UnexpectedRowsExpectation",
            {"unexpected_rows_query": (
                # a join: GX then leaves {batch} without an alias of its own, as above
                "with " + expected_sql
                + "select e.metric_name, e.grain from expected as e left join (select "
                "metric_name, grain from {batch} as m where m.dimension_name = 'total' and "
                "m.value is not null group by metric_name, grain) as valued "
                "on valued.metric_name = e.metric_name and valued.grain = e.grain "
                "where valued.metric_name is null" + configured
            )},
            severity=WARNING,
        ))
    checks.append(Check(
        values,
        f"latest value within {DISTRIBUTION_K:g} standard deviations of the previous "
        f"{DISTRIBUTION_WINDOW} periods",
        "UnexpectedRowsExpectation",
        {"unexpected_rows_query": (
            "with series as (select metric_name, grain, period_start, value, "
            "row_number() over (partition by metric_name, grain order by period_start desc) as rn "
            "from {batch} as batch_rows where dimension_name = 'total' and value is not null "
            f"and period_end <= {as_of_sql}), "
            "history as (select metric_name, grain, avg(value) as mean, "
            "stddev_samp(value) as sd, count(*) as n from series "
            f"where rn between 2 and {DISTRIBUTION_WINDOW + 1} group by 1, 2) "
            "select s.metric_name, s.grain, s.period_start, s.value, h.mean, h.sd "
            "from series as s join history as h on s.metric_name = h.metric_name "
            "and s.grain = h.grain "
            f"where s.rn = 1 and h.n >= {DISTRIBUTION_MIN_HISTORY} and h.sd > 0 "
            f"and abs(s.value - h.mean) > {DISTRIBUTION_K} * h.sd"
        )},
        severity=WARNING,
        description="distribution check: a silent break moves a metric far from its history",
    ))
    return checks
