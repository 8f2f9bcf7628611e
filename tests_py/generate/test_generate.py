"""Tests of `cxux generate`: contract shape, determinism, planted bad rows and effects."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import duckdb
import pytest
from conftest import AS_OF, PROJECT_ROOT, SCALE, SEED
from contract_rules import find_violations, planted

from cxux_cli.cli import main
from cxux_cli.contract import DUCKDB_TYPES
from cxux_cli.generate import generate_raw

DEFECTS = {"duplicate_superseded", "duplicate_exact", "null_required", "out_of_domain",
           "row_check_violation", "future_timestamp", "ancient_timestamp", "orphan_foreign_key"}


def table_digests(path, tables) -> dict[str, str]:
    """An order-independent digest of every table's full contents."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            name: con.execute(
                f"select md5(coalesce(string_agg(cast(t as varchar), chr(10) "
                f"order by cast(t as varchar)), '')) from raw.{name} as t").fetchone()[0]
            for name in tables
        }


def test_same_inputs_give_identical_tables(warehouse, contract, tmp_path):
    again = tmp_path / "again.duckdb"
    generate_raw(again, PROJECT_ROOT, seed=SEED, scale=SCALE, as_of=AS_OF)
    assert table_digests(again, contract) == table_digests(warehouse, contract)


def test_other_seed_gives_other_data(warehouse, contract, tmp_path):
    other = tmp_path / "other.duckdb"
    generate_raw(other, PROJECT_ROOT, seed=SEED + 1, scale=SCALE, as_of=AS_OF)
    first, second = table_digests(warehouse, contract), table_digests(other, contract)
    assert first["events"] != second["events"]
    assert first["accounts"] != second["accounts"]


def test_tables_have_contract_columns_and_types(con, contract):
    for name, table in contract.items():
        actual = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [name]).fetchall()
        expected = [(c.name, DUCKDB_TYPES[c.data_type].upper().replace(" ", "")) for c in table.columns]
        assert [(n, t.upper().replace(" ", "")) for n, t in actual] == expected, name
        assert con.execute(f"select count(*) from raw.{name}").fetchone()[0] > 0, name


def test_planted_bad_rows_are_exactly_the_contract_violations(con, contract):
    """Every recorded bad row breaks the rule it names, and no other row breaks any rule."""
    found = find_violations(con, contract, AS_OF)
    recorded = planted(con)
    assert recorded, "no bad rows recorded"
    assert found - recorded == Counter(), "violations nobody planted"
    assert recorded - found == Counter(), "planted rows that break no rule"


def test_bad_rows_cover_every_defect_with_one_defect_each(con, contract):
    rows = con.execute("select table_name, row_id, defect from cxux_meta.planted_bad_rows").fetchall()
    assert {d for _, _, d in rows} == DEFECTS
    assert {t for t, _, _ in rows} == set(contract)
    defects_per_row = Counter((t, r) for t, r, _ in set(rows))
    assert max(defects_per_row.values()) == 1  # one defect kind per bad row
    for table in ("events", "page_views"):
        bad = sum(1 for t, _, _ in rows if t == table)
        total = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        assert 0.003 <= bad / total <= 0.02, (table, bad, total)


def test_nps_out_of_domain_score_is_really_outside_0_to_10(con):
    scores = con.execute("""
        select r.score from raw.survey_responses as r
        join cxux_meta.planted_bad_rows as b
            on b.table_name = 'survey_responses' and b.row_id = r.response_id
        where b.defect = 'out_of_domain' and b.column_name = 'score'""").fetchall()
    assert scores and all(s > 10 or s < 0 for (s,) in scores)


def clean(table: str, key: str) -> str:
    return (f"{key} not in (select row_id from cxux_meta.planted_bad_rows "
            f"where table_name = '{table}')")


def test_clean_rows_keep_the_implicit_rules(con):
    """Rules the contract implies but does not list as checks (timing, scales per instrument)."""
    checks = {
        "received before occurred": f"""select count(*) from raw.events
            where received_at < occurred_at and {clean('events', 'event_id')}""",
        "page view received before occurred": f"""select count(*) from raw.page_views
            where received_at < occurred_at and {clean('page_views', 'page_view_id')}""",
        "ticket event before its ticket": f"""select count(*) from raw.ticket_events as e
            join raw.support_tickets as t using (ticket_id)
            where e.occurred_at < t.created_at and {clean('ticket_events', 'e.ticket_event_id')}
            and {clean('support_tickets', 't.ticket_id')}""",
        "SUS item outside 1-10 / answer outside 1-5": """select count(*)
            from raw.survey_item_answers as a join raw.survey_responses as r using (response_id)
            where r.survey_type = 'sus' and (a.item_number > 10 or a.answer > 5)
            and a.response_id || '|' || a.item_number not in (
                select row_id from cxux_meta.planted_bad_rows
                where table_name = 'survey_item_answers')""",
        "UMUX-Lite item outside 1-2": """select count(*)
            from raw.survey_item_answers as a join raw.survey_responses as r using (response_id)
            where r.survey_type = 'umux_lite' and a.item_number > 2""",
        "user signs up before the account exists": f"""select count(*) from raw.users as u
            join raw.accounts as a using (account_id)
            where u.signup_at < a.created_at and {clean('users', 'u.user_id')}
            and {clean('accounts', 'a.account_id')}""",
        "order before the account exists": f"""select count(*) from raw.orders as o
            join raw.accounts as a using (account_id)
            where o.ordered_at < a.created_at and {clean('orders', 'o.order_id')}
            and {clean('accounts', 'a.account_id')}""",
        "signed-in event before sign-up": f"""select count(*) from raw.events as e
            join raw.users as u using (user_id)
            where e.occurred_at < u.signup_at and {clean('events', 'e.event_id')}
            and {clean('users', 'u.user_id')}""",
        "attempt without exactly one start": f"""select count(*) from (
            select task_attempt_id from raw.events
            where task_attempt_id is not null and event_name like 'task%'
            and task_attempt_id not in (
                select task_attempt_id from raw.events
                where task_attempt_id is not null and not {clean('events', 'event_id')})
            group by task_attempt_id
            having count(*) filter (where event_name = 'task_started') <> 1
                or count(*) filter (where event_name <> 'task_started') > 1)""",
        "error outside its task attempt": f"""select count(*) from raw.events as e
            join raw.events as s
                on s.task_attempt_id = e.task_attempt_id and s.event_name = 'task_started'
            where e.event_name = 'error' and e.occurred_at < s.occurred_at
            and {clean('events', 'e.event_id')} and {clean('events', 's.event_id')}""",
        "order total differs from its lines": f"""select count(*) from raw.orders as o
            join (select order_id, sum(quantity * unit_price - coalesce(discount, 0)) as total
                  from (select distinct * from raw.order_items
                        where order_item_id not in (
                            select row_id from cxux_meta.planted_bad_rows
                            where table_name = 'order_items' and defect <> 'duplicate_exact'))
                  group by order_id) as i using (order_id)
            where o.order_total <> i.total and {clean('orders', 'o.order_id')}""",
        "cancel reason missing on a cancel": """select count(*) from raw.subscription_events
            where event_type = 'cancel' and cancel_reason is null""",
    }
    failures = {name: n for name, sql in checks.items() if (n := con.execute(sql).fetchone()[0])}
    assert failures == {}


def test_data_is_realistic(con):
    def one(sql):
        return con.execute(sql).fetchone()[0]

    assert one("select count(distinct account_type) from raw.accounts") == 3
    assert one("select count(distinct segment) from raw.accounts") == 4
    assert one("select count(distinct country_code) from raw.accounts") >= 10
    assert one("select count(*) from raw.users where role = 'child'") > 0
    assert one("select count(*) from raw.users where account_id is null") > 0
    assert one(f"""select count(*) from raw.users where is_account_owner
                  and {clean('users', 'user_id')}
                  group by account_id order by 1 desc limit 1""") == 1
    assert one(f"""select count(distinct event_type) from raw.subscription_events
                   where {clean('subscription_events', 'subscription_event_id')}""") == 6
    assert one("select count(distinct cancel_reason) from raw.subscription_events") >= 5
    assert one(f"""select count(distinct survey_type || touchpoint) from raw.survey_responses
                   where {clean('survey_responses', 'response_id')}""") == 8
    assert one(f"""select count(distinct platform) from raw.reviews
                   where {clean('reviews', 'review_id')}""") == 5
    # Repeat and cross-category buyers.
    assert one("""select count(*) from (select account_id from raw.orders
                  group by account_id having count(*) >= 2)""") > 0
    assert one("""select count(*) from (select o.account_id from raw.orders as o
                  join raw.order_items using (order_id) join raw.products using (product_id)
                  group by o.account_id having count(distinct category) >= 2)""") > 0
    # Help desk: reopened, one-touch and never-solved tickets.
    assert one("""select count(distinct ticket_id) from raw.ticket_events
                  where new_status = 'open' and author_type = 'system'
                  and ticket_id in (select ticket_id from raw.ticket_events
                                    where new_status = 'solved')""") > 0
    assert one("""select count(*) from raw.support_tickets where ticket_id not in
                  (select ticket_id from raw.ticket_events where new_status = 'solved'
                   and ticket_id is not null)""") > 0
    # Web vitals: INP and CLS unmeasured off the web, LCP slower on mobile.
    assert one("""select count(*) from raw.page_views
                  where platform in ('ios', 'android', 'desktop') and inp_ms is not null""") == 0
    assert one("""select median(lcp_ms) filter (where device_type = 'mobile')
                  > median(lcp_ms) filter (where device_type = 'desktop') from raw.page_views""")
    # Late events and identity stitching.
    late = one("""select avg(case when received_at > occurred_at + interval 1 day then 1 else 0 end)
                  from raw.events""")
    assert 0.002 < late < 0.1
    assert one("""select count(*) from (select anonymous_id from raw.events group by anonymous_id
                  having count(*) filter (where user_id is null) > 0
                  and count(*) filter (where user_id is not null) > 0)""") > 0
    # Seasonality: December is a top shopping month; weekends are quiet for business use.
    december = one("""select avg(n) from (select date_trunc('month', ordered_at) as m, count(*) as n
                      from raw.orders where month(ordered_at) = 12 group by m)""")
    others = one("""select avg(n) from (select date_trunc('month', ordered_at) as m, count(*) as n
                    from raw.orders where month(ordered_at) between 9 and 11
                    and year(ordered_at) >= 2025 group by m)""")
    assert december > others


def test_planted_incident_is_visible(con):
    effect = dict(con.execute("""select parameter_name, parameter_value
                                 from cxux_meta.planted_effects
                                 where effect_name = 'ux_incident'""").fetchall())
    assert effect["region"] == "europe"
    start = con.execute("""select min(period_start) from cxux_meta.planted_effects
                           where effect_name = 'ux_incident'""").fetchone()[0]
    assert start == dt.date(2026, 2, 1)  # 4 months before June 2026 (as_of 2026-06-30)
    europe = "('GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'SE', 'PL')"
    failure_share = con.execute(f"""
        with outcomes as (
            select e.event_name, u.country_code in {europe} as is_europe,
                date_trunc('month', e.occurred_at) = date '2026-02-01' as in_month
            from raw.events as e join raw.users as u using (user_id)
            where e.event_name in ('task_completed', 'task_failed', 'task_abandoned'))
        select
            avg(case when event_name = 'task_failed' then 1.0 else 0 end)
                filter (where is_europe and in_month),
            avg(case when event_name = 'task_failed' then 1.0 else 0 end)
                filter (where not (is_europe and in_month))
        from outcomes""").fetchone()
    assert failure_share[0] > 2 * failure_share[1], failure_share
    lcp = con.execute(f"""
        select median(p.lcp_ms) filter (where u.country_code in {europe}
                   and date_trunc('month', p.occurred_at) = date '2026-02-01'),
               median(p.lcp_ms) filter (where not (u.country_code in {europe}
                   and date_trunc('month', p.occurred_at) = date '2026-02-01'))
        from raw.page_views as p join raw.users as u using (user_id)""").fetchone()
    assert lcp[0] > 1.4 * lcp[1], lcp
    ux_cancels = con.execute(f"""
        select count(*) from raw.subscription_events as s join raw.accounts as a using (account_id)
        where s.cancel_reason = 'ux_issues' and a.country_code in {europe}
        and s.occurred_at >= date '2026-02-01' and s.occurred_at < date '2026-03-15'""").fetchone()[0]
    assert ux_cancels >= int(effect["incident_cancels"])
    bug_tickets = con.execute(f"""
        select count(*) filter (where date_trunc('month', t.created_at) = date '2026-02-01'),
               count(*) filter (where date_trunc('month', t.created_at) = date '2026-01-01')
        from raw.support_tickets as t join raw.accounts as a using (account_id)
        where t.category = 'bug' and a.country_code in {europe}""").fetchone()
    assert bug_tickets[0] > 2 * bug_tickets[1], bug_tickets


def test_incident_churn_follows_each_accounts_own_exposure(con):
    """The incident's cancels fall only on exposed accounts (a user of the account had a
    failed or abandoned task attempt during the incident), after that attempt; the
    recorded count of exposed accounts is what the raw events show."""
    planted = dict(con.execute("""select parameter_name, parameter_value
                                  from cxux_meta.planted_effects
                                  where effect_name = 'ux_incident'""").fetchall())
    europe = "('GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'SE', 'PL')"
    exposure = f"""
        select u.account_id, min(e.occurred_at) as exposed_at
        from raw.events as e join raw.users as u using (user_id)
        where e.event_name in ('task_failed', 'task_abandoned') and u.account_id is not null
            and u.country_code in {europe}
            and e.task_attempt_id in (
                select task_attempt_id from raw.events
                where event_name = 'task_started'
                    and occurred_at >= date '2026-02-01' and occurred_at < date '2026-03-01')
        group by 1"""
    exposed = con.execute(f"select count(*) from ({exposure})").fetchone()[0]
    assert exposed == int(planted["exposed_accounts"]) > 0
    # every ux_issues cancel from the incident month to 21 days after it is on an exposed
    # account, 2-21 days after its first failed/abandoned attempt (base-rate ux_issues
    # cancels of unexposed accounts in that window are possible, but rare: at most 2)
    cancels = con.execute(f"""
        with exposure as ({exposure})
        select
            count(*) filter (where x.account_id is not null
                and s.occurred_at between x.exposed_at + interval 2 day
                and x.exposed_at + interval 21 day),
            count(*) filter (where x.account_id is null)
        from raw.subscription_events as s left join exposure as x using (account_id)
        where s.cancel_reason = 'ux_issues'
            and s.occurred_at >= date '2026-02-01' and s.occurred_at < date '2026-03-22'
        """).fetchone()
    assert cancels[0] >= int(planted["incident_cancels"]) >= 1, (cancels, planted["incident_cancels"])
    assert cancels[1] <= 2, cancels


def test_failed_generation_keeps_the_previous_raw_schema(tmp_path, contract, monkeypatch):
    path = tmp_path / "atomic.duckdb"
    generate_raw(path, PROJECT_ROOT, seed=1, scale=0.02, as_of=AS_OF)
    before = table_digests(path, contract)

    from cxux_cli.generate import service

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "make_reviews", broken)
    with pytest.raises(RuntimeError):
        generate_raw(path, PROJECT_ROOT, seed=2, scale=0.02, as_of=AS_OF)
    assert table_digests(path, contract) == before


def test_cli_writes_summary_and_rejects_bad_scale(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CXUX_DUCKDB_PATH", str(tmp_path / "cli.duckdb"))
    monkeypatch.setenv("CXUX_PROJECT_DIR", str(PROJECT_ROOT))
    assert main(["generate", "--scale", "0.02", "--seed", "3", "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "events" in out and "total" in out
    assert main(["generate", "--scale", "-1"]) == 2
    assert "scale" in capsys.readouterr().err.lower()
    assert main(["generate", "--as-of", "yesterday"]) == 2
