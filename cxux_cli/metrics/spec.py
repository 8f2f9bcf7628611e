"""The metric definition spec as data: fields, types, defaults, and the JSON Schema.

One source of truth: the validator, the normalizer and the JSON Schema
(`schema/metric_definition.schema.json`, written by `write_schema()`) all read
the tables below. docs/metrics_spec.md explains the same in prose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SCHEMA_PATH = Path(__file__).parent / "schema" / "metric_definition.schema.json"

GRAINS = ("day", "week", "month", "quarter", "year")
DOMAINS = ("cx", "ux")
LEVELS = ("interaction", "journey", "relationship")
AUDIENCES = ("customer", "user")
STATUSES = ("draft", "certified", "deprecated")
DIRECTIONS = ("higher_is_better", "lower_is_better")
FORMATS = ("number", "integer", "percent", "duration", "currency")
AGGS = ("count", "count_distinct", "sum", "average")
# rolling: distinct counts only for now (the macro implements count_distinct)
ROLLING_AGGS = ("count_distinct",)
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
# metric__<name> must fit PostgreSQL's 63-character identifiers
MAX_NAME_LENGTH = 55
# metric_values.dimension_value of a slice whose dimension is NULL. One owner: the
# compiler writes it into the generated registry (cxux_metric_null_dimension_value()),
# which the slice macros read; the MetricFlow export reads it here. Parenthesised so
# no real value can take it: every coded dimension is a closed vocabulary of
# lowercase codes (RAW_CONTRACT.md), and the free-text ones (product category,
# feature, task_name) are checked by tests/metrics/assert_no_dimension_value_is_the_null_slice.sql.
NULL_DIMENSION_VALUE = "(not set)"

# metric_values.status, in the order the rule tests them (docs/metrics_spec.md,
# "Targets, thresholds and status").
VALUE_STATUSES = ("insufficient_sample", "no_target", "critical", "warning", "off_target",
                  "on_target")

# Confidence levels the interval SQL can compute (macros/metrics/cxux_metric_stats.sql:
# a z table for the normal-based intervals, a t table for t and log_t). A test compares
# these with the macros' tables.
Z_CONFIDENCE_LEVELS = (0.8, 0.9, 0.95, 0.98, 0.99)
T_CONFIDENCE_LEVELS = (0.9, 0.95, 0.99)
CONFIDENCE_LEVELS = {"t": T_CONFIDENCE_LEVELS, "log_t": T_CONFIDENCE_LEVELS,
                     "wilson": Z_CONFIDENCE_LEVELS, "adjusted_wald": Z_CONFIDENCE_LEVELS,
                     "rocks": Z_CONFIDENCE_LEVELS}
DEFAULT_CONFIDENCE = 0.95

# Fixed value ranges that hold by construction (quality checks: metric_values.ranges).
VALUE_RANGES = {
    "proportion": ("proportion/top_box/apdex value in [0, 1]", 0, 1),
    "nps": ("nps value in [-100, 100]", -100, 100),
    "sus": ("sus value in [0, 100]", 0, 100),
    "rating": ("rating value in [1, 5]", 1, 5),
}
# Fact columns on the SUS scale (sus_score, umux_lite_score 0-100): an average,
# median or percentile over them lies in the sus range.
SUS_SCALE_MEASURES = ("sus_score", "umux_lite_score", "umux_lite_sus_equivalent")


@dataclass(frozen=True)
class TypeFacts:
    """Everything the project knows about one metric type, read by the validator and
    normalizer (parameters, defaults, interval), the compiler (incremental), the
    quality checks (value range) and the MetricFlow export (export form)."""

    required: tuple[str, ...]  # type parameters a definition must give
    optional: tuple[str, ...]  # type parameters it may give
    defaults: dict  # parameter -> value normalization fills in when not given
    intervals: tuple[str, ...] = ("none",)  # allowed methods; the first is the default
    value_range: str | None = None  # a VALUE_RANGES family, by construction
    statistical: bool = False  # min_sample defaults to DEFAULT_MIN_SAMPLE
    incremental: bool = True  # may be an incremental model over a large fact
    export: str | None = None  # MetricFlow metric type (None: never exportable)


TYPE_FACTS: dict[str, TypeFacts] = {
    "count": TypeFacts((), ("measure", "share_of_total"), {}, export="simple"),
    "count_distinct": TypeFacts(("measure",), ("share_of_total", "unique_within"), {},
                                export="simple"),
    "sum": TypeFacts(("measure",), ("share_of_total",), {}, export="simple"),
    "average": TypeFacts(("measure",), ("interval",), {}, ("t", "none"), statistical=True,
                         export="simple"),
    "median": TypeFacts(("measure",), ("method",), {"method": "continuous", "percentile": 0.5},
                        statistical=True, export="simple"),
    "percentile": TypeFacts(("measure", "percentile", "method"), (), {}, statistical=True,
                            export="simple"),
    "geometric_mean": TypeFacts(("measure",), ("interval",), {}, ("log_t", "none"),
                                statistical=True, export="derived"),
    "proportion": TypeFacts(("condition",), ("interval",), {},
                            ("wilson", "adjusted_wald", "none"), "proportion", True,
                            export="ratio"),
    "ratio": TypeFacts((), ("numerator", "denominator", "numerator_metric",
                            "denominator_metric", "unique_within"), {}, export="ratio"),
    "top_box": TypeFacts(("measure", "scale", "cut"), ("interval",), {},
                         ("wilson", "adjusted_wald", "none"), "proportion", True,
                         export="ratio"),
    "nps": TypeFacts(("measure",), ("scale", "promoter_min", "detractor_max", "interval"),
                     {"scale": [0, 10], "promoter_min": 9, "detractor_max": 6},
                     ("rocks", "adjusted_wald", "none"), "nps", True, export="derived"),
    "apdex": TypeFacts(("measure", "t"), (), {}, value_range="proportion", statistical=True,
                       export="ratio"),
    "derived": TypeFacts(("expression",), (), {}, incremental=False, export="derived"),
    # rolling: an incremental model only at grains [day] (compiler.is_incremental)
    "rolling": TypeFacts(("window_days", "agg"), ("measure",), {}, export="cumulative"),
    # period_over_period: MetricFlow offsets are fixed windows, so only
    # same_period_last_year exports (export.py says why the others do not)
    "period_over_period": TypeFacts(("base_metric", "comparison", "change"), (), {},
                                    incremental=False, export="derived"),
}
TYPES = tuple(TYPE_FACTS)


def type_facts(kind: str) -> TypeFacts:
    """The facts of a metric type (KeyError for an unknown type: validate first)."""
    return TYPE_FACTS[kind]


def value_range(definition: dict) -> str | None:
    """The VALUE_RANGES family a metric's values lie in by construction, or None.

    From the type (a proportion, top box or Apdex is a share of rows; NPS is
    (P - D) x 100), or from the measure and unit for types that keep their
    measure's scale: an average, median or percentile over a SUS-scale column is
    0-100, an average or median in unit rating is 1-5 stars. Unit `share` alone is
    not enough: a ratio such as net revenue retention exceeds 1.
    """
    kind = definition.get("type")
    facts = TYPE_FACTS.get(kind)
    if facts is not None and facts.value_range:
        return facts.value_range
    if kind in ("average", "median", "percentile") and \
            definition.get("measure") in SUS_SCALE_MEASURES:
        return "sus"
    if kind in ("average", "median") and definition.get("unit") == "rating":
        return "rating"
    return None


def confidence_levels(interval: str) -> tuple[float, ...] | None:
    """The confidence levels an interval method can compute; None: no interval (any level
    is accepted and only recorded)."""
    return CONFIDENCE_LEVELS.get(interval)


@dataclass(frozen=True)
class Field:
    """One key of a definition. kind drives both validation and the schema."""

    kind: str  # string, name, text, enum, string_list, grain_list, crossing_list, boolean,
    #            number, integer, probability, positive_number, scale, target, thresholds,
    #            aggblock
    description: str
    enum: tuple = ()
    example: object = None


FIELDS: dict[str, Field] = {
    # identity and meaning
    "name": Field("name", "Unique id (lowercase, digits, underscores): metric_values.metric_name, "
                  "the model metric__<name>, the CLI argument.", example="nps"),
    "label": Field("text", "Human name for catalogs and dashboards.",
                   example="Net Promoter Score (NPS)"),
    "description": Field("text", "What the metric means, which variant of the practice it "
                         "uses and why, and any assumption (owner, target).",
                         example="100 x (promoters - detractors) / respondents."),
    "domain": Field("enum", "cx: the customer (the buyer); ux: the user of the product.",
                    DOMAINS, "cx"),
    "level": Field("enum", "One touchpoint, a task across touchpoints, or the relationship "
                   "over time.", LEVELS, "relationship"),
    "audience": Field("enum", "Whose experience: the paying customer or the person using "
                      "the product.", AUDIENCES, "customer"),
    "owner": Field("text", "Team or person accountable for the definition and its target.",
                   example="cx-insights"),
    "status": Field("enum", "Lifecycle (default draft). Deprecated metrics are still "
                    "computed but flagged.", STATUSES, "certified"),
    "tags": Field("string_list", "Free labels (default []).", example=["survey"]),
    # calculation
    "type": Field("enum", "The calculation; see docs/metrics_spec.md#types.", TYPES, "nps"),
    "model": Field("name", "The dbt model (a mart) the metric reads.",
                   example="fct_survey_responses"),
    "measure": Field("text", "A column of the model or an arithmetic expression over its "
                     "columns.", example="score"),
    "condition": Field("text", "proportion: boolean SQL expression over the model's columns; "
                       "rows meeting it form the numerator.", example="is_success"),
    "filter": Field("text", "Boolean SQL expression over the model's columns; other rows "
                    "are ignored.", example="survey_type = 'nps'"),
    "time": Field("name", "Date or timestamp column placing a row in a period.",
                  example="responded_at"),
    "grains": Field("grain_list", "Periods computed (default [month]); weeks start Monday.",
                    GRAINS, ["month", "quarter"]),
    "dimensions": Field("string_list", "Columns of the model to slice by, each on its own "
                        "besides the total (default []).", example=["region", "segment"]),
    "crossings": Field("crossing_list", "Combinations of 2 or more declared dimensions "
                       "sliced together (default []); dimension_name is the names sorted "
                       "and joined by '|' (region|segment), dimension_value the values in "
                       "the same order.", example=[["segment", "region"]]),
    "share_of_total": Field("boolean", "count, count_distinct, sum: each slice's value is "
                            "its aggregate / the total's aggregate of the same grain and "
                            "period (the total is 1.0); unit share (default false).",
                            example=True),
    "unique_within": Field("string_list", "count_distinct, ratio of distinct counts: a fact "
                           "of the model, that the counted column has at most one row per "
                           "period of one declared grain and value of the listed dimensions "
                           "(e.g. [month, feature]: one row per user, month and feature). "
                           "Slices that keep them count rows; the others count distinct "
                           "values in two steps, which scale (same values).",
                           example=["month", "feature"]),
    # type parameters
    "percentile": Field("probability", "percentile: p strictly between 0 and 1.", example=0.9),
    "method": Field("enum", "percentile/median: continuous interpolates (percentile_cont); "
                    "discrete is nearest rank (percentile_disc).",
                    ("continuous", "discrete"), "continuous"),
    "scale": Field("scale", "top_box/nps: the answer scale [min, max] (nps default [0, 10]).",
                   example=[1, 5]),
    "cut": Field("number", "top_box: answers >= cut are top box.", example=4),
    "promoter_min": Field("number", "nps: lowest promoter score (default 9).", example=9),
    "detractor_max": Field("number", "nps: highest detractor score (default 6).", example=6),
    "interval": Field("enum", "Confidence interval method (default per type: average t, "
                      "geometric_mean log_t, proportion/top_box wilson, nps rocks, others "
                      "none).", ("none", "t", "log_t", "wilson", "adjusted_wald", "rocks"),
                      "rocks"),
    "t": Field("positive_number", "apdex: the threshold T in the measure's unit; satisfied "
               "<= T, tolerating <= 4T.", example=2500),
    "numerator": Field("aggblock", "ratio: {agg, measure, filter} over the model.",
                       example={"agg": "sum", "measure": "order_total"}),
    "denominator": Field("aggblock", "ratio: {agg, measure, filter} over the model.",
                         example={"agg": "count", "measure": "order_id"}),
    "numerator_metric": Field("name", "ratio of metrics: the numerator metric's name.",
                              example="dau"),
    "denominator_metric": Field("name", "ratio of metrics: the denominator metric's name.",
                                example="mau_28d"),
    "expression": Field("text", "derived: arithmetic expression over other metric names.",
                        example="dau / mau_28d"),
    "window_days": Field("integer", "rolling: trailing window length in days (inclusive of "
                         "the day).", example=28),
    "agg": Field("enum", "rolling: the aggregate over the window.", ROLLING_AGGS,
                 "count_distinct"),
    "base_metric": Field("name", "period_over_period: the metric compared.", example="nps"),
    "comparison": Field("enum", "period_over_period: against the previous period or the same "
                        "period a year earlier.", ("previous_period", "same_period_last_year"),
                        "previous_period"),
    "change": Field("enum", "period_over_period: absolute (current - previous) or relative "
                    "((current - previous) / abs(previous)).", ("absolute", "relative"),
                    "absolute"),
    # judgement
    "unit": Field("text", "Unit of the value: score, share (0..1), seconds, minutes, ms, "
                  "users, currency, rating, index.", example="score"),
    "format": Field("enum", "Display hint (default number); percent shows share 0.8 as 80%.",
                    FORMATS, "percent"),
    "direction": Field("enum", "Which way is good; drives status.", DIRECTIONS,
                       "higher_is_better"),
    "target": Field("target", "Goal in the value's unit: a number, or a list of "
                    "{value, from: ISO date} changing on given dates.", example=40),
    "thresholds": Field("thresholds", "Status bands {warning, critical}; higher_is_better "
                        "needs critical <= warning <= target.",
                        example={"warning": 30, "critical": 20}),
    "min_sample": Field("integer", "Below this sample size the status is insufficient_sample "
                        "(default 30 for statistical types).", example=30),
    "confidence": Field("probability", "Confidence level of the interval (default 0.95): "
                        "0.8, 0.9, 0.95, 0.98 or 0.99 for wilson, adjusted_wald and rocks; "
                        "0.9, 0.95 or 0.99 for t and log_t.", example=0.95),
}

IDENTITY_REQUIRED = ("name", "label", "description", "domain", "level", "audience", "owner",
                     "type", "unit", "direction")
MODEL_FIELDS = ("model", "time", "filter", "dimensions")
COMMON_FIELDS = (
    "name", "label", "description", "domain", "level", "audience", "owner", "status", "tags",
    "type", "grains", "dimensions", "crossings", "unit", "format", "direction", "target",
    "thresholds", "min_sample", "confidence",
)

# Views of TYPE_FACTS kept for readers: type -> (required, optional parameters);
# model/time/filter handled apart.
TYPE_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: (facts.required, facts.optional) for kind, facts in TYPE_FACTS.items()}
INTERVALS = {kind: facts.intervals for kind, facts in TYPE_FACTS.items()
             if facts.intervals != ("none",)}
STATISTICAL_TYPES = tuple(kind for kind, facts in TYPE_FACTS.items() if facts.statistical)
DEFAULT_MIN_SAMPLE = 30
# Types computed from other metrics: no model, time or filter of their own.
METRIC_BASED = ("derived", "period_over_period")

# Every key of a normalized definition, in the registry (null where it does not apply).
NORMALIZED_KEYS = (
    "name", "label", "description", "domain", "level", "audience", "owner", "status", "tags",
    "type", "model", "measure", "condition", "filter", "time", "grains", "dimensions",
    "crossings", "share_of_total", "unique_within", "percentile", "method", "scale", "cut", "promoter_min",
    "detractor_max", "t",
    "numerator", "denominator", "numerator_metric", "denominator_metric", "expression",
    "window_days", "agg", "base_metric", "comparison", "change", "interval",
    "unit", "format", "direction", "target", "thresholds", "min_sample", "confidence",
    "depends_on", "columns", "source_file",
)


def is_metric_based(definition: dict) -> bool:
    """True when the metric is computed from other metrics, not from a model."""
    kind = definition.get("type")
    if kind in METRIC_BASED:
        return True
    return kind == "ratio" and (
        "numerator_metric" in definition or "denominator_metric" in definition
    )


def allowed_keys(kind: str | None, metric_based: bool) -> set[str]:
    """Keys a definition of this type may carry."""
    keys = set(COMMON_FIELDS)
    if kind in TYPE_PARAMS:
        required, optional = TYPE_PARAMS[kind]
        keys |= set(required) | set(optional)
    if not metric_based:
        keys |= set(MODEL_FIELDS)
    return keys


# ---------------------------------------------------------------- JSON Schema

def _field_schema(name: str, field: Field) -> dict:
    kind = field.kind
    number = {"type": "number"}
    if kind == "name":
        schema = {"type": "string", "pattern": NAME_PATTERN}
        if name == "name":
            schema["maxLength"] = MAX_NAME_LENGTH
    elif kind == "text":
        schema = {"type": "string", "minLength": 1}
    elif kind == "enum":
        schema = {"type": "string", "enum": list(field.enum)}
    elif kind == "string_list":
        schema = {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    elif kind == "crossing_list":
        schema = {"type": "array", "items": {"type": "array", "items": {"type": "string"},
                                             "minItems": 2, "uniqueItems": True}}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "grain_list":
        schema = {"type": "array", "items": {"enum": list(GRAINS)}, "uniqueItems": True,
                  "minItems": 1}
    elif kind == "number":
        schema = number
    elif kind == "integer":
        schema = {"type": "integer", "minimum": 0 if name == "min_sample" else 1}
    elif kind == "probability":
        schema = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
    elif kind == "positive_number":
        schema = {"type": "number", "exclusiveMinimum": 0}
    elif kind == "scale":
        schema = {"type": "array", "items": number, "minItems": 2, "maxItems": 2}
    elif kind == "target":
        entry = {"type": "object", "additionalProperties": False,
                 "required": ["value", "from"],
                 "properties": {"value": number,
                                "from": {"type": "string", "format": "date",
                                         "description": "ISO date from which the value is "
                                         "in force (inclusive)."}}}
        schema = {"oneOf": [number, {"type": "array", "items": entry, "minItems": 1}]}
    elif kind == "thresholds":
        schema = {"type": "object", "additionalProperties": False,
                  "required": ["warning", "critical"],
                  "properties": {"warning": number, "critical": number}}
    elif kind == "aggblock":
        schema = {"type": "object", "additionalProperties": False, "required": ["agg"],
                  "properties": {"agg": {"enum": list(AGGS)}, "measure": {"type": "string"},
                                 "filter": {"type": "string"}}}
    else:  # pragma: no cover - a programming error in FIELDS
        raise ValueError(kind)
    schema["description"] = field.description
    if field.example is not None:
        schema["examples"] = [field.example]
    return schema


def json_schema() -> dict:
    """The JSON Schema of a definition file, for editors (yaml-language-server)."""
    per_type = []
    for kind, (required, _optional) in TYPE_PARAMS.items():
        needs = list(required)
        if kind not in METRIC_BASED and kind != "ratio":
            needs += ["model", "time"]
        per_type.append({"if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                         "then": {"required": needs}})
    per_type.append({
        "if": {"properties": {"type": {"const": "ratio"}}, "required": ["type"]},
        "then": {"oneOf": [{"required": ["numerator", "denominator", "model", "time"]},
                           {"required": ["numerator_metric", "denominator_metric"]}]},
    })
    definition = {
        "type": "object",
        "description": "One metric definition (docs/metrics_spec.md).",
        "additionalProperties": False,
        "required": list(IDENTITY_REQUIRED),
        "properties": {name: _field_schema(name, field) for name, field in FIELDS.items()},
        "allOf": per_type,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cxux metric definitions file",
        "description": "A file in metrics/cx or metrics/ux: {metrics: [definition, ...]}.",
        "type": "object",
        "additionalProperties": False,
        "required": ["metrics"],
        "properties": {"metrics": {"type": "array", "items": {"$ref": "#/$defs/definition"}}},
        "$defs": {"definition": definition},
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text())
    return path


if __name__ == "__main__":  # python -m cxux_cli.metrics.spec rewrites the schema file
    print(write_schema())
