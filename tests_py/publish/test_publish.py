"""publish(): the marts land in the published file atomically; failures leave it untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from cxux_cli import publish as publish_module
from cxux_cli.errors import CxuxError
from cxux_cli.project import Project
from cxux_cli.publish import publish

ROWS = 20_000


def write_warehouse(path: Path, version: int) -> None:
    """A warehouse whose marts all carry `version`, so a reader can spot a mixed state."""
    if path.exists():
        path.unlink()
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema quarantine; create schema staging")
        con.execute(f"create table marts.fct_orders as select 'o-' || i as order_id, "
                    f"{version} as build_version from range({ROWS}) r(i)")
        con.execute(f"create table marts.metric_values as select 'm' || i as metric_name, "
                    f"{version} as build_version from range({ROWS // 2}) r(i)")
        con.execute("create view marts.v_orders as select * from marts.fct_orders")
        con.execute("create table staging.stg_raw__orders as select 1 as x")
        con.execute("create table quarantine.raw_row_reconciliation as "
                    "select 'orders' as table_name, true as is_reconciled")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "warehouse" / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(tmp_path / "published" / "cxux.duckdb"))
    (tmp_path / "warehouse").mkdir()
    return Project(root=tmp_path, target="duckdb")


def test_publish_copies_marts_only(project):
    write_warehouse(project.duckdb_path, 1)
    result = publish(project)
    assert result.path == project.root / "published" / "cxux.duckdb"
    assert result.tables == {"marts.fct_orders": ROWS, "marts.metric_values": ROWS // 2,
                             "marts.v_orders": ROWS, "quarantine.raw_row_reconciliation": 1}
    with duckdb.connect(str(result.path), read_only=True) as con:
        tables = set(con.execute("select schema_name || '.' || table_name "
                                 "from duckdb_tables()").fetchall())
        assert ("staging.stg_raw__orders",) not in tables
        assert con.execute("select count(*), min(build_version) from marts.fct_orders"
                           ).fetchone() == (ROWS, 1)
    assert sorted(p.name for p in result.path.parent.iterdir()) == ["cxux.duckdb"]  # no temp left


def test_failed_publish_leaves_published_bytes_unchanged(project, monkeypatch):
    write_warehouse(project.duckdb_path, 1)
    target = publish(project).path
    before = sha256(target)
    write_warehouse(project.duckdb_path, 2)
    # fail in the middle of the copy (a table that vanished)
    monkeypatch.setattr(publish_module, "_source_tables",
                        lambda con: [("marts", "fct_orders"), ("marts", "no_such_table")])
    with pytest.raises(duckdb.Error):
        publish(project)
    assert sha256(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["cxux.duckdb"]
    monkeypatch.undo()
    # a warehouse without marts is refused, the published copy untouched
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(project.root / "empty.duckdb"))
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(target))
    duckdb.connect(str(project.root / "empty.duckdb")).close()
    with pytest.raises(CxuxError, match="nothing to publish"):
        publish(Project(root=project.root, target="duckdb"))
    assert sha256(target) == before


def test_failed_quality_never_publishes(project, monkeypatch):
    """The build calls publish only when quality passed (cxux_cli.build)."""
    build = pytest.importorskip("cxux_cli.build")
    write_warehouse(project.duckdb_path, 1)
    target = publish(project).path
    before = sha256(target)
    write_warehouse(project.duckdb_path, 2)

    from cxux_cli.quality.runner import CheckOutcome, QualityResult

    failed = QualityResult([CheckOutcome(suite="raw.orders", expectation="status in accepted values",
                                         severity="error", success=False, unexpected_count=99)])
    assert not failed.passed

    import cxux_cli.dbt_runner
    import cxux_cli.engines
    import cxux_cli.quality

    # this project is a bare folder (no profiles.yml): the target is the duckdb default
    monkeypatch.setattr(cxux_cli.engines, "target_type", lambda project: "duckdb")
    monkeypatch.setattr(cxux_cli.dbt_runner, "run_dbt", lambda *a, **k: None)
    monkeypatch.setattr(cxux_cli.quality, "run_quality", lambda *a, **k: failed)
    compiler = pytest.importorskip("cxux_cli.metrics.compiler")
    monkeypatch.setattr(compiler, "compile_project", lambda *a, **k: None, raising=False)
    from cxux_cli.errors import ChecksFailed

    with pytest.raises(ChecksFailed):
        build.build(project, build.BuildOptions())
    assert sha256(target) == before


READER = textwrap.dedent("""
    import sys, time, duckdb
    path, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    QUERY = ("select (select count(*) from marts.fct_orders), "
             "(select min(build_version) from marts.fct_orders), "
             "(select max(build_version) from marts.fct_orders), "
             "(select max(build_version) from marts.metric_values)")
    held = duckdb.connect(path, read_only=True) if mode == "held" else None
    seen, reads, deadline = [], 0, time.time() + seconds
    print("ready", flush=True)
    while time.time() < deadline:
        # "held": one connection open across publishes; "fresh": a new one per read.
        # (DuckDB shares one database per path inside a process, so a process
        # that keeps any connection open keeps reading the copy it opened.)
        con = held or duckdb.connect(path, read_only=True)
        count, low, high, other = con.execute(QUERY).fetchone()
        if held is None:
            con.close()
        assert count == {rows} and low == high == other, (count, low, high, other)
        if not seen or seen[-1] != low:
            seen.append(low)
        reads += 1
    print("ok", reads, ",".join(map(str, seen)), flush=True)
""").replace("{rows}", str(ROWS))


def test_readers_keep_reading_while_a_new_build_publishes(project, tmp_path):
    write_warehouse(project.duckdb_path, 1)
    target = publish(project).path
    script = tmp_path / "reader.py"
    script.write_text(READER)
    readers = {
        mode: subprocess.Popen([sys.executable, str(script), str(target), mode, "8"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for mode in ("held", "fresh")
    }
    try:
        for reader in readers.values():
            assert reader.stdout.readline().strip() == "ready"
        durations = []
        for version in (2, 3, 4):
            write_warehouse(project.duckdb_path, version)
            start = time.monotonic()
            publish(project)  # must not block on the readers' open files
            durations.append(time.monotonic() - start)
            time.sleep(0.5)
        results = {mode: r.communicate(timeout=60) for mode, r in readers.items()}
    finally:
        for reader in readers.values():
            if reader.poll() is None:
                reader.kill()
    for mode, reader in readers.items():
        assert reader.returncode == 0, results[mode][1][-2000:]
    held = results["held"][0].split()
    fresh = results["fresh"][0].split()
    # the held connection read the old, complete copy throughout
    assert held[0] == "ok" and int(held[1]) > 3 and held[2] == "1"
    # fresh connections saw whole builds only, in order, ending with the newest
    assert fresh[0] == "ok" and int(fresh[1]) > 3
    versions = [int(v) for v in fresh[2].split(",")]
    assert versions == sorted(versions) and versions[0] == 1 and versions[-1] == 4
    assert max(durations) < 5
