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
TYPES = (
    "count", "count_distinct", "sum", "average", "median", "percentile", "geometric_mean",
    "proportion", "ratio", "top_box", "nps", "apdex", "derived", "rolling",
    "period_over_period",
)
AGGS = ("count", "count_distinct", "sum", "average")
# rolling: distinct counts only for now (the macro implements count_distinct)
ROLLING_AGGS = ("count_distinct",)
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
# metric__<name> must fit PostgreSQL's 63-character identifiers
MAX_NAME_LENGTH = 55
# metric_values.dimension_value of a slice whose dimension is NULL. The metric macros
# (cxux_metric_aggregate, cxux_metric_rolling) write the same literal; the MetricFlow
# export reads it here, and its CI test compares both slices.
NULL_DIMENSION_VALUE = "unknown"


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
    "confidence": Field("probability", "Confidence level of the interval (default 0.95).",
                        example=0.95),
}

IDENTITY_REQUIRED = ("name", "label", "description", "domain", "level", "audience", "owner",
                     "type", "unit", "direction")
MODEL_FIELDS = ("model", "time", "filter", "dimensions")
COMMON_FIELDS = (
    "name", "label", "description", "domain", "level", "audience", "owner", "status", "tags",
    "type", "grains", "dimensions", "crossings", "unit", "format", "direction", "target",
    "thresholds", "min_sample", "confidence",
)

# type -> (required parameters, optional parameters); model/time/filter handled apart.
TYPE_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "count": ((), ("measure", "share_of_total")),
    "count_distinct": (("measure",), ("share_of_total", "unique_within")),
    "sum": (("measure",), ("share_of_total",)),
    "average": (("measure",), ("interval",)),
    "median": (("measure",), ("method",)),
    "percentile": (("measure", "percentile", "method"), ()),
    "geometric_mean": (("measure",), ("interval",)),
    "proportion": (("condition",), ("interval",)),
    "ratio": ((), ("numerator", "denominator", "numerator_metric", "denominator_metric",
                   "unique_within")),
    "top_box": (("measure", "scale", "cut"), ("interval",)),
    "nps": (("measure",), ("scale", "promoter_min", "detractor_max", "interval")),
    "apdex": (("measure", "t"), ()),
    "derived": (("expression",), ()),
    "rolling": (("window_days", "agg"), ("measure",)),
    "period_over_period": (("base_metric", "comparison", "change"), ()),
}
INTERVALS = {
    "average": ("t", "none"),
    "geometric_mean": ("log_t", "none"),
    "proportion": ("wilson", "adjusted_wald", "none"),
    "top_box": ("wilson", "adjusted_wald", "none"),
    "nps": ("rocks", "adjusted_wald", "none"),
}
STATISTICAL_TYPES = ("average", "median", "percentile", "geometric_mean", "proportion",
                     "top_box", "nps", "apdex")
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
