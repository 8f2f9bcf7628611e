"""The raw data contract, read from the dbt sources file (the one place it is written).

The loader, the demo generator and the Great Expectations raw suites use this
module; the staging macros read the same YAML through dbt's graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cxux_cli.project import (
    RAW_SOURCE_NAME,
    RAW_SOURCES_FILE,
    adapter_source_name,
    adapter_sources_file,
)

# Portable contract types -> DuckDB column types.
DUCKDB_TYPES = {
    "string": "varchar",
    "integer": "bigint",
    "decimal": "decimal(18, 2)",
    "double": "double",
    "boolean": "boolean",
    "timestamp": "timestamp",
}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str = ""
    required: bool = False
    accepted_values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    references: str | None = None  # "<table>.<column>"
    pii: bool = False

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.data_type]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    version_column: str | None = None
    loaded_at_field: str | None = None
    row_checks: tuple[dict, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def _column(spec: dict) -> Column:
    meta = (spec.get("config") or {}).get("meta") or {}
    values = meta.get("accepted_values")
    return Column(
        name=spec["name"],
        data_type=spec["data_type"],
        description=spec.get("description", ""),
        required=bool(meta.get("required", False)),
        accepted_values=tuple(values) if values else None,
        min=meta.get("min"),
        max=meta.get("max"),
        references=meta.get("references"),
        pii=bool(meta.get("pii", False)),
    )


@lru_cache(maxsize=16)
def load_contract(project_root: Path, system: str | None = None) -> dict[str, Table]:
    """Tables of the raw contract, in dependency order (parents before children); with
    `system`, the tables a source adapter reads, from its source YAML (same format)."""
    path = adapter_sources_file(system) if system else RAW_SOURCES_FILE
    name = adapter_source_name(system) if system else RAW_SOURCE_NAME
    document = yaml.safe_load((Path(project_root) / path).read_text())
    source = next(s for s in document["sources"] if s["name"] == name)
    tables: dict[str, Table] = {}
    for spec in source["tables"]:
        config = spec.get("config") or {}
        meta = config.get("meta") or {}
        tables[spec["name"]] = Table(
            name=spec["name"],
            description=spec.get("description", ""),
            columns=tuple(_column(c) for c in spec["columns"]),
            primary_key=tuple(meta.get("primary_key") or ()),
            version_column=meta.get("version_column"),
            loaded_at_field=config.get("loaded_at_field"),
            row_checks=tuple(meta.get("row_checks") or ()),
        )
    return tables
