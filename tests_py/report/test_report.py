"""`cxux report` on a hand-made warehouse and project (tests_py/report/conftest.py).

Expected texts are worked out by hand from the rows and definitions there: with as-of
2026-04-15 the latest complete month is March 2026 (April ends 2026-05-01, after the
as-of date) and the latest complete day 2026-04-14 (2026-04-15 ends on the 16th).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cxux_cli.errors import CxuxError
from cxux_cli.metrics import spec
from cxux_cli.report.builder import LEVEL_ORDER, build_report_html, format_value

AS_OF = dt.date(2026, 4, 15)
GENERATED_AT = dt.datetime(2026, 4, 15, 9, 30)


def card(html: str, metric: str) -> str:
    """The HTML of one metric card."""
    match = re.search(rf'<article class="card [a-z_ ]+" data-metric="{metric}".*?</article>',
                      html, re.DOTALL)
    assert match, f"no card for {metric}"
    return match.group(0)


def section(html: str, name: str) -> str:
    match = re.search(rf'<section id="{name}">.*?</section>', html, re.DOTALL)
    assert match, f"no section {name}"
    return match.group(0)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The cells of a table's data rows, tags stripped."""
    table = re.search(rf'<table id="{table_id}">.*?</table>', html, re.DOTALL)
    assert table, f"no table {table_id}"
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                     row, re.DOTALL)]
        for row in re.findall(r"<tr data-metric=.*?</tr>", table.group(0), re.DOTALL)
    ]


def slices(card_html: str) -> list[tuple[str, ...]]:
    return [tuple(re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row))
            for row in re.findall(r'<tr class="slice.*?</tr>', card_html, re.DOTALL)]


@pytest.fixture()
def html(report_warehouse, catalog_project) -> str:
    return build_report_html(
        report_warehouse, as_of=AS_OF, project_root=catalog_project, generated_at=GENERATED_AT
    )


def test_level_order_is_design_md_and_covers_the_spec():
    # DESIGN.md: relationship, journey (a task across interactions), interaction
    assert LEVEL_ORDER == ("relationship", "journey", "interaction")
    assert set(LEVEL_ORDER) == set(spec.LEVELS)


def test_cards_are_ordered_by_level_then_domain_target_and_file(html):
    order = re.findall(r'<article class="card [a-z_ ]+" data-metric="(\w+)"', html)
    assert order == [
        # relationship: CX with a target, CX without; UX with a target in file order
        # (engagement.yml: stickiness before feature_adoption_rate), UX without
        "nps", "churn_reasons", "stickiness", "feature_adoption_rate", "dau", "mau_28d",
        # journey
        "task_success_rate",
        # interaction: support.yml before voice.yml
        "first_reply_time_median", "csat",
        # no definition any more
        "legacy_metric",
        # drafts, in a section of their own
        "churn_rate_annualised",
    ]
    headings = re.findall(r'<h3 class="level" id="level-(\w+)">', html)
    assert headings == ["relationship", "journey", "interaction", "other"]


def test_summary_comes_first_and_lists_what_is_off_target(html):
    assert html.index('<section id="summary">') < html.index('<section id="headline">')
    rows = table_rows(html, "summary-off-target")
    # critical first, then off_target in card order; the critical draft is not here
    assert [r[0] for r in rows] == [
        "Task success rate", "Net Promoter Score (NPS)", "First reply time (median)"]
    assert rows[0][1:] == ["March 2026", "58.0%", "critical",
                           "target ≥ 78.0% · warning below 70.0% · critical below 60.0%"]
    assert rows[1][2:] == ["32.5", "off target",
                           "target ≥ 40 · warning below 30 · critical below 20"]
    assert rows[2][2:] == ["104.8 min", "off target",
                           "target ≤ 60 min · warning above 120 min · critical above 240 min"]


def test_summary_movers_worked_by_hand(html):
    rows = table_rows(html, "summary-movers")
    # |change| / |target - critical|, or / |previous| without thresholds:
    #   task success |0.58 - 0.81| / (0.78 - 0.60) = 1.278
    #   stickiness (250/910 - 230/905) / (0.20 - 0.10) = 0.206
    #   nps 2.5 / (40 - 20) = 0.125
    #   feature adoption (0.661 - 0.64) / (0.50 - 0.30) = 0.105
    #   dau (250 - 230) / 230 = 0.087
    #   (then first reply 14.8 / 180 = 0.082, mau 5 / 905 = 0.006: not in the top 5;
    #    the draft's 0.215 / 0.24 = 0.90 and thin csat are never compared)
    assert [r[0] for r in rows] == [
        "Task success rate", "Stickiness (DAU / MAU)", "Net Promoter Score (NPS)",
        "Feature adoption rate", "Daily active users (DAU)"]
    assert rows[0][1:5] == ["81.0%", "58.0%", "-23.0 pts worse",
                            "128% of the distance from target to critical"]
    assert rows[1][1:4] == ["25.4%", "27.5%", "+2.1 pts better"]
    assert rows[1][4] == "21% of the distance from target to critical"
    assert rows[4][1:5] == ["230", "250", "+20 better", "9% of the previous value"]


def test_summary_thin_samples_and_hidden_slices(html):
    assert table_rows(html, "summary-thin") == [
        ["Customer satisfaction (CSAT)", "March 2026", "12", "30"]]
    hidden = table_rows(html, "summary-hidden")
    assert hidden == [[
        "Feature adoption rate", "66.1%", "on target",
        "3 of 3 by feature: reports 5.6% (critical), export 27.0% (critical), "
        "dashboards 35.0% (warning)",
    ]]


def test_drafts_are_marked_and_kept_out_of_the_summary(html):
    draft = card(html, "churn_rate_annualised")
    assert '<span class="badge draft">draft</span>' in draft
    assert '<div class="value">71.5%</div>' in draft
    assert "churn_rate_annualised" in section(html, "drafts")
    assert "churn_rate_annualised" not in section(html, "headline")
    summary = section(html, "summary")
    assert "churn_rate_annualised" not in summary and "Annualised churn" not in summary
    # a metric without a definition is shown, but not summarised either
    assert "legacy_metric" not in summary


def test_slices_of_the_first_dimension_beside_the_total(html):
    adoption = card(html, "feature_adoption_rate")
    assert '<div class="value">66.1%</div>' in adoption
    assert 'data-dimension="feature"' in adoption
    # worst first (higher is better)
    assert slices(adoption) == [("reports", "5.6%", "critical", "820"),
                                ("export", "27.0%", "critical", "820"),
                                ("dashboards", "35.0%", "warning", "820")]
    tsr = card(html, "task_success_rate")
    # task_name is the first dimension: region slices are not on the card; thin last
    assert slices(tsr) == [("checkout", "50.0%", "critical", "300"),
                           ("search", "90.0%", "on target", "500"),
                           ("onboarding", "41.0%", "thin sample", "5")]
    assert "middle_east_africa" not in tsr
    # a share of total shows its slices, largest first, and no total value
    reasons = card(html, "churn_reasons")
    assert '<div class="value">' not in reasons
    assert slices(reasons) == [("price", "50.0%", "no target", "30"),
                               ("ux_issues", "30.0%", "no target", "18"),
                               ("other", "20.0%", "no target", "12")]


def test_day_grain_metrics_are_shown_by_day(html):
    assert 'Metrics computed by day only: <strong>2026-04-14</strong>' in html
    dau = card(html, "dau")
    assert 'data-grain="day"' in dau
    assert "2026-04-14 (by day)" in dau
    assert '<div class="value">250</div>' in dau
    assert "previous day 230 (+20)" in dau
    # the days of the trend; 2026-04-15 is not over at the as-of
    assert ">2026-04-12</text>" in dau and ">2026-04-14</text>" in dau
    assert "2026-04-15" not in dau
    assert '<div class="value">910</div>' in card(html, "mau_28d")
    stickiness = card(html, "stickiness")
    assert 'data-status="on_target"' in stickiness
    assert '<div class="value">27.5%</div>' in stickiness  # 250 / 910
    assert "target ≥ 20.0% · warning below 15.0% · critical below 10.0%" in stickiness


def test_headline_is_the_latest_complete_month(html):
    assert "Headline month: <strong>March 2026</strong>" in html
    assert "(the latest complete month)" in html
    # April's values (incomplete month) are neither headline nor trend points
    nps = card(html, "nps")
    assert "99" not in nps and ">2026-04</text>" not in nps
    tsr = card(html, "task_success_rate")
    assert '<div class="value">58.0%</div>' in tsr and ">2026-04</text>" not in tsr


def test_every_status_is_shown_with_its_target_and_thresholds(html):
    for metric in ("nps", "csat", "first_reply_time_median", "task_success_rate",
                   "feature_adoption_rate", "stickiness", "churn_rate_annualised"):
        judged = re.search(r'<div class="detail judged">(.*?)</div>', card(html, metric))
        assert judged and "target " in judged.group(1) and "critical " in judged.group(1), metric
    assert '<div class="detail judged">no target</div>' in card(html, "dau")
    nps = card(html, "nps")
    assert 'data-status="off_target"' in nps
    assert '<div class="value">32.5</div>' in nps
    assert "previous month 30 (+2.50)" in nps
    assert "<polyline" in nps  # a trend line over Jan-Mar


def test_thin_samples_are_flagged(html):
    csat = card(html, "csat")
    assert 'data-status="insufficient_sample"' in csat
    assert '<span class="badge insufficient_sample">thin sample</span>' in csat
    rows = re.findall(
        r'<tr class="thin-sample"><td class="text">(.*?)</td><td>(.*?)</td><td>(.*?)</td>',
        section(html, "thin-samples"),
    )
    assert rows == [
        ("Customer satisfaction (CSAT) (March 2026, total)", "12", "30"),
        ("Task success rate (March 2026, region = middle_east_africa)", "5", "30"),
        ("Task success rate (March 2026, task_name = onboarding)", "5", "30"),
        ("UX to CX link: Task success rate (account) band fair", "20", "30"),
    ]


def test_definitions_come_through_the_metric_layer(report_warehouse, catalog_project):
    # an invalid definition is not read around by the report: it names the problem
    # (file:line:column, as `cxux metrics validate` does) and shows the metric bare
    path = catalog_project / "metrics" / "ux" / "tasks.yml"
    path.write_text(path.read_text().replace("level: journey", "level: jouney"))
    html = build_report_html(
        report_warehouse, as_of=AS_OF, project_root=catalog_project, generated_at=GENERATED_AT
    )
    problems = section(html, "summary")
    assert 'id="definition-problems"' in problems
    assert "metrics/ux/tasks.yml:" in problems and "jouney" in problems
    assert 'data-level="" data-grain="month" data-lifecycle=""' in card(html, "task_success_rate")


def test_without_a_project_every_metric_is_shown_bare(report_warehouse):
    html = build_report_html(report_warehouse, as_of=AS_OF, generated_at=GENERATED_AT)
    headings = re.findall(r'<h3 class="level" id="level-(\w+)">', html)
    assert headings == ["other"]
    # no definition says which metrics are certified: nothing is summarised
    assert 'id="summary-movers"' in html and "<table id=\"summary-movers\">" not in html
    assert 'data-grain="day"' in card(html, "dau")


def test_link_table_shows_bands_with_intervals_and_significance(html):
    table = re.search(
        r'<table class="link-table" data-signal="task_success_rate" data-level="account">.*?</table>',
        html,
        re.DOTALL,
    ).group(0)
    poor = re.search(r'<tr class="band-poor">.*?</tr>', table, re.DOTALL).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", poor, re.DOTALL)
    assert cells[1:5] == ["200", "200", cells[3], "15.0% to 26.0%"]
    assert cells[3].startswith("20.0%") and 'class="sig"' in cells[3]
    assert cells[5:8] == ["-25.0", "-40.0 to -10.0", "80"]
    fair = re.search(r'<tr class="band-fair thin">.*?</tr>', table, re.DOTALL).group(0)
    assert "thin sample" in fair and 'class="sig"' not in fair
    assert "<rect" in html  # the churn-by-band bar chart


def test_link_months_show_the_top_three_poor_months(html):
    table = re.search(r'<table id="link-months-table">.*?</table>', html, re.DOTALL).group(0)
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        for row in re.findall(r"<tr><td.*?</tr>", table, re.DOTALL)
    ]
    # ranks 1-3 of the poor band, highest z first; good churn = 16 / 200 = 8.0%
    assert [r[1] for r in rows] == ["2026-02", "2026-01", "2025-12"]
    assert rows[0][:7] == ["Task success rate", "2026-02", "40", "45.0%", "31.0% to 60.0%",
                           "200", "8.0%"]
    assert rows[1][6] == "8.1%"  # 17 / 210
    assert rows[0][7].startswith("4.93") and 'class="sig"' in rows[0][7]
    assert rows[1][7] == "2.10"  # above 1.96, below the Bonferroni bar 2.87: no mark
    assert rows[0][8] == "12"


def test_report_is_self_contained(html):
    assert "<script" not in html
    assert "<link" not in html
    # the only URL is the SVG namespace, which is not fetched
    assert set(re.findall(r"https?://[^\"' )]+", html)) == {"http://www.w3.org/2000/svg"}
    assert 'Generated at <span id="generated-at">2026-04-15 09:30 UTC</span>' in html
    assert '<span id="data-start">2026-01-01</span>' in html
    assert '<span id="data-end">2026-05-01</span>' in html
    assert "Not in the warehouse: mart_experience_signals, mart_experience_hotspots." in html


def test_since_cuts_the_trends(report_warehouse, catalog_project):
    html = build_report_html(
        report_warehouse,
        since=dt.date(2026, 2, 1),
        as_of=AS_OF,
        project_root=catalog_project,
        generated_at=GENERATED_AT,
    )
    tsr = card(html, "task_success_rate")
    assert ">2026-02</text>" in tsr and ">2026-01</text>" not in tsr
    assert "trends since 2026-02-01" in html


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(CxuxError, match="no warehouse file"):
        build_report_html(tmp_path / "absent.duckdb")


def test_warehouse_without_metric_values_is_a_clear_error(tmp_path):
    import duckdb

    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(CxuxError, match="marts.metric_values is not in the warehouse"):
        build_report_html(path)


def test_format_value_worked_examples():
    assert format_value(0.6, "share") == "60.0%"  # shares as percentages
    assert format_value(0.0581, "score") == "0.0581"  # below 1: 3 significant digits
    assert format_value(4.0648, "rating") == "4.06"  # 1 to 10: 2 decimals
    assert format_value(-2.94, "score") == "-2.94"
    assert format_value(11.966, "score") == "12.0"  # 10 to 1000: 1 decimal
    assert format_value(128.0, "customers") == "128"  # whole numbers stay whole
    assert format_value(1850.4, "ms") == "1,850"  # from 1000: separators, no decimals
    assert format_value(None) == "n/a"


def test_cli_writes_the_file(report_warehouse, catalog_project, tmp_path, monkeypatch):
    from cxux_cli.cli import main

    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(report_warehouse))
    output = tmp_path / "out" / "report.html"
    output.parent.mkdir()
    code = main(
        [
            "--project-dir",
            str(catalog_project),
            "report",
            "--output",
            str(output),
            "--as-of",
            "2026-04-15",
            "--from",
            "warehouse",
        ]
    )
    assert code == 0
    assert "Headline month: <strong>March 2026</strong>" in output.read_text()


def test_cli_missing_warehouse_exits_2(catalog_project, tmp_path, monkeypatch, capsys):
    from cxux_cli.cli import main

    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "absent.duckdb"))
    code = main(
        ["--project-dir", str(catalog_project), "report", "--output", str(tmp_path / "r.html"),
         "--from", "warehouse"]
    )
    assert code == 2
    assert "no warehouse file" in capsys.readouterr().err


def test_report_imports_neither_dbt_nor_great_expectations(report_warehouse, catalog_project):
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from cxux_cli.report.builder import build_report_html\n"
        f"html = build_report_html({str(report_warehouse)!r}, as_of=dt.date(2026, 4, 15), "
        f"project_root={str(catalog_project)!r})\n"
        "assert 'data-metric=\"nps\"' in html\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dbt', 'great_expectations', 'sqlglot'))\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert "HEAVY=\n" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
