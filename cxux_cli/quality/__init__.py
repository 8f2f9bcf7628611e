"""Data quality with Great Expectations: suites in code, run over DuckDB.

`run_quality(project, suites=("raw", "marts"))` -> QualityResult (`.passed` is
False when an expectation of severity error fails). Great Expectations is
imported only when checks run.
"""

from __future__ import annotations


def run_quality(project, suites=("raw", "marts"), **kwargs):
    from cxux_cli.quality.runner import run_quality as _run

    return _run(project, suites=suites, **kwargs)


def __getattr__(name):
    if name in ("QualityResult", "CheckOutcome"):
        from cxux_cli.quality import runner

        return getattr(runner, name)
    raise AttributeError(name)
