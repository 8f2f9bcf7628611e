"""`cxux report` on a hand-made warehouse (tests_py/report/conftest.py).

Expected texts are worked out by hand from the rows there: with as-of 2026-04-15 the
latest complete month is March 2026 (April ends 2026-05-01, after the as-of date).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cxux_cli.errors import CxuxError
from cxux_cli.report.builder import build_report_html, format_value

AS_OF = dt.date(2026, 4, 15)
GENERATED_AT = dt.datetime(2026, 4, 15, 9, 30)


def card(html: str, metric: str) -> str:
    """The HTML of one headline card."""
    match = re.search(
        rf'<div class="card [a-z_]+" data-metric="{metric}".*?</svg>', html, re.DOTALL
    )
    assert match, f"no card for {metric}"
    return match.group(0)


@pytest.fixture()
def html(report_warehouse, catalog_project) -> str:
    return build_report_html(
        report_warehouse, as_of=AS_OF, project_root=catalog_project, generated_at=GENERATED_AT
    )


def test_headline_is_the_latest_complete_month(html):
    assert "Headline month: <strong>March 2026</strong>" in html
    assert "(the latest complete month)" in html
    # April's values (incomplete month) are neither headline nor trend points
    assert ">99<" not in html and "99.0" not in html
    assert "50.0%" not in html


def test_headline_values_targets_and_statuses(html):
    nps = card(html, "nps")
    assert 'data-status="warning"' in nps
    assert "Net Promoter Score (NPS)" in nps
    assert '<div class="value">32.5</div>' in nps
    assert "target 40 " in nps
    assert "previous month 30<" in nps

    tsr = card(html, "task_success_rate")
    assert 'data-status="critical"' in tsr
    assert '<div class="value">64.0%</div>' in tsr
    assert "target 80.0%" in tsr
    assert "previous month 81.0%" in tsr
    assert "<polyline" in tsr  # a trend line over Jan-Mar

    # CX and UX metrics are grouped under their domain's heading
    cx_at, ux_at = html.index("Customer experience (CX)"), html.index("User experience (UX)")
    assert (
        cx_at
        < html.index('data-metric="nps"')
        < ux_at
        < html.index('data-metric="task_success_rate"')
    )


def test_thin_samples_are_flagged(html):
    csat = card(html, "csat")
    assert 'data-status="insufficient_sample"' in csat
    assert '<span class="badge insufficient_sample">thin sample</span>' in csat
    section = html[html.index('<section id="thin-samples">') :]
    rows = re.findall(
        r'<tr class="thin-sample"><td class="text">(.*?)</td><td>(.*?)</td><td>(.*?)</td>', section
    )
    assert ("Customer satisfaction (CSAT) (2026-03, total)", "12", "30") in rows
    assert ("Task success rate (2026-03, region = middle_east_africa)", "5", "30") in rows
    assert ("UX to CX link: Task success rate (account) band fair", "20", "30") in rows
    assert len(rows) == 3


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
