"""The quality gate accepts what staging accepts: var cxux_extra_accepted_values reaches the
raw suite's accepted-values checks (staging's side is tested in the host project,
tests_py/package/test_installed_as_package.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from cxux_cli.contract import load_contract, with_extra_accepted_values
from cxux_cli.errors import CxuxError
from cxux_cli.quality.checks import raw_checks
from tests_py.conftest import REPO


def _value_set(checks, table: str, column: str) -> list[str]:
    [check] = [c for c in checks if c.asset.name == f"raw.{table}"
               and c.expectation == "ExpectColumnValuesToBeInSet" and c.kwargs["column"] == column]
    return check.kwargs["value_set"]


def test_extra_values_join_the_contracts_in_the_raw_suite():
    contract = with_extra_accepted_values(
        load_contract(REPO), {"support_tickets.channel": ["messaging", "email"]})
    checks = raw_checks(contract, "raw", dt.datetime(2026, 6, 30))
    # RAW_CONTRACT.md's five channels, then the new one (email is already there: once)
    assert _value_set(checks, "support_tickets", "channel") == [
        "email", "chat", "phone", "social", "web_form", "messaging"]
    # other columns keep the contract's values
    assert _value_set(checks, "orders", "channel") == ["web", "app", "store", "phone", "partner"]


@pytest.mark.parametrize("extra, message", [
    ({"orders.status": ["fulfilled"]}, "orders.status cannot be extended"),
    ({"orders.order_total": ["x"]}, "'orders.order_total' is not <table>.<column>"),
    ({"tickets.channel": ["x"]}, "'tickets.channel' is not <table>.<column>"),
    ({"support_tickets.channel": "messaging"}, "must be a list of values"),
])
def test_extras_that_staging_refuses_are_refused_here_too(extra, message):
    with pytest.raises(CxuxError, match=message.replace(".", r"\.")):
        with_extra_accepted_values(load_contract(REPO), extra)
