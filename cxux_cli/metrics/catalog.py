"""Read the definitions for people: list, show, and the Markdown/HTML catalog."""

from __future__ import annotations

import html
import json
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.metrics import spec
from cxux_cli.metrics.loader import host_metric_names
from cxux_cli.metrics.validate import Validation, _suggest, validate_project

LIST_FIELDS = ("name", "label", "domain", "level", "audience", "status", "type", "model",
               "unit", "direction", "target", "owner", "tags", "source_file")


def load_definitions(root: Path, *, check_models: bool = False, light: bool = False
                     ) -> Validation:
    """Definitions of the project; model checks only when asked (they read the manifest).

    light=True skips parsing expressions (no sqlglot import): enough for list and query.
    """
    return validate_project(root, check_models=check_models, parse=not light)


def find(definitions: list[dict], name: str) -> dict:
    for definition in definitions:
        if definition["name"] == name:
            return definition
    names = [d["name"] for d in definitions]
    raise CxuxError(f"unknown metric '{name}'{_suggest(name, names)}; "
                    "see `cxux metrics list`")


def target_text(target: list[dict]) -> str:
    """[{from, value}] as a reviewer reads it: '40', '30 from 2024-01-01, 35 from 2026-07-01'."""
    if not target:
        return ""
    return ", ".join(
        f"{_number(t['value'])}" + (f" from {t['from']}" if t["from"] else "") for t in target
    )


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def status_rule_text(d: dict) -> str:
    """How a value of this metric gets its status, with the target and thresholds
    (docs/metrics_spec.md, "Targets, thresholds and status"), e.g. for first reply
    time: 'on_target at <= 60; off_target above 60 up to 120; warning above 120 up to
    180; critical above 180; insufficient_sample below 30 rows'."""
    higher = d["direction"] == "higher_is_better"
    meets, beyond, to = (">=", "below", "down to") if higher else ("<=", "above", "up to")
    target = target_text(d["target"])
    thresholds = d["thresholds"]
    parts = []
    if target:
        parts.append(f"on_target at {meets} {target}")
        parts.append(f"off_target {beyond} it" + (
            f" {to} {_number(thresholds['warning'])}" if thresholds else ""))
    if thresholds:
        warning, critical = _number(thresholds["warning"]), _number(thresholds["critical"])
        parts.append(f"warning {beyond} {warning} {to} {critical}")
        parts.append(f"critical {beyond} {critical}")
    if not target:
        parts.append("no_target" + (" otherwise" if thresholds else
                                    " (neither a target nor thresholds)"))
    if d["min_sample"]:
        parts.append(f"insufficient_sample below {d['min_sample']} rows")
    return "; ".join(parts)


def filter_definitions(definitions, *, domain=None, level=None, audience=None, status=None):
    keep = []
    for d in definitions:
        if (domain and d["domain"] != domain) or (level and d["level"] != level) or \
                (audience and d["audience"] != audience) or (status and d["status"] != status):
            continue
        keep.append(d)
    return keep


def list_rows(definitions: list[dict]) -> list[dict]:
    return [{key: d[key] for key in LIST_FIELDS} for d in definitions]


def format_table(rows: list[dict], columns: list[str]) -> str:
    """Plain aligned text table (no dependency); None prints as empty."""
    def cell(value):
        if value is None:
            return ""
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, float):
            return f"{value:.4g}"
        return str(value)

    cells = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def list_table(definitions: list[dict]) -> str:
    rows = []
    for d in definitions:
        rows.append({"name": d["name"], "domain": d["domain"], "level": d["level"],
                     "audience": d["audience"], "type": d["type"], "status": d["status"],
                     "unit": d["unit"], "target": target_text(d["target"]),
                     "label": d["label"]})
    return format_table(rows, ["name", "domain", "level", "audience", "type", "status",
                               "unit", "target", "label"])


# ---------------------------------------------------------------- show

PARAMETER_KEYS = ("measure", "condition", "filter", "percentile", "method", "scale", "cut",
                  "promoter_min", "detractor_max", "t", "numerator", "denominator",
                  "numerator_metric", "denominator_metric", "expression", "window_days", "agg",
                  "base_metric", "comparison", "change", "interval")


def used_by(definitions: list[dict], name: str) -> list[str]:
    return sorted(d["name"] for d in definitions if name in d["depends_on"])


def describe(definition: dict, definitions: list[dict], host_metric: bool = False) -> str:
    """The definition and lineage as text (no warehouse, no dbt). host_metric: a host
    project's own metric, which has no model of its own."""
    d = definition
    lines = [f"{d['name']}: {d['label']} [{d['status']}]", "", d["description"], ""]
    lines.append("identity")
    for key in ("domain", "level", "audience", "owner"):
        lines.append(f"  {key}: {d[key]}")
    lines.append(f"  tags: {', '.join(d['tags']) or '-'}")
    lines.append(f"  source: {d['source_file']}")
    lines.append("calculation")
    lines.append(f"  type: {d['type']}")
    if d["model"]:
        lines.append(f"  model: {d['model']} (time: {d['time']})")
    for key in PARAMETER_KEYS:
        if d.get(key) is not None:
            value = d[key]
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items() if v is not None)
            lines.append(f"  {key}: {value}")
    lines.append(f"  grains: {', '.join(d['grains'])}")
    lines.append(f"  dimensions: {', '.join(d['dimensions']) or '-'}")
    if d.get("crossings"):
        lines.append(f"  crossings: {crossings_text(d)}")
    if d.get("share_of_total"):
        lines.append("  share_of_total: each slice / the total of its period")
    lines.append("judgement")
    lines.append(f"  unit: {d['unit']} ({d['format']}), {d['direction'].replace('_', ' ')}")
    lines.append(f"  target: {target_text(d['target']) or '-'}")
    thresholds = d["thresholds"]
    lines.append("  thresholds: " + (f"warning {thresholds['warning']}, critical "
                                     f"{thresholds['critical']}" if thresholds else "-"))
    lines.append(f"  min_sample: {d['min_sample'] if d['min_sample'] is not None else '-'}, "
                 f"confidence: {d['confidence']}")
    lines.append(f"  status: {status_rule_text(d)}")
    lines.append("lineage")
    lines.append(f"  model: {d['model'] or '-'}")
    lines.append(f"  columns: {', '.join(d['columns']) or '-'}")
    lines.append(f"  depends on: {', '.join(d['depends_on']) or '-'}")
    lines.append(f"  used by: {', '.join(used_by(definitions, d['name'])) or '-'}")
    lines.append("  dbt model: " + ("none: a metric of this project, computed in metric_values"
                                    if host_metric else f"metric__{d['name']}"))
    return "\n".join(lines)


def compiled_sql_path(target_path: Path, name: str) -> Path:
    return target_path / "compiled" / "cxux" / "models" / "marts" / "metrics" / "generated" / \
        f"metric__{name}.sql"


def compiled_sql(project, name: str, *, run_compile: bool) -> tuple[str | None, str]:
    """(sql, where it came from or why it is missing). dbt is imported only here."""
    if name in (host_metric_names(project.root) or []):
        return None, ("a metric of this project: metric_values computes it (see "
                      "metric_values.sql in dbt's compiled folder)")
    path = compiled_sql_path(project.dbt_target_path, name)
    if path.is_file():
        return path.read_text(encoding="utf-8"), f"from {path}"
    if not run_compile:
        return None, (f"not compiled yet: run `dbt compile --select metric__{name}` "
                      "or drop --no-compile")
    from cxux_cli.dbt_runner import run_dbt  # lazy: imports dbt

    try:
        run_dbt(project, ["compile", "--select", f"metric__{name}", "--quiet"])
    except CxuxError as exc:
        return None, f"dbt compile failed: {exc}"
    if path.is_file():
        return path.read_text(encoding="utf-8"), f"from dbt compile ({path})"
    return None, "dbt compile wrote no SQL for this model"


# ---------------------------------------------------------------- docs

def _group(definitions):
    groups: dict[tuple[str, str], list[dict]] = {}
    for d in definitions:
        groups.setdefault((d["domain"], d["level"]), []).append(d)
    order = {v: i for i, v in enumerate(spec.DOMAINS + spec.LEVELS)}
    return sorted(groups.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))


DOMAIN_TITLES = {"cx": "Customer experience (CX)", "ux": "User experience (UX)"}


def catalog_markdown(definitions: list[dict]) -> str:
    out = ["# Metric catalog", "",
           ("Generated by `cxux metrics docs` from metrics/**/*.yml. Shares are fractions "
            "(0.8 = 80%)."), ""]
    current_domain = None
    for (domain, level), items in _group(definitions):
        if domain != current_domain:
            out += [f"## {DOMAIN_TITLES[domain]}", ""]
            current_domain = domain
        out += [f"### {level.capitalize()}", ""]
        for d in items:
            flag = " (deprecated)" if d["status"] == "deprecated" else ""
            out += [f"#### {d['label']} (`{d['name']}`){flag}", "", d["description"], ""]
            out.append(f"- **Status:** {d['status']}; **owner:** {d['owner']}; "
                       f"**audience:** {d['audience']}")
            calc = f"{d['type']}" + (f" on `{d['model']}`" if d["model"] else "")
            if d["depends_on"]:
                calc += f" from {', '.join(f'`{n}`' for n in d['depends_on'])}"
            out.append(f"- **Calculation:** {calc}")
            for key in ("measure", "condition", "filter", "expression"):
                if d.get(key):
                    out.append(f"- **{key.capitalize()}:** `{d[key]}`")
            out.append(f"- **Grains:** {', '.join(d['grains'])}; **dimensions:** "
                       f"{', '.join(d['dimensions']) or 'none'}"
                       + (f"; **crossings:** {crossings_text(d)}" if d.get("crossings")
                          else ""))
            if d.get("share_of_total"):
                out.append("- **Share of total:** each slice's value is its aggregate / the "
                           "total's of the same period")
            target = target_text(d["target"]) or "none"
            out.append(f"- **Unit:** {d['unit']}; **direction:** "
                       f"{d['direction'].replace('_', ' ')}; **target:** {target}")
            if d["thresholds"]:
                out.append(f"- **Thresholds:** warning {d['thresholds']['warning']}, critical "
                           f"{d['thresholds']['critical']}")
            out.append(f"- **Status:** {status_rule_text(d)}")
            out.append(f"- **Source:** `{d['source_file']}`")
            out.append("")
    return "\n".join(out)


def crossings_text(d: dict) -> str:
    """'region x segment, platform x task_name' (each crossing's names sorted)."""
    return ", ".join(" x ".join(c) for c in d.get("crossings") or [])


def catalog_html(definitions: list[dict]) -> str:
    esc = html.escape
    parts = ["<!doctype html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<title>cxux metric catalog</title>",
             ("<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
              "padding:0 1rem}dt{font-weight:600}section{border-top:1px solid #ddd;"
              "padding:.5rem 0}.deprecated{color:#a00}code{background:#f4f4f4}</style>"),
             "</head><body>", "<h1>Metric catalog</h1>",
             ("<p>Generated by <code>cxux metrics docs</code>. Shares are fractions "
              "(0.8 = 80%).</p>")]
    current_domain = None
    for (domain, level), items in _group(definitions):
        if domain != current_domain:
            parts.append(f"<h2>{esc(DOMAIN_TITLES[domain])}</h2>")
            current_domain = domain
        parts.append(f"<h3>{esc(level.capitalize())}</h3>")
        for d in items:
            cls = " class=\"deprecated\"" if d["status"] == "deprecated" else ""
            parts.append(f"<section id=\"{esc(d['name'])}\"><h4{cls}>{esc(d['label'])} "
                         f"(<code>{esc(d['name'])}</code>) - {esc(d['status'])}</h4>")
            parts.append(f"<p>{esc(d['description'])}</p><dl>")
            rows = [("Owner", d["owner"]), ("Type", d["type"]), ("Model", d["model"] or ""),
                    ("Depends on", ", ".join(d["depends_on"])), ("Measure", d["measure"]),
                    ("Condition", d["condition"]), ("Filter", d["filter"]),
                    ("Expression", d["expression"]), ("Grains", ", ".join(d["grains"])),
                    ("Dimensions", ", ".join(d["dimensions"])),
                    ("Crossings", crossings_text(d)),
                    ("Share of total", "yes" if d.get("share_of_total") else ""),
                    ("Unit", d["unit"]),
                    ("Direction", d["direction"].replace("_", " ")),
                    ("Target", target_text(d["target"])),
                    ("Thresholds", json.dumps(d["thresholds"]) if d["thresholds"] else ""),
                    ("Status", status_rule_text(d)),
                    ("Source", d["source_file"])]
            for label, value in rows:
                if value:
                    parts.append(f"<dt>{esc(label)}</dt><dd>{esc(str(value))}</dd>")
            parts.append("</dl></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_catalog(definitions: list[dict], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / "index.md"
    page = out_dir / "index.html"
    md.write_text(catalog_markdown(definitions), encoding="utf-8")
    page.write_text(catalog_html(definitions), encoding="utf-8")
    return [md, page]
