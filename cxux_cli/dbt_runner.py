"""Run dbt in-process through dbtRunner (imported lazily: it is slow to import)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from cxux_cli.errors import ChecksFailed, CxuxError
from cxux_cli.project import Project


def run_dbt(project: Project, args: Sequence[str], *, vars_: dict | None = None):
    """Invoke `dbt <args>` for the project; returns the dbtRunnerResult.

    Raises ChecksFailed when dbt ran and some node failed, CxuxError when dbt
    could not run at all (bad project, unreachable warehouse).
    """
    from dbt.cli.main import dbtRunner  # lazy: ~1 s import

    cli_args = [*args, "--project-dir", str(project.root), "--profiles-dir", str(project.root)]
    cli_args += ["--target", project.target]
    if vars_:
        import json

        cli_args += ["--vars", json.dumps(vars_)]
    project.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    try:
        # dbt resolves relative paths (the DuckDB file) against the working directory.
        os.chdir(project.root)
        result = dbtRunner().invoke(cli_args)
    finally:
        os.chdir(cwd)
        _release_duckdb()
    if result.exception is not None:
        raise CxuxError(f"dbt {' '.join(args)} could not run: {result.exception}")
    if not result.success:
        raise ChecksFailed(f"dbt {' '.join(args)} finished with failures (see the log above)")
    return result


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
