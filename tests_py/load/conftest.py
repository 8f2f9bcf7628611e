"""The `project` fixture of the loader tests: a warehouse of its own per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxux_cli.project import Project

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "warehouse" / "cxux.duckdb"))
    monkeypatch.delenv("CXUX_RAW_SCHEMA", raising=False)
    return Project(root=REPO, target="duckdb")
