"""CES 1.0 and CES 2.0 kept apart, on a hand-made export loaded with `cxux load`.

The raw contract has one survey_type 'ces' (score 1-7) and no scale column; the
surveys that used CES 1.0 (1-5 effort, lower is better) are named in var
cxux_ces_1_survey_ids. The fixture is tests_py/fixtures/exports_minimal plus four
CES answers (its own r4 is CES 2.0: survey ces-support, 6 on 2024-02-09):

| response | survey | scale | when | score |
|---|---|---|---|---|
| c1 | ces-v1-2024 | CES 1.0 | 2024-01-09 | 2 |
| c2 | ces-v1-2024 | CES 1.0 | 2024-02-10 | 4 |
| c3 | ces-v1-2024 | CES 1.0 | 2024-02-11 | 6 (off the 1-5 scale: quarantined) |
| c4 | ces-support | CES 2.0 | 2024-02-20 | 7 |

Worked by hand:
- ces (CES 2.0 share 5-7), February: r4 6 and c4 7, both top box -> 2 / 2 = 1.0
  (mixing in c2's 4 would give 2 / 3).
- ces_mean, February: (6 + 7) / 2 = 6.5 (mixed: 17 / 3 = 5.67).
- ces_1_mean (CES 1.0 mean effort): January c1 = 2.0; February c2 = 4.0; Q1
  (2 + 4) / 2 = 3.0 (with the quarantined 6 it would be 4.0).
"""

from __future__ import annotations

import shutil

import pytest

from tests_py.warehouse import FIXTURES, Warehouse

CES_1_SURVEY = "ces-v1-2024"
ADDED_ROWS = [
    "c1,ces-v1-2024,ces,post_support,u1,a1,,t1,2024-01-09T10:00:00Z,2,",
    "c2,ces-v1-2024,ces,post_support,u4,a3,,t2,2024-02-10T10:00:00Z,4,",
    "c3,ces-v1-2024,ces,post_support,u4,a3,,t2,2024-02-11T10:00:00Z,6,",
    "c4,ces-support,ces,post_support,u2,a2,,t3,2024-02-20T10:00:00Z,7,",
]
METRICS = ["ces", "ces_mean", "ces_1_mean"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Warehouse:
    workdir = tmp_path_factory.mktemp("ces_scales")
    export = workdir / "export"
    shutil.copytree(FIXTURES / "exports_minimal", export)
    with (export / "survey_responses.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(ADDED_ROWS) + "\n")
    built = Warehouse(workdir)
    built.cxux("load", str(export))
    selected = " ".join(f"+metric__{name}" for name in METRICS)
    built.dbt_build(f"{selected} +quarantine_raw_rows fct_survey_responses",
                    "--vars", f'{{"cxux_ces_1_survey_ids": ["{CES_1_SURVEY}"]}}')
    return built


def _value(warehouse: Warehouse, metric: str, grain: str, period_start: str):
    rows = warehouse.query(
        f"select value, sample_size from marts.metric__{metric} "
        "where grain = ? and cast(period_start as varchar) = ? and dimension_name = 'total'",
        [grain, period_start])
    assert len(rows) == 1, (metric, grain, period_start, rows)
    return rows[0]


@pytest.mark.parametrize(("metric", "grain", "period_start", "expected", "n"), [
    ("ces", "month", "2024-02-01", 1.0, 2),
    ("ces_mean", "month", "2024-02-01", 6.5, 2),
    ("ces_1_mean", "month", "2024-01-01", 2.0, 1),
    ("ces_1_mean", "month", "2024-02-01", 4.0, 1),
    ("ces_1_mean", "quarter", "2024-01-01", 3.0, 2),
])
def test_ces_metrics_keep_the_scales_apart(warehouse, metric, grain, period_start, expected, n):
    value, sample_size = _value(warehouse, metric, grain, period_start)
    assert value == pytest.approx(expected)
    assert sample_size == n


def test_ces_1_answer_off_its_scale_is_quarantined_with_the_reason(warehouse):
    rows = warehouse.query(
        "select row_id, reasons from quarantine.quarantine_raw_rows where table_name = 'survey_responses'")
    assert rows == [(
        "c3",
        "survey_responses.score: 6 is outside 1-5, the scale of a CES 1.0 survey "
        "(var cxux_ces_1_survey_ids)",
    )]


def test_fact_records_each_response_scale(warehouse):
    rows = dict(
        (response_id, (scale, top_box)) for response_id, scale, top_box in warehouse.query(
            "select response_id, score_scale, is_top_box from marts.fct_survey_responses"))
    assert rows["c1"] == ("1-5", None)  # CES 1.0: effort, no top box
    assert rows["c2"] == ("1-5", None)
    assert rows["r4"] == ("1-7", True)  # CES 2.0 6: top box 5-7
    assert rows["c4"] == ("1-7", True)
    assert rows["r1"] == ("0-10", None)  # NPS
    assert rows["r3"] == ("1-5", True)  # CSAT 5
    assert rows["r6"] == (None, None)  # SUS: no single score
    assert "c3" not in rows
