"""Run the expectation suites with Great Expectations over the DuckDB warehouse.

`run_quality(project)` builds an ephemeral GX context, one validation
definition per asset (a SQL query over the warehouse), one checkpoint over all
of them that also writes Data Docs, and returns a `QualityResult`. The
computation runs inside DuckDB (see gx_duckdb.py); Python only receives
aggregates and a handful of sample ids.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxux_cli.errors import CxuxError
from cxux_cli.project import Project
from cxux_cli.quality.checks import ERROR, ROW_ID, Check, mart_checks, raw_checks

log = logging.getLogger("cxux.quality")

SUITES = ("raw", "marts")
SAMPLE_SIZE = 5
STATE_FILE = "quality_state.json"


@dataclass
class CheckOutcome:
    suite: str
    expectation: str
    severity: str
    success: bool
    observed_value: object = None
    unexpected_count: int | None = None
    element_count: int | None = None
    sample_ids: list = field(default_factory=list)
    error: str | None = None


@dataclass
class QualityResult:
    outcomes: list[CheckOutcome]
    data_docs_path: Path | None = None

    @property
    def failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def passed(self) -> bool:
        """No failing expectation of severity error (warnings do not fail)."""
        return not any(o.severity == ERROR for o in self.failures)

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "data_docs": str(self.data_docs_path) if self.data_docs_path else None,
            "checks": [asdict(o) for o in self.outcomes],
        }


def default_data_docs_dir(project: Project) -> Path:
    explicit = os.environ.get("CXUX_DATA_DOCS_DIR")
    return Path(explicit) if explicit else project.duckdb_path.parent / "data_docs"


def state_path(project: Project) -> Path:
    return project.duckdb_path.parent / STATE_FILE


def load_previous_counts(project: Project) -> dict[str, int]:
    path = state_path(project)
    if not path.is_file():
        return {}
    return json.loads(path.read_text()).get("raw_row_counts", {})


def load_metric_definitions(root: Path) -> dict[str, dict]:
    """name -> definition (type, status, grains) read from metrics/**/*.yml."""
    import yaml

    definitions: dict[str, dict] = {}
    for path in sorted((root / "metrics").rglob("*.y*ml")):
        document = yaml.safe_load(path.read_text()) or {}
        items = document.get("metrics", [document]) if isinstance(document, dict) else document
        for item in items or []:
            if isinstance(item, dict) and "name" in item:
                definitions[item["name"]] = item
    return definitions


def _existing_tables(database: Path, schema: str) -> set[str]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select table_name from duckdb_tables() where schema_name = ? "
            "union select view_name from duckdb_views() where schema_name = ?",
            [schema, schema],
        ).fetchall()
    return {name for (name,) in rows}


def build_checks(project: Project, suites, as_of: dt.datetime) -> list[Check]:
    from cxux_cli.contract import load_contract

    checks: list[Check] = []
    if "raw" in suites:
        contract = load_contract(project.root)
        present = _existing_tables(project.duckdb_path, project.raw_schema)
        missing = [name for name in contract if name not in present]
        if missing:
            raise CxuxError(
                f"{project.duckdb_path}: raw tables missing from schema "
                f"{project.raw_schema!r}: {', '.join(missing)}"
            )
        counts = raw_row_counts(project, contract)
        checks += raw_checks(contract, project.raw_schema, as_of, load_previous_counts(project),
                             counts)
    if "marts" in suites:
        existing = _existing_tables(project.duckdb_path, "marts")
        checks += mart_checks(existing, load_metric_definitions(project.root), as_of.date())
    return checks


def run_quality(
    project: Project,
    suites=SUITES,
    as_of: dt.datetime | None = None,
    data_docs_dir: Path | None = None,
    update_state: bool = True,
) -> QualityResult:
    """Run the suites (`raw`, `marts`) and return the outcome of every check."""
    unknown = set(suites) - set(SUITES)
    if unknown:
        raise CxuxError(f"unknown suite(s) {sorted(unknown)}; choose from {list(SUITES)}")
    if not project.duckdb_path.is_file():
        raise CxuxError(f"{project.duckdb_path}: no warehouse file (run `cxux build` first)")
    as_of = as_of or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    checks = build_checks(project, suites, as_of)
    docs_dir = Path(data_docs_dir) if data_docs_dir else default_data_docs_dir(project)
    outcomes = run_checks(project.duckdb_path, checks, docs_dir)
    result = QualityResult(outcomes, docs_dir / "index.html")
    if update_state and "raw" in suites and result.passed:
        _save_counts(project)
    return result


def raw_row_counts(project: Project, contract) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(project.duckdb_path), read_only=True) as con:
        return {
            name: con.execute(
                f'select count(*) from "{project.raw_schema}"."{name}"'
            ).fetchone()[0]
            for name in contract
        }


def _save_counts(project: Project) -> None:
    """Remember this load's raw row counts as the baseline for the volume checks."""
    from cxux_cli.contract import load_contract

    counts = raw_row_counts(project, load_contract(project.root))
    path = state_path(project)
    state = json.loads(path.read_text()) if path.is_file() else {}
    state["raw_row_counts"] = counts
    state["recorded_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def _expectation(check: Check, index: int):
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    cls = getattr(gxe, check.expectation)
    severity = FailureSeverity.CRITICAL if check.severity == ERROR else FailureSeverity.WARNING
    return cls(
        **check.kwargs,
        severity=severity,
        description=check.label,
        meta={"cxux_check": index, "cxux_severity": check.severity},
    )


def run_checks(database: Path, checks: list[Check], docs_dir: Path) -> list[CheckOutcome]:
    """One checkpoint over all checks; Data Docs written to docs_dir."""
    if not checks:
        return []
    if not log.isEnabledFor(logging.DEBUG):  # GX logs chatter at INFO, even on import
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    from cxux_cli.quality.gx_duckdb import add_duckdb_datasource, close_datasource

    docs_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name="cxux",
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
        },
    )
    datasource = add_duckdb_datasource(context, "warehouse", str(database))
    by_asset: dict[str, list[tuple[int, Check]]] = {}
    for index, check in enumerate(checks):
        by_asset.setdefault(check.asset.name, []).append((index, check))
    definitions = []
    for name, items in by_asset.items():
        asset = datasource.add_query_asset(name=name, query=items[0][1].asset.query)
        batch = asset.add_batch_definition_whole_table("all")
        suite = context.suites.add(gx.ExpectationSuite(name=name))
        for index, check in items:
            suite.add_expectation(_expectation(check, index))
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="cxux_quality",
            validation_definitions=definitions,
            actions=[UpdateDataDocsAction(name="data_docs", site_names=["cxux"])],
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": SAMPLE_SIZE,
                "unexpected_index_column_names": [ROW_ID],
            },
        )
    )
    try:
        run = checkpoint.run()
    finally:
        close_datasource(datasource)
    outcomes: dict[int, CheckOutcome] = {}
    for validation in run.run_results.values():
        for result in validation.results:
            index = result.expectation_config.meta["cxux_check"]
            outcomes[index] = _outcome(checks[index], result)
    ordered = [outcomes[i] for i in sorted(outcomes)]
    _sample_failed_row_queries(database, checks, ordered)
    return ordered


def _sample_failed_row_queries(database: Path, checks, outcomes) -> None:
    """SUMMARY results carry no rows for UnexpectedRowsExpectation: fetch a few."""
    import duckdb

    failed = [
        (check, outcome) for check, outcome in zip(checks, outcomes)
        if check.expectation == "UnexpectedRowsExpectation" and not outcome.success
        and outcome.error is None
    ]
    if not failed:
        return
    with duckdb.connect(str(database), read_only=True) as con:
        for check, outcome in failed:
            query = check.kwargs["unexpected_rows_query"].replace(
                "{batch}", f"({check.asset.query})"
            )
            cursor = con.execute(f"select * from ({query}) limit {SAMPLE_SIZE}")
            names = [d[0] for d in cursor.description]
            outcome.sample_ids = [
                _short(dict(zip(names, row))) for row in cursor.fetchall()
            ]


def _outcome(check: Check, result) -> CheckOutcome:
    data = result.result or {}
    info = result.exception_info or {}
    if "raised_exception" not in info:  # keyed by metric id when a metric failed
        info = next(iter(info.values()), {}) if info else {}
    error = info.get("exception_message") if info.get("raised_exception") else None
    observed = data.get("observed_value")
    unexpected = data.get("unexpected_count")
    sample = [
        row.get(ROW_ID) if isinstance(row, dict) else row
        for row in (data.get("partial_unexpected_index_list") or [])
    ][:SAMPLE_SIZE]
    if check.expectation == "UnexpectedRowsExpectation":
        unexpected = observed if isinstance(observed, int) else unexpected
        rows = (data.get("details") or {}).get("unexpected_rows") or []
        sample = [_short(row) for row in rows[:SAMPLE_SIZE]]
        observed = f"{unexpected} row(s)" if unexpected is not None else observed
    elif observed is None and data.get("element_count") is not None:
        observed = f"{data.get('unexpected_percent') or 0:.3g}% unexpected"
    return CheckOutcome(
        suite=check.suite,
        expectation=check.label,
        severity=check.severity,
        success=bool(result.success) and error is None,
        observed_value=_jsonable(observed),
        unexpected_count=unexpected,
        element_count=data.get("element_count"),
        sample_ids=[_jsonable(s) for s in sample],
        error=error,
    )


def _short(row) -> str:
    if isinstance(row, dict):
        return ", ".join(f"{k}={_jsonable(v)}" for k, v in row.items())
    return str(row)


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
