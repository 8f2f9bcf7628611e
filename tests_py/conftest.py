"""Shared pytest fixtures.

`demo_warehouse` generates a small demo dataset and runs the whole pipeline
once per test session (it is the slow part), in a temporary directory, with
every path isolated through the CXUX_* / DBT_* environment variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# pyspark (imported by Great Expectations) takes a __main__ with neither __spec__ nor
# __file__ for its own doctests and exits 0 (pyspark/sql/connect/utils.py); pytest-xdist's
# workers run with such a __main__, so give it a file.
_main = sys.modules.get("__main__")
if _main is not None and getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = __file__
DEMO_SCALE = os.environ.get("CXUX_TEST_SCALE", "0.1")
DEMO_SEED = "7"
DEMO_AS_OF = "2026-06-30"


@dataclass
class Warehouse:
    root: Path
    env: dict
    duckdb_path: Path
    published_path: Path
    build_output: str
    as_of: str = DEMO_AS_OF

    def cxux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run_cxux(*args, env=self.env, check=check)

    def connect(self):
        import duckdb

        return duckdb.connect(str(self.duckdb_path), read_only=True)


def isolated_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        CXUX_PROJECT_DIR=str(REPO),
        CXUX_DUCKDB_PATH=str(workdir / "cxux.duckdb"),
        CXUX_PUBLISHED_PATH=str(workdir / "published" / "cxux.duckdb"),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
    )
    return env


def run_cxux(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "cxux_cli.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"cxux {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-8000:]}"
        )
    return result


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Warehouse:
    """Generated demo data, built, checked and published once for the session."""
    workdir = tmp_path_factory.mktemp("demo")
    env = isolated_env(workdir)
    run_cxux("generate", "--scale", DEMO_SCALE, "--seed", DEMO_SEED, "--as-of", DEMO_AS_OF, env=env)
    built = run_cxux("build", "--as-of", DEMO_AS_OF, env=env)
    return Warehouse(
        root=workdir,
        env=env,
        duckdb_path=Path(env["CXUX_DUCKDB_PATH"]),
        published_path=Path(env["CXUX_PUBLISHED_PATH"]),
        build_output=built.stdout,
    )


# The two longest groups go first, one to each worker (scripts/test.sh passes
# --no-loadscope-reorder so xdist keeps this order); the rest fill in as workers free up.
FIRST_GROUPS = ("engines", "demo_warehouse")


def _group(item) -> str:
    """The tests that share a build form a group: the engine tests (one PostgreSQL database
    and Spark metastore), the users of one of this suite's session-scoped builds
    (demo_warehouse first: the most shared), else the tests of one module (its
    module-scoped builds)."""
    if item.nodeid.startswith("tests_py/engines/"):
        return "engines"
    shared = sorted(
        name for name, defs in item._fixtureinfo.name2fixturedefs.items()
        if defs and defs[-1].scope == "session" and defs[-1].baseid.startswith("tests_py")
    )
    if "demo_warehouse" in shared:
        return "demo_warehouse"
    return shared[0] if shared else item.nodeid.split("::")[0]


# tryfirst: pytest-xdist reads the groups in its own pytest_collection_modifyitems (it
# appends them to the node ids), so they must be set before it runs
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`-n 2 --dist loadgroup`, scripts/test.sh) each group runs on
    one worker, so each build is made once and the engine tests never run side by side."""
    groups = {item: _group(item) for item in items}
    rank = {name: i for i, name in enumerate(FIRST_GROUPS)}
    items.sort(key=lambda item: rank.get(groups[item], len(rank)))  # stable: order kept
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item]))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """Fail at once if xdist did not take the groups: with pytest 9.2 it silently stopped
    (it writes item._nodeid, which pytest 9.2 no longer reads), and the engine tests then
    collided on the shared PostgreSQL database."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    ungrouped = [item.nodeid for item in session.items if "@" not in item.nodeid]
    if ungrouped:
        raise pytest.UsageError(
            f"pytest-xdist did not group {len(ungrouped)} tests (first: {ungrouped[0]}); "
            "install the pinned test tools: pip install -e '.[dev]'"
        )
