"""The publish gate of `cxux build`, environment variables, --as-of, --vars and
out-of-memory errors, checked in-process (the pipeline steps monkeypatched where a
test is about the wiring; real runs are in test_gate_real.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import click
import pytest

from cxux_cli import build as build_module
from cxux_cli.cli import cli, main
from cxux_cli.params import AsOf, parse_as_of

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def project_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(REPO))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(tmp_path / "published" / "cxux.duckdb"))
    monkeypatch.delenv("CXUX_TARGET", raising=False)


# ------------------------------------------------------------------ the wiring of build


class Pipeline:
    """Records what build() asked of dbt, quality and publish."""

    def __init__(self, monkeypatch, quality_passes: bool = True):
        self.dbt_vars = None
        self.quality_calls: list[dict] = []
        self.published: list[dict | None] = []
        import cxux_cli.dbt_runner
        import cxux_cli.engines
        import cxux_cli.metrics.compiler
        import cxux_cli.publish
        import cxux_cli.quality

        monkeypatch.setattr(cxux_cli.metrics.compiler, "compile_project", lambda root: None)
        monkeypatch.setattr(cxux_cli.dbt_runner, "run_dbt", self._run_dbt)
        monkeypatch.setattr(cxux_cli.engines, "target_type", lambda project: "duckdb")

        def run_quality(project, **kwargs):
            self.quality_calls.append(kwargs)
            return SimpleNamespace(passed=quality_passes, outcomes=[], failures=[])

        monkeypatch.setattr(cxux_cli.quality, "run_quality", run_quality)
        monkeypatch.setattr("cxux_cli.quality.report.format_table", lambda *a, **k: "")

        def publish(project, build_info=None):
            self.published.append(build_info)
            return SimpleNamespace(path=Path("published.duckdb"))

        monkeypatch.setattr(cxux_cli.publish, "publish", publish)
        monkeypatch.setattr(build_module, "warehouse_summary", lambda project: {})

    def _run_dbt(self, project, args, *, vars_=None, **output):
        self.dbt_vars = vars_


def test_default_build_checks_then_publishes(monkeypatch, capsys):
    pipeline = Pipeline(monkeypatch)
    assert main(["build"]) == 0
    assert len(pipeline.quality_calls) == 1
    assert pipeline.published == [{
        "trigger": "cxux build", "as_of": None,
        "checks_run": ["dbt build (models and data tests)", "quality checks"],
        "checks_skipped": [],
    }]


def test_no_quality_means_no_publish_and_says_so(monkeypatch, capsys):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--no-quality"]) == 0
    assert pipeline.quality_calls == [] and pipeline.published == []
    err = capsys.readouterr().err
    assert "not publishing" in err and "--no-quality" in err


def test_failed_quality_exits_1_and_does_not_publish(monkeypatch, capsys):
    pipeline = Pipeline(monkeypatch, quality_passes=False)
    assert main(["build"]) == 1
    assert pipeline.published == []
    assert "published marts were left unchanged" in capsys.readouterr().err


def test_publish_unchecked_records_what_was_skipped(monkeypatch, capsys):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--publish-unchecked", "--as-of", "2026-06-30"]) == 0
    assert pipeline.quality_calls == []
    assert pipeline.published == [{
        "trigger": "cxux build --publish-unchecked", "as_of": "2026-06-30",
        "checks_run": ["dbt build (models and data tests)"],
        "checks_skipped": ["quality checks"],
        "note": "published with --publish-unchecked: the quality checks did not run",
    }]
    assert "--publish-unchecked" in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["--publish-unchecked", "--quality"],
    ["--publish-unchecked", "--no-publish"],
    ["--publish-unchecked", "-s", "staging"],
])
def test_publish_unchecked_conflicts_are_usage_errors(monkeypatch, capsys, args):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", *args]) == 2
    assert pipeline.dbt_vars is None and pipeline.published == []  # nothing ran
    assert "--publish-unchecked" in capsys.readouterr().err


def test_build_has_no_publish_with_no_quality_path():
    names = {opt for p in build_module.build_command.params for opt in p.opts}
    assert "--publish-unchecked" in names
    # the only publishing-without-checks flag is the loud one
    assert not any(name.startswith("--force") for name in names)


# ------------------------------------------------------------------ environment variables


def _commands():
    """(path, command) for every command and subcommand of cxux."""
    root = click.Context(cli, info_name="cxux")
    found = []

    def walk(group, prefix, ctx):
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            path = [*prefix, name]
            found.append((path, command))
            if isinstance(command, click.Group):
                walk(command, path, click.Context(command, info_name=name, parent=ctx))

    walk(cli, [], root)
    return found


def test_every_command_is_scanned():
    paths = {" ".join(path) for path, _ in _commands()}
    assert {"generate", "load", "build", "quality", "publish", "report", "metrics",
            "metrics query", "metrics list", "metrics show", "metrics export"} <= paths


def test_no_automatic_environment_variables(monkeypatch):
    """Click's auto_envvar_prefix made CXUX_<COMMAND>_<OPTION> for every option; gone."""
    assert "auto_envvar_prefix" not in (cli.context_settings or {})
    for path, command in _commands():
        ctx = click.Context(command, info_name=path[-1],
                            parent=click.Context(cli, info_name="cxux"))
        assert ctx.auto_envvar_prefix is None, path
        for param in command.params:
            if not isinstance(param, click.Option) or param.envvar:
                continue
            # the name Click's auto prefix would have read
            name = "_".join(["CXUX", *path, param.name]).upper().replace("-", "_")
            monkeypatch.setenv(name, "true")
            assert param.resolve_envvar_value(ctx) is None, name


def test_every_declared_environment_variable_is_documented():
    for path, command in [([], cli), *_commands()]:
        for param in command.params:
            if isinstance(param, click.Option) and param.envvar:
                names = [param.envvar] if isinstance(param.envvar, str) else param.envvar
                for name in names:
                    assert name.startswith("CXUX_"), (path, name)
                    assert f"Env: {name}" in (param.help or ""), (path, param.name)


def test_cxux_build_quality_false_does_not_skip_the_gate(monkeypatch, capsys):
    pipeline = Pipeline(monkeypatch)
    monkeypatch.setenv("CXUX_BUILD_QUALITY", "false")
    monkeypatch.setenv("CXUX_BUILD_PUBLISH_UNCHECKED", "true")
    assert main(["build"]) == 0
    assert len(pipeline.quality_calls) == 1  # quality ran
    assert pipeline.published[0]["checks_skipped"] == []


def test_cxux_metrics_query_fmt_does_not_change_the_format(monkeypatch, capsys):
    import cxux_cli.metrics.query as query
    import cxux_cli.publish

    monkeypatch.setattr(cxux_cli.publish, "reader_path", lambda project, read_from: Path("x"))
    row = {"metric": "nps", "grain": "month", "period_start": "2026-05-01"}
    monkeypatch.setattr(query, "run", lambda request, path, *a, **k: [dict(row)])
    monkeypatch.setenv("CXUX_METRICS_QUERY_FMT", "json")
    monkeypatch.setenv("CXUX_METRICS_QUERY_FORMAT", "json")
    assert main(["metrics", "query", "nps"]) == 0
    out = capsys.readouterr().out
    assert not out.lstrip().startswith("[")  # a table, not JSON
    assert "nps" in out and "2026-05-01" in out


def test_cxux_load_mode_is_not_read(monkeypatch):
    command = dict((" ".join(p), c) for p, c in _commands())["load"]
    monkeypatch.setenv("CXUX_LOAD_MODE", "append")
    monkeypatch.setenv("CXUX_LOAD_REPLACE", "true")
    ctx = command.make_context("load", [str(REPO)], parent=click.Context(cli, info_name="cxux"))
    from click.core import ParameterSource

    for param in command.params:
        if isinstance(param, click.Option):  # nothing came from the environment
            assert ctx.get_parameter_source(param.name) == ParameterSource.DEFAULT, param.name


@pytest.mark.parametrize(("argv", "env", "param", "expected"), [
    ([], {"CXUX_TARGET": "postgres"}, "target", "postgres"),
    ([], {"CXUX_DEBUG": "true"}, "debug", True),
    ([], {"CXUX_PROJECT_DIR": "/somewhere"}, "project_dir", "/somewhere"),
    (["report"], {"CXUX_REPORT_OUTPUT": "/tmp/r.html"}, "output", "/tmp/r.html"),
    (["quality"], {"CXUX_DATA_DOCS_DIR": "/tmp/docs"}, "data_docs_dir", "/tmp/docs"),
])
def test_documented_environment_variables_work(monkeypatch, argv, env, param, expected):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    root = cli.make_context("cxux", [*argv, "--help"] if not argv else list(argv),
                            resilient_parsing=True)
    if not argv:
        assert root.params[param] == expected
        return
    command = cli.get_command(root, argv[0])
    ctx = command.make_context(argv[0], [], parent=root)
    assert ctx.params[param] == expected


# ------------------------------------------------------------------ --as-of: one parser


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-06-30", dt.datetime(2026, 6, 30)),
    ("2026-06-30T12:30:00", dt.datetime(2026, 6, 30, 12, 30)),
    ("2026-06-30T12:30:00Z", dt.datetime(2026, 6, 30, 12, 30)),
    # worked by hand: midnight at +02:00 is 22:00 UTC the day before
    ("2026-06-30T00:00:00+02:00", dt.datetime(2026, 6, 29, 22, 0)),
    ("2026-06-30T20:00:00-05:00", dt.datetime(2026, 7, 1, 1, 0)),
])
def test_as_of_is_converted_to_naive_utc(text, expected):
    assert parse_as_of(text) == expected


def test_every_as_of_option_uses_the_one_parser():
    seen = []
    for path, command in _commands():
        for param in command.params:
            if "--as-of" in getattr(param, "opts", []):
                assert isinstance(param.type, AsOf), path
                seen.append(" ".join(path))
    assert {"generate", "build", "quality", "report"} <= set(seen)


def test_build_passes_the_utc_as_of_to_dbt_and_quality(monkeypatch):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--as-of", "2026-06-30T00:00:00+02:00"]) == 0
    assert pipeline.dbt_vars == {"cxux_as_of": "2026-06-29 22:00:00"}
    assert pipeline.quality_calls[0]["as_of"] == dt.datetime(2026, 6, 29, 22, 0)


@pytest.mark.parametrize("command", [["build"], ["quality"], ["generate"], ["report"]])
def test_bad_as_of_is_a_usage_error(capsys, command):
    assert main([*command, "--as-of", "30/06/2026"]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and "YYYY-MM-DD" in err


# ------------------------------------------------------------------ --vars


def test_vars_reach_dbt_and_quality(monkeypatch):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--as-of", "2026-06-30",
                 "--vars", '{"cxux_future_tolerance_hours": 48}']) == 0
    assert pipeline.dbt_vars == {"cxux_future_tolerance_hours": 48,
                                 "cxux_as_of": "2026-06-30 00:00:00"}
    assert pipeline.quality_calls[0]["vars_"] == {"cxux_future_tolerance_hours": 48}


def test_yaml_vars_and_as_of_in_vars(monkeypatch):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--vars", "{cxux_as_of: '2026-06-30T00:00:00+02:00'}"]) == 0
    assert pipeline.dbt_vars == {"cxux_as_of": "2026-06-29 22:00:00"}


@pytest.mark.parametrize(("value", "message"), [
    ("{cxux_as_of: [1", "is not YAML or JSON"),
    ("[1, 2]", "must be a mapping"),
    ("42", "must be a mapping"),
    ("{cxux_as_of: 'June'}", "cxux_as_of"),
])
def test_invalid_vars_exit_2(monkeypatch, capsys, value, message):
    pipeline = Pipeline(monkeypatch)
    assert main(["build", "--vars", value]) == 2
    assert pipeline.dbt_vars is None
    err = capsys.readouterr().err
    assert "--vars" in err and message in err


def test_as_of_twice_must_agree(monkeypatch, capsys):
    Pipeline(monkeypatch)
    assert main(["build", "--as-of", "2026-06-30",
                 "--vars", "{cxux_as_of: '2026-07-01'}"]) == 2
    assert "disagree" in capsys.readouterr().err


def test_quality_timestamp_bounds_follow_the_vars():
    from cxux_cli.project import Project
    from cxux_cli.quality.checks import raw_checks
    from cxux_cli.quality.runner import timestamp_bounds

    project = Project.resolve(str(REPO))
    # dbt_project.yml: cxux_min_timestamp "2000-01-01", cxux_future_tolerance_hours 24
    assert timestamp_bounds(project) == (dt.datetime(2000, 1, 1), dt.timedelta(hours=24))
    earliest, slack = timestamp_bounds(
        project, {"cxux_min_timestamp": "2010-01-01", "cxux_future_tolerance_hours": 48})
    assert (earliest, slack) == (dt.datetime(2010, 1, 1), dt.timedelta(hours=48))

    from cxux_cli.contract import load_contract

    contract = load_contract(REPO)
    as_of = dt.datetime(2026, 6, 30)
    checks = raw_checks({"orders": contract["orders"]}, "raw", as_of, earliest=earliest,
                        future_slack=slack)
    bounds = [c for c in checks if c.label == "ordered_at between 2010-01-01 and now"]
    assert len(bounds) == 1
    assert bounds[0].kwargs["min_value"] == dt.datetime(2010, 1, 1)
    assert bounds[0].kwargs["max_value"] == dt.datetime(2026, 7, 2)  # as-of + 48 h


# ------------------------------------------------------------------ out of memory


def test_dbt_out_of_memory_is_exit_2_with_advice(monkeypatch, capsys):
    """dbt's node result as dbt-duckdb reports it (message text from a real 1MB run)."""
    import cxux_cli.dbt_runner as runner
    import cxux_cli.engines
    import cxux_cli.metrics.compiler

    message = ("Runtime Error in model base_raw__accounts__validated (models/...)\n"
               "  Out of Memory Error: failed to allocate data of size 2.0 MiB "
               "(372.0 KiB/976.5 KiB used)\n  * Increasing the memory limit")
    node = SimpleNamespace(name="base_raw__accounts__validated", test_metadata=None)
    failed = SimpleNamespace(
        exception=None, success=False,
        result=SimpleNamespace(results=[SimpleNamespace(status="error", message=message,
                                                        node=node)]))

    class FakeRunner:
        def __init__(self, callbacks=()):
            pass

        def invoke(self, args):
            return failed

    import dbt.cli.main

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", FakeRunner)
    monkeypatch.setattr(cxux_cli.metrics.compiler, "compile_project", lambda root: None)
    monkeypatch.setattr(cxux_cli.engines, "target_type", lambda project: "duckdb")
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "base_raw__accounts__validated" in err
    assert "Out of Memory Error: failed to allocate data of size 2.0 MiB" in err
    assert "CXUX_DUCKDB_MEMORY_LIMIT" in err and "CXUX_DUCKDB_TEMP_DIR" in err
    assert "checks failed" not in err and "finished with failures" not in err
    assert runner  # the module whose classification is under test


def test_quality_out_of_memory_is_exit_2_not_a_failed_check(monkeypatch, capsys, tmp_path):
    import duckdb

    import cxux_cli.quality.runner as quality_runner
    from cxux_cli.quality.runner import CheckOutcome

    duckdb.connect(str(tmp_path / "cxux.duckdb")).close()
    monkeypatch.setattr(quality_runner, "build_checks", lambda *a, **k: [])
    oom = CheckOutcome(suite="raw.orders", expectation="order_id unique", severity="error",
                       success=False,
                       error="Out of Memory Error: failed to allocate data of size 16.0 MiB")
    monkeypatch.setattr(quality_runner, "run_checks", lambda *a, **k: [oom])
    assert main(["quality"]) == 2
    err = capsys.readouterr().err
    assert "raw.orders: order_id unique" in err and "CXUX_DUCKDB_MEMORY_LIMIT" in err
    assert "quality check(s) of severity error failed" not in err


def test_duckdb_out_of_memory_exception_anywhere_is_exit_2(monkeypatch, capsys, tmp_path):
    import duckdb

    import cxux_cli.quality.runner as quality_runner

    duckdb.connect(str(tmp_path / "cxux.duckdb")).close()

    def exhausted(*args, **kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(quality_runner, "build_checks", exhausted)
    assert main(["quality"]) == 2
    err = capsys.readouterr().err
    assert "could not allocate block" in err and "CXUX_DUCKDB_TEMP_DIR" in err
    assert "unexpected error" not in err


# ------------------------------------------------------------------ quality's freshness check


@pytest.mark.parametrize(("stamps", "expected"), [
    # newest real row 10 days before the as-of (2026-06-30), one row 5 days ahead:
    # the future row is left out, so the table is stale and the check returns its row
    (["2026-06-20 08:00:00", "2026-07-05 00:00:00"], [(dt.datetime(2026, 6, 20, 8),)]),
    # a row 12 h after the as-of is within the 24 h tolerance: it counts, the table is fresh
    (["2026-06-20 08:00:00", "2026-06-30 12:00:00"], []),
])
def test_quality_freshness_ignores_future_rows(stamps, expected):
    import duckdb

    from cxux_cli.contract import load_contract
    from cxux_cli.quality.checks import raw_checks

    contract = load_contract(REPO)
    checks = raw_checks({"orders": contract["orders"]}, "raw", dt.datetime(2026, 6, 30))
    (freshness,) = [c for c in checks if c.label.startswith("freshness:")]
    with duckdb.connect() as con:
        con.execute("create table batch (updated_at timestamp)")
        con.executemany("insert into batch values (?::timestamp)", [[s] for s in stamps])
        query = freshness.kwargs["unexpected_rows_query"].replace("{batch}", "batch")
        assert con.execute(query).fetchall() == expected
