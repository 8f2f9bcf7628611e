"""Export definitions as dbt Semantic Layer (MetricFlow) YAML, where expressible.

Filters are folded into measure expressions (`case when <filter> then ... end`)
so no MetricFlow filter Jinja is needed. What MetricFlow cannot express
(confidence intervals, min_sample, status, targets in general; geometric means;
grain-relative period comparisons) is listed with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

# Primary key of each core mart (INTERFACES.md: key column first); composite keys
# get a primary entity without a key column.
PRIMARY_KEYS = {
    "fct_orders": "order_id", "fct_order_lines": "order_item_id", "fct_tickets": "ticket_id",
    "fct_survey_responses": "response_id", "fct_reviews": "review_id",
    "fct_sessions": "session_id", "fct_page_views": "page_view_id",
    "fct_task_attempts": "task_attempt_id", "dim_customers": "account_id",
    "dim_users": "user_id", "dim_products": "product_id",
}
NOT_EXPRESSIBLE_ANYWHERE = (
    "confidence intervals, min_sample, targets and status are cxux features with no "
    "MetricFlow equivalent; they are left out of every exported metric"
)


@dataclass
class Export:
    semantic_models: dict = field(default_factory=dict)  # model -> semantic model dict
    metrics: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # metric -> reason


def _guard(filter_sql, expr: str) -> str:
    return f"case when {filter_sql} then {expr} end" if filter_sql else expr


def _both(a, b):
    if a and b:
        return f"({a}) and ({b})"
    return a or b


class _Builder:
    def __init__(self):
        self.out = Export()

    def semantic_model(self, d: dict) -> dict:
        name = d["model"]
        if name not in self.out.semantic_models:
            entity = name.removeprefix("fct_").removeprefix("dim_")
            key = PRIMARY_KEYS.get(name)
            model = {"name": name, "model": f"ref('{name}')",
                     "defaults": {"agg_time_dimension": d["time"]},
                     "entities": [], "dimensions": [], "measures": []}
            if key:
                model["entities"].append({"name": entity, "type": "primary", "expr": key})
            else:
                model["primary_entity"] = entity
            self.out.semantic_models[name] = model
        model = self.out.semantic_models[name]
        have = {dim["name"] for dim in model["dimensions"]}
        if d["time"] not in have:
            model["dimensions"].append({"name": d["time"], "type": "time",
                                        "type_params": {"time_granularity": "day"}})
        for dimension in d["dimensions"]:
            if dimension not in have:
                model["dimensions"].append({"name": dimension, "type": "categorical"})
                have.add(dimension)
        return model

    def measure(self, d: dict, suffix: str, agg: str, expr: str, **extra) -> str:
        model = self.semantic_model(d)
        name = f"{d['name']}__{suffix}"
        measure = {"name": name, "agg": agg, "expr": expr, "agg_time_dimension": d["time"]}
        measure.update(extra)
        model["measures"].append(measure)
        return name

    def metric(self, d: dict, kind: str, type_params: dict, name: str | None = None,
               hidden: bool = False):
        metric = {"name": name or d["name"], "label": d["label"] if not hidden else name,
                  "description": d["description"] if not hidden else f"Part of {d['name']}.",
                  "type": kind, "type_params": type_params}
        if not hidden:
            metric["meta"] = {"cxux_type": d["type"], "owner": d["owner"],
                              "status": d["status"], "unit": d["unit"]}
        self.out.metrics.append(metric)
        return metric["name"]

    def simple(self, d, suffix, agg, expr, hidden=True, **extra):
        measure = self.measure(d, suffix, agg, expr, **extra)
        name = f"{d['name']}__{suffix}" if hidden else d["name"]
        return self.metric(d, "simple", {"measure": measure}, name=name, hidden=hidden)


def _export_one(b: _Builder, d: dict, exported: set[str]) -> str | None:
    """Add d to the export; return a reason when it cannot be expressed."""
    kind, f = d["type"], d["filter"]
    measure = d["measure"]
    if d.get("share_of_total"):
        return ("a share of total divides each slice by the total of its period; MetricFlow "
                "metrics are computed within one group")
    if kind in ("count", "count_distinct", "sum", "average"):
        agg = {"count": "count", "count_distinct": "count_distinct", "sum": "sum",
               "average": "average"}[kind]
        b.simple(d, "value", agg, _guard(f, measure or "1"), hidden=False)
    elif kind in ("median", "percentile"):
        params = {"percentile": d["percentile"],
                  "use_discrete_percentile": d["method"] == "discrete"}
        b.simple(d, "value", "percentile", _guard(f, measure), hidden=False, agg_params=params)
    elif kind == "proportion":
        hits = b.simple(d, "hits", "sum", _guard(f, f"case when {d['condition']} then 1 else 0 "
                                                   "end"))
        rows = b.simple(d, "rows", "sum", _guard(f, "1"))
        b.metric(d, "ratio", {"numerator": hits, "denominator": rows})
    elif kind == "top_box":
        low, high = d["scale"]
        on_scale = _both(f, f"{measure} between {low} and {high}")
        hits = b.simple(d, "top", "sum", _guard(on_scale, f"case when {measure} >= {d['cut']} "
                                                          "then 1 else 0 end"))
        rows = b.simple(d, "answers", "sum", _guard(on_scale, "1"))
        b.metric(d, "ratio", {"numerator": hits, "denominator": rows})
    elif kind == "nps":
        low, high = d["scale"]
        on_scale = _both(f, f"{measure} between {low} and {high}")
        p = b.simple(d, "promoters", "sum", _guard(on_scale, f"case when {measure} >= "
                                                            f"{d['promoter_min']} then 1 else "
                                                            "0 end"))
        det = b.simple(d, "detractors", "sum", _guard(on_scale, f"case when {measure} <= "
                                                              f"{d['detractor_max']} then 1 "
                                                              "else 0 end"))
        n = b.simple(d, "respondents", "sum", _guard(on_scale, "1"))
        b.metric(d, "derived", {"expr": f"100.0 * ({p} - {det}) / nullif({n}, 0)",
                                "metrics": [{"name": p}, {"name": det}, {"name": n}]})
    elif kind == "apdex":
        t = d["t"]
        score = (f"case when {measure} <= {t} then 1.0 when {measure} <= {4 * t} then 0.5 "
                 "else 0 end")
        s = b.simple(d, "score", "sum", _guard(_both(f, f"{measure} is not null"), score))
        n = b.simple(d, "loads", "sum", _guard(_both(f, f"{measure} is not null"), "1"))
        b.metric(d, "ratio", {"numerator": s, "denominator": n})
    elif kind == "ratio" and d["numerator"]:
        parts = {}
        for side in ("numerator", "denominator"):
            block = d[side]
            expr = _guard(_both(f, block["filter"]), block["measure"] or "1")
            parts[side] = b.simple(d, side, block["agg"], expr)
        b.metric(d, "ratio", parts)
    elif kind == "ratio":
        missing = [m for m in d["depends_on"] if m not in exported]
        if missing:
            return f"depends on {', '.join(missing)}, which could not be exported"
        b.metric(d, "ratio", {"numerator": d["numerator_metric"],
                              "denominator": d["denominator_metric"]})
    elif kind == "derived":
        missing = [m for m in d["depends_on"] if m not in exported]
        if missing:
            return f"depends on {', '.join(missing)}, which could not be exported"
        b.metric(d, "derived", {"expr": d["expression"],
                                "metrics": [{"name": m} for m in d["depends_on"]]})
    elif kind == "rolling":
        agg = {"count": "count", "count_distinct": "count_distinct", "sum": "sum"}[d["agg"]]
        m = b.measure(d, "value", agg, _guard(f, measure or "1"))
        b.metric(d, "cumulative", {"measure": m, "cumulative_type_params": {
            "window": f"{d['window_days']} days"}})
    elif kind == "period_over_period":
        if d["comparison"] == "previous_period":
            return ("previous_period depends on the query's grain; MetricFlow offsets are a "
                    "fixed window (only same_period_last_year maps to offset_window: 1 year)")
        base = d["base_metric"]
        if base not in exported:
            return f"depends on {base}, which could not be exported"
        change = "(current - previous)" if d["change"] == "absolute" else \
            "(current - previous) / nullif(abs(previous), 0)"
        b.metric(d, "derived", {"expr": change, "metrics": [
            {"name": base, "alias": "current"},
            {"name": base, "alias": "previous", "offset_window": "1 year"}]})
    elif kind == "geometric_mean":
        return ("a geometric mean is exp(mean(ln x)); MetricFlow derived metrics cannot apply "
                "exp() to an aggregate portably")
    else:  # pragma: no cover - every type is handled above
        return f"type {kind} has no MetricFlow mapping"
    return None


def export_metricflow(definitions: list[dict]) -> Export:
    b = _Builder()
    exported: set[str] = set()
    by_name = {d["name"]: d for d in definitions}
    # dependencies first so derived metrics know whether their inputs made it
    done: set[str] = set()

    def visit(d):
        if d["name"] in done:
            return
        done.add(d["name"])
        for dep in d["depends_on"]:
            if dep in by_name:
                visit(by_name[dep])
        reason = _export_one(b, d, exported)
        if reason:
            b.out.skipped[d["name"]] = reason
        else:
            exported.add(d["name"])

    for d in definitions:
        visit(d)
    b.out.metrics.sort(key=lambda m: m["name"])
    return b.out


def to_yaml(export: Export) -> str:
    """YAML text; JSON flow style for values keeps it dependency-free and valid YAML."""
    import yaml

    doc = {"semantic_models": [export.semantic_models[k] for k in sorted(export.semantic_models)],
           "metrics": export.metrics}
    header = ("# dbt Semantic Layer (MetricFlow) definitions exported by "
              "`cxux metrics export --format metricflow`.\n"
              f"# Not exported: {NOT_EXPRESSIBLE_ANYWHERE}.\n")
    for name, reason in sorted(export.skipped.items()):
        header += f"# skipped {name}: {reason}\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def report(export: Export) -> str:
    count = len([m for m in export.metrics if "meta" in m])
    lines = [f"exported {count} metrics ({len(export.semantic_models)} semantic models)"]
    for name, reason in sorted(export.skipped.items()):
        lines.append(f"not exported: {name}: {reason}")
    lines.append(f"note: {NOT_EXPRESSIBLE_ANYWHERE}")
    return "\n".join(lines)


def as_json(export: Export) -> str:
    return json.dumps({"semantic_models": list(export.semantic_models.values()),
                       "metrics": export.metrics, "skipped": export.skipped}, indent=2)
