"""`cxux build` talks on the right channel, in-process (pipeline steps faked where a
test is about the wiring; the real build is in test_build_output_real.py):

- results (the failed quality checks, the summary) on stdout, nothing else;
- progress on stderr: one line per phase with its elapsed time, updates within a
  phase ("quality: 2/5 checks"), a heartbeat when a phase says nothing;
- dbt's console and whatever Great Expectations prints on stderr, never stdout;
- --quiet: no progress, the results unchanged.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from cxux_cli import build as build_module
from cxux_cli.cli import cli
from cxux_cli.progress import Progress

REPO = Path(__file__).resolve().parents[2]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 100.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------ Progress


def test_a_phase_ends_with_one_line_and_its_elapsed_time():
    clock, lines = Clock(), []
    progress = Progress(write=lines.append, clock=clock)
    with progress.phase("dbt build"):
        clock.now += 12.34
        progress.detail("601/601 nodes")
    assert lines == ["dbt build: started", "dbt build: done in 12.3 s (601/601 nodes)"]
    assert progress.timings == [("dbt build", pytest.approx(12.34), "done")]


def test_a_failed_phase_says_so_with_its_elapsed_time():
    clock, lines = Clock(), []
    progress = Progress(write=lines.append, clock=clock)
    with pytest.raises(RuntimeError), progress.phase("quality"):
        clock.now += 3.06
        raise RuntimeError("boom")
    assert lines[-1] == "quality: failed after 3.1 s"
    assert progress.timings_text() == "quality 3.1 s (failed) (total 3.1 s)"


def test_updates_are_written_at_most_every_update_seconds():
    clock, lines = Clock(), []
    progress = Progress(write=lines.append, clock=clock, update_seconds=5)
    with progress.phase("quality"):
        for seconds, done in ((1, 10), (3, 20), (6, 30), (10, 40), (11.5, 50)):
            clock.now = 100 + seconds
            progress.update(f"{done}/120 checks")
    # 1 s: the first update; 3 s: 2 s after it, held back; 6 s: 5 s after 1 s;
    # 10 s: 4 s after 6 s, held back; 11.5 s: 5.5 s after 6 s
    assert lines[1:4] == ["quality: 10/120 checks (1 s)", "quality: 30/120 checks (6 s)",
                          "quality: 50/120 checks (12 s)"]
    assert lines[4] == "quality: done in 11.5 s"


def test_the_heartbeat_breaks_a_silence():
    lines: list[tuple[float, str]] = []
    start = time.monotonic()
    with Progress(write=lambda text: lines.append((time.monotonic() - start, text)),
                  heartbeat_seconds=0.3) as progress, progress.phase("dbt build"):
        progress.update("parsing the project", force=True)
        time.sleep(1.2)
    beats = [(at, text) for at, text in lines if text.startswith("dbt build: parsing")]
    # the forced update, then a heartbeat at least every 0.3 s + one tick (0.075 s)
    assert len(beats) >= 3
    gaps = [later[0] - earlier[0] for earlier, later in zip(lines, lines[1:])]
    assert max(gaps) < 0.3 + 0.075 + 0.25  # scheduling slack of a busy machine


def test_quiet_writes_nothing_but_keeps_the_timings():
    clock, lines = Clock(), []
    with Progress(quiet=True, write=lines.append, clock=clock,
                  heartbeat_seconds=0.05) as progress:
        with progress.phase("publish"):
            clock.now += 1.0
            progress.update("copying", force=True)
            time.sleep(0.2)
    assert lines == []
    assert progress.timings_text() == "publish 1.0 s (total 1.0 s)"


# ------------------------------------------------------------------ dbt's console


def _event(name: str, **data):
    return SimpleNamespace(info=SimpleNamespace(name=name), data=SimpleNamespace(**data))


def _node(unique_id: str):
    return SimpleNamespace(unique_id=unique_id)


def test_dbt_console_goes_to_stderr_and_its_nodes_are_counted(monkeypatch, tmp_path, capsys):
    import dbt.cli.main

    from cxux_cli.dbt_runner import run_dbt
    from cxux_cli.project import Project

    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "cxux.duckdb"))
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    seen: dict = {}

    class FakeRunner:
        """Writes to the sys.stdout of the moment, as dbt's console logger does."""

        def __init__(self, callbacks=()):
            seen["callbacks"] = list(callbacks)

        def invoke(self, args):
            seen["args"] = args
            print("12:00:00  Running with dbt=1.11")
            events = [
                _event("FoundStats", stat_line="3 models"),
                _event("LogStartLine", node_info=_node("model.a"), index=1, total=3),
                _event("NodeFinished", node_info=_node("model.a"),
                       run_result=SimpleNamespace(status="success")),
                _event("LogStartLine", node_info=_node("test.b"), index=2, total=3),
                _event("NodeFinished", node_info=_node("test.b"),
                       run_result=SimpleNamespace(status="fail")),
                _event("SkippingDetails", node_info=_node("model.c"), index=3, total=3),
            ]
            for event in events:
                for callback in seen["callbacks"]:
                    callback(event)
            return SimpleNamespace(exception=None, success=True, result=None)

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", FakeRunner)
    lines: list[str] = []
    progress = Progress(write=lines.append, update_seconds=0)
    with progress.phase("dbt build"):
        run_dbt(Project(root=REPO, target="duckdb"), ["build"], progress=progress)
    out, err = capsys.readouterr()
    assert out == ""
    assert "Running with dbt=1.11" in err
    args = seen["args"]
    assert args[args.index("--log-level") + 1] == "warn"
    assert args[args.index("--log-level-file") + 1] == "debug"  # the log file keeps all
    assert "dbt build: parsed: found 3 models (0 s)" in lines
    assert [line for line in lines if line.endswith("(0 s)") and "nodes" in line] == [
        "dbt build: 1/3 nodes (0 s)", "dbt build: 2/3 nodes, 1 failed (0 s)",
        "dbt build: 3/3 nodes, 1 failed (0 s)"]
    assert re.fullmatch(r"dbt build: done in \d+\.\d s \(3/3 nodes, 1 failed\)", lines[-1])


def test_the_dbt_log_file_is_where_dbt_writes_it(monkeypatch, tmp_path):
    from cxux_cli.dbt_runner import log_file
    from cxux_cli.project import Project

    project = Project(root=REPO, target="duckdb")
    monkeypatch.delenv("DBT_LOG_PATH", raising=False)
    assert log_file(project) == REPO / "logs" / "dbt.log"  # dbt's default
    monkeypatch.setenv("DBT_LOG_PATH", "build/logs")  # dbt runs in the project directory
    assert log_file(project) == REPO / "build" / "logs" / "dbt.log"
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path))
    assert log_file(project) == tmp_path / "dbt.log"


# ------------------------------------------------------------------ cxux build


class Pipeline:
    """build() with dbt, quality, publish and the warehouse summary faked."""

    def __init__(self, monkeypatch):
        import cxux_cli.dbt_runner
        import cxux_cli.engines
        import cxux_cli.metrics.compiler
        import cxux_cli.publish
        import cxux_cli.quality
        from cxux_cli.quality.runner import CheckOutcome, QualityResult

        self.dbt_console = None
        monkeypatch.setattr(cxux_cli.metrics.compiler, "compile_project", lambda root: [])
        monkeypatch.setattr(cxux_cli.engines, "target_type", lambda project: "duckdb")

        def run_dbt(project, args, *, vars_=None, console="warn", progress=None):
            self.dbt_console = console
            progress.update("7/7 nodes", force=True)

        monkeypatch.setattr(cxux_cli.dbt_runner, "run_dbt", run_dbt)

        def run_quality(project, progress=None, **kwargs):
            print("Calculating Metrics: 100%")  # a library printing while it works
            for done in (0, 2, 5):
                progress(done, 5)
            outcomes = [CheckOutcome("raw", f"check {i}", "error", True) for i in range(4)]
            outcomes.append(CheckOutcome("marts.metric_values", "latest value within 4 sd",
                                         "warning", False, observed_value="1 row(s)"))
            return QualityResult(outcomes)

        monkeypatch.setattr(cxux_cli.quality, "run_quality", run_quality)
        monkeypatch.setattr(cxux_cli.publish, "publish",
                            lambda project, build_info=None: SimpleNamespace(path="pub.duckdb"))
        monkeypatch.setattr(build_module, "warehouse_summary", lambda project: {
            "marts": {"fct_orders": 1234}, "raw_tables": {}, "domains_off": {}})


@pytest.fixture()
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(REPO))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "cxux.duckdb"))
    monkeypatch.delenv("CXUX_TARGET", raising=False)
    return CliRunner()


def test_build_results_on_stdout_progress_on_stderr(monkeypatch, runner):
    pipeline = Pipeline(monkeypatch)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    out, err = result.stdout, result.stderr
    # stdout: the failed check (a warning), the summary, the timings; no progress
    assert "latest value within 4 sd" in out and "5 checks: 4 passed" in out
    assert "marts.fct_orders" in out and "1,234 rows" in out
    assert "quality: passed" in out and "published: pub.duckdb" in out
    assert re.search(r"^phases: compile metrics \d+\.\d s, dbt build \d+\.\d s, "
                     r"quality \d+\.\d s, publish \d+\.\d s \(total \d+\.\d s\)$", out, re.M)
    assert "started" not in out and "done in" not in out and "Calculating" not in out
    # stderr: one closing line per phase with its time, and the progress between
    for phase, detail in (("compile metrics", "up to date"), ("dbt build", None),
                          ("quality", "5 checks, 1 failed"), ("publish", None)):
        closing = [line for line in err.splitlines() if line.startswith(f"{phase}: done in")]
        assert len(closing) == 1, (phase, err)
        assert detail is None or closing[0].endswith(f"({detail})")
    assert "dbt build: 7/7 nodes" in err
    # the first count is written at once (the total early), later ones every few seconds
    assert "quality: 0/5 checks (0 s)" in err
    assert "Calculating Metrics: 100%" in err  # what the library printed is a log
    assert pipeline.dbt_console == "warn"


def test_build_quiet_keeps_the_results_and_drops_the_progress(monkeypatch, runner):
    pipeline = Pipeline(monkeypatch)
    result = runner.invoke(cli, ["build", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "published: pub.duckdb" in result.stdout and "phases: compile metrics" in result.stdout
    assert "done in" not in result.stderr and "checks (" not in result.stderr
    assert "started" not in result.stderr
    assert pipeline.dbt_console == "error"


def test_build_debug_shows_all_of_dbt(monkeypatch, runner):
    pipeline = Pipeline(monkeypatch)
    result = runner.invoke(cli, ["--debug", "build"])
    assert result.exit_code == 0, result.output
    assert pipeline.dbt_console == "info"


def test_quality_failure_table_is_a_result(monkeypatch, runner):
    import cxux_cli.quality
    from cxux_cli.quality.runner import CheckOutcome, QualityResult

    Pipeline(monkeypatch)
    failed = QualityResult([CheckOutcome("raw.orders", "order_id unique", "error", False,
                                         observed_value="3 row(s)")])
    monkeypatch.setattr(cxux_cli.quality, "run_quality", lambda project, **kwargs: failed)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code != 0
    assert "order_id unique" in result.stdout and "ERROR" in result.stdout
    assert "quality: done in" in result.stderr  # the phase ran; the checks failed
    assert "order_id unique" not in result.stderr



def test_on_postgres_and_spark_the_checks_talk_as_on_duckdb(monkeypatch, runner):
    """The engine gate (faked: the real one is in tests_py/engines) reports progress on
    stderr and its failed checks on stdout, also when the checks stop the build."""
    import cxux_cli.engines
    from cxux_cli.errors import ChecksFailed
    from cxux_cli.quality.runner import CheckOutcome, QualityResult

    Pipeline(monkeypatch)
    monkeypatch.setattr(cxux_cli.engines, "target_type", lambda project: "postgres")

    def gate(project, options, vars_, as_of, checks):
        for done in (0, 3):
            checks.progress(done, 3)
        checks.results.append(QualityResult([CheckOutcome(
            "marts.fct_orders", "order_id unique", "error", False, observed_value="1 row(s)")]))
        raise ChecksFailed("quality checks failed (error severity); schema marts was left unchanged")

    import cxux_cli.engines.publish_postgres
    monkeypatch.setattr(cxux_cli.engines.publish_postgres, "gate_and_publish", gate)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "order_id unique" in result.stdout and "ERROR" in result.stdout
    assert "order_id unique" not in result.stderr
    assert "quality and publish (postgres): 0/3 checks (0 s)" in result.stderr
