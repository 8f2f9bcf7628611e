"""Build the HTML report from the warehouse (read-only), without Click.

    html = build_report_html(duckdb_path, since=date(2025, 1, 1))

Reads `marts.metric_values` (headline and trends), the experience marts
(`mart_experience_link`, `mart_experience_link_monthly`, `mart_experience_signals`,
`mart_experience_hotspots`)
when they exist, and metric labels and domains from `metrics/{cx,ux}/*.yml`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.report import charts

SCHEMA = "marts"
STATUS_LABELS = {
    "on_target": "on target",
    "off_target": "off target",
    "warning": "warning",
    "critical": "critical",
    "insufficient_sample": "thin sample",
    "no_target": "no target",
}
BAND_COLOURS = {"poor": "#c53030", "fair": "#b7791f", "good": "#1a7f37"}
SIGNAL_ORDER = {"task_success_rate": 0, "cwv_pass_rate": 1, "sus_mean": 2}
EXPOSURE_TEXT = {
    "region": "the UX of all users in the customer's region that month",
    "account": "the UX of the customer's own users that month",
}


@dataclass
class MetricInfo:
    name: str
    label: str
    domain: str  # cx, ux or '' when unknown
    unit: str | None = None
    fmt: str | None = None
    share_of_total: bool = False  # its total is always 1: the slices carry the news


@dataclass
class ReportData:
    generated_at: dt.datetime
    as_of: dt.date
    since: dt.date | None
    data_start: dt.date | None
    data_end: dt.date | None
    headline_month: dt.date | None
    headline_is_complete: bool
    headline: dict = field(default_factory=dict)  # domain -> list of metric dicts
    thin_samples: list = field(default_factory=list)
    link: list = field(default_factory=list)  # one dict per signal with its bands
    signals: list = field(default_factory=list)
    hotspots: list = field(default_factory=list)
    link_months: list = field(default_factory=list)  # months where poor UX churned most
    missing: list = field(default_factory=list)
    # metrics whose domain is off in this build (marts.metric_availability): name, reason
    not_configured: list = field(default_factory=list)


# ---------------------------------------------------------------- formatting


def format_value(value, unit: str | None = None, fmt: str | None = None) -> str:
    """A metric value as a lead reads it: shares as percentages, counts whole,
    large numbers with thousands separators, small ones with 3 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    unit = (unit or "").lower()
    fmt = (fmt or "").lower()
    if fmt == "percent" or unit in {"share", "percent", "proportion"}:
        return f"{value * 100:.1f}%"
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


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


# ---------------------------------------------------------------- catalog


def load_metric_catalog(project_root: Path | None) -> dict[str, MetricInfo]:
    """name -> MetricInfo from metrics/{cx,ux}/*.yml; empty when there are none."""
    import yaml

    catalog: dict[str, MetricInfo] = {}
    if project_root is None:
        return catalog
    for path in sorted((Path(project_root) / "metrics").glob("*/*.yml")):
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError:
            continue  # validation is `cxux metrics validate`'s job, not the report's
        for entry in document.get("metrics") or []:
            if not isinstance(entry, dict) or "name" not in entry:
                continue
            catalog[entry["name"]] = MetricInfo(
                name=entry["name"],
                label=entry.get("label") or entry["name"],
                domain=entry.get("domain") or path.parent.name,
                unit=entry.get("unit"),
                fmt=entry.get("format"),
                share_of_total=bool(entry.get("share_of_total")),
            )
    return catalog


# ---------------------------------------------------------------- queries


def _rows(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _existing_tables(con) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
    ).fetchall()
    return {row[0] for row in rows}


def _as_date(value):
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def collect_report_data(
    con,
    *,
    since: dt.date | None = None,
    as_of: dt.date | None = None,
    catalog: dict[str, MetricInfo] | None = None,
    generated_at: dt.datetime | None = None,
) -> ReportData:
    """Everything the template shows, read from an open DuckDB connection."""
    generated_at = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    as_of = as_of or generated_at.date()
    catalog = catalog or {}
    tables = _existing_tables(con)
    if "metric_values" not in tables:
        raise CxuxError(
            f"{SCHEMA}.metric_values is not in the warehouse; run `cxux build` (or dbt build) first"
        )

    data_not_configured = []
    if "metric_availability" in tables:
        data_not_configured = _rows(
            con, f"select metric_name, not_configured_reason from {SCHEMA}.metric_availability "
                 "where not is_configured order by metric_name")

    monthly_total = (
        f"from {SCHEMA}.metric_values where grain = 'month' "
        "and dimension_name = 'total' and dimension_value = 'total'"
    )
    span = con.execute(f"select min(period_start), max(period_end) {monthly_total}").fetchone()
    data_start, data_end = _as_date(span[0]), _as_date(span[1])
    # latest complete month: its period ended on or before the as-of date
    complete = con.execute(
        f"select max(period_start) {monthly_total} and period_end <= ?", [as_of]
    ).fetchone()[0]
    headline_is_complete = complete is not None
    headline_month = _as_date(complete) if complete is not None else None
    if headline_month is None:
        latest = con.execute(f"select max(period_start) {monthly_total}").fetchone()[0]
        headline_month = _as_date(latest)

    data = ReportData(
        generated_at=generated_at,
        as_of=as_of,
        since=since,
        data_start=data_start,
        data_end=data_end,
        headline_month=headline_month,
        headline_is_complete=headline_is_complete,
        not_configured=data_not_configured,
    )
    if headline_month is None:
        return data

    history = _rows(
        con,
        f"select metric_name, period_start, value, target, status {monthly_total} "
        "and period_start <= ? and (? is null or period_start >= ?) "
        "order by metric_name, period_start",
        [headline_month, since, since],
    )
    by_metric: dict[str, list[dict]] = {}
    for row in history:
        by_metric.setdefault(row["metric_name"], []).append(row)

    current = _rows(
        con,
        f"select * {monthly_total} and period_start = ? order by metric_name",
        [headline_month],
    )
    headline: dict[str, list[dict]] = {"cx": [], "ux": [], "other": []}
    for row in current:
        name = row["metric_name"]
        info = catalog.get(name) or MetricInfo(name=name, label=name, domain="")
        if info.share_of_total:
            continue
        unit, fmt = row.get("unit") or info.unit, info.fmt

        def show(value, unit=unit, fmt=fmt):
            return format_value(value, unit, fmt) + (
                _unit_suffix(unit) if value is not None else ""
            )

        series = by_metric.get(name, [])
        previous = [r["value"] for r in series if _as_date(r["period_start"]) < headline_month]
        item = {
            "name": name,
            "label": info.label,
            "value": row["value"],
            "value_text": show(row["value"]),
            "target_text": show(row["target"]) if row.get("target") is not None else "none",
            "status": row.get("status") or "no_target",
            "status_label": STATUS_LABELS.get(row.get("status"), row.get("status") or ""),
            "direction": row.get("direction"),
            "sample_size": row.get("sample_size"),
            "min_sample": row.get("min_sample"),
            "is_sample_sufficient": row.get("is_sample_sufficient"),
            "ci_text": (
                f"{show(row['ci_lower'])} to {show(row['ci_upper'])}"
                if row.get("ci_lower") is not None and row.get("ci_upper") is not None
                else ""
            ),
            "previous_text": show(previous[-1]) if previous and previous[-1] is not None else "",
            "chart": charts.line_chart(
                [(_as_date(r["period_start"]).strftime("%Y-%m"), r["value"]) for r in series],
                target=row.get("target"),
                status=row.get("status"),
                value_format=lambda v, show=show: show(v),
            ),
        }
        domain = info.domain if info.domain in {"cx", "ux"} else "other"
        headline[domain].append(item)
        if row.get("is_sample_sufficient") is False:
            data.thin_samples.append(
                {
                    "where": f"{info.label} ({headline_month:%Y-%m}, total)",
                    "sample_size": row.get("sample_size"),
                    "min_sample": row.get("min_sample"),
                }
            )
    data.headline = {key: value for key, value in headline.items() if value}

    # thin samples among the month's slices (e.g. one region) are worth a look too
    for row in _rows(
        con,
        f"select metric_name, dimension_name, dimension_value, sample_size, min_sample "
        f"from {SCHEMA}.metric_values where grain = 'month' and period_start = ? "
        "and dimension_name <> 'total' and is_sample_sufficient = false "
        "order by metric_name, dimension_name, dimension_value limit 25",
        [headline_month],
    ):
        info = catalog.get(row["metric_name"])
        data.thin_samples.append(
            {
                "where": f"{info.label if info else row['metric_name']} "
                f"({headline_month:%Y-%m}, {row['dimension_name']} = {row['dimension_value']})",
                "sample_size": row["sample_size"],
                "min_sample": row["min_sample"],
            }
        )

    _collect_link(con, tables, data)
    return data


def _pct(value):
    return format_value(value, "share")


def _collect_link(con, tables: set[str], data: ReportData) -> None:
    if "mart_experience_link" in tables:
        rows = _rows(con, f"select * from {SCHEMA}.mart_experience_link")
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
            f"select * from {SCHEMA}.mart_experience_signals order by churn_difference_z desc nulls last",
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
            f"select * from {SCHEMA}.mart_experience_link_monthly "
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
            f"select * from {SCHEMA}.mart_experience_hotspots where task_success_worst_rank is not null "
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
        data=data, css=Markup(css), status_labels=STATUS_LABELS
    )


def build_report_html(
    duckdb_path: Path,
    *,
    since: dt.date | None = None,
    as_of: dt.date | None = None,
    project_root: Path | None = None,
    generated_at: dt.datetime | None = None,
) -> str:
    """Open the warehouse read-only, collect, render."""
    import duckdb

    duckdb_path = Path(duckdb_path)
    if not duckdb_path.is_file():
        raise CxuxError(f"{duckdb_path}: no warehouse file; run `cxux build` first")
    try:
        con = duckdb.connect(str(duckdb_path), read_only=True)
    except duckdb.Error as exc:
        raise CxuxError(f"{duckdb_path}: cannot open the warehouse read-only: {exc}") from exc
    try:
        data = collect_report_data(
            con,
            since=since,
            as_of=as_of,
            catalog=load_metric_catalog(project_root),
            generated_at=generated_at,
        )
    finally:
        con.close()
    return render_html(data)
