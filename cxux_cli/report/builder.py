"""Build the HTML report from the warehouse (read-only), without Click.

    html = build_report_html(duckdb_path, since=date(2025, 1, 1), project_root=root)

Reads `marts.metric_values` (summary, cards and trends), the experience marts
(`mart_experience_link`, `mart_experience_link_monthly`, `mart_experience_signals`,
`mart_experience_hotspots`) when they exist, and the metric definitions through the
metric layer (`cxux_cli.metrics`: label, domain, level, lifecycle status, grains,
dimensions), never through a loader of its own.

What the report leads with (README "How UX feeds CX"; the fields it reads are in
docs/metrics_spec.md: level, status, dimensions):

- a summary of the certified metrics: off target (critical, warning, off_target),
  moved most since the previous period, thin samples, and totals that hide weak
  slices;
- one card per metric, grouped by the level of DESIGN.md: relationship, journey,
  interaction; within a level CX before UX, metrics with a target before those
  without, then in the order of the definition files;
- each card at the metric's grain (month when it has one, else its finest grain:
  DAU, MAU and stickiness by day), with the target and thresholds its status was
  judged against, and the slices of its first dimension next to the total;
- draft and deprecated metrics in a section of their own, marked, out of the summary.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.metrics import spec
from cxux_cli.report import charts

# The marts' schema in a cxux checkout; the CLI passes the one dbt gave them
# (relations.marts_schema), which the connection's search_path then resolves.
DEFAULT_MARTS_SCHEMA = "marts"
STATUS_LABELS = {
    "on_target": "on target",
    "off_target": "off target",
    "warning": "warning",
    "critical": "critical",
    "insufficient_sample": "thin sample",
    "no_target": "no target",
}
# DESIGN.md, "The idea from the domain": the relationship first, then the journey
# (a task across interactions), then the single interaction.
LEVEL_ORDER = ("relationship", "journey", "interaction")
LEVEL_TITLES = {
    "relationship": "Relationship: all interactions over time",
    "journey": "Journey: a task across interactions",
    "interaction": "Interaction: a single touchpoint",
}
DOMAIN_ORDER = ("cx", "ux")
DOMAIN_NAMES = {"cx": "CX", "ux": "UX"}
CERTIFIED = "certified"  # the lifecycle status (spec.STATUSES) of summary metrics
# off target in the summary, the worst first
OFF_TARGET_STATUSES = ("critical", "warning", "off_target")
WEAK_SLICE_STATUSES = ("critical", "warning")
MOVERS = 5  # metrics listed under "moved most"
SLICE_LIMIT = 12  # slices shown on a card; the rest are counted
THIN_SLICE_LIMIT = 25  # thin slices listed under "Thin samples"; the rest are counted
DAY_TREND_DAYS = 90  # days in a day-grain card's chart
BAND_COLOURS = {"poor": "#c53030", "fair": "#b7791f", "good": "#1a7f37"}
SIGNAL_ORDER = {"task_success_rate": 0, "cwv_pass_rate": 1, "sus_mean": 2}
EXPOSURE_TEXT = {
    "region": "the UX of all users in the customer's region that month",
    "account": "the UX of the customer's own users that month",
}


@dataclass
class MetricInfo:
    """What the report needs of a metric's definition (cxux_cli.metrics, normalised)."""

    name: str
    label: str
    domain: str = ""  # cx, ux or '' when the metric has no definition
    level: str = ""  # interaction, journey, relationship or ''
    lifecycle: str = ""  # draft, certified, deprecated or '' (no definition)
    unit: str | None = None
    fmt: str | None = None
    share_of_total: bool = False  # its total is always 1: the slices carry the news
    grains: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    has_target: bool = False
    position: tuple = ()  # (definition file, line): the steward's order

    @property
    def defined(self) -> bool:
        return bool(self.lifecycle)

    @property
    def grain(self) -> str | None:
        """The grain the report shows: month when computed, else the finest one."""
        if "month" in self.grains:
            return "month"
        return self.grains[0] if self.grains else None

    @property
    def primary_dimension(self) -> str | None:
        """The first declared dimension: its slices are shown next to the total."""
        return self.dimensions[0] if self.dimensions else None


@dataclass
class ReportData:
    generated_at: dt.datetime
    as_of: dt.date
    since: dt.date | None
    data_start: dt.date | None
    data_end: dt.date | None
    headline_month: dt.date | None
    headline_is_complete: bool
    # grain -> {"start": date, "text": str, "is_complete": bool} of the grains shown
    periods: dict = field(default_factory=dict)
    # groups of cards: {"key", "title", "cards"}, in LEVEL_ORDER, then 'other'
    groups: list = field(default_factory=list)
    drafts: list = field(default_factory=list)  # cards of draft and deprecated metrics
    summary: dict = field(default_factory=dict)  # off_target, movers, thin, hidden
    no_value: list = field(default_factory=list)  # labels without a value in their period
    thin_samples: list = field(default_factory=list)
    thin_more: int = 0  # thin slices beyond THIN_SLICE_LIMIT, not listed
    link: list = field(default_factory=list)  # one dict per signal with its bands
    signals: list = field(default_factory=list)
    hotspots: list = field(default_factory=list)
    link_months: list = field(default_factory=list)  # months where poor UX churned most
    missing: list = field(default_factory=list)
    # metrics whose domain is off in this build (marts.metric_availability): name, reason
    not_configured: list = field(default_factory=list)
    definition_problems: list = field(default_factory=list)  # `cxux metrics validate` finds

    @property
    def cards(self) -> list[dict]:
        """Every card in the order shown."""
        return [card for group in self.groups for card in group["cards"]] + self.drafts


# ---------------------------------------------------------------- formatting


def format_value(value, unit: str | None = None, fmt: str | None = None) -> str:
    """A metric value as a lead reads it: shares as percentages, counts whole,
    large numbers with thousands separators, small ones with 3 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    unit = (unit or "").lower()
    fmt = (fmt or "").lower()
    if _is_percent(unit, fmt):
        return f"{value * 100:.1f}%"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _is_percent(unit: str | None, fmt: str | None) -> bool:
    return (fmt or "").lower() == "percent" or (unit or "").lower() in {
        "share", "percent", "proportion"}


def _unit_suffix(unit: str | None) -> str:
    unit = (unit or "").lower()
    return {
        "seconds": " s",
        "second": " s",
        "ms": " ms",
        "milliseconds": " ms",
        "minutes": " min",
        "minute": " min",
    }.get(unit, "")


def _shower(unit: str | None, fmt: str | None):
    """A function that formats a value of this metric with its unit."""

    def show(value):
        return format_value(value, unit, fmt) + (_unit_suffix(unit) if value is not None else "")

    return show


def change_text(delta: float, unit: str | None, fmt: str | None) -> str:
    """A signed change: shares in percentage points (+2.1 pts), others in the unit."""
    if _is_percent(unit, fmt):
        return f"{delta * 100:+.1f} pts"
    sign = "+" if delta > 0 else "-" if delta < 0 else ""
    return sign + _shower(unit, fmt)(abs(delta))


def judgement_text(row: dict, show) -> str:
    """The target and thresholds a status was judged against, from the metric_values
    row (target in force at period_start, warning_threshold, critical_threshold):
    'target ≥ 40 · warning below 30 · critical below 20'."""
    higher = row.get("direction") != "lower_is_better"
    meets, beyond = ("≥", "below") if higher else ("≤", "above")
    target = row.get("target")
    parts = [f"target {meets} {show(target)}" if target is not None else "no target"]
    if row.get("warning_threshold") is not None:
        parts.append(f"warning {beyond} {show(row['warning_threshold'])}")
    if row.get("critical_threshold") is not None:
        parts.append(f"critical {beyond} {show(row['critical_threshold'])}")
    return " · ".join(parts)


def period_text(grain: str, start: dt.date) -> str:
    if grain == "month":
        return start.strftime("%B %Y")
    if grain == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    if grain == "year":
        return str(start.year)
    if grain == "week":
        return f"week of {start.isoformat()}"
    return start.isoformat()


def _point_label(grain: str, start: dt.date) -> str:
    if grain == "month":
        return start.strftime("%Y-%m")
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if grain == "year":
        return str(start.year)
    return start.isoformat()


# ---------------------------------------------------------------- catalog


def load_metric_catalog(project_root: Path | None) -> tuple[dict[str, MetricInfo], list[str]]:
    """name -> MetricInfo of every valid definition, through the metric layer
    (cxux_cli.metrics: validated and normalised), and the problems found
    (file:line:column: message), which `cxux metrics validate` explains.
    Empty when there is no project."""
    if project_root is None:
        return {}, []
    from cxux_cli.metrics.catalog import load_definitions
    from cxux_cli.metrics.loader import load_project

    root = Path(project_root)
    validation = load_definitions(root, light=True)
    raws, _ = load_project(root)  # where each definition is written: the steward's order
    position = {raw.name: (raw.file, raw.line) for raw in raws if raw.name}
    catalog = {
        d["name"]: MetricInfo(
            name=d["name"],
            label=d["label"],
            domain=d["domain"],
            level=d["level"],
            lifecycle=d["status"],
            unit=d["unit"],
            fmt=d["format"],
            share_of_total=bool(d["share_of_total"]),
            grains=tuple(d["grains"]),
            dimensions=tuple(d["dimensions"]),
            has_target=bool(d["target"]) or bool(d["thresholds"]),
            position=position.get(d["name"], (d["source_file"], 0)),
        )
        for d in validation.definitions
    }
    return catalog, [str(problem) for problem in validation.problems]


def card_order_key(info: MetricInfo) -> tuple:
    """Within a level: CX before UX, metrics with a target before those without,
    then the order of the definition files."""
    domain = DOMAIN_ORDER.index(info.domain) if info.domain in DOMAIN_ORDER else len(DOMAIN_ORDER)
    return (domain, not info.has_target, info.position, info.name)


# ---------------------------------------------------------------- queries


def _rows(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _no_metric_values(schema: str) -> CxuxError:
    return CxuxError(f"{schema}.metric_values is not in the warehouse; run `cxux build` "
                     "(or dbt build) first")


def _existing_tables(con) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = current_schema()"
    ).fetchall()
    return {row[0] for row in rows}


def _as_date(value):
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _is_thin(row: dict | None) -> bool:
    return row is not None and (
        row.get("status") == "insufficient_sample" or row.get("is_sample_sufficient") is False)


def _shown_grain(info: MetricInfo, present: set[str]) -> str | None:
    """The grain of a metric's card: its definition's (month, else the finest), or for
    a metric without a definition, month when present, else the finest present."""
    if info.grain in present:
        return info.grain
    if "month" in present:
        return "month"
    return next((grain for grain in spec.GRAINS if grain in present), None)


def _headline_period(con, grain: str, as_of: dt.date) -> tuple[dt.date | None, bool]:
    """The latest period of the grain that ended on or before the as-of date (complete),
    else the latest period there is (not complete)."""
    totals = ("from metric_values where grain = ? "
              "and dimension_name = 'total' and dimension_value = 'total'")
    complete = con.execute(
        f"select max(period_start) {totals} and period_end <= ?", [grain, as_of]).fetchone()[0]
    if complete is not None:
        return _as_date(complete), True
    latest = con.execute(f"select max(period_start) {totals}", [grain]).fetchone()[0]
    return _as_date(latest), False


def movement(current: dict, previous: dict | None, info: MetricInfo) -> float | None:
    """How far a metric moved since the previous period, on one scale for all metrics:
    the change over the distance from target to critical threshold when the metric has
    both (1.0: as far as from on target to critical), else over the previous value.
    None when there is nothing to compare: no previous value, a thin sample on either
    side, a share-of-total metric (its total is always 1), a previous value of 0."""
    if previous is None or info.share_of_total or _is_thin(current) or _is_thin(previous):
        return None
    now, before = current.get("value"), previous.get("value")
    if now is None or before is None:
        return None
    scale = _band(current)
    if scale is None and before != 0:
        scale = abs(before)
    if scale is None:
        return None
    return abs(now - before) / scale


def _band(row: dict) -> float | None:
    """The distance from the target to the critical threshold, when both are set."""
    target, critical = row.get("target"), row.get("critical_threshold")
    if target is None or critical is None or target == critical:
        return None
    return abs(target - critical)


def collect_report_data(
    con,
    *,
    since: dt.date | None = None,
    as_of: dt.date | None = None,
    catalog: dict[str, MetricInfo] | None = None,
    generated_at: dt.datetime | None = None,
    definition_problems: list[str] | None = None,
) -> ReportData:
    """Everything the template shows, read from an open DuckDB connection."""
    generated_at = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    as_of = as_of or generated_at.date()
    catalog = catalog or {}
    tables = _existing_tables(con)
    if "metric_values" not in tables:
        raise _no_metric_values(con.execute("select current_schema()").fetchone()[0])

    data_not_configured = []
    if "metric_availability" in tables:
        data_not_configured = _rows(
            con, "select metric_name, not_configured_reason from metric_availability "
                 "where not is_configured order by metric_name")

    present: dict[str, set[str]] = {}
    for name, grain in con.execute(
        "select distinct metric_name, grain from metric_values "
        "where dimension_name = 'total'"
    ).fetchall():
        present.setdefault(name, set()).add(grain)
    infos = {name: catalog.get(name) or MetricInfo(name=name, label=name) for name in present}
    grain_of = {name: _shown_grain(infos[name], grains) for name, grains in present.items()}

    periods: dict[str, dict] = {}
    # the month first (the headline), then the grains of metrics without a month
    for grain in sorted(set(grain_of.values()) - {None},
                        key=lambda g: (g != "month", spec.GRAINS.index(g))):
        start, complete = _headline_period(con, grain, as_of)
        if start is not None:
            periods[grain] = {"start": start, "text": period_text(grain, start),
                              "is_complete": complete, "word": grain}
    month = periods.get("month")
    span_grain = "month" if month else next(iter(periods), None)
    span = con.execute(
        "select min(period_start), max(period_end) from metric_values "
        "where grain = ? and dimension_name = 'total'", [span_grain]).fetchone()
    data = ReportData(
        generated_at=generated_at,
        as_of=as_of,
        since=since,
        data_start=_as_date(span[0]),
        data_end=_as_date(span[1]),
        headline_month=month["start"] if month else None,
        headline_is_complete=bool(month and month["is_complete"]),
        periods=periods,
        not_configured=data_not_configured,
        definition_problems=list(definition_problems or []),
    )
    if not periods:
        return data

    cards: dict[str, dict] = {}
    thin_totals, thin_slices = [], []
    for grain, period in periods.items():
        names = sorted(name for name, shown in grain_of.items() if shown == grain)
        first = since
        if grain == "day":
            last_days = period["start"] - dt.timedelta(days=DAY_TREND_DAYS - 1)
            first = max(first, last_days) if first else last_days
        history: dict[str, list[dict]] = {}
        for row in _rows(
            con,
            "select * from metric_values where grain = ? "
            "and dimension_name = 'total' and dimension_value = 'total' "
            "and period_start <= ? and (? is null or period_start >= ?) "
            "order by metric_name, period_start",
            [grain, period["start"], first, first],
        ):
            history.setdefault(row["metric_name"], []).append(row)
        # the previous period whatever --since says: it is the comparison, not the trend
        previous = {
            row["metric_name"]: row
            for row in _rows(
                con,
                "select * from metric_values where grain = ? "
                "and dimension_name = 'total' and dimension_value = 'total' and period_end = ?",
                [grain, period["start"]],
            )
        }
        slices: dict[str, list[dict]] = {}
        for row in _rows(
            con,
            "select * from metric_values where grain = ? and period_start = ? "
            "and dimension_name <> 'total' order by metric_name, dimension_name, dimension_value",
            [grain, period["start"]],
        ):
            name = row["metric_name"]
            if grain_of.get(name) != grain:
                continue  # the metric's card shows another grain
            if row["dimension_name"] == infos[name].primary_dimension:
                slices.setdefault(name, []).append(row)
            if _is_thin(row):
                thin_slices.append(_thin_entry(infos, row, period))
        for name in names:
            series = history.get(name, [])
            current = series[-1] if series and _as_date(series[-1]["period_start"]) == \
                period["start"] else None
            if current is None:
                data.no_value.append(f"{infos[name].label} ({period['text']})")
                continue
            cards[name] = _card(infos[name], grain, period, current, series,
                                previous.get(name), slices.get(name, []))
            if _is_thin(current):
                thin_totals.append(_thin_entry(infos, current, period))

    # every thin total, then the first THIN_SLICE_LIMIT thin slices (the rest counted)
    data.thin_samples = thin_totals + thin_slices[:THIN_SLICE_LIMIT]
    data.thin_more = max(0, len(thin_slices) - THIN_SLICE_LIMIT)
    _group_cards(data, infos, cards)
    data.summary = _summary(data, infos)
    _collect_link(con, tables, data)
    return data


def _thin_entry(infos: dict, row: dict, period: dict) -> dict:
    info = infos.get(row["metric_name"])
    label = info.label if info else row["metric_name"]
    where = "total" if row["dimension_name"] == "total" else \
        f"{row['dimension_name']} = {row['dimension_value']}"
    draft = " [draft]" if info and info.lifecycle and info.lifecycle != CERTIFIED else ""
    return {
        "where": f"{label}{draft} ({period['text']}, {where})",
        "sample_size": row.get("sample_size"),
        "min_sample": row.get("min_sample"),
    }


def _slice_sort_key(row: dict, higher: bool, judged: bool):
    """Worst first for judged metrics (the direction says which end is worst), largest
    first for the others; thin samples and empty values last."""
    value = row.get("value")
    if value is None:
        return (2, 0.0, row["dimension_value"])
    if judged:
        ordered = value if higher else -value
    else:
        ordered = -value
    return (1 if _is_thin(row) else 0, ordered, row["dimension_value"])


def _card(info: MetricInfo, grain: str, period: dict, row: dict, series: list[dict],
          previous: dict | None, slice_rows: list[dict]) -> dict:
    unit = row.get("unit") or info.unit
    show = _shower(unit, info.fmt)
    status = row.get("status") or "no_target"
    higher = row.get("direction") != "lower_is_better"
    judged = any(row.get(key) is not None
                 for key in ("target", "warning_threshold", "critical_threshold"))
    slice_rows = sorted(slice_rows, key=lambda r: _slice_sort_key(r, higher, judged))
    shown_slices = [
        {
            "value": r["dimension_value"],
            "value_text": show(r.get("value")),
            "status": r.get("status") or "no_target",
            "status_label": STATUS_LABELS.get(r.get("status"), r.get("status") or ""),
            "sample_size": r.get("sample_size"),
            "is_thin": _is_thin(r),
        }
        for r in slice_rows
    ]
    move = movement(row, previous, info)
    delta = None
    if previous is not None and row.get("value") is not None and \
            previous.get("value") is not None:
        delta = row["value"] - previous["value"]
    return {
        "name": info.name,
        "label": info.label,
        "level": info.level,
        "domain": info.domain,
        "lifecycle": info.lifecycle,
        "is_draft": info.defined and info.lifecycle != CERTIFIED,
        "in_summary": info.lifecycle == CERTIFIED,
        "share_of_total": info.share_of_total,
        "grain": grain,
        "period_text": period["text"],
        "is_complete": period["is_complete"],
        "value": row.get("value"),
        "value_text": show(row.get("value")),
        "status": status,
        "status_label": STATUS_LABELS.get(status, status),
        "judged_text": judgement_text(row, show),
        "direction": row.get("direction"),
        "sample_size": row.get("sample_size"),
        "min_sample": row.get("min_sample"),
        "is_sample_sufficient": row.get("is_sample_sufficient"),
        "is_thin": _is_thin(row),
        "ci_text": (
            f"{show(row['ci_lower'])} to {show(row['ci_upper'])}"
            if row.get("ci_lower") is not None and row.get("ci_upper") is not None
            else ""
        ),
        "previous_label": f"previous {grain}",
        "previous_text": show(previous["value"]) if previous and
        previous.get("value") is not None else "",
        "previous_value": previous.get("value") if previous else None,
        "delta": delta,
        "change_text": change_text(delta, unit, info.fmt) if delta is not None else "",
        "movement": move,
        "movement_basis": (
            "of the distance from target to critical" if _band(row) is not None
            else "of the previous value"
        ),
        "dimension": info.primary_dimension if shown_slices else None,
        "slices": shown_slices[:SLICE_LIMIT],
        "slices_more": max(0, len(shown_slices) - SLICE_LIMIT),
        "weak_slices": [s for s in shown_slices
                        if s["status"] in WEAK_SLICE_STATUSES and not s["is_thin"]],
        "chart": "" if info.share_of_total else charts.line_chart(
            [(_point_label(grain, _as_date(r["period_start"])), r["value"]) for r in series],
            target=row.get("target"),
            status=status,
            value_format=show,
        ),
    }


def _group_cards(data: ReportData, infos: dict[str, MetricInfo], cards: dict[str, dict]) -> None:
    """Cards into the levels of DESIGN.md, then metrics without a definition; drafts apart."""
    by_level: dict[str, list[str]] = {}
    for name, card in cards.items():
        if card["is_draft"]:
            data.drafts.append(card)
            continue
        level = infos[name].level if infos[name].level in LEVEL_ORDER else "other"
        by_level.setdefault(level, []).append(name)
    for level in (*LEVEL_ORDER, "other"):
        names = sorted(by_level.get(level, []), key=lambda n: card_order_key(infos[n]))
        if names:
            data.groups.append({
                "key": level,
                "title": LEVEL_TITLES.get(level, "Not in the metric definitions"),
                "cards": [cards[name] for name in names],
            })
    level_rank = {level: index for index, level in enumerate(LEVEL_ORDER)}
    data.drafts.sort(key=lambda card: (level_rank.get(card["level"], len(LEVEL_ORDER)),
                                       card_order_key(infos[card["name"]])))


def _summary(data: ReportData, infos: dict[str, MetricInfo]) -> dict:
    """The summary of the certified metrics, in the order of the cards."""
    shown = [card for group in data.groups for card in group["cards"] if card["in_summary"]]
    off_target = sorted(
        (card for card in shown if card["status"] in OFF_TARGET_STATUSES),
        key=lambda card: OFF_TARGET_STATUSES.index(card["status"]),  # stable: card order
    )
    moved = sorted((card for card in shown if card["movement"]),
                   key=lambda card: -card["movement"])[:MOVERS]
    thin = [card for card in shown if card["is_thin"]]
    hidden = [card for card in shown
              if card["status"] not in (*OFF_TARGET_STATUSES, "insufficient_sample")
              and card["weak_slices"]]
    return {"off_target": off_target, "movers": moved, "thin": thin, "hidden": hidden}


def _pct(value):
    return format_value(value, "share")


def _collect_link(con, tables: set[str], data: ReportData) -> None:
    if "mart_experience_link" in tables:
        rows = _rows(con, "select * from mart_experience_link")
        # region exposure first: it is where an incident shows; then the account's own UX
        level_order = {"region": 0, "account": 1}
        rows.sort(
            key=lambda r: (
                level_order.get(r.get("exposure_level", "account"), 9),
                SIGNAL_ORDER.get(r["ux_signal"], 9),
                r["ux_signal"],
                r["ux_band_order"],
            )
        )
        signals: dict[tuple, dict] = {}
        for row in rows:
            level = row.get("exposure_level", "account")
            entry = signals.setdefault(
                (level, row["ux_signal"]),
                {
                    "signal": row["ux_signal"],
                    "level": level,
                    "label": row["ux_signal_label"],
                    "level_text": EXPOSURE_TEXT.get(level, level),
                    "bands": [],
                },
            )
            band = dict(row)
            band["churn_text"] = _pct(row["churn_rate"])
            band["churn_ci_text"] = (
                f"{_pct(row['churn_rate_ci_lower'])} to {_pct(row['churn_rate_ci_upper'])}"
                if row["churn_rate_ci_lower"] is not None
                else ""
            )
            band["nps_text"] = f"{row['nps']:.1f}" if row["nps"] is not None else "n/a"
            band["nps_ci_text"] = (
                f"{row['nps_ci_lower']:.1f} to {row['nps_ci_upper']:.1f}"
                if row["nps_ci_lower"] is not None
                else ""
            )
            band["csat_text"] = _pct(row["csat"])
            band["bug_text"] = format_value(row["bug_tickets_per_account_month"])
            entry["bands"].append(band)
        for entry in signals.values():
            entry["chart"] = charts.interval_bars(
                [
                    {
                        "label": band["ux_band"],
                        "value": band["churn_rate"],
                        "lower": band["churn_rate_ci_lower"],
                        "upper": band["churn_rate_ci_upper"],
                        "colour": BAND_COLOURS.get(band["ux_band"], charts.LINE_COLOUR),
                    }
                    for band in entry["bands"]
                ],
                value_format=_pct,
            )
            for band in entry["bands"]:
                if band["is_sample_sufficient"] is False:
                    data.thin_samples.append(
                        {
                            "where": f"UX to CX link: {entry['label']} ({entry['level']}) "
                            f"band {band['ux_band']}",
                            "sample_size": band["at_risk_accounts"],
                            "min_sample": band["min_sample"],
                        }
                    )
        data.link = list(signals.values())
    else:
        data.missing.append("mart_experience_link")

    if "mart_experience_signals" in tables:
        for row in _rows(
            con,
            "select * from mart_experience_signals order by churn_difference_z desc nulls last",
        ):
            row = dict(row)
            row["worst_text"] = _pct(row["worst_quartile_churn_rate"])
            row["best_text"] = _pct(row["best_quartile_churn_rate"])
            row["diff_text"] = (
                f"{row['churn_rate_difference'] * 100:+.1f} pts"
                if row["churn_rate_difference"] is not None
                else "n/a"
            )
            row["r_text"] = (
                f"{row['point_biserial_r']:+.3f}" if row["point_biserial_r"] is not None else "n/a"
            )
            row["z_text"] = (
                f"{row['churn_difference_z']:.2f}"
                if row["churn_difference_z"] is not None
                else "n/a"
            )
            data.signals.append(row)
    else:
        data.missing.append("mart_experience_signals")

    if "mart_experience_link_monthly" in tables:
        for row in _rows(
            con,
            "select * from mart_experience_link_monthly "
            "where ux_band = 'poor' and churn_z_rank between 1 and 3 "
            "order by churn_z_vs_good desc, ux_signal, month_start",
        ):
            row = dict(row)
            row["month_text"] = _as_date(row["month_start"]).strftime("%Y-%m")
            row["poor_text"] = _pct(row["churn_rate"])
            row["poor_ci_text"] = (
                f"{_pct(row['churn_rate_ci_lower'])} to {_pct(row['churn_rate_ci_upper'])}"
                if row["churn_rate_ci_lower"] is not None
                else ""
            )
            good_rate = (
                row["good_churned_accounts"] / row["good_at_risk_accounts"]
                if row["good_at_risk_accounts"]
                else None
            )
            row["good_text"] = _pct(good_rate)
            row["z_text"] = f"{row['churn_z_vs_good']:.2f}"
            data.link_months.append(row)
    else:
        data.missing.append("mart_experience_link_monthly")

    if "mart_experience_hotspots" in tables:
        for row in _rows(
            con,
            "select * from mart_experience_hotspots where task_success_worst_rank is not null "
            "order by task_success_worst_rank, region limit 5",
        ):
            row = dict(row)
            row["month_text"] = _as_date(row["month_start"]).strftime("%Y-%m")
            row["tsr_text"] = _pct(row["task_success_rate"])
            row["cwv_text"] = _pct(row["cwv_pass_rate"])
            row["churn_text"] = _pct(row["churn_rate"])
            row["z_text"] = (
                f"{row['task_success_z_vs_rest']:.1f}"
                if row["task_success_z_vs_rest"] is not None
                else "n/a"
            )
            data.hotspots.append(row)
    else:
        data.missing.append("mart_experience_hotspots")


# ---------------------------------------------------------------- rendering


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML string (jinja2, autoescaped)."""
    import jinja2
    from markupsafe import Markup

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cxux_cli.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # charts are built by our own code with escaped text, so they are safe markup
    environment.filters["svg"] = Markup
    css = (Path(__file__).parent / "templates" / "report.css").read_text()
    return environment.get_template("report.html.j2").render(
        data=data, css=Markup(css), status_labels=STATUS_LABELS, domain_names=DOMAIN_NAMES,
        movers=MOVERS, day_trend_days=DAY_TREND_DAYS,
    )


def build_report_html(
    duckdb_path: Path,
    *,
    since: dt.date | None = None,
    as_of: dt.date | None = None,
    project_root: Path | None = None,
    generated_at: dt.datetime | None = None,
    marts_schema: str = DEFAULT_MARTS_SCHEMA,
) -> str:
    """Open the warehouse read-only, collect, render. marts_schema: where the marts are
    (the report reads them by name, through the connection's search_path)."""
    import duckdb

    duckdb_path = Path(duckdb_path)
    if not duckdb_path.is_file():
        raise CxuxError(f"{duckdb_path}: no warehouse file; run `cxux build` first")
    try:
        con = duckdb.connect(str(duckdb_path), read_only=True)
    except duckdb.Error as exc:
        raise CxuxError(f"{duckdb_path}: cannot open the warehouse read-only: {exc}") from exc
    catalog, problems = load_metric_catalog(project_root)
    try:
        if con.execute("select count(*) from duckdb_schemas() where schema_name = ?",
                       [marts_schema]).fetchone()[0] == 0:
            raise _no_metric_values(marts_schema)
        quoted = marts_schema.replace("'", "''")
        con.execute(f"set search_path = '{quoted}'")
        data = collect_report_data(
            con,
            since=since,
            as_of=as_of,
            catalog=catalog,
            generated_at=generated_at,
            definition_problems=problems,
        )
    finally:
        con.close()
    return render_html(data)
