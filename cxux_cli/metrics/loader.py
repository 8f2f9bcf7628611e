"""Load definition files keeping the line and column of every key and value.

yaml.compose gives nodes with marks; we construct plain Python values from
them and remember, per definition, where each key (and nested key) sits, so
every error can point at file:line:column (1-based).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cxux_cli import project as project_paths

METRICS_DIR = str(project_paths.METRICS_DIR)  # one owner: cxux_cli/project.py


@dataclass(frozen=True, order=True)
class Problem:
    """One validation finding, printed as file:line:column: message."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class RawDefinition:
    """A definition as written, with positions: marks[path] = (line, column).

    path is a tuple of keys/indices; ("thresholds", "warning") is the value of
    thresholds.warning; key_marks holds where the key itself is written.
    """

    values: dict
    file: str
    line: int
    column: int
    marks: dict = field(default_factory=dict)
    key_marks: dict = field(default_factory=dict)

    @property
    def name(self):
        value = self.values.get("name")
        return value if isinstance(value, str) else None

    def at(self, *path) -> tuple[int, int]:
        """Position of the value at path, else its key, else the definition."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.line, self.column

    def key_at(self, key) -> tuple[int, int]:
        return self.key_marks.get((key,), (self.line, self.column))

    def problem(self, message: str, *path, on_key: bool = False) -> Problem:
        line, column = self.key_at(path[0]) if on_key and path else self.at(*path)
        return Problem(self.file, line, column, message)


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Constructor(yaml.SafeLoader):
    pass


def _construct(node):
    loader = _Constructor("")
    value = loader.construct_object(node, deep=True)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _to_python(node, path, marks, key_marks, problems, file):
    """Plain values from a node, recording marks; duplicate keys are problems."""
    marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        explicit = [pair for pair in node.value if pair[0].tag != "tag:yaml.org,2002:merge"]
        _Constructor("").flatten_mapping(node)  # resolve `<<: *anchor` merge keys
        merged = [pair for pair in node.value if pair not in explicit]
        result = {}
        for index, (key_node, value_node) in enumerate(explicit + merged):
            key = _construct(key_node)
            if isinstance(key, (list, dict)):  # unhashable; reported as an unknown key
                key = str(key)
            if key in result and index >= len(explicit):
                continue  # an explicit key overrides the merged one (YAML merge semantics)
            if key in result:
                line, column = _mark(key_node)
                problems.append(Problem(file, line, column, f"duplicate key '{key}'"))
                continue
            key_marks[path + (key,)] = _mark(key_node)
            result[key] = _to_python(value_node, path + (key,), marks, key_marks, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, path + (index,), marks, key_marks, problems, file)
            for index, item in enumerate(node.value)
        ]
    return _construct(node)


def load_text(text: str, file: str) -> tuple[list[RawDefinition], list[Problem]]:
    """Definitions of one file's text; problems for syntax and file shape."""
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = getattr(exc, "problem", None) or str(exc)
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start and getattr(exc, "problem_mark", None):
            reason += f" ({context} that starts at line {start.line + 1}, " \
                      f"column {start.column + 1})"
        return [], [Problem(file, line, column, f"YAML syntax error: {reason}")]
    if root is None:
        return [], [Problem(file, 1, 1, "empty file: expected a mapping with a 'metrics' list")]
    if not isinstance(root, yaml.MappingNode):
        line, column = _mark(root)
        return [], [Problem(file, line, column, "expected a mapping with a 'metrics' list")]
    metrics_node = None
    for key_node, value_node in root.value:
        key = _construct(key_node)
        if key == "metrics":
            metrics_node = value_node
        else:
            line, column = _mark(key_node)
            problems.append(Problem(file, line, column,
                                    f"unknown top-level key '{key}': a file holds only 'metrics'"))
    if metrics_node is None:
        line, column = _mark(root)
        problems.append(Problem(file, line, column, "missing top-level key 'metrics'"))
        return [], problems
    if not isinstance(metrics_node, yaml.SequenceNode):
        line, column = _mark(metrics_node)
        problems.append(Problem(file, line, column, "'metrics' must be a list of definitions"))
        return [], problems
    definitions = []
    for item in metrics_node.value:
        line, column = _mark(item)
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(file, line, column,
                                    "a definition must be a mapping (name: ..., type: ...)"))
            continue
        marks: dict = {}
        key_marks: dict = {}
        values = _to_python(item, (), marks, key_marks, problems, file)
        definitions.append(RawDefinition(values, file, line, column, marks, key_marks))
    return definitions, problems


# What a host project may change of a metric cxux defines (README, "Use cxux in your dbt
# project"): its governance, not how it is computed (the package's model of it, its
# scorecard column and its tests are cxux's).
HOST_OVERRIDABLE = ("owner", "target", "thresholds", "status", "min_sample")
# A host's own metric is computed inside cxux's metric_values model; a metric built
# from other metrics' models (derived, period_over_period) needs a model of its own.
HOST_REFUSED_TYPES = ("derived", "period_over_period")


def definition_files(base: Path) -> list[Path]:
    """Every *.yml (and .yaml) under base, sorted for deterministic output."""
    if not base.is_dir():
        return []
    return sorted([*base.rglob("*.yml"), *base.rglob("*.yaml")])


def _load_dir(root: Path, base: Path) -> tuple[list[RawDefinition], list[Problem]]:
    import os

    definitions: list[RawDefinition] = []
    problems: list[Problem] = []
    for path in definition_files(base):
        rel = Path(os.path.relpath(path, root)).as_posix()
        found, issues = load_text(path.read_text(encoding="utf-8"), rel)
        definitions += found
        problems += issues
    return definitions, problems


def _installed_package(root: Path) -> Path | None:
    """cxux's directory when root is a host project that installs it, else None."""
    if not (root / "dbt_project.yml").is_file():
        return None
    return project_paths.installed_package_dir(root)


def load_project(root: Path) -> tuple[list[RawDefinition], list[Problem]]:
    """All definitions, with file paths relative to root: root/metrics in a cxux checkout;
    in a host project (cxux installed as a package), the package's metrics/ with the
    host's cxux_metrics/ over them (merge_host)."""
    package = _installed_package(root)
    if package is None:
        return _load_dir(root, root / METRICS_DIR)
    definitions, problems = _load_dir(root, package / METRICS_DIR)
    host, host_problems = _load_dir(root, root / project_paths.HOST_METRICS_DIR)
    merged, merge_problems = merge_host(definitions, host)
    return merged, problems + host_problems + merge_problems


def host_metric_names(root: Path) -> list[str] | None:
    """The names of a host project's own metrics (not cxux's), None outside a host."""
    package = _installed_package(root)
    if package is None:
        return None
    cxux_names = {d.name for d in _load_dir(root, package / METRICS_DIR)[0]}
    return sorted({d.name for d in _load_dir(root, root / project_paths.HOST_METRICS_DIR)[0]
                   if d.name and d.name not in cxux_names})


def merge_host(package: list[RawDefinition],
               host: list[RawDefinition]) -> tuple[list[RawDefinition], list[Problem]]:
    """The package's definitions with a host's over them: an entry named like a cxux metric
    changes its HOST_OVERRIDABLE keys (and says where: the merged definition points at the
    host's entry); any other entry is a metric of the host's own."""
    by_name = {d.name: i for i, d in enumerate(package)}
    merged = list(package)
    problems: list[Problem] = []
    seen: set[str] = set()
    for entry in host:
        if entry.name in seen and entry.name in by_name:
            problems.append(entry.problem(f"{entry.name!r} is changed twice in the host's "
                                          "definitions: keep one entry", "name"))
            continue
        seen.add(entry.name)
        if entry.name not in by_name:
            if entry.values.get("type") in HOST_REFUSED_TYPES:
                problems.append(entry.problem(
                    f"a host's own metric cannot be of type {entry.values['type']} yet: it is "
                    "built from other metrics' models, which only cxux's metrics have",
                    "type"))
                continue
            merged.append(entry)
            continue
        base = package[by_name[entry.name]]
        for key in entry.values:
            if key != "name" and key not in HOST_OVERRIDABLE:
                problems.append(entry.problem(
                    f"{entry.name} is a cxux metric: a host may change its "
                    f"{', '.join(HOST_OVERRIDABLE)}; {key} changes how it is computed, so "
                    "define a metric of your own under another name", key, on_key=True))
        values = {**base.values, **{key: value for key, value in entry.values.items()
                                    if key in HOST_OVERRIDABLE}}
        merged[by_name[entry.name]] = RawDefinition(
            values, entry.file, entry.line, entry.column, entry.marks, entry.key_marks)
    return merged, problems


def load_texts(files: dict[str, str]) -> tuple[list[RawDefinition], list[Problem]]:
    """Definitions from {relative path: text} (used by diff against a git revision)."""
    definitions: list[RawDefinition] = []
    problems: list[Problem] = []
    for rel in sorted(files):
        found, issues = load_text(files[rel], rel)
        definitions += found
        problems += issues
    return definitions, problems
