"""publish(): the marts land in the published file atomically; failures leave it untouched."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from cxux_cli import publish as publish_module
from cxux_cli.errors import CxuxError
from cxux_cli.project import Project
from cxux_cli.publish import publish

ROWS = 20_000
# What dbt_project.yml marks with `+meta: {cxux_publish: ...}`, as the manifest carries it.
MARKED = {("marts", "fct_orders"): True, ("marts", "metric_values"): True,
          ("marts", "v_orders"): True, ("marts", "metric__nps"): False,
          ("quarantine", "raw_row_reconciliation"): True}


def write_manifest(target_dir: Path, marked: dict = MARKED) -> None:
    nodes = {
        f"model.cxux.{name}": {"resource_type": "model", "name": name, "alias": name,
                               "schema": schema,
                               "config": {"enabled": True, "materialized": "table",
                                          "meta": {"cxux_publish": flag}}}
        for (schema, name), flag in marked.items()
    }
    target_dir.mkdir(parents=True, exist_ok=True)
    (target_dir / "manifest.json").write_text(json.dumps({"nodes": nodes}))


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
        con.execute("create table marts.metric__nps as select 1 as value")
        con.execute("create view marts.v_orders as select * from marts.fct_orders")
        con.execute("create table staging.stg_raw__orders as select 1 as x")
        con.execute("create table quarantine.raw_row_reconciliation as "
                    "select 'orders' as table_name, true as is_reconciled")
        # the docs dbt's persist_docs writes
        con.execute("comment on table marts.fct_orders is 'One row per order. Grain: order_id.'")
        con.execute("comment on column marts.fct_orders.order_id is 'The customer''s order id.'")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "warehouse" / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(tmp_path / "published" / "cxux.duckdb"))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    (tmp_path / "warehouse").mkdir()
    write_manifest(tmp_path / "target")
    return Project(root=tmp_path, target="duckdb")


def published_names(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_publish_copies_what_the_manifest_marks(project):
    write_warehouse(project.duckdb_path, 1)
    result = publish(project)
    assert result.path == project.root / "published" / "cxux.duckdb"
    # metric__nps is in schema marts but marked false; staging is not marked
    assert result.tables == {"marts.fct_orders": ROWS, "marts.metric_values": ROWS // 2,
                             "marts.v_orders": ROWS, "quarantine.raw_row_reconciliation": 1}
    with duckdb.connect(str(result.path), read_only=True) as con:
        tables = {r[0] for r in con.execute("select schema_name || '.' || table_name "
                                            "from duckdb_tables()").fetchall()}
        assert tables == {"marts.fct_orders", "marts.metric_values", "marts.v_orders",
                          "quarantine.raw_row_reconciliation", "cxux_meta.published_build"}
        assert con.execute("select count(*), min(build_version) from marts.fct_orders"
                           ).fetchone() == (ROWS, 1)
        # the dbt docs travel with the copy as comments
        assert con.execute("select comment from duckdb_tables() where table_name = 'fct_orders'"
                           ).fetchone() == ("One row per order. Grain: order_id.",)
        assert con.execute("select comment from duckdb_columns() where table_name = 'fct_orders' "
                           "and column_name = 'order_id'").fetchone() == (
                               "The customer's order id.",)
        # a manual publish says so, and that no check ran in it
        assert con.execute("select trigger, as_of, checks_run, checks_skipped, table_count "
                           "from cxux_meta.published_build").fetchall() == [
                               ("manual cxux publish", None, None, "dbt tests; quality checks",
                                4)]
    # no temp file left, only the lock file that serialises publishes
    assert published_names(result.path) == [".cxux.duckdb.lock", "cxux.duckdb"]


def test_build_info_is_recorded(project):
    import datetime as dt

    write_warehouse(project.duckdb_path, 1)
    result = publish(project, build_info={
        "trigger": "cxux build", "as_of": "2026-06-30",
        "checks_run": ["dbt tests", "quality (error severity)"], "checks_skipped": []})
    with duckdb.connect(str(result.path), read_only=True) as con:
        row = con.execute("select trigger, as_of, checks_run, checks_skipped, note, "
                          "published_at from cxux_meta.published_build").fetchall()
    assert len(row) == 1
    assert row[0][:5] == ("cxux build", dt.date(2026, 6, 30),
                          "dbt tests; quality (error severity)", None, None)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs((now - row[0][5]).total_seconds()) < 60  # UTC, just now
    with pytest.raises(ValueError, match="checks_passed"):
        publish(project, build_info={"checks_passed": ["dbt tests"]})


def test_publish_refuses_the_warehouse_as_target(project, monkeypatch, capsys):
    write_warehouse(project.duckdb_path, 1)
    before = sha256(project.duckdb_path)
    from cxux_cli.cli import main

    (project.root / "dbt_project.yml").write_text("name: cxux\n")
    # the same path, spelt differently (relative to the project, with ..)
    for spelling in (str(project.duckdb_path), "warehouse/../warehouse/cxux.duckdb"):
        monkeypatch.setenv("CXUX_PUBLISHED_PATH", spelling)
        with pytest.raises(CxuxError, match="is the warehouse"):
            publish(project)
        assert main(["--project-dir", str(project.root), "publish"]) == 2
        assert "publishing would replace the warehouse" in capsys.readouterr().err
    # the same file under another name (a hard link)
    link = project.root / "linked.duckdb"
    os.link(project.duckdb_path, link)
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(link))
    with pytest.raises(CxuxError, match="is the warehouse"):
        publish(project)
    assert sha256(project.duckdb_path) == before
    assert sorted(p.name for p in project.root.iterdir()) == [
        "dbt_project.yml", "linked.duckdb", "target", "warehouse"]


def test_manifest_owns_the_rule(project):
    write_warehouse(project.duckdb_path, 1)
    (project.root / "target" / "manifest.json").unlink()
    with pytest.raises(CxuxError, match="no dbt manifest"):
        publish(project)
    write_manifest(project.root / "target", {**MARKED, ("marts", "dim_missing"): True})
    with pytest.raises(CxuxError, match="marts.dim_missing"):
        publish(project)
    assert not (project.root / "published" / "cxux.duckdb").exists()


def test_leftovers_of_a_killed_publish_are_removed(project):
    write_warehouse(project.duckdb_path, 1)
    folder = project.root / "published"
    folder.mkdir()
    # what a publish killed with -9 leaves: its temp file and the temp file's WAL
    for name in (".cxux.duckdb.k1ll3d.tmp", ".cxux.duckdb.k1ll3d.tmp.wal", "notes.txt",
                 ".other.duckdb.x.tmp"):
        (folder / name).write_bytes(b"partial")
    publish(project)
    # only this target's temp files go; other files stay
    assert published_names(folder / "cxux.duckdb") == [
        ".cxux.duckdb.lock", ".other.duckdb.x.tmp", "cxux.duckdb", "notes.txt"]


HOLD_LOCK = textwrap.dedent("""
    import fcntl, sys, time
    lock = open(sys.argv[1], "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    open(sys.argv[2], "wb").write(b"being written")  # a running publish's temp file
    print("locked", flush=True)
    sys.stdin.readline()  # until told to finish
""")


def test_a_running_publishs_temp_file_is_left_alone(project, tmp_path):
    write_warehouse(project.duckdb_path, 1)
    folder = project.root / "published"
    folder.mkdir()
    running_tmp = folder / ".cxux.duckdb.running.tmp"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder / ".cxux.duckdb.lock"), str(running_tmp)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        done = threading.Event()
        worker = threading.Thread(target=lambda: (publish(project), done.set()))
        worker.start()
        time.sleep(1.5)
        # the second publish waits for the first; the first's temp file is untouched
        assert not done.is_set()
        assert running_tmp.read_bytes() == b"being written"
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
        worker.join(timeout=60)
        assert done.is_set()
    finally:
        if holder.poll() is None:
            holder.kill()
    # once the lock is free, a temp file nobody is writing is a leftover: removed
    assert published_names(folder / "cxux.duckdb") == [".cxux.duckdb.lock", "cxux.duckdb"]
    with open(folder / ".cxux.duckdb.lock") as lock:  # and the lock is released
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_failed_publish_leaves_published_bytes_unchanged(project, monkeypatch):
    write_warehouse(project.duckdb_path, 1)
    target = publish(project).path
    before = sha256(target)
    write_warehouse(project.duckdb_path, 2)
    # fail in the middle of the copy (a table that vanished)
    monkeypatch.setattr(publish_module, "_source_relations",
                        lambda con, wanted: [("marts", "fct_orders"), ("marts", "no_such_table")])
    with pytest.raises(CxuxError, match="copying marts.no_such_table"):
        publish(project)
    assert sha256(target) == before
    assert published_names(target) == [".cxux.duckdb.lock", "cxux.duckdb"]
    monkeypatch.undo()
    # a warehouse without the marked relations is refused, the published copy untouched
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(project.root / "empty.duckdb"))
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(target))
    monkeypatch.setenv("DBT_TARGET_PATH", str(project.root / "target"))
    duckdb.connect(str(project.root / "empty.duckdb")).close()
    with pytest.raises(CxuxError, match="lacks 4 relation"):
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
