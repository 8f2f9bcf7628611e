"""relations.publish_schemas: where the PostgreSQL and Spark publish reads and writes, and
its refusals (issue 16). Standalone the names are fixed; in a host they come from the
manifest, which must be one written for the engine being published."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from cxux_cli.errors import CxuxError
from cxux_cli.relations import STANDALONE, publish_schemas


def _host(tmp_path, adapter="postgres", build="analytics_marts_build",
          published="analytics_marts"):
    nodes = {"model.cxux.metric_values": {"schema": build, "name": "metric_values",
                                          "config": {"enabled": True}}}
    if published is not None:
        nodes["analysis.cxux.cxux_published_marts"] = {"schema": published}
    (tmp_path / "manifest.json").write_text(
        json.dumps({"metadata": {"adapter_type": adapter}, "nodes": nodes}), encoding="utf-8")
    return SimpleNamespace(is_host=True, dbt_target_path=tmp_path)


def test_standalone_names_are_fixed(tmp_path):
    project = SimpleNamespace(is_host=False, dbt_target_path=tmp_path)
    assert publish_schemas(project, "postgres") == STANDALONE
    assert (STANDALONE.build, STANDALONE.published) == ("marts_build", "marts")
    assert STANDALONE.derived("__next") == "marts__next"


def test_a_host_gets_its_own_names_from_the_manifest(tmp_path):
    schemas = publish_schemas(_host(tmp_path), "postgres")
    assert (schemas.build, schemas.published) == ("analytics_marts_build", "analytics_marts")
    assert schemas.derived("_v") == "analytics_marts_v"


@pytest.mark.parametrize("host, message", [
    ({"adapter": "duckdb"}, "written for duckdb, not postgres"),
    ({"published": None}, "no analysis cxux_published_marts"),
    ({"build": "analytics_marts"}, "the schema they would be published to"),
])
def test_a_manifest_that_cannot_be_published_from_is_refused(tmp_path, host, message):
    with pytest.raises(CxuxError, match=message):
        publish_schemas(_host(tmp_path, **host), "postgres")


def test_a_host_without_a_manifest_is_told_to_build(tmp_path):
    project = SimpleNamespace(is_host=True, dbt_target_path=tmp_path)
    with pytest.raises(CxuxError, match="written for an unknown engine"):
        publish_schemas(project, "spark")
