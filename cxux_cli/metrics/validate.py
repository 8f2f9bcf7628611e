"""Validate definitions (every problem at once, with positions) and normalize them.

`validate_definitions(raw, models)` returns (problems, normalized): problems
sorted by file, line, column; normalized definitions (every key of
spec.NORMALIZED_KEYS, defaults filled) for the definitions without problems.
`models` is {model: ModelInfo} from the dbt manifest, or None to skip model,
column and dimension checks.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from cxux_cli.metrics import spec
from cxux_cli.metrics.loader import Problem, RawDefinition, load_project
from cxux_cli.metrics.manifest import grains_served, load_models, manifest_path

_NAME = re.compile(spec.NAME_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _suggest(word: str, choices) -> str:
    match = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


class _Checker:
    """Collects problems for one definition."""

    def __init__(self, raw: RawDefinition):
        self.raw = raw
        self.values = raw.values
        self.label = raw.name or "definition"
        self.problems: list[Problem] = []

    def add(self, message: str, *path, on_key: bool = False):
        self.problems.append(self.raw.problem(f"{self.label}: {message}", *path, on_key=on_key))

    # -- field shapes ---------------------------------------------------------
    def check_field(self, key: str, value) -> bool:
        """Type and enum of one field; True when the value has the right shape."""
        field = spec.FIELDS[key]
        kind = field.kind
        got = _type_name(value)
        if kind in ("name", "text"):
            if not isinstance(value, str) or not value.strip():
                self.add(f"'{key}' must be a non-empty text, got {got}", key)
                return False
            if kind == "name" and not _NAME.match(value):
                self.add(f"'{key}' must be lowercase letters, digits and underscores "
                         f"starting with a letter, got '{value}'", key)
                return False
            if key == "name" and len(value) > spec.MAX_NAME_LENGTH:
                self.add(f"'name' has {len(value)} characters, at most "
                         f"{spec.MAX_NAME_LENGTH} fit (metric__<name> must fit PostgreSQL's "
                         "63-character identifiers)", key)
                return False
            return True
        if kind == "enum":
            if not isinstance(value, str) or value not in field.enum:
                self.add(f"'{key}' must be one of {', '.join(field.enum)}, got {got}"
                         f"{_suggest(value, field.enum) if isinstance(value, str) else ''}",
                         key)
                return False
            return True
        if kind in ("string_list", "grain_list"):
            if not isinstance(value, list):
                self.add(f"'{key}' must be a list, got {got}", key)
                return False
            ok = True
            seen = set()
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    self.add(f"'{key}' items must be texts, got {_type_name(item)}", key, index)
                    ok = False
                elif kind == "grain_list" and item not in spec.GRAINS:
                    self.add(f"'{key}': unknown grain '{item}'; grains are "
                             f"{', '.join(spec.GRAINS)}{_suggest(item, spec.GRAINS)}",
                             key, index)
                    ok = False
                elif key == "dimensions" and not _NAME.match(item):
                    self.add(f"'{key}' items must be column names (lowercase letters, digits, "
                             f"underscores), got '{item}'", key, index)
                    ok = False
                elif item in seen:
                    self.add(f"'{key}' lists '{item}' twice", key, index)
                    ok = False
                seen.add(item)
            if kind == "grain_list" and not value:
                self.add(f"'{key}' must not be empty", key)
                ok = False
            return ok
        if kind == "crossing_list":
            return self._check_crossings(key, value)
        if kind == "boolean":
            if not isinstance(value, bool):
                self.add(f"'{key}' must be true or false, got {got}", key)
                return False
            return True
        if kind == "number":
            if not _is_number(value):
                self.add(f"'{key}' must be a number, got {got}", key)
                return False
            return True
        if kind == "integer":
            minimum = 0 if key == "min_sample" else 1
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                self.add(f"'{key}' must be a whole number >= {minimum}, got {got}", key)
                return False
            return True
        if kind == "probability":
            if not _is_number(value) or not 0 < value < 1:
                self.add(f"'{key}' must be a number strictly between 0 and 1, got {got}", key)
                return False
            return True
        if kind == "positive_number":
            if not _is_number(value) or value <= 0:
                self.add(f"'{key}' must be a number > 0, got {got}", key)
                return False
            return True
        if kind == "scale":
            if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))):
                self.add(f"'{key}' must be a list of two numbers [min, max], got {got}", key)
                return False
            if value[0] >= value[1]:
                self.add(f"'{key}' must be [min, max] with min < max, got {value}", key)
                return False
            return True
        if kind == "target":
            return self._check_target(value)
        if kind == "thresholds":
            return self._check_block(key, value, {"warning": "number", "critical": "number"},
                                     ("warning", "critical"))
        if kind == "aggblock":
            if not self._check_block(key, value, {"agg": "agg", "measure": "text",
                                                  "filter": "text"}, ("agg",)):
                return False
            if value["agg"] != "count" and "measure" not in value:
                self.add(f"'{key}' needs a measure for agg {value['agg']}", key)
                return False
            return True
        raise AssertionError(kind)  # pragma: no cover

    def _check_crossings(self, key: str, value) -> bool:
        """A list of lists of 2+ distinct names; declared-dimension check is in _check_one."""
        if not isinstance(value, list):
            self.add(f"'{key}' must be a list of dimension lists, e.g. [[segment, region]], "
                     f"got {_type_name(value)}", key)
            return False
        ok = True
        seen: dict[tuple, int] = {}
        for index, crossing in enumerate(value):
            if not isinstance(crossing, list) or not all(isinstance(n, str) for n in crossing):
                self.add(f"'{key}' items must be lists of dimension names, got "
                         f"{_type_name(crossing)}", key, index)
                ok = False
                continue
            if len(crossing) < 2:
                self.add(f"'{key}': a crossing needs at least 2 dimensions, got "
                         f"[{', '.join(crossing)}]", key, index)
                ok = False
            if len(set(crossing)) < len(crossing):
                twice = next(n for n in crossing if crossing.count(n) > 1)
                self.add(f"'{key}': crossing [{', '.join(crossing)}] lists '{twice}' twice",
                         key, index)
                ok = False
            same = tuple(sorted(crossing))
            if same in seen:
                self.add(f"'{key}': crossing [{', '.join(crossing)}] is declared twice "
                         f"(also item {seen[same] + 1})", key, index)
                ok = False
            seen.setdefault(same, index)
        return ok

    def _check_block(self, key, value, fields: dict, required) -> bool:
        if not isinstance(value, dict):
            self.add(f"'{key}' must be a mapping with {', '.join(fields)}, got "
                     f"{_type_name(value)}", key)
            return False
        ok = True
        for sub in value:
            if sub not in fields:
                self.add(f"unknown key '{sub}' in '{key}'{_suggest(sub, fields)}", key, sub)
                ok = False
        for sub in required:
            if sub not in value:
                self.add(f"'{key}' is missing '{sub}'", key)
                ok = False
        for sub, kind in fields.items():
            if sub not in value:
                continue
            item = value[sub]
            if kind == "number" and not _is_number(item):
                self.add(f"'{key}.{sub}' must be a number, got {_type_name(item)}", key, sub)
                ok = False
            elif kind == "text" and (not isinstance(item, str) or not item.strip()):
                self.add(f"'{key}.{sub}' must be a non-empty text, got {_type_name(item)}",
                         key, sub)
                ok = False
            elif kind == "agg" and item not in spec.AGGS:
                self.add(f"'{key}.agg' must be one of {', '.join(spec.AGGS)}, got "
                         f"{_type_name(item)}", key, sub)
                ok = False
        return ok

    def _check_target(self, value) -> bool:
        if _is_number(value):
            return True
        if not isinstance(value, list) or not value:
            self.add("'target' must be a number or a list of {value, from}, got "
                     f"{_type_name(value)}", "target")
            return False
        ok = True
        dates = set()
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.add(f"'target' entries must be mappings {{value, from}}, got "
                         f"{_type_name(entry)}", "target", index)
                ok = False
                continue
            for sub in entry:
                if sub not in ("value", "from"):
                    self.add(f"unknown key '{sub}' in a target entry"
                             f"{_suggest(sub, ('value', 'from'))}", "target", index, sub)
                    ok = False
            if not _is_number(entry.get("value")):
                self.add("a target entry needs a number 'value'", "target", index)
                ok = False
            start = entry.get("from")
            if not isinstance(start, str) or not _DATE.match(start):
                self.add("a target entry needs 'from' as an ISO date (YYYY-MM-DD), got "
                         f"{_type_name(start)}", "target", index)
                ok = False
            elif start in dates:
                self.add(f"two target entries start on {start}", "target", index, "from")
                ok = False
            dates.add(start)
        return ok


def _target_values(target) -> list:
    if _is_number(target):
        return [target]
    return [entry["value"] for entry in target]


def _check_one(raw: RawDefinition) -> tuple[_Checker, dict]:
    """Shape checks of one definition; returns the checker and the well-shaped fields."""
    checker = _Checker(raw)
    values = raw.values
    kind = values.get("type")
    metric_based = spec.is_metric_based(values)
    known_type = kind in spec.TYPE_PARAMS
    allowed = spec.allowed_keys(kind if known_type else None, metric_based)
    good: dict = {}
    for key, value in values.items():
        if key not in spec.FIELDS:
            checker.add(f"unknown key '{key}'{_suggest(key, spec.FIELDS)}", key, on_key=True)
            continue
        if known_type and key not in allowed:
            if metric_based and key in spec.MODEL_FIELDS:
                checker.add(f"'{key}' does not apply to a {kind} metric: it is computed from "
                            "other metrics", key, on_key=True)
            else:
                checker.add(f"'{key}' does not apply to type {kind}", key, on_key=True)
            continue
        if checker.check_field(key, value):
            good[key] = value
    required = list(spec.IDENTITY_REQUIRED)
    if known_type:
        required += spec.TYPE_PARAMS[kind][0]
        if not metric_based:
            required += ["model", "time"]
    for key in required:
        if key not in values:
            checker.add(f"missing required field '{key}'")
    if kind == "ratio":
        has_blocks = "numerator" in values or "denominator" in values
        has_metrics = "numerator_metric" in values or "denominator_metric" in values
        if has_blocks and has_metrics:
            checker.add("a ratio has either numerator/denominator blocks or "
                        "numerator_metric/denominator_metric, not both")
        elif has_metrics:
            for key in ("numerator_metric", "denominator_metric"):
                if key not in values:
                    checker.add(f"missing required field '{key}'")
        else:
            for key in ("numerator", "denominator"):
                if key not in values:
                    checker.add(f"missing required field '{key}'")
    if kind == "rolling" and good.get("agg") in ("count_distinct", "sum") and \
            "measure" not in values:
        checker.add(f"missing required field 'measure' (rolling {good['agg']} needs it)")
    if kind == "rolling" and "grains" in good and good["grains"] != ["day"]:
        checker.add("a rolling metric is evaluated at day grain only: grains must be [day]",
                    "grains")
    if "interval" in good and known_type and good["interval"] not in spec.INTERVALS.get(
            kind, ("none",)):
        options = ", ".join(spec.INTERVALS.get(kind, ("none",)))
        checker.add(f"interval {good['interval']} does not apply to type {kind} "
                    f"(use {options})", "interval")
    if "confidence" in good and known_type:
        interval = good.get("interval", spec.type_facts(kind).intervals[0])
        levels = spec.confidence_levels(interval)
        if levels is not None and round(good["confidence"], 4) not in levels:
            checker.add(f"confidence {good['confidence']} cannot be computed for a {interval} "
                        f"interval (use {', '.join(map(str, levels))})", "confidence")
    scale = good.get("scale") or spec.TYPE_FACTS.get(kind, spec.TYPE_FACTS["count"]) \
        .defaults.get("scale")
    if kind == "top_box" and scale and "cut" in good and not scale[0] < good["cut"] <= scale[1]:
        checker.add(f"'cut' {good['cut']} must lie within the scale {scale} and above its "
                    "minimum", "cut")
    if kind == "nps" and scale:
        promoter = good.get("promoter_min", spec.type_facts("nps").defaults["promoter_min"])
        detractor = good.get("detractor_max", spec.type_facts("nps").defaults["detractor_max"])
        if not scale[0] <= detractor < promoter <= scale[1]:
            checker.add(f"nps needs min <= detractor_max < promoter_min <= max on the scale "
                        f"{scale}, got detractor_max {detractor}, promoter_min {promoter}",
                        "promoter_min" if "promoter_min" in values else "scale")
    crossings = values.get("crossings") if "crossings" in allowed else None
    if isinstance(crossings, list):
        declared = values.get("dimensions")
        declared = [d for d in declared if isinstance(d, str)] \
            if isinstance(declared, list) else []
        for index, crossing in enumerate(crossings):
            if not isinstance(crossing, list):
                continue
            for position, dimension in enumerate(crossing):
                if isinstance(dimension, str) and dimension not in declared:
                    checker.add(f"crossing [{', '.join(crossing)}] uses '{dimension}', which "
                                "is not in dimensions (declared: "
                                f"{', '.join(declared) or 'none'})"
                                f"{_suggest(dimension, declared)}",
                                "crossings", index, position)
    unique_within = values.get("unique_within") if "unique_within" in allowed else None
    if isinstance(unique_within, list):
        grains = [g for g in unique_within if g in spec.GRAINS]
        declared = values.get("dimensions") if isinstance(values.get("dimensions"), list) else []
        if len(grains) != 1 or grains[0] not in (values.get("grains") or ["month"]):
            checker.add("unique_within needs exactly one of the metric's grains, then "
                        f"declared dimensions; got [{', '.join(map(str, unique_within))}]",
                        "unique_within")
        for index, item in enumerate(unique_within):
            if item not in spec.GRAINS and item not in declared:
                checker.add(f"unique_within uses '{item}', which is neither a grain nor a "
                            f"declared dimension{_suggest(str(item), declared)}",
                            "unique_within", index)
        sides = [good.get("numerator"), good.get("denominator")] if kind == "ratio" else []
        if kind == "ratio" and not (
                all(isinstance(side, dict) and side.get("agg") == "count_distinct" for side in sides)
                and len({side.get("measure") for side in sides}) == 1):
            checker.add("unique_within on a ratio needs both sides to count distinct values "
                        "of the same measure", "unique_within")
    if good.get("share_of_total") and good.get("unit") != "share":
        checker.add(f"share_of_total gives a share: unit must be share, got "
                    f"'{good.get('unit')}'", "unit" if "unit" in values else "share_of_total")
    _check_direction(checker, good)
    return checker, good


def _check_direction(checker: _Checker, good: dict):
    """higher_is_better needs critical <= warning <= target (reversed for lower)."""
    direction = good.get("direction")
    thresholds = good.get("thresholds")
    if direction is None or thresholds is None:
        return
    warning, critical = thresholds["warning"], thresholds["critical"]
    higher = direction == "higher_is_better"
    sign = "<=" if higher else ">="
    if (critical > warning) if higher else (critical < warning):
        checker.add(f"thresholds contradict direction {direction}: need critical {sign} "
                    f"warning, got critical {critical} and warning {warning}", "thresholds")
        return
    for target in _target_values(good["target"]) if "target" in good else []:
        if (warning > target) if higher else (warning < target):
            checker.add(f"thresholds contradict direction {direction}: need warning {sign} "
                        f"target, got warning {warning} and target {target}", "thresholds")
            return


# ---------------------------------------------------------------- expressions and models

@dataclass
class _Expr:
    key: tuple
    text: str
    boolean: bool


def _expressions_of(good: dict) -> list[_Expr]:
    found = []
    for key, boolean in (("filter", True), ("condition", True), ("measure", False)):
        if key in good:
            found.append(_Expr((key,), good[key], boolean))
    for block in ("numerator", "denominator"):
        if block in good:
            for key, boolean in (("measure", False), ("filter", True)):
                if key in good[block]:
                    found.append(_Expr((block, key), good[block][key], boolean))
    return found


def _check_expressions(checker: _Checker, good: dict, models) -> set[str]:
    """Parse every expression; check columns against the model when known."""
    from cxux_cli.metrics import expressions  # sqlglot: only when expressions are checked

    columns: set[str] = set()
    model = models.get(good["model"]) if models is not None and "model" in good else None
    known = set(model.columns) if model is not None and model.columns else None
    for item in _expressions_of(good):
        checked = expressions.check(item.text, boolean=item.boolean)
        where = ".".join(item.key)
        if checked.errors:
            checker.add(f"{where} {checked.errors[0]}: {item.text}", *item.key)
            continue
        columns |= set(checked.columns)
        if known is not None:
            for column in checked.columns:
                if column not in known:
                    checker.add(f"{where} uses unknown column '{column}': {good['model']} has "
                                f"no such column{_suggest(column, known)}", *item.key)
    for key in ("time",):
        if key in good:
            columns.add(good[key])
    columns |= set(good.get("dimensions", []))
    if model is None:
        if models is not None and "model" in good:
            checker.add(f"unknown model '{good['model']}'{_suggest(good['model'], models)}",
                        "model")
        return columns
    if known is None:
        return columns
    time = good.get("time")
    if time is not None:
        if time not in known:
            checker.add(f"time column '{time}' is not a column of {good['model']}"
                        f"{_suggest(time, known)}", "time")
        else:
            served = grains_served(time, model.columns.get(time))
            if not served:
                checker.add(f"time column '{time}' is not a date or timestamp column "
                            "(expected *_at, *_date, date_day or a *_start period column)",
                            "time")
            for index, grain in enumerate(good.get("grains", ["month"])):
                if served and grain not in served:
                    checker.add(f"grain {grain} cannot be served by {good['model']}.{time} "
                                f"(it serves {', '.join(served)})", "grains", index)
    for index, dimension in enumerate(good.get("dimensions", [])):
        if dimension not in known:
            checker.add(f"dimension '{dimension}' is not a column of {good['model']}"
                        f"{_suggest(dimension, known)}", "dimensions", index)
    return columns


def _dependencies(checker: _Checker, good: dict, names: set[str], parse: bool = True
                  ) -> list[str]:
    """Metric names a metric reads; unknown names are problems."""
    deps = []
    kind = good.get("type")
    if kind == "derived" and "expression" in good and not parse:
        # reading commands: identifiers not followed by '(' are metric names
        found = re.findall(r"\b([a-z_][a-z0-9_]*)\b(?!\s*\()", good["expression"])
        deps += [name for name in found if name in names]
    elif kind == "derived" and "expression" in good:
        from cxux_cli.metrics import expressions

        checked = expressions.check(good["expression"], boolean=False)
        if checked.errors:
            checker.add(f"expression {checked.errors[0]}: {good['expression']}", "expression")
        for name in checked.columns:
            if name not in names:
                checker.add(f"expression uses unknown metric '{name}'{_suggest(name, names)}",
                            "expression")
            deps.append(name)
    for key in ("numerator_metric", "denominator_metric", "base_metric"):
        if key in good:
            if good[key] not in names:
                checker.add(f"{key} '{good[key]}' is not a metric{_suggest(good[key], names)}",
                            key)
            deps.append(good[key])
    return sorted(set(deps))


def _find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, rotated to start at its smallest name."""
    cycles = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for dep in graph.get(node, []):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep):]
                start = cycle.index(min(cycle))
                cycles.add(tuple(cycle[start:] + cycle[:start]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return [list(cycle) for cycle in sorted(cycles)]


# ---------------------------------------------------------------- normalization

def normalize(good: dict, deps: list[str], columns: set[str], source_file: str) -> dict:
    """Every registry key, defaults filled in, target as a sorted list of {from, value}."""
    kind = good["type"]
    out = {key: None for key in spec.NORMALIZED_KEYS}
    out.update({key: value for key, value in good.items()})
    for key in ("label", "description", "owner", "unit"):
        out[key] = " ".join(good[key].split())  # folded YAML text: one clean line
    out["status"] = good.get("status", "draft")
    out["tags"] = list(good.get("tags", []))
    out["grains"] = [g for g in spec.GRAINS if g in good.get("grains", ["month"])]
    out["dimensions"] = list(good.get("dimensions", []))
    # each crossing's names sorted: dimension_name is the sorted names joined by '|'
    out["crossings"] = [sorted(crossing) for crossing in good.get("crossings", [])]
    out["share_of_total"] = bool(good.get("share_of_total", False))
    out["unique_within"] = list(good["unique_within"]) if good.get("unique_within") else None
    out["format"] = good.get("format", "number")
    out["confidence"] = good.get("confidence", spec.DEFAULT_CONFIDENCE)
    facts = spec.type_facts(kind)
    for key, default in facts.defaults.items():
        out[key] = good.get(key, default)
    for block in ("numerator", "denominator"):
        if block in good:
            out[block] = {"agg": good[block]["agg"], "measure": good[block].get("measure"),
                          "filter": good[block].get("filter")}
    out["interval"] = good.get("interval", facts.intervals[0])
    if "min_sample" not in good:
        out["min_sample"] = spec.DEFAULT_MIN_SAMPLE if facts.statistical else None
    target = good.get("target")
    if target is None:
        out["target"] = []
    elif _is_number(target):
        out["target"] = [{"from": None, "value": target}]
    else:
        out["target"] = sorted(({"from": e["from"], "value": e["value"]} for e in target),
                               key=lambda e: e["from"])
    if "thresholds" in good:
        out["thresholds"] = {"warning": good["thresholds"]["warning"],
                             "critical": good["thresholds"]["critical"]}
    out["depends_on"] = deps
    out["columns"] = sorted(columns)
    out["source_file"] = source_file
    return out


# ---------------------------------------------------------------- entry points

def validate_definitions(raws: list[RawDefinition], models, *, parse: bool = True
                         ) -> tuple[list[Problem], list[dict]]:
    """parse=False skips the sqlglot checks (fast start for list and query)."""
    problems: list[Problem] = []
    checked = [_check_one(raw) for raw in raws]
    names: dict[str, RawDefinition] = {}
    for raw in raws:
        name = raw.name
        if name is None or not _NAME.match(name):
            continue
        if name in names:
            first = names[name]
            problems.append(raw.problem(
                f"duplicate metric name '{name}' (first defined at "
                f"{first.file}:{first.at('name')[0]})", "name"))
        else:
            names[name] = raw
    all_names = set(names)
    graph: dict[str, list[str]] = {}
    results = []
    for raw, (checker, good) in zip(raws, checked):
        columns = set()
        if not spec.is_metric_based(good):
            if parse:
                columns = _check_expressions(checker, good, models)
            else:
                columns = {good["time"]} if "time" in good else set()
                columns |= set(good.get("dimensions", []))
        deps = _dependencies(checker, good, all_names, parse)
        if raw.name in names and names[raw.name] is raw:
            graph[raw.name] = deps
        results.append((raw, checker, good, deps, columns))
    goods = {raw.name: good for raw, _, good, _, _ in results if raw.name in names
             and names[raw.name] is raw}
    cycle_members = set()
    for cycle in _find_cycles(graph):
        cycle_members |= set(cycle)
        first = names[cycle[0]]
        path = " -> ".join(cycle + [cycle[0]])
        problems.append(first.problem(f"{cycle[0]}: metrics depend on each other in a cycle: "
                                      f"{path}", "expression" if "expression" in first.values
                                      else "type"))
    for raw, checker, good, deps, _ in results:
        if raw.name in cycle_members:
            continue
        for dep in deps:
            other = goods.get(dep)
            if other is None:
                continue
            mine = good.get("grains", ["month"])
            theirs = other.get("grains", ["month"])
            for grain in mine:
                if grain not in theirs:
                    checker.add(f"grain {grain} is not computed for {dep} (it has "
                                f"{', '.join(theirs)})", "grains")
            for dimension in good.get("dimensions", []):
                if dimension not in other.get("dimensions", []):
                    checker.add(f"dimension '{dimension}' is not a dimension of {dep}",
                                "dimensions")
            theirs_crossed = {tuple(sorted(c)) for c in other.get("crossings", [])}
            for index, crossing in enumerate(good.get("crossings", [])):
                if tuple(sorted(crossing)) not in theirs_crossed:
                    checker.add(f"crossing [{', '.join(crossing)}] is not a crossing of "
                                f"{dep}", "crossings", index)
    normalized = []
    for raw, checker, good, deps, columns in results:
        problems += checker.problems
        if not checker.problems and raw.name in names and names[raw.name] is raw \
                and raw.name not in cycle_members:
            normalized.append(normalize(good, deps, columns, raw.file))
    return sorted(set(problems)), sorted(normalized, key=lambda d: d["name"])


@dataclass
class Validation:
    problems: list[Problem]
    definitions: list[dict]
    manifest: Path
    models_checked: bool

    @property
    def ok(self) -> bool:
        return not self.problems

    def note(self) -> str | None:
        if self.models_checked:
            return None
        return (f"note: no dbt manifest at {self.manifest}; model, column and dimension "
                "checks were skipped (run `dbt parse` in the project folder to produce one)")


def validate_project(root: Path, manifest: Path | None = None, *,
                     check_models: bool = True, parse: bool = True) -> Validation:
    """Load every definition under root/metrics and validate it.

    check_models=False skips the manifest; parse=False skips the sqlglot checks
    of expressions (list and query read definitions, `validate` checks them).
    """
    raws, problems = load_project(root)
    manifest = manifest or manifest_path(root)
    models = load_models(manifest) if check_models else None
    more, definitions = validate_definitions(raws, models, parse=parse)
    return Validation(sorted(set(problems + more)), definitions, manifest, models is not None)
