"""Planting documented bad rows into the generated raw tables, and recording each one.

Every rule below makes exactly ONE defect on a row and records it in
cxux_meta.planted_bad_rows(table_name, row_id, defect, column_name). Most bad rows
are copies of clean rows (with a new id where the defect is not a duplicate), so
the clean data stays complete and nothing references a bad row; the two
survey_item_answers rules change the row in place (nothing references an item).
"""

from __future__ import annotations

import datetime as dt

from cxux_cli.contract import Table

DEFECTS = (
    "duplicate_superseded",  # same key, an older version (updated_at / received_at): must lose
    "duplicate_exact",  # an identical second copy of a row
    "null_required",  # null in a column the contract marks required
    "out_of_domain",  # value outside accepted_values / min..max / the survey_type's scale
    "row_check_violation",  # breaks one of the contract's row_checks (other than the scale check)
    "future_timestamp",  # about ten years after as_of (a device clock gone wrong)
    "ancient_timestamp",  # on 1970-01-01 (a clock reset to the Unix epoch)
    "orphan_foreign_key",  # a reference to an id that exists nowhere
)


def _mid(lo: str, hi: str) -> str:
    return f"make_timestamp((epoch_us({lo}) + epoch_us({hi})) // 2)"


def _orphan(column: str) -> str:
    return f"regexp_replace({column}, '_', '_8')"


FUTURE = "future"
ANCIENT = "ancient"
NULL = "null"

# table -> [(defect, column, candidate filter, {column: new value}, new id?)]
RULES: dict[str, list[tuple]] = {
    "accounts": [
        ("duplicate_superseded", "updated_at", "updated_at > created_at + interval 2 second",
         {"updated_at": _mid("created_at", "updated_at")}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "account_type", "true", {"account_type": NULL}, True),
        ("out_of_domain", "segment", "true", {"segment": "'startup'"}, True),
        ("ancient_timestamp", "created_at", "true", {"created_at": ANCIENT}, True),
        ("future_timestamp", "created_at", "true", {"created_at": FUTURE}, True),
    ],
    "users": [
        ("duplicate_superseded", "updated_at", "updated_at > signup_at + interval 2 second",
         {"updated_at": _mid("signup_at", "updated_at")}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "role", "true", {"role": NULL}, True),
        ("out_of_domain", "role", "true", {"role": "'superuser'"}, True),
        ("orphan_foreign_key", "account_id", "account_id is not null",
         {"account_id": _orphan("account_id")}, True),
        ("ancient_timestamp", "signup_at", "true", {"signup_at": ANCIENT}, True),
        ("future_timestamp", "signup_at", "true", {"signup_at": FUTURE}, True),
    ],
    "products": [
        ("duplicate_exact", None, "true", {}, False),
        ("out_of_domain", "list_price", "list_price > 0", {"list_price": "-list_price"}, True),
    ],
    "orders": [
        ("duplicate_superseded", "updated_at", "updated_at > ordered_at + interval 2 second",
         {"updated_at": _mid("ordered_at", "updated_at"), "status": "'placed'"}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "account_id", "true", {"account_id": NULL}, True),
        ("out_of_domain", "status", "true", {"status": "'refunded'"}, True),
        ("out_of_domain", "order_total", "order_total > 0", {"order_total": "-order_total"}, True),
        ("orphan_foreign_key", "account_id", "true", {"account_id": _orphan("account_id")}, True),
        ("orphan_foreign_key", "placed_by_user_id", "placed_by_user_id is not null",
         {"placed_by_user_id": _orphan("placed_by_user_id")}, True),
        ("ancient_timestamp", "ordered_at", "true", {"ordered_at": ANCIENT}, True),
        ("future_timestamp", "ordered_at", "true", {"ordered_at": FUTURE}, True),
    ],
    "order_items": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "product_id", "true", {"product_id": NULL}, True),
        ("out_of_domain", "quantity", "true", {"quantity": "-quantity"}, True),
        ("orphan_foreign_key", "order_id", "true", {"order_id": _orphan("order_id")}, True),
        ("orphan_foreign_key", "product_id", "true", {"product_id": _orphan("product_id")}, True),
    ],
    "subscription_events": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "account_id", "true", {"account_id": NULL}, True),
        ("out_of_domain", "event_type", "event_type <> 'cancel'", {"event_type": "'pause'"}, True),
        ("row_check_violation", "cancel_reason", "event_type in ('upgrade', 'seat_change')",
         {"cancel_reason": "'price'"}, True),
        ("row_check_violation", "mrr_after", "event_type = 'cancel'",
         {"mrr_after": "cast(19.99 as decimal(18, 2))"}, True),
        ("orphan_foreign_key", "account_id", "true", {"account_id": _orphan("account_id")}, True),
        ("ancient_timestamp", "occurred_at", "true", {"occurred_at": ANCIENT}, True),
        ("future_timestamp", "occurred_at", "true", {"occurred_at": FUTURE}, True),
    ],
    "support_tickets": [
        ("duplicate_superseded", "updated_at", "updated_at > created_at + interval 2 second",
         {"updated_at": _mid("created_at", "updated_at"), "status": "'open'"}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "channel", "true", {"channel": NULL}, True),
        ("out_of_domain", "priority", "true", {"priority": "'critical'"}, True),
        ("orphan_foreign_key", "account_id", "account_id is not null",
         {"account_id": _orphan("account_id")}, True),
        ("orphan_foreign_key", "requester_user_id", "requester_user_id is not null",
         {"requester_user_id": _orphan("requester_user_id")}, True),
        ("ancient_timestamp", "created_at", "true", {"created_at": ANCIENT}, True),
        ("future_timestamp", "created_at", "true", {"created_at": FUTURE}, True),
    ],
    "ticket_events": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "ticket_id", "true", {"ticket_id": NULL}, True),
        ("out_of_domain", "author_type", "true", {"author_type": "'bot'"}, True),
        ("row_check_violation", "new_status", "event_type = 'status_change'",
         {"new_status": NULL}, True),
        ("orphan_foreign_key", "ticket_id", "true", {"ticket_id": _orphan("ticket_id")}, True),
        ("future_timestamp", "occurred_at", "true", {"occurred_at": FUTURE}, True),
    ],
    "survey_responses": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "survey_id", "true", {"survey_id": NULL}, True),
        ("out_of_domain", "survey_type", "true", {"survey_type": "'poll'"}, True),
        ("out_of_domain", "score", "survey_type = 'nps'", {"score": "11"}, True),
        ("row_check_violation", "score", "survey_type = 'sus'", {"score": "3"}, True),
        ("row_check_violation", "score", "survey_type = 'csat'", {"score": NULL}, True),
        ("orphan_foreign_key", "respondent_user_id", "respondent_user_id is not null",
         {"respondent_user_id": _orphan("respondent_user_id")}, True),
        ("orphan_foreign_key", "related_order_id", "related_order_id is not null",
         {"related_order_id": _orphan("related_order_id")}, True),
        ("orphan_foreign_key", "related_ticket_id", "related_ticket_id is not null",
         {"related_ticket_id": _orphan("related_ticket_id")}, True),
        ("ancient_timestamp", "responded_at", "true", {"responded_at": ANCIENT}, True),
        ("future_timestamp", "responded_at", "true", {"responded_at": FUTURE}, True),
    ],
    "survey_item_answers": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "answer", "true", {"answer": NULL}, "in_place"),
        ("out_of_domain", "answer", "true", {"answer": "9"}, "in_place"),
        ("orphan_foreign_key", "response_id", "true", {"response_id": _orphan("response_id")}, False),
    ],
    "reviews": [
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "platform", "true", {"platform": NULL}, True),
        ("out_of_domain", "rating", "true", {"rating": "6"}, True),
        ("orphan_foreign_key", "product_id", "true", {"product_id": _orphan("product_id")}, True),
        ("orphan_foreign_key", "account_id", "account_id is not null",
         {"account_id": _orphan("account_id")}, True),
        ("ancient_timestamp", "posted_at", "true", {"posted_at": ANCIENT}, True),
        ("future_timestamp", "posted_at", "true", {"posted_at": FUTURE}, True),
    ],
    "page_views": [
        ("duplicate_superseded", "received_at", "received_at > occurred_at + interval 2 millisecond",
         {"received_at": _mid("occurred_at", "received_at")}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "session_id", "true", {"session_id": NULL}, True),
        ("out_of_domain", "platform", "true", {"platform": "'windows'"}, True),
        ("out_of_domain", "lcp_ms", "lcp_ms > 0", {"lcp_ms": "-lcp_ms"}, True),
        ("orphan_foreign_key", "user_id", "user_id is not null", {"user_id": _orphan("user_id")}, True),
        ("ancient_timestamp", "occurred_at", "true", {"occurred_at": ANCIENT}, True),
        ("future_timestamp", "occurred_at", "true", {"occurred_at": FUTURE}, True),
    ],
    "events": [
        ("duplicate_superseded", "received_at", "received_at > occurred_at + interval 2 millisecond",
         {"received_at": _mid("occurred_at", "received_at")}, False),
        ("duplicate_exact", None, "true", {}, False),
        ("null_required", "event_name", "event_name in ('click', 'login')", {"event_name": NULL}, True),
        ("out_of_domain", "event_name", "event_name = 'click'", {"event_name": "'purchase'"}, True),
        ("row_check_violation", "task_attempt_id", "event_name = 'task_completed'",
         {"task_attempt_id": NULL}, True),
        ("orphan_foreign_key", "user_id", "user_id is not null", {"user_id": _orphan("user_id")}, True),
        ("ancient_timestamp", "occurred_at", "true", {"occurred_at": ANCIENT}, True),
        ("future_timestamp", "occurred_at", "true", {"occurred_at": FUTURE}, True),
    ],
}


def key_sql(table: Table) -> str:
    """The row id as text: the primary key, composite keys joined with '|'."""
    return " || '|' || ".join(f"cast({c} as varchar)" for c in table.primary_key)


def plant(con, schema: str, tables: dict[str, Table], seed: int, as_of: dt.date, rate: float,
          log) -> int:
    """Plant every rule on the clean raw tables; returns the number of bad rows."""
    con.execute("create temp table _cxux_chosen (table_name varchar, row_id varchar)")
    total = 0
    for name, rules in RULES.items():
        table = tables[name]
        key = key_sql(table)
        clean_rows = con.execute(f"select count(*) from {schema}.{name}").fetchone()[0]
        k = 1 if name == "products" else max(1, round(clean_rows * rate))
        # Rules pick from a seeded random pool, so big tables are scanned once, not per rule.
        con.execute(f"""create or replace temp table _cxux_pool as
            select * from {schema}.{name} order by hash({seed}, 'pool', {key})
            limit {max(5000, 60 * k)}""")
        for number, (defect, column, where, sets, mode) in enumerate(rules):
            salt = f"{name}/{number}"
            exprs = []
            for c in table.columns:
                value = sets.get(c.name)
                if value == NULL:
                    value = "null"
                elif value == FUTURE:
                    value = (f"timestamp '{as_of.isoformat()}' + interval 3650 day"
                             f" + to_days(cast(hash({seed}, {key}) % 365 as integer))")
                elif value == ANCIENT:
                    value = (f"timestamp '1970-01-01'"
                             f" + to_seconds(cast(hash({seed}, {key}) % 86400 as bigint))")
                elif value is None and mode is True and c.name == table.primary_key[0]:
                    value = f"regexp_replace({c.name}, '_', '_9')"
                exprs.append(f"cast({value or c.name} as {c.duckdb_type}) as {c.name}")
            con.execute(f"""
                create or replace temp table _cxux_source as
                select * from _cxux_pool
                where ({where}) and {key} not in (
                    select row_id from _cxux_chosen where table_name = '{name}')
                order by hash({seed}, '{salt}', {key})
                limit {k}
            """)
            con.execute(f"insert into _cxux_chosen select '{name}', {key} from _cxux_source")
            con.execute(f"create or replace temp table _cxux_bad as select {', '.join(exprs)} "
                        "from _cxux_source")
            if mode == "in_place":
                con.execute(f"delete from {schema}.{name} where {key} in "
                            f"(select {key} from _cxux_source)")
            con.execute(f"insert into {schema}.{name} select * from _cxux_bad")
            con.execute(f"insert into _cxux_chosen select '{name}', {key} from _cxux_bad")
            col = f"'{column}'" if column else "null"
            con.execute(f"insert into cxux_meta.planted_bad_rows select '{name}', {key}, "
                        f"'{defect}', {col} from _cxux_bad")
            total += con.execute("select count(*) from _cxux_bad").fetchone()[0]
        log.info("planted bad rows in %s", name)
    con.execute("drop table _cxux_chosen")
    con.execute("drop table if exists _cxux_pool")
    return total
