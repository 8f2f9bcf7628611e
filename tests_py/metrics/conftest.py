"""Fixtures for the metric layer: a throwaway project with a manifest whose
models and columns are the core marts of INTERFACES.md (hand-written here, so
validation is tested against the interface, not against whatever dbt built)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent

CUSTOMER = ["account_id", "account_type", "segment", "region", "acquisition_channel",
            "acquisition_cohort", "relationship_type"]
USER = ["user_id", "platform", "device_type"]
# INTERFACES.md columns; where it says "..." (or "customer attributes"), the columns
# documented in models/marts/core/_core__models.yml that the metric catalog reads.
MARTS = {
    "fct_orders": ["order_id", "ordered_at", "channel", "status", "order_total",
                   "discount_total", "is_completed", "item_count", "category_count", *CUSTOMER],
    "fct_tickets": ["ticket_id", "requester_user_id", "channel", "category", "priority",
                    "created_at", "first_reply_at", "first_solved_at", "last_solved_at",
                    "first_reply_minutes", "first_resolution_minutes",
                    "full_resolution_minutes", "reopen_count", "is_solved", "is_reopened",
                    "public_agent_comment_count", "is_one_touch", "plan",
                    # business minutes and SLA breaches (null unless the Zendesk adapter is on)
                    "first_reply_business_minutes", "first_resolution_business_minutes",
                    "full_resolution_business_minutes", "is_first_reply_sla_breached",
                    "is_resolution_sla_breached", "is_sla_breached", *CUSTOMER],
    "fct_survey_responses": ["response_id", "survey_type", "touchpoint", "user_id",
                             "responded_at", "score", "nps_category", "is_promoter",
                             "is_detractor", "is_top_box", "sus_score", "umux_lite_score",
                             "umux_lite_sus_equivalent", "is_latest_in_wave", "platform", "device_type",
                             "score_scale", "plan", *CUSTOMER],
    "fct_reviews": ["review_id", "product_id", "platform", "category", "rating", "is_positive",
                    "is_verified_purchase", "posted_at", *CUSTOMER],
    "fct_page_views": ["page_view_id", "user_id", "session_id", "occurred_at", "received_at",
                       "platform", "device_type", "page_path", "lcp_ms", "inp_ms", "cls",
                       "fcp_ms", "ttfb_ms", "lcp_rating", "passes_core_web_vitals", "region",
                       "account_id"],
    "fct_task_attempts": ["task_attempt_id", "task_name", "started_at", "ended_at", "outcome",
                          "is_success", "is_abandoned", "duration_seconds", "error_count",
                          "has_error", *USER, *CUSTOMER],
    "fct_user_days": ["activity_date", "is_new_user", "event_count", "page_view_count",
                      "session_count", "features_used", *USER, *CUSTOMER],
    "fct_feature_usage": ["feature", "first_used_at", "last_used_at", "use_count", *USER,
                          *CUSTOMER],
    "fct_customer_months": ["month_start", "is_active_at_start", "is_active_at_end", "is_new",
                            "is_churned", "is_reactivated", "mrr_start", "mrr_end", "mrr_new",
                            "mrr_expansion", "mrr_contraction", "mrr_churned",
                            "mrr_reactivation", "revenue", "order_count", "order_day_count",
                            "category_count", "ticket_count",
                            "cancel_reason", "plan", *CUSTOMER],
    "fct_account_seat_months": ["month_start", "paid_seats", "active_users", "has_active_user",
                                "is_customer_active_at_end", "plan", *CUSTOMER],
    "fct_user_feature_months": ["month_start", "feature", "plan", "feature_available_from",
                                "active_days", "use_count", "days_used", "is_used",
                                "is_first_use_month", "has_used_before", *USER, *CUSTOMER],
}


def write_manifest(path: Path, marts: dict = MARTS) -> Path:
    nodes = {
        f"model.cxux.{name}": {
            "resource_type": "model", "name": name, "description": f"{name} (test)",
            "columns": {column: {"name": column, "data_type": None} for column in columns},
        }
        for name, columns in marts.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nodes": nodes}))
    return path


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project with the repository's real definitions and the interface manifest."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "dbt_project.yml").write_text("name: cxux\n")
    shutil.copytree(REPO / "metrics", root / "metrics")
    monkeypatch.setenv("DBT_TARGET_PATH", str(root / "target"))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(root / "cxux.duckdb"))
    # readers read the published copy by default (`--from warehouse`: the file above)
    monkeypatch.setenv("CXUX_PUBLISHED_PATH", str(root / "published" / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(root))
    write_manifest(root / "target" / "manifest.json")
    return root


@pytest.fixture
def empty_project(tmp_path, monkeypatch) -> Path:
    """A project without definitions, with the interface manifest."""
    root = tmp_path / "empty"
    (root / "metrics" / "cx").mkdir(parents=True)
    (root / "dbt_project.yml").write_text("name: cxux\n")
    monkeypatch.setenv("DBT_TARGET_PATH", str(root / "target"))
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(root / "cxux.duckdb"))
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(root))
    write_manifest(root / "target" / "manifest.json")
    return root


@pytest.fixture
def cxux(capsys):
    """Run `cxux <args>` in-process through the real entry point (exit-code mapping);
    returns (exit code, stdout, stderr)."""
    from cxux_cli.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def interface_models():
    """{model: ModelInfo} of the INTERFACES.md marts, as validate_definitions takes them."""
    from cxux_cli.metrics.manifest import ModelInfo

    return {name: ModelInfo(name, {c: None for c in columns}) for name, columns in MARTS.items()}
