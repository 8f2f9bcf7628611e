"""Where dbt put cxux's relations, read from the dbt manifest (target/manifest.json).

dbt decides schema names (generate_schema_name: readable names standalone, the host's
naming as a package, marts_build on PostgreSQL); the Python tools ask here instead of
assuming them (issue 16).
"""

from __future__ import annotations

import json
from pathlib import Path

from cxux_cli.errors import CxuxError


def manifest_nodes(project) -> dict[str, dict]:
    """The manifest's nodes; a clear error when dbt has not written one."""
    manifest = Path(project.dbt_target_path) / "manifest.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    except FileNotFoundError:
        raise CxuxError(f"{manifest}: no dbt manifest; run `cxux build` (or `dbt parse`) "
                        "first") from None
    except (ValueError, KeyError) as exc:
        raise CxuxError(f"{manifest}: not a readable dbt manifest ({exc}); run `dbt parse` "
                        "to write it again") from None


def node_meta(node: dict) -> dict:
    config = node.get("config") or {}
    return {**(node.get("meta") or {}), **(config.get("meta") or {})}


def model_relation(nodes: dict[str, dict], name: str, package: str = "cxux") -> tuple[str, str]:
    """(schema, identifier) of an enabled model of `package`."""
    node = nodes.get(f"model.{package}.{name}")
    if node is None or not (node.get("config") or {}).get("enabled", True):
        raise CxuxError(f"the dbt manifest has no enabled model {name!r}; run `cxux build`")
    return node["schema"], node.get("alias") or node["name"]


def model_schema(project, name: str, standalone: str) -> str:
    """The schema dbt gave cxux's model `name`, from the manifest. `standalone`: its
    readable name in a cxux checkout (macros/generate_schema_name.sql), used only there,
    before dbt has parsed the model; a host project's names come from its manifest."""
    manifest = Path(project.dbt_target_path) / "manifest.json"
    if project.is_host:
        return model_relation(manifest_nodes(project), name)[0]
    node = (manifest_nodes(project) if manifest.is_file() else {}).get(f"model.cxux.{name}")
    return node["schema"] if node else standalone


def marts_schema(project) -> str:
    """Where the marts are (metric_values' schema): `marts` standalone, the host's naming
    (e.g. analytics_marts) in a host project."""
    return model_schema(project, "metric_values", "marts")


def quarantine_schema(project) -> str:
    """Where the quarantine and the domain states are (raw_domains' schema)."""
    return model_schema(project, "raw_domains", "quarantine")
