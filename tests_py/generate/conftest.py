"""A small generated warehouse shared by the generator tests (scale 0.05, fixed as-of)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from cxux_cli.contract import load_contract
from cxux_cli.generate import generate_raw

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 30)
SCALE = 0.05
SEED = 7


@pytest.fixture(scope="session")
def contract():
    return load_contract(PROJECT_ROOT)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generate") / "cxux.duckdb"
    generate_raw(path, PROJECT_ROOT, seed=SEED, scale=SCALE, as_of=AS_OF)
    return path


@pytest.fixture()
def con(warehouse):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()
