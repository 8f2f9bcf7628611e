"""Where dbt put cxux's relations, read from the dbt manifest (target/manifest.json).

dbt decides schema names (generate_schema_name: readable names standalone, the host's
naming as a package, marts_build on PostgreSQL); the Python tools ask here instead of
assuming them (issue 16).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cxux_cli.errors import CxuxError

# A cxux checkout's readable names on PostgreSQL and Spark (macros/generate_schema_name.sql):
# dbt builds the marts into MARTS_BUILD, the publish step copies them to MARTS for BI.
MARTS = "marts"
MARTS_BUILD = "marts_build"


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


def model_schema(project, name: str, standalone: str, kind: str = "model") -> str:
    """The schema dbt gave cxux's node `<kind>.cxux.<name>`, from the manifest. `standalone`:
    its readable name in a cxux checkout (macros/generate_schema_name.sql), used only there,
    before dbt has parsed the node; a host project's names come from its manifest."""
    manifest = Path(project.dbt_target_path) / "manifest.json"
    if project.is_host:
        nodes = manifest_nodes(project)
        if kind == "model":
            return model_relation(nodes, name)[0]
        try:
            return nodes[f"{kind}.cxux.{name}"]["schema"]
        except KeyError:
            raise CxuxError(f"the dbt manifest has no {kind} {name!r}; run `dbt parse` in "
                            "your project (after `dbt deps`)") from None
    node = (manifest_nodes(project) if manifest.is_file() else {}).get(f"{kind}.cxux.{name}")
    return node["schema"] if node else standalone


def marts_schema(project) -> str:
    """Where dbt built the marts (metric_values' schema): `marts` standalone on DuckDB,
    `marts_build` on PostgreSQL and Spark, the host's naming of these in a host project
    (e.g. analytics_marts)."""
    return model_schema(project, "metric_values", MARTS)


def published_marts_schema(project) -> str:
    """Where `cxux build` publishes the marts on PostgreSQL and Spark, the schema BI reads:
    `marts` standalone, the host's naming of it in a host project. dbt builds them into
    marts_schema() (`marts_build` there) and the publish copies them over."""
    return model_schema(project, "cxux_published_marts", MARTS, kind="analysis")


def quarantine_schema(project) -> str:
    """Where the quarantine and the domain states are (raw_domains' schema)."""
    return model_schema(project, "raw_domains", "quarantine")


@dataclass(frozen=True)
class PublishSchemas:
    """The schemas (Spark: databases) of one publish on PostgreSQL or Spark."""

    build: str  # where dbt built the marts
    published: str  # what BI tools read; only the publish step writes it

    def derived(self, suffix: str) -> str:
        """A schema of the publish's own, named after the published one (marts__next,
        marts_v<build id>), so a host's naming isolates it as well."""
        return self.published + suffix


STANDALONE = PublishSchemas(build=MARTS_BUILD, published=MARTS)


def publish_schemas(project, engine: str) -> PublishSchemas:
    """Standalone: marts_build -> marts. In a host: the host's names of both, from the
    manifest, which must be one written for `engine` (the build just wrote it; a manifest
    of another target would name schemas that do not exist there)."""
    if not project.is_host:
        return STANDALONE
    manifest = Path(project.dbt_target_path) / "manifest.json"
    try:  # read once: the manifest of a big project is tens of megabytes
        document = json.loads(manifest.read_text(encoding="utf-8"))
        adapter, nodes = document["metadata"]["adapter_type"], document["nodes"]
    except (OSError, ValueError, KeyError):
        adapter, nodes = None, {}
    if adapter != engine:
        raise CxuxError(f"{manifest}: written for {adapter or 'an unknown engine'}, not "
                        f"{engine}; run `cxux build` with this target first")
    published = nodes.get("analysis.cxux.cxux_published_marts")
    if published is None:
        raise CxuxError(f"{manifest}: no analysis cxux_published_marts; run `dbt deps` and "
                        "`dbt parse` in your project")
    schemas = PublishSchemas(build=model_relation(nodes, "metric_values")[0],
                             published=published["schema"])
    if schemas.build == schemas.published:
        raise CxuxError(f"the marts build into {schemas.build!r}, the schema they would be "
                        "published to: run `dbt parse` in your project, then `cxux build`")
    return schemas
