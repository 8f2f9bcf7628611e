"""Run the expectation suites with Great Expectations over the DuckDB warehouse.

`run_quality(project)` builds an ephemeral GX context, one validation
definition per asset (a SQL query over the warehouse), one checkpoint over all
of them that also writes Data Docs, and returns a `QualityResult`. The
computation runs inside DuckDB (see gx_duckdb.py); Python only receives
aggregates and a handful of sample ids.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxux_cli.contract import with_extra_accepted_values
from cxux_cli.errors import CxuxError, is_out_of_resources, out_of_resources
from cxux_cli.project import Project
from cxux_cli.quality.checks import ERROR, ROW_ID, Check, mart_checks, raw_checks
from cxux_cli.quality.warehouse import DuckDBWarehouse, Warehouse

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


def state_path(project: Project, name: str = STATE_FILE) -> Path:
    return project.duckdb_path.parent / name


def load_previous_counts(project: Project, state_file: str = STATE_FILE) -> dict[str, int]:
    path = state_path(project, state_file)
    if not path.is_file():
        return {}
    return json.loads(path.read_text()).get("raw_row_counts", {})


def load_metric_definitions(root: Path) -> dict[str, dict]:
    """name -> definition as written (type, status, grains), through the metric layer's one
    loader: in a host project, with the host's changes and metrics of its own."""
    from cxux_cli.metrics.loader import load_project

    definitions, _problems = load_project(root)  # `cxux metrics validate` reports problems
    return {d.name: d.values for d in definitions if d.name}


def dbt_vars(project: Project, vars_: dict | None = None) -> dict:
    """The dbt vars staging sees: dbt_project.yml `vars:` overridden by vars_ (`--vars`)."""
    return project.dbt_vars(vars_)


def timestamp_bounds(project: Project, vars_: dict | None = None):
    """(earliest, future slack) for raw timestamps: the dbt vars staging reads,
    cxux_min_timestamp and cxux_future_tolerance_hours, from dbt_project.yml `vars:`
    overridden by vars_ (`--vars`), so quality and staging judge timestamps alike."""
    from cxux_cli.quality.checks import EARLIEST_TIMESTAMP, FUTURE_SLACK

    values = dbt_vars(project, vars_)
    earliest, slack = EARLIEST_TIMESTAMP, FUTURE_SLACK
    try:
        if values.get("cxux_min_timestamp") is not None:
            earliest = dt.datetime.fromisoformat(str(values["cxux_min_timestamp"]))
        if values.get("cxux_future_tolerance_hours") is not None:
            slack = dt.timedelta(hours=float(values["cxux_future_tolerance_hours"]))
    except (TypeError, ValueError) as exc:
        raise CxuxError(f"vars cxux_min_timestamp / cxux_future_tolerance_hours: {exc} "
                        "(expected a date such as 2000-01-01 and a number of hours)") from None
    return earliest.replace(tzinfo=None), slack


def switched_off_raw_tables(project: Project, warehouse: Warehouse,
                            missing: set[str]) -> set[str]:
    """The missing raw tables the last dbt build did without: those of a domain that is off
    (quarantine.raw_domains, macros/staging/cxux_domains.sql) and `users` (each account is
    then its own user). Nothing when the build has not run yet."""
    from cxux_cli.relations import quarantine_schema

    schema = quarantine_schema(project)
    if not missing or "raw_domains" not in warehouse.tables(schema):
        return set()
    _, rows = warehouse.rows(
        f"select raw_tables from {schema}.raw_domains where not is_enabled")
    off = {name.strip() for (tables,) in rows for name in (tables or "").split(",")}
    return (off | {"users"}) & missing


def project_warehouse(project: Project) -> Warehouse:
    """The DuckDB file dbt writes, its marts where dbt put them (relations.py)."""
    from cxux_cli.relations import marts_schema

    return DuckDBWarehouse(project.duckdb_path, marts_schema=marts_schema(project))


def build_checks(project: Project, suites, as_of: dt.datetime,
                 warehouse: Warehouse | None = None, vars_: dict | None = None) -> list[Check]:

    warehouse = warehouse or project_warehouse(project)
    checks: list[Check] = []
    if "raw" in suites:
        contract, relations = raw_relations(project, warehouse)
        # the values staging accepts (the raw_input views already carry cxux_value_map's)
        contract = with_extra_accepted_values(
            contract, dbt_vars(project, vars_).get("cxux_extra_accepted_values"))
        counts = raw_row_counts(relations, warehouse)
        earliest, future_slack = timestamp_bounds(project, vars_)
        checks += raw_checks(contract, relations, as_of,
                             load_previous_counts(project, warehouse.state_file), counts,
                             earliest=earliest, future_slack=future_slack,
                             dialect=warehouse.dialect)
    if "marts" in suites:
        existing = warehouse.tables(warehouse.marts_schema)
        if "metric_values" not in existing:
            # a gate that finds no marts must not pass (nothing would have been checked)
            raise CxuxError(f"{warehouse.name}: no {warehouse.marts_schema}.metric_values to "
                            "check; run `cxux build` (or dbt build) first")
        checks += mart_checks(existing, load_metric_definitions(project.root), as_of.date(),
                              warehouse.marts_schema, dialect=warehouse.dialect)
    return checks


def run_quality(
    project: Project,
    suites=SUITES,
    as_of: dt.datetime | None = None,
    data_docs_dir: Path | None = None,
    update_state: bool = True,
    warehouse: Warehouse | None = None,
    vars_: dict | None = None,
    progress=None,
) -> QualityResult:
    """Run the suites (`raw`, `marts`) and return the outcome of every check.

    `warehouse`: where to run them (default: the DuckDB file dbt writes).
    `vars_`: dbt vars (`--vars`) over dbt_project.yml's, for the timestamp bounds.
    `progress`: optional callable(done, total) told how many checks have run.
    Raises ResourceError (exit 2) when DuckDB runs out of memory: no failed check.
    """
    unknown = set(suites) - set(SUITES)
    if unknown:
        raise CxuxError(f"unknown suite(s) {sorted(unknown)}; choose from {list(SUITES)}")
    if warehouse is None:
        if not project.duckdb_path.is_file():
            raise CxuxError(f"{project.duckdb_path}: no warehouse file (run `cxux build` first)")
        warehouse = project_warehouse(project)
    as_of = as_of or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    docs_dir = Path(data_docs_dir) if data_docs_dir else default_data_docs_dir(project)
    try:
        checks = build_checks(project, suites, as_of, warehouse, vars_)
        outcomes = run_checks(warehouse, checks, docs_dir, progress=progress)
    except Exception as exc:
        if is_out_of_resources(exc):
            raise out_of_resources("quality checks", exc) from exc
        raise
    # GX keeps a query's exception on its expectation, which would read as a failed check
    exhausted = [o for o in outcomes if is_out_of_resources(o.error)]
    if exhausted:
        raise out_of_resources(f"quality check {exhausted[0].suite}: {exhausted[0].expectation}",
                               exhausted[0].error)
    result = QualityResult(outcomes, docs_dir / "index.html")
    if update_state and "raw" in suites and result.passed:
        _save_counts(project, warehouse)
    return result


def raw_relations(project: Project, warehouse: Warehouse):
    """The raw tables to check and where to read each: ({name: Table}, {name: (schema, relation)}).

    After a build, what staging read: the views raw_input__<table> (models/staging/raw/inputs/:
    the raw schema, a cxux_<table>_relation var or a source adapter), for the tables whose
    domain is on. Before the first build, the tables of the raw schema, and a missing one is
    an error unless the build said its domain is off.
    """
    from cxux_cli.contract import load_contract
    from cxux_cli.relations import manifest_nodes, model_relation

    contract = load_contract(project.package_root)
    try:
        nodes = manifest_nodes(project)
        inputs = {name: model_relation(nodes, f"raw_input__{name}") for name in contract}
    except CxuxError:  # no manifest yet, or one from before these views
        inputs = {}
    built = {schema: warehouse.tables(schema) for schema in {s for s, _ in inputs.values()}}
    if inputs and all(relation in built[schema] for schema, relation in inputs.values()):
        off = switched_off_raw_tables(project, warehouse, set(contract)) - {"users"}
        checked = {name: t for name, t in contract.items() if name not in off}
        return checked, {name: inputs[name] for name in checked}

    present = warehouse.tables(project.raw_schema)
    missing = [name for name in contract if name not in present]
    unexplained = [name for name in missing
                   if name not in switched_off_raw_tables(project, warehouse, set(missing))]
    if unexplained:
        raise CxuxError(
            f"{warehouse.name}: raw tables missing from schema "
            f"{project.raw_schema!r}: {', '.join(unexplained)} (load them, or switch "
            "their domain off with var cxux_using_<domain>: false; README \"Use cxux "
            "in your dbt project\")"
        )
    checked = {name: t for name, t in contract.items() if name in present}
    return checked, {name: (project.raw_schema, name) for name in checked}


def raw_row_counts(relations: dict[str, tuple[str, str]], warehouse: Warehouse) -> dict[str, int]:
    return {name: warehouse.count(schema, relation) for name, (schema, relation) in relations.items()}


def _save_counts(project: Project, warehouse: Warehouse) -> None:
    """Remember this load's raw row counts as the baseline for the volume checks."""
    _, relations = raw_relations(project, warehouse)
    counts = raw_row_counts(relations, warehouse)
    path = state_path(project, warehouse.state_file)
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


def run_checks(warehouse: Warehouse | Path, checks: list[Check],
               docs_dir: Path, progress=None) -> list[CheckOutcome]:
    """One checkpoint over all checks; Data Docs written to docs_dir.

    `warehouse`: a Warehouse, or the path of a DuckDB file.
    `progress`: optional callable(done, total), called after each asset's suite.
    """
    if not checks:
        return []
    if not isinstance(warehouse, Warehouse):
        warehouse = DuckDBWarehouse(warehouse)
    if not log.isEnabledFor(logging.DEBUG):  # GX logs chatter at INFO, even on import
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

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
    datasource = warehouse.add_datasource(context)
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
        with _reporting(progress, {name: len(items) for name, items in by_asset.items()}):
            run = checkpoint.run()
    finally:
        warehouse.close_datasource(datasource)
    outcomes: dict[int, CheckOutcome] = {}
    for validation in run.run_results.values():
        for result in validation.results:
            index = result.expectation_config.meta["cxux_check"]
            outcomes[index] = _outcome(checks[index], result)
    ordered = [outcomes[i] for i in sorted(outcomes)]
    _sample_failed_row_queries(warehouse, checks, ordered)
    return ordered


@contextlib.contextmanager
def _reporting(progress, checks_per_suite: dict[str, int]):
    """Call progress(done, total) after each suite GX runs (one per asset, in turn):
    GX has no hook between the validation definitions of a checkpoint, so
    ValidationDefinition.run is wrapped for the duration of the run."""
    if progress is None:
        yield
        return
    import great_expectations as gx

    total, done = sum(checks_per_suite.values()), 0
    original = gx.ValidationDefinition.run

    def run(self, *args, **kwargs):
        nonlocal done
        result = original(self, *args, **kwargs)
        done += checks_per_suite.get(self.name, 0)
        progress(done, total)
        return result

    progress(0, total)
    gx.ValidationDefinition.run = run
    try:
        yield
    finally:
        gx.ValidationDefinition.run = original


def _sample_failed_row_queries(warehouse: Warehouse, checks, outcomes) -> None:
    """SUMMARY results carry no rows for UnexpectedRowsExpectation: fetch a few."""
    failed = [
        (check, outcome) for check, outcome in zip(checks, outcomes)
        if check.expectation == "UnexpectedRowsExpectation" and not outcome.success
        and outcome.error is None
    ]
    if not failed:
        return
    for check, outcome in failed:
        # As GX does: a derived table needs an alias on PostgreSQL < 16 (queries with a
        # join alias {batch} themselves, checks.py)
        query = re.sub(
            r"\{batch\}( as )?",
            lambda m, batch=check.asset.query: f"({batch})" + (m.group(1) or " as batch_rows "),
            check.kwargs["unexpected_rows_query"],
        )
        names, rows = warehouse.rows(f"select * from ({query}) as failed limit {SAMPLE_SIZE}")
        outcome.sample_ids = [_short(dict(zip(names, row))) for row in rows]


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
