"""The report renders in a real headless browser (Debian's chromium).

Skipped, with the reason, only when chromium is not installed
(`apt-get install -y chromium`). The browser gets its own profile directory and
every background network feature off: the report must need nothing from outside.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from cxux_cli.report.builder import build_report_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# CI installs chromium and sets CXUX_REQUIRE_CHROMIUM=1: there a missing browser fails.
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CXUX_REQUIRE_CHROMIUM"),
    reason="chromium not installed (Debian: apt-get install -y chromium)",
)


def chromium(tmp_path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture()
def report_file(report_warehouse, catalog_project, tmp_path):
    html = build_report_html(
        report_warehouse,
        as_of=dt.date(2026, 4, 15),
        project_root=catalog_project,
        generated_at=dt.datetime(2026, 4, 15, 9, 30),
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_rendered_dom_has_the_summary_cards_and_link_sections(report_file, tmp_path):
    result = chromium(tmp_path, "--dump-dom", report_file.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    # the summary leads, then the cards by level, the drafts apart, then the link
    order = [dom.index(f'<section id="{name}">')
             for name in ("summary", "headline", "drafts", "ux-cx-link", "thin-samples")]
    assert order == sorted(order)
    assert '<table id="summary-off-target">' in dom
    assert 'data-metric="nps" data-status="off_target" data-level="relationship"' in dom
    # cards in the order of the levels (tests_py/report/test_report.py works it out)
    cards = re.findall(r'<article class="card [a-z_ ]+" data-metric="(\w+)"', dom)
    assert cards[:2] == ["nps", "churn_reasons"] and cards[-1] == "churn_rate_annualised"
    assert 'data-metric="dau" data-status="no_target" data-level="relationship" ' \
           'data-grain="day"' in dom
    assert '<table class="slices" data-dimension="feature">' in dom
    # inline SVG parsed as SVG elements, not as text
    assert dom.count("<svg") >= 4 and "<polyline" in dom


def test_screenshot_is_a_real_image(report_file, tmp_path):
    png = tmp_path / "report.png"
    result = chromium(
        tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report_file.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # width and height from the IHDR chunk
    assert int.from_bytes(data[16:20], "big") == 1280
    assert int.from_bytes(data[20:24], "big") == 2000
    assert len(data) > 20_000  # a blank page compresses to a few KB
