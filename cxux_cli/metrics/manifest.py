"""Models and their documented columns, read from the dbt manifest (plain JSON).

No dbt import: target/manifest.json (or $DBT_TARGET_PATH/manifest.json) is
read as JSON. Columns are those documented in each model's yml.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelInfo:
    name: str
    columns: dict  # column name -> data_type (may be None)
    description: str = ""


def manifest_path(root: Path) -> Path:
    """Where dbt writes the manifest for this project (DBT_TARGET_PATH aware)."""
    target = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    return (target if target.is_absolute() else root / target) / "manifest.json"


def load_models(path: Path) -> dict[str, ModelInfo] | None:
    """{model name: ModelInfo} from a manifest, or None when there is none."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    models = {}
    for node in data.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        columns = {
            name.lower(): (column.get("data_type") or None)
            for name, column in (node.get("columns") or {}).items()
        }
        models[node["name"]] = ModelInfo(node["name"], columns, node.get("description") or "")
    return models


def grains_served(column: str, data_type: str | None = None) -> tuple[str, ...]:
    """The grains a time column can place rows in, from its name (and type).

    *_at timestamps and *_date / date_day dates serve every grain; a
    month_start (or acquisition_cohort, a month start) serves month, quarter
    and year, and so on.
    """
    all_grains = ("day", "week", "month", "quarter", "year")
    by_name = {
        "week_start": ("week",),
        "month_start": ("month", "quarter", "year"),
        "quarter_start": ("quarter", "year"),
        "year_start": ("year",),
        # first day of the month of the first purchase (core marts): a month start
        "acquisition_cohort": ("month", "quarter", "year"),
    }
    if column in by_name:
        return by_name[column]
    kind = (data_type or "").lower()
    if column.endswith(("_at", "_date")) or column == "date_day" or \
            kind.startswith(("date", "timestamp")):
        return all_grains
    return ()
