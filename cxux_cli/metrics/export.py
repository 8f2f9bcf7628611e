"""Export definitions as dbt Semantic Layer (MetricFlow) YAML, where expressible.

What the export guarantees (docs/semantic_layer.md; tests_py/metrics/test_metricflow_export.py
checks each value against metric_values):

- names: MetricFlow names may not contain a double underscore or end with one;
  `semantic_name` is the one rule that turns a cxux name (and a part, such as
  `promoters`) into a MetricFlow name; every metric keeps its cxux name in
  `meta.cxux_metric`.
- grains: a metric's time dimension is declared at the finest grain its
  definition allows, so MetricFlow refuses finer ones. MetricFlow has no coarsest
  grain: the allowed grains are listed in `meta.cxux_grains`.
- slices: every categorical dimension is `coalesce(cast(col as varchar), '<null value>')`
  with cxux's name of the NULL slice (spec.NULL_DIMENSION_VALUE), as in metric_values.
- joins: facts carry foreign entities (customer = account_id, end_user = user_id,
  product, session) that are primary on dim_customers, dim_users and dim_products.
- time spine: a day-grain model over dim_dates (`TIME_SPINE_MODEL`), written beside
  the YAML.

Filters are folded into measure expressions (`case when <filter> then ... end`)
so no MetricFlow filter Jinja is needed. What MetricFlow cannot express
(confidence intervals, min_sample, status, targets; shares of total;
grain-relative period comparisons) is listed with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from cxux_cli.metrics.manifest import grains_served
from cxux_cli.metrics.spec import GRAINS, NULL_DIMENSION_VALUE, type_facts

NOT_EXPRESSIBLE_ANYWHERE = (
    "confidence intervals, min_sample, targets and status are cxux features with no "
    "MetricFlow equivalent; they are left out of every exported metric"
)
COARSER_GRAINS_NOTE = (
    "MetricFlow answers every grain coarser than a time dimension's; the grains a "
    "definition allows are in meta.cxux_grains (e.g. customer_churn_rate: month only)"
)

# The day-grain time spine MetricFlow needs (dbt 1.11: `time_spine:` on a model).
TIME_SPINE_MODEL = "cxux_time_spine"
TIME_SPINE_SQL = """\
{{ config(materialized='view') }}
{#- Day-grain time spine for MetricFlow, written by `cxux metrics export --format metricflow`:
    the days of dim_dates (the data's first to last day). -#}
select date_day from {{ ref('dim_dates') }}
"""
TIME_SPINE_PROPERTIES = {
    "name": TIME_SPINE_MODEL,
    "description": "Day-grain time spine for MetricFlow: the days of dim_dates.",
    "time_spine": {"standard_granularity_column": "date_day"},
    "columns": [{"name": "date_day", "granularity": "day"}],
}

# Entities of the core marts: (primary entity, key column or None for a composite key),
# then foreign entities as (entity, column). Shared entity names let MetricFlow join
# a fact to the dimension whose primary entity it names. `user` and `order` are SQL
# keywords on some engines, hence end_user.
ENTITIES: dict[str, tuple[str, str | None, tuple[tuple[str, str], ...]]] = {
    "fct_orders": ("orders", "order_id", (("customer", "account_id"),
                                           ("end_user", "placed_by_user_id"))),
    "fct_order_lines": ("order_lines", "order_item_id", (("customer", "account_id"),
                                                         ("product", "product_id"))),
    "fct_tickets": ("tickets", "ticket_id", (("customer", "account_id"),
                                             ("end_user", "requester_user_id"))),
    "fct_survey_responses": ("survey_responses", "response_id",
                             (("customer", "account_id"), ("end_user", "user_id"))),
    "fct_reviews": ("reviews", "review_id", (("customer", "account_id"),
                                             ("product", "product_id"))),
    "fct_sessions": ("session", "session_id", (("customer", "account_id"),
                                               ("end_user", "user_id"))),
    "fct_page_views": ("page_views", "page_view_id", (("customer", "account_id"),
                                                      ("end_user", "user_id"),
                                                      ("session", "session_id"))),
    "fct_task_attempts": ("task_attempts", "task_attempt_id",
                          (("customer", "account_id"), ("end_user", "user_id"),
                           ("session", "session_id"))),
    "fct_user_days": ("user_days", None, (("customer", "account_id"),
                                          ("end_user", "user_id"))),
    "fct_feature_usage": ("feature_usage", None, (("customer", "account_id"),
                                                  ("end_user", "user_id"))),
    "fct_user_feature_months": ("user_feature_months", None,
                                (("customer", "account_id"), ("end_user", "user_id"))),
    "fct_customer_months": ("customer_months", None, (("customer", "account_id"),)),
    "fct_account_seat_months": ("account_seat_months", None, (("customer", "account_id"),)),
    "dim_customers": ("customer", "account_id", ()),
    "dim_users": ("end_user", "user_id", (("customer", "account_id"),)),
    "dim_products": ("product", "product_id", ()),
}
# Dimension marts exported whole, so every fact can be sliced by their attributes
# (`customer__segment`), with the categorical columns people slice by.
DIMENSION_MARTS = {
    "dim_customers": ("account_type", "segment", "region", "acquisition_channel",
                      "relationship_type", "customer_status"),
    "dim_users": ("role", "account_type", "segment", "region", "relationship_type",
                  "primary_platform", "primary_device_type"),
    "dim_products": ("category",),
}


class NameClash(ValueError):
    """Two cxux names map to the same MetricFlow name."""


def semantic_name(*parts: str) -> str:
    """The MetricFlow name of a cxux name (and a part): parts joined by '_', runs of
    underscores collapsed (MetricFlow reserves '__' for entity paths), none at the end."""
    return re.sub(r"_+", "_", "_".join(parts)).strip("_")


def categorical_dimension(name: str, column: str) -> dict:
    """A slice as cxux computes it: the value as text, NULL as cxux's NULL slice."""
    return {"name": name, "type": "categorical",
            "expr": f"coalesce(cast({column} as varchar), '{NULL_DIMENSION_VALUE}')"}


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


def _time_dimension_name(column: str, grain: str) -> str:
    """The column's name at its own finest grain, else `<column>_<grain>`."""
    served = grains_served(column)
    return column if served and served[0] == grain else semantic_name(column, grain)


class _Builder:
    def __init__(self, definitions: list[dict]):
        self.out = Export()
        self.names: dict[str, str] = {}  # MetricFlow metric name -> what it exports
        self.slices: dict[str, dict] = {}  # cxux metric -> {dimension: group-by name}
        # time dimensions first, so a categorical slice never takes a time dimension's name
        for d in definitions:
            if d["model"] and d["time"]:
                self._time_dimension(d)

    def _model(self, name: str) -> dict:
        if name not in self.out.semantic_models:
            primary, key, foreign = ENTITIES.get(
                name, (semantic_name(name.removeprefix("fct_").removeprefix("dim_")), None, ()))
            model = {"name": name, "model": f"ref('{name}')", "entities": [],
                     "dimensions": [], "measures": []}
            if key:
                model["entities"].append({"name": primary, "type": "primary", "expr": key})
            else:
                model["primary_entity"] = primary
            for entity, column in foreign:
                model["entities"].append({"name": entity, "type": "foreign", "expr": column})
            self.out.semantic_models[name] = model
        return self.out.semantic_models[name]

    def _time_dimension(self, d: dict) -> str:
        """The time dimension at the definition's finest grain (MetricFlow refuses finer)."""
        model = self._model(d["model"])
        grain = min(d["grains"], key=GRAINS.index)
        name = _time_dimension_name(d["time"], grain)
        if not any(dim["name"] == name for dim in model["dimensions"]):
            model["dimensions"].append({"name": name, "type": "time", "expr": d["time"],
                                        "type_params": {"time_granularity": grain}})
        model.setdefault("defaults", {"agg_time_dimension": name})
        return name

    def _categorical(self, model: dict, column: str) -> str:
        taken = {dim["name"]: dim for dim in model["dimensions"]}
        name = column
        if name in taken and taken[name]["type"] == "time":
            name = semantic_name(column, "value")
        if name not in taken:
            model["dimensions"].append(categorical_dimension(name, column))
        return name

    def dimension_models(self):
        for mart, columns in DIMENSION_MARTS.items():
            model = self._model(mart)
            for column in columns:
                self._categorical(model, column)

    def measure(self, d: dict, part: str, agg: str, expr: str, **extra) -> str:
        model = self._model(d["model"])
        time = self._time_dimension(d)
        entity = model.get("primary_entity") or model["entities"][0]["name"]
        self.slices[d["name"]] = {
            dimension: f"{entity}__{self._categorical(model, dimension)}"
            for dimension in d["dimensions"]}
        name = semantic_name(d["name"], part)
        if any(m["name"] == name for m in model["measures"]):
            raise NameClash(f"measure {name} of {d['name']} is already defined")
        measure = {"name": name, "agg": agg, "expr": expr, "agg_time_dimension": time}
        measure.update(extra)
        model["measures"].append(measure)
        return name

    def metric(self, d: dict, kind: str, type_params: dict, part: str | None = None) -> str:
        name = semantic_name(d["name"], part) if part else semantic_name(d["name"])
        owner = f"{d['name']} ({part})" if part else d["name"]
        if name in self.names:
            raise NameClash(f"its MetricFlow name {name} is taken by {self.names[name]}")
        self.names[name] = owner
        meta = {"cxux_metric": d["name"]}
        if not part and kind != type_facts(d["type"]).export:  # pragma: no cover - a bug
            raise AssertionError(f"{d['name']}: exported as {kind}, but spec.TYPE_FACTS says "
                                 f"type {d['type']} exports as {type_facts(d['type']).export}")
        if part:
            meta["cxux_part"] = part
        else:
            meta.update(cxux_type=d["type"], cxux_grains=d["grains"], owner=d["owner"],
                        status=d["status"], unit=d["unit"],
                        cxux_slices=self.slices.get(d["name"]) or self._inherited_slices(d))
        metric = {"name": name,
                  "label": f"{d['label']} ({part})" if part else d["label"],
                  "description": f"Part of {d['name']}: {part}." if part else d["description"],
                  "type": kind, "type_params": type_params,
                  "time_granularity": min(d["grains"], key=GRAINS.index),
                  "config": {"meta": meta}}
        self.out.metrics.append(metric)
        return name

    def _inherited_slices(self, d: dict) -> dict:
        """Group-by names of a metric computed from other metrics: its first input's."""
        for dependency in d["depends_on"]:
            if dependency in self.slices:
                slices = self.slices[dependency]
                self.slices[d["name"]] = {k: slices[k] for k in d["dimensions"] if k in slices}
                return self.slices[d["name"]]
        return {}

    def simple(self, d, part, agg, expr, hidden=True, **extra):
        measure = self.measure(d, part, agg, expr, **extra)
        return self.metric(d, "simple", {"measure": measure}, part=part if hidden else None)

    def input_metric(self, cxux_name: str, **extra) -> dict:
        """A metric read by a derived metric, aliased to its cxux name when renamed."""
        item = {"name": semantic_name(cxux_name), **extra}
        if item["name"] != cxux_name and "alias" not in item:
            item["alias"] = cxux_name
        return item


def _export_one(b: _Builder, d: dict, exported: set[str]) -> str | None:
    """Add d to the export; return a reason when it cannot be expressed."""
    kind, f = d["type"], d["filter"]
    measure = d["measure"]
    if type_facts(kind).export is None:
        return f"type {kind} has no MetricFlow form (spec.TYPE_FACTS)"
    if d.get("share_of_total"):
        return ("a share of total divides each slice by the total of its period; MetricFlow "
                "metrics are computed within one group")
    missing = [m for m in d["depends_on"] if m not in exported]
    if missing:
        return f"depends on {', '.join(missing)}, which could not be exported"
    if kind in ("count", "count_distinct", "sum", "average"):
        b.simple(d, "value", kind, _guard(f, measure or "1"), hidden=False)
    elif kind in ("median", "percentile"):
        params = {"percentile": d["percentile"],
                  "use_discrete_percentile": d["method"] == "discrete"}
        b.simple(d, "value", "percentile", _guard(f, measure), hidden=False, agg_params=params)
    elif kind == "geometric_mean":
        # exp(avg(ln x)) over x > 0, as the cxux macro computes it
        positive = _both(f, f"{measure} > 0")
        log_mean = b.simple(d, "log_mean", "average", _guard(positive, f"ln({measure})"))
        b.metric(d, "derived", {"expr": f"exp({log_mean})", "metrics": [{"name": log_mean}]})
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
        b.metric(d, "ratio", {"numerator": semantic_name(d["numerator_metric"]),
                              "denominator": semantic_name(d["denominator_metric"])})
    elif kind == "derived":
        b.metric(d, "derived", {"expr": d["expression"],
                                "metrics": [b.input_metric(m) for m in d["depends_on"]]})
    elif kind == "rolling":
        m = b.measure(d, "value", d["agg"], _guard(f, measure or "1"))
        b.metric(d, "cumulative", {"measure": m, "cumulative_type_params": {
            "window": f"{d['window_days']} days"}})
    elif kind == "period_over_period":
        if d["comparison"] == "previous_period":
            return ("previous_period depends on the query's grain; MetricFlow offsets are a "
                    "fixed window (only same_period_last_year maps to offset_window: 1 year)")
        change = "(current - previous)" if d["change"] == "absolute" else \
            "(current - previous) / nullif(abs(previous), 0)"
        base = d["base_metric"]
        b.metric(d, "derived", {"expr": change, "metrics": [
            b.input_metric(base, alias="current"),
            b.input_metric(base, alias="previous", offset_window="1 year")]})
    else:  # pragma: no cover - every type is handled above
        return f"type {kind} has no MetricFlow mapping"
    return None


def export_metricflow(definitions: list[dict]) -> Export:
    b = _Builder(definitions)
    b.dimension_models()
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
        try:
            reason = _export_one(b, d, exported)
        except NameClash as clash:
            reason = str(clash)
        if reason:
            b.out.skipped[d["name"]] = reason
        else:
            exported.add(d["name"])

    for d in definitions:
        visit(d)
    b.out.metrics.sort(key=lambda m: m["name"])
    return b.out


def to_yaml(export: Export, time_spine: bool = True) -> str:
    """The YAML file; with time_spine, also the properties of TIME_SPINE_MODEL, whose SQL
    (TIME_SPINE_SQL) must sit beside it in the dbt project."""
    import yaml

    doc = {}
    if time_spine:
        doc["models"] = [TIME_SPINE_PROPERTIES]
    doc["semantic_models"] = [export.semantic_models[k] for k in sorted(export.semantic_models)]
    doc["metrics"] = export.metrics
    header = ("# dbt Semantic Layer (MetricFlow) definitions exported by "
              "`cxux metrics export --format metricflow` (docs/semantic_layer.md).\n"
              f"# Not exported: {NOT_EXPRESSIBLE_ANYWHERE}.\n"
              f"# Grains: {COARSER_GRAINS_NOTE}.\n")
    if not time_spine:
        header += ("# No time spine here: the dbt project needs a model with `time_spine:` "
                   "at day grain (docs/semantic_layer.md).\n")
    for name, reason in sorted(export.skipped.items()):
        header += f"# skipped {name}: {reason}\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def report(export: Export) -> str:
    count = len([m for m in export.metrics if "cxux_part" not in m["config"]["meta"]])
    lines = [f"exported {count} metrics ({len(export.semantic_models)} semantic models)"]
    for name, reason in sorted(export.skipped.items()):
        lines.append(f"not exported: {name}: {reason}")
    lines.append(f"note: {NOT_EXPRESSIBLE_ANYWHERE}")
    lines.append(f"note: {COARSER_GRAINS_NOTE}")
    return "\n".join(lines)


def as_json(export: Export) -> str:
    return json.dumps({"semantic_models": list(export.semantic_models.values()),
                       "metrics": export.metrics, "skipped": export.skipped}, indent=2)
