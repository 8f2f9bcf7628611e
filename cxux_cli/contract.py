"""The raw data contract, read from the dbt sources file (the one place it is written).

The loader, the demo generator and the Great Expectations raw suites use this
module; the staging macros read the same YAML through dbt's graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from cxux_cli.errors import CxuxError
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
    extendable: bool = False  # var cxux_extra_accepted_values may add values
    min: float | None = None
    max: float | None = None
    references: str | None = None  # "<table>.<column>"
    pii: bool = False
    optional: bool = False  # a file may lack the column (the loader leaves it null)

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
        extendable=bool(meta.get("extendable", False)),
        min=meta.get("min"),
        max=meta.get("max"),
        references=meta.get("references"),
        pii=bool(meta.get("pii", False)),
        optional=bool(meta.get("optional", False)),
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


def with_extra_accepted_values(tables: dict[str, Table], extra: dict | None) -> dict[str, Table]:
    """The contract with var cxux_extra_accepted_values ({"<table>.<column>": [values]})
    added, as staging applies it (macros/staging/cxux_accepted_values.sql, whose compile
    errors a build reports first; the same rules are checked here for a quality run alone)."""
    if not extra:
        return tables
    if not isinstance(extra, dict):
        raise CxuxError("var cxux_extra_accepted_values must be a mapping "
                        '{"<table>.<column>": [values]}')
    by_table: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, values in extra.items():
        table_name, _, column_name = str(key).partition(".")
        table = tables.get(table_name)
        column = next((c for c in table.columns if c.name == column_name), None) if table else None
        if column is None or not column.accepted_values:
            raise CxuxError(f"var cxux_extra_accepted_values: {key!r} is not <table>.<column> of a "
                            "raw column with accepted values")
        if not column.extendable:
            raise CxuxError(f"var cxux_extra_accepted_values: {key} cannot be extended (its "
                            "values steer cxux's logic); map your values with var cxux_value_map")
        if isinstance(values, (str, dict)) or not isinstance(values, (list, tuple)):
            raise CxuxError(f"var cxux_extra_accepted_values: {key} must be a list of values")
        by_table.setdefault(table_name, {})[column_name] = tuple(
            dict.fromkeys([*column.accepted_values, *map(str, values)]))
    return {
        name: replace(table, columns=tuple(
            replace(c, accepted_values=by_table[name][c.name]) if c.name in by_table.get(name, {})
            else c for c in table.columns))
        for name, table in tables.items()
    }
