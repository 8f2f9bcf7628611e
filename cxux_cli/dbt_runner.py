"""Run dbt in-process through dbtRunner (imported lazily: it is slow to import).

dbt writes nothing on stdout, which carries cxux's results: its console goes to
stderr at a chosen level (`console`: warn by default, so warnings and failures show;
info is dbt's usual node-by-node output) and its full log to its own file,
`$DBT_LOG_PATH/dbt.log` (default `<project>/logs/dbt.log`), at debug level.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from cxux_cli.errors import ChecksFailed, CxuxError, is_out_of_resources, out_of_resources
from cxux_cli.project import Project

log = logging.getLogger("cxux.dbt")

# Generic tests that check several columns of a model in one node (macros/tests/): dbt's
# message names the test, not the failing column, so a failure also logs the test's rows.
COLUMN_TESTS = ("cxux_not_null_columns", "cxux_accepted_values_columns")


CONSOLE_LEVELS = ("debug", "info", "warn", "error", "none")


def log_file(project: Project) -> Path:
    """Where dbt writes its full log: $DBT_LOG_PATH/dbt.log, else <project>/logs/dbt.log
    (dbt runs in the project directory: a relative path is relative to it)."""
    path = Path(os.environ.get("DBT_LOG_PATH") or "logs")
    return (path if path.is_absolute() else project.root / path) / "dbt.log"


def run_dbt(project: Project, args: Sequence[str], *, vars_: dict | None = None,
            console: str = "warn", progress=None):
    """Invoke `dbt <args>` for the project; returns the dbtRunnerResult.

    console: the level of dbt's console output, which goes to stderr (CONSOLE_LEVELS);
    the log file keeps everything. progress: a cxux_cli.progress.Progress told how many
    nodes have finished ("250/601 nodes").

    Raises ChecksFailed when dbt ran and some node failed, ResourceError (exit 2)
    when a node ran out of memory or temp space (a failed check it is not), CxuxError
    when dbt could not run at all (bad project, unreachable warehouse).
    """
    from dbt.cli.main import dbtRunner  # lazy: ~1 s import

    if console not in CONSOLE_LEVELS:
        raise CxuxError(f"dbt console level {console!r}: choose from {', '.join(CONSOLE_LEVELS)}")
    cli_args = [*args, "--project-dir", str(project.root), "--profiles-dir", str(project.profiles_dir)]
    cli_args += ["--target", project.target, "--log-level", console]
    if not os.environ.get("DBT_LOG_LEVEL_FILE"):
        # --log-level would also lower the file's level: the file keeps dbt's default
        cli_args += ["--log-level-file", "debug"]
    if vars_:
        import json

        cli_args += ["--vars", json.dumps(vars_)]
    project.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    callbacks = [NodeProgress(progress)] if progress is not None else []
    cwd = os.getcwd()
    try:
        # dbt resolves relative paths (the DuckDB file) against the working directory.
        os.chdir(project.root)
        # dbt's console logger writes to the sys.stdout of the moment: make it stderr
        with contextlib.redirect_stdout(sys.stderr):
            result = dbtRunner(callbacks=callbacks).invoke(cli_args)
    finally:
        os.chdir(cwd)
        _release_duckdb()
    if result.exception is not None:
        if is_out_of_resources(result.exception):
            raise out_of_resources(f"dbt {' '.join(args)}", result.exception)
        raise CxuxError(f"dbt {' '.join(args)} could not run: {result.exception}")
    if not result.success:
        exhausted = out_of_resources_nodes(result)
        if exhausted:
            name, message = exhausted[0]
            more = f" (and {len(exhausted) - 1} more node(s))" if len(exhausted) > 1 else ""
            raise out_of_resources(f"dbt {' '.join(args)}: {name}{more}", message)
        for line in column_test_failures(project, result):
            log.error(line)
        raise ChecksFailed(f"dbt {' '.join(args)} finished with failures (see the log above "
                           f"and {log_file(project)})")
    return result


class NodeProgress:
    """A dbtRunner callback: counts finished nodes (models, tests, seeds ...) and tells a
    Progress "250/601 nodes, 2 failed"; says so while dbt parses the project."""

    STARTS = ("LogStartLine", "SkippingDetails")  # carry index and total
    FINISHES = ("NodeFinished", "SkippingDetails")

    def __init__(self, progress):
        self.progress = progress
        self.total = 0
        self.finished: set[str] = set()
        self.failed: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, event) -> None:
        try:
            name, data = event.info.name, event.data
        except AttributeError:  # not a dbt event message
            return
        if name == "MainReportVersion":
            self.progress.update("starting dbt")
        elif name == "AdapterRegistered":
            self.progress.update("parsing the project")
        elif name == "FoundStats":
            self.progress.update(f"parsed: found {data.stat_line}", force=True)
        if name not in self.STARTS and name not in self.FINISHES:
            return
        with self._lock:
            if name in self.STARTS:
                self.total = max(self.total, int(getattr(data, "total", 0) or 0))
            if name in self.FINISHES:
                node = data.node_info.unique_id or str(len(self.finished))
                self.finished.add(node)
                status = str(getattr(getattr(data, "run_result", None), "status", "") or "")
                if status in ("error", "fail"):
                    self.failed.add(node)
            text = self.text()
        if name in self.FINISHES:
            self.progress.update(text)
            self.progress.detail(text)

    def text(self) -> str:
        done = len(self.finished)
        total = max(self.total, done)
        return f"{done}/{total} nodes" + (f", {len(self.failed)} failed" if self.failed else "")


def out_of_resources_nodes(result) -> list[tuple[str, str]]:
    """(node name, message) of every node that errored because memory or temp space ran out."""
    return [
        (getattr(r.node, "name", "?"), r.message or "")
        for r in getattr(result.result, "results", None) or []
        if str(r.status) == "error" and is_out_of_resources(r.message)
    ]


def _release_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in this process.

    dbt-duckdb caches one database instance per process; while it lives, the
    quality checks and the publish step (same process, read-only connections)
    cannot open the file ("different configuration than existing connections").
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        try:
            env.close()
        except Exception:  # closing is best effort; the next open reports real errors
            pass


def column_test_failures(project: Project, result, limit: int = 20) -> list[str]:
    """One line per row a failed column test returned ("fct_orders: channel: null_rows=3"),
    read back from the DuckDB file; other engines: `dbt test --store-failures`."""
    failed = [r for r in getattr(result.result, "results", None) or []
              if str(r.status) == "fail" and getattr(r.node, "test_metadata", None)
              and r.node.test_metadata.name in COLUMN_TESTS and r.node.compiled_code]
    if not failed:
        return []
    from cxux_cli.engines import target_type

    if target_type(project) != "duckdb":
        return [f"{r.node.name}: rerun with `dbt test --store-failures` for the failing columns"
                for r in failed]
    import duckdb

    lines = []
    try:
        with duckdb.connect(str(project.duckdb_path), read_only=True) as connection:
            for r in failed:
                model = (r.node.attached_node or r.node.name).split(".")[-1]
                cursor = connection.execute(
                    f"select * from ({r.node.compiled_code}) as failures limit {limit}")
                names = [d[0] for d in cursor.description]
                for row in cursor.fetchall():
                    values = dict(zip(names, row))
                    column = values.pop("column_name", "?")
                    details = ", ".join(f"{key}={value}" for key, value in values.items())
                    lines.append(f"{model}: {column}: {details} ({r.node.test_metadata.name})")
    except duckdb.Error as exc:  # best effort: the dbt failure itself is what counts
        lines.append(f"could not read the failing rows of the column tests: {exc}")
    return lines
