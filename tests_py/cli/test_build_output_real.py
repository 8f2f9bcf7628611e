"""A real `cxux build` in a subprocess (no monkeypatching): which stream carries what,
and how long stderr stays silent. About 4 minutes on 2 cores (the demo at the test
scale, CXUX_TEST_SCALE: at 0.05 the gate rightly refuses, some certified metrics have
no value for the latest month)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests_py.conftest import DEMO_SCALE, DEMO_SEED, REPO, isolated_env, run_cxux

AS_OF = "2026-06-30"
LONGEST_SILENCE = 10.0  # seconds: "no silence longer than about ten seconds"


@pytest.fixture(scope="module")
def build_run(tmp_path_factory):
    """stdout, stderr lines with the second each arrived, exit code, environment."""
    workdir = tmp_path_factory.mktemp("build_output")
    env = isolated_env(workdir)
    run_cxux("generate", "--scale", DEMO_SCALE, "--seed", DEMO_SEED, "--as-of", AS_OF, env=env)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "cxux_cli.cli", "build", "--as-of", AS_OF],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        bufsize=1,
    )
    err_lines: list[tuple[float, str]] = []

    def read_stderr():
        for line in process.stderr:
            err_lines.append((time.monotonic() - started, line.rstrip("\n")))

    reader = threading.Thread(target=read_stderr)
    reader.start()
    out = process.stdout.read()
    code = process.wait(timeout=1800)
    reader.join()
    return {"out": out, "err": err_lines, "code": code, "env": env,
            "ended": time.monotonic() - started}


def test_build_passes(build_run):
    assert build_run["code"] == 0, "\n".join(line for _, line in build_run["err"][-60:])


def test_stdout_has_the_results_and_nothing_of_dbt_or_gx(build_run):
    out = build_run["out"]
    assert "mart tables built:" in out and "published: " in out
    assert re.search(r"^\d+ checks: \d+ passed, 0 failed \(error\)", out, re.M)
    assert re.search(r"^phases: compile metrics [\d.]+ s, dbt build [\d.]+ s, quality [\d.]+ s, "
                     r"publish [\d.]+ s \(total [\d.]+ s\)$", out, re.M)
    # dbt's console lines and any log line stay off stdout
    for marker in ("Running with dbt", " START ", "OK created", "Completed successfully",
                   "INFO ", "WARNING", "FutureWarning", ": started"):
        assert marker not in out, marker


def test_stderr_has_a_line_per_phase_and_progress(build_run):
    err = [line for _, line in build_run["err"]]
    for phase in ("compile metrics", "dbt build", "quality", "publish"):
        assert sum(1 for line in err if re.fullmatch(
            rf"{phase}: done in \d+\.\d s( \(.*\))?", line)) == 1, phase
    assert any(re.fullmatch(r"dbt build: \d+/\d+ nodes.* \(\d+ s\)", line) for line in err)
    assert any(re.fullmatch(r"quality: \d+/\d+ checks.* \(\d+ s\)", line) for line in err)
    # dbt's node-by-node output is in its log file, not on the terminal
    assert not any(" START sql " in line for line in err)
    log = Path(build_run["env"]["DBT_LOG_PATH"]) / "dbt.log"
    assert " START sql " in log.read_text(errors="replace")


def test_stderr_is_never_silent_for_long(build_run):
    times = [0.0] + [at for at, _ in build_run["err"]] + [build_run["ended"]]
    gaps = [(later - earlier, line) for earlier, later, line in zip(
        times, times[1:], ["(start)"] + [line for _, line in build_run["err"]])]
    longest = max(gaps)
    assert longest[0] <= LONGEST_SILENCE, f"{longest[0]:.1f} s of silence after {longest[1]!r}"
