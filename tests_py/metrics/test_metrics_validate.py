"""Validation: the broken corpus (exact messages and positions), the real
definitions, and normalization against hand-written expectations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cxux_cli.metrics.loader import load_text
from cxux_cli.metrics.validate import validate_definitions, validate_project

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$")


def test_corpus_covers_every_check():
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_definition_reports_exact_problems(path, interface_models):
    text = path.read_text()
    expected = [m.groups() for m in map(EXPECT.match, text.splitlines()) if m]
    assert expected, f"{path.name} has no '# expect:' line"
    file = f"metrics/cx/{path.name}"
    raws, problems = load_text(text, file)
    more, _normalized = validate_definitions(raws, interface_models)
    got = [(str(p.line), str(p.column), p.message) for p in sorted(set(problems + more))]
    assert got == [tuple(e) for e in expected]
    for problem in sorted(set(problems + more)):
        assert str(problem).startswith(f"{file}:{problem.line}:{problem.column}: ")


def test_validate_command_prints_every_problem_and_exits_1(empty_project, cxux):
    for name in ("unknown_key.yml", "derived_cycle.yml"):
        target = empty_project / "metrics" / "cx" / name
        target.write_text((Path(__file__).parent / "broken" / name).read_text())
    code, _out, err = cxux("metrics", "validate")
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("metrics/")]
    assert lines == [
        ("metrics/cx/derived_cycle.yml:11:17: alpha: metrics depend on each other in a cycle: "
        "alpha -> beta -> alpha"),
        ("metrics/cx/unknown_key.yml:19:5: nps: unknown key 'treshold' (did you mean "
        "'thresholds'?)"),
        "metrics/cx/unknown_key.yml:20:5: nps: unknown key 'colour'",
    ]
    assert "error: 3 problem(s) in metric definitions" in err


def test_repository_definitions_are_valid_against_the_interfaces(project):
    validation = validate_project(project)
    assert validation.problems == []
    assert validation.models_checked
    names = {d["name"] for d in validation.definitions}
    required = {"nps", "csat", "task_success_rate", "time_on_task_geomean",
                "first_reply_time_median", "first_reply_time_p90", "lcp_p75",
                "apdex", "dau", "mau_28d", "stickiness", "average_order_value",
                "review_rating_avg", "nps_change"}
    assert required <= names
    types = {d["type"] for d in validation.definitions}
    assert types == {"count", "count_distinct", "sum", "average", "median", "percentile",
                     "geometric_mean", "proportion", "ratio", "top_box", "nps", "apdex",
                     "derived", "rolling", "period_over_period"}


def test_without_manifest_model_checks_are_skipped_with_a_note(project, cxux):
    (project / "target" / "manifest.json").unlink()
    code, _, err = cxux("metrics", "validate")
    assert code == 0
    assert "model, column and dimension checks were skipped" in err
    assert "dbt parse" in err


NPS_YAML = """\
metrics:
  - name: nps
    label: NPS
    description: >
      Net Promoter
      Score.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    type: nps
    model: fct_survey_responses
    measure: score
    time: responded_at
    grains: [year, month]
    unit: score
    direction: higher_is_better
    target:
      - {value: 35, from: 2026-07-01}
      - {value: 30, from: 2024-01-01}
  - name: nps_change
    label: NPS change
    description: Change.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    type: period_over_period
    base_metric: nps
    comparison: previous_period
    change: absolute
    unit: score
    direction: higher_is_better
    target: 0
"""


def test_normalization_fills_defaults(interface_models):
    raws, problems = load_text(NPS_YAML, "metrics/cx/nps.yml")
    more, normalized = validate_definitions(raws, interface_models)
    assert problems == [] and more == []
    nps, change = normalized
    assert nps["name"] == "nps"
    assert nps["description"] == "Net Promoter Score."
    assert nps["grains"] == ["month", "year"]  # canonical order, not as written
    assert nps["target"] == [{"from": "2024-01-01", "value": 30},
                             {"from": "2026-07-01", "value": 35}]
    assert (nps["scale"], nps["promoter_min"], nps["detractor_max"]) == ([0, 10], 9, 6)
    assert nps["interval"] == "rocks"
    assert nps["min_sample"] == 30
    assert nps["confidence"] == 0.95
    assert nps["status"] == "draft" and nps["tags"] == [] and nps["dimensions"] == []
    assert nps["columns"] == ["responded_at", "score"]
    assert nps["crossings"] == [] and nps["share_of_total"] is False
    assert nps["depends_on"] == [] and nps["source_file"] == "metrics/cx/nps.yml"
    assert nps["thresholds"] is None and nps["cut"] is None
    assert change["depends_on"] == ["nps"]
    assert change["target"] == [{"from": None, "value": 0}]
    assert change["model"] is None and change["min_sample"] is None
    assert change["interval"] == "none" and change["grains"] == ["month"]


def test_spec_examples_are_real_corpus_messages():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "metrics_spec.md").read_text()
    block = doc.split("## Validation messages, examples")[1].split("```")[1]
    lines = block.strip().splitlines()
    assert len(lines) >= 10
    for line in lines:
        match = re.match(r"metrics/cx/([a-z_]+\.yml):(.*)$", line)
        assert match, line
        corpus = (Path(__file__).parent / "broken" / match.group(1)).read_text()
        assert f"# expect: {match.group(2)}" in corpus, line


ANCHORED = """\
metrics:
  - &ticket_base
    name: tickets_opened
    label: Tickets opened
    description: Tickets opened in the period.
    domain: cx
    level: interaction
    audience: customer
    owner: support
    type: count
    model: fct_tickets
    time: created_at
    unit: tickets
    direction: lower_is_better
  - <<: *ticket_base
    name: urgent_tickets_opened
    label: Urgent tickets opened
    filter: "priority = 'urgent'"
    treshold: 1
"""


def test_yaml_merge_keys_are_followed_and_explicit_keys_win(interface_models):
    raws, problems = load_text(ANCHORED, "metrics/cx/tickets.yml")
    more, normalized = validate_definitions(raws, interface_models)
    assert problems == []
    assert [str(p) for p in more] == [
        ("metrics/cx/tickets.yml:19:5: urgent_tickets_opened: unknown key 'treshold' (did you "
        "mean 'thresholds'?)")]
    raws[1].values.pop("treshold")
    _, normalized = validate_definitions(raws, interface_models)
    urgent = {d["name"]: d for d in normalized}["urgent_tickets_opened"]
    assert (urgent["model"], urgent["label"], urgent["filter"]) == (
        "fct_tickets", "Urgent tickets opened", "priority = 'urgent'")


def test_normalization_sorts_crossing_names_and_keeps_share_of_total(interface_models):
    text = """\
metrics:
  - name: reasons
    label: Reasons
    description: Churned customers by reason and segment.
    domain: cx
    level: relationship
    audience: customer
    owner: cx
    type: count
    share_of_total: true
    model: fct_customer_months
    filter: is_churned
    time: month_start
    dimensions: [segment, cancel_reason, region]
    crossings: [[segment, cancel_reason], [region, segment, cancel_reason]]
    unit: share
    direction: lower_is_better
"""
    raws, problems = load_text(text, "metrics/cx/reasons.yml")
    more, normalized = validate_definitions(raws, interface_models)
    assert problems == [] and more == []
    (reasons,) = normalized
    # dimension_name of a crossed slice = these names joined by '|'
    assert reasons["crossings"] == [["cancel_reason", "segment"],
                                    ["cancel_reason", "region", "segment"]]
    assert reasons["share_of_total"] is True
    assert reasons["dimensions"] == ["segment", "cancel_reason", "region"]
