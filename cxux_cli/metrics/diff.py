"""What changed in the definitions since a git revision, in a reviewer's words.

Only read-only git commands (ls-tree, show). Definitions are compared as
written (before defaults), so a change reads like the YAML a reviewer sees.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.metrics.loader import METRICS_DIR, RawDefinition, load_project, load_texts

# Field order in a sentence: what a reviewer cares about first.
ORDER = ("type", "share_of_total", "model", "measure", "condition", "filter", "time",
         "expression", "target", "thresholds", "direction", "status", "owner", "unit",
         "format", "grains", "dimensions", "crossings", "min_sample", "confidence", "label",
         "description")
TEXT_FIELDS = ("measure", "condition", "filter", "expression")


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                text=True, check=False)
    except FileNotFoundError:
        raise CxuxError("git is not installed") from None
    if result.returncode != 0:
        raise CxuxError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def files_at(root: Path, rev: str) -> dict[str, str]:
    """{path: text} of metrics/**/*.yml at a revision."""
    if rev.startswith("-"):
        raise CxuxError(f"not a revision: {rev}")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except CxuxError:
        raise CxuxError(f"unknown git revision '{rev}' (no commits yet, or a typo?)") from None
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    listing = _git(root, "ls-tree", "-r", "--name-only", "--full-tree", rev, "--",
                   f"{prefix}{METRICS_DIR}")
    files = {}
    for repo_path in listing.splitlines():
        if not repo_path.endswith((".yml", ".yaml")):
            continue
        rel = repo_path[len(prefix):]
        files[rel] = _git(root, "show", f"{rev}:{repo_path}")
    return files


def _by_name(raws: list[RawDefinition]) -> dict[str, dict]:
    out = {}
    for raw in raws:
        if raw.name and raw.name not in out:
            out[raw.name] = raw.values
    return out


def _short(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _target(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        parts = []
        for entry in sorted(value, key=lambda e: str(e.get("from")) if isinstance(e, dict)
                            else ""):
            if isinstance(entry, dict):
                parts.append(f"{_short(entry.get('value'))} from {entry.get('from')}")
        return ", ".join(parts)
    return _short(value)


def _thresholds(value) -> str:
    if not isinstance(value, dict):
        return "none"
    return f"warning {_short(value.get('warning'))}, critical {_short(value.get('critical'))}"


def describe_change(key: str, old, new) -> str:
    if key == "target":
        return f"target {_target(old)} -> {_target(new)}"
    if key == "thresholds":
        return f"thresholds {_thresholds(old)} -> {_thresholds(new)}"
    if key in ("description", "label") and old is not None and new is not None:
        return f"{key} reworded"
    if key == "crossings" and isinstance(old, list) and isinstance(new, list):
        # a crossing is a set of dimensions: [segment, region] = [region, segment]
        old, new = ([" x ".join(sorted(map(str, c))) if isinstance(c, list) else str(c)
                     for c in side] for side in (old, new))
    if isinstance(old, list) and isinstance(new, list):
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        parts = []
        if added:
            parts.append(f"added {', '.join(map(str, added))}")
        if removed:
            parts.append(f"removed {', '.join(map(str, removed))}")
        return f"{key}: {'; '.join(parts) or 'reordered'}"
    if old is None:
        return f"{key} added: {_show(key, new)}"
    if new is None:
        return f"{key} removed (was {_show(key, old)})"
    if key in TEXT_FIELDS:
        return f"{key} changed from {_show(key, old)} to {_show(key, new)}"
    return f"{key} {_show(key, old)} -> {_show(key, new)}"


def _show(key, value) -> str:
    if key in TEXT_FIELDS:
        return f"`{value}`"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(_short, value)) + "]"
    return _short(value)


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.deprecated or self.changed)

    def as_dict(self) -> dict:
        return {"added": self.added, "removed": self.removed, "deprecated": self.deprecated,
                "changed": self.changed}

    def text(self, rev: str) -> str:
        if self.empty:
            return f"no changes to metric definitions since {rev}"
        lines = [f"metric definitions compared with {rev}:"]
        if self.added:
            lines.append(f"added: {', '.join(self.added)}")
        if self.removed:
            lines.append(f"removed: {', '.join(self.removed)}")
        if self.deprecated:
            lines.append(f"deprecated: {', '.join(self.deprecated)}")
        for name, changes in self.changed.items():
            lines.append(f"{name}: {'; '.join(changes)}")
        return "\n".join(lines)


def compare(old: dict[str, dict], new: dict[str, dict]) -> Diff:
    diff = Diff()
    diff.added = sorted(set(new) - set(old))
    diff.removed = sorted(set(old) - set(new))
    for name in sorted(set(old) & set(new)):
        before, after = old[name], new[name]
        if after.get("status") == "deprecated" and before.get("status") != "deprecated":
            diff.deprecated.append(name)
        keys = [k for k in ORDER if k in before or k in after]
        keys += sorted((set(before) | set(after)) - set(ORDER) - {"name"})
        changes = []
        for key in keys:
            if key == "status" and name in diff.deprecated:
                continue
            if before.get(key) != after.get(key):
                changes.append(describe_change(key, before.get(key), after.get(key)))
        if changes:
            diff.changed[name] = changes
    return diff


def diff_against(root: Path, rev: str = "HEAD") -> Diff:
    old_raws, _ = load_texts(files_at(root, rev))
    new_raws, _ = load_project(root)
    return compare(_by_name(old_raws), _by_name(new_raws))
