"""Small hand-written raw tables with planted bad rows, and the quarantine they must produce.

Every table follows the contract's column order. EXPECTED_REASONS lists, by hand,
each rejected (table, row_id) with all its reasons; every other row must reach staging.
"""

from __future__ import annotations

from pathlib import Path

# The build pins "now" so future-timestamp checks do not depend on the day tests run.
AS_OF = "2026-06-30"

RAW_SQL = """
create schema if not exists raw;

create table raw.accounts (account_id varchar, account_type varchar, account_name varchar,
    email varchar, segment varchar, country_code varchar, acquisition_channel varchar,
    created_at timestamp, updated_at timestamp);
insert into raw.accounts values
    ('A-1', 'business', 'Acme Ltd', 'old@acme.example', 'smb', 'DE', 'organic', '2024-01-01', '2024-01-01'),
    ('A-1', 'business', 'Acme GmbH', ' Alice@Example.com ', 'mid_market', 'de', 'sales', '2024-01-01', '2024-02-01'),
    ('A-2', 'individual', 'Bob Person', 'bob@example.com', 'consumer', 'US', 'paid_search', '2024-01-05', '2024-01-05'),
    ('A-3', 'household', null, null, 'consumer', null, null, '2024-01-06', '2024-01-06'),
    ('A-4', 'alien', null, null, 'galactic', 'FR', 'organic', '2024-01-07', '2024-01-07'),
    ('A-5', 'individual', null, null, 'consumer', 'JP', 'social', '2024-01-08', '2024-01-08'),
    ('A-5', 'individual', null, null, 'consumer', 'JP', 'social', '2024-01-08', '2024-01-08'),
    ('A-6', 'individual', null, null, 'consumer', 'BR', 'referral', '1999-12-31', '2024-01-09'),
    ('A-7', 'business', 'Future Inc', null, 'enterprise', 'ZZ', 'partner', '2024-01-10', '2030-01-01');

create table raw.users (user_id varchar, account_id varchar, email varchar, role varchar,
    is_account_owner boolean, signup_at timestamp, country_code varchar, updated_at timestamp);
insert into raw.users values
    ('U-1', 'A-1', 'alice@example.com', 'owner', true, '2024-01-02', 'DE', '2024-01-02'),
    ('U-2', null, null, 'guest', false, '2024-01-03', 'KE', '2024-01-03'),
    ('U-3', 'A-4', null, 'member', false, '2024-01-04', null, '2024-01-04'),
    ('U-4', 'A-999', null, 'member', false, '2024-01-04', null, '2024-01-04'),
    ('U-5', 'A-2', null, null, false, '2024-01-04', null, '2024-01-04');

create table raw.products (product_id varchar, product_name varchar, category varchar,
    is_subscription boolean, list_price decimal(18, 2), currency varchar, launched_at timestamp);
insert into raw.products values
    ('P-1', 'Laptop', 'hardware', false, 999.00, 'EUR', '2023-01-01'),
    ('P-2', 'Pro plan', 'software', true, -1.00, 'EUR', '2023-01-01'),
    ('P-3', 'Alpha', 'hardware', false, 10.00, 'EUR', '2023-01-01'),
    ('P-3', 'Beta', 'hardware', false, 10.00, 'EUR', '2023-01-01');

create table raw.orders (order_id varchar, account_id varchar, placed_by_user_id varchar,
    ordered_at timestamp, channel varchar, status varchar, currency varchar,
    order_total decimal(18, 2), discount_total decimal(18, 2), updated_at timestamp);
insert into raw.orders values
    ('O-1', 'A-1', 'U-1', '2024-03-01', 'web', 'paid', 'EUR', 100.00, 0.00, '2024-03-01'),
    ('O-2', 'A-2', null, '2024-03-02', 'web', 'teleported', 'EUR', 50.00, null, '2024-03-02'),
    ('O-3', 'A-999', null, '2024-03-03', 'app', 'paid', 'EUR', 20.00, null, '2024-03-03'),
    ('O-4', 'A-2', null, '2024-03-04', 'store', 'placed', 'EUR', 30.00, null, '2024-03-04'),
    ('O-4', 'A-2', null, '2024-03-04', 'store', 'delivered', 'EUR', 30.00, null, '2024-03-06'),
    ('O-5', 'A-2', null, '2024-03-05', 'phone', 'paid', 'EUR', -5.00, null, '2024-03-05');

create table raw.order_items (order_item_id varchar, order_id varchar, product_id varchar,
    quantity bigint, unit_price decimal(18, 2), discount decimal(18, 2));
insert into raw.order_items values
    ('OI-1', 'O-1', 'P-1', 2, 50.00, 0.00),
    ('OI-2', 'O-1', 'P-1', -2, 50.00, null),
    ('OI-3', 'O-2', 'P-1', 1, 50.00, null),
    ('OI-4', 'O-4', 'P-404', 1, 30.00, null);

create table raw.subscription_events (subscription_event_id varchar, subscription_id varchar,
    account_id varchar, product_id varchar, event_type varchar, occurred_at timestamp,
    seats_after bigint, mrr_after decimal(18, 2), currency varchar, cancel_reason varchar);
insert into raw.subscription_events values
    ('SE-1', 'S-1', 'A-1', 'P-1', 'start', '2024-01-15', 5, 100.00, 'EUR', null),
    ('SE-2', 'S-1', 'A-1', 'P-1', 'cancel', '2024-06-15', 0, 0.00, 'EUR', 'price'),
    ('SE-3', 'S-2', 'A-2', 'P-1', 'upgrade', '2024-02-15', 1, 20.00, 'EUR', 'price'),
    ('SE-4', 'S-2', 'A-2', 'P-1', 'cancel', '2024-03-15', 0, 10.00, 'EUR', 'other');

create table raw.support_tickets (ticket_id varchar, account_id varchar, requester_user_id varchar,
    channel varchar, category varchar, priority varchar, created_at timestamp, status varchar,
    updated_at timestamp);
insert into raw.support_tickets values
    ('T-1', 'A-1', 'U-1', 'email', 'billing', 'normal', '2024-04-01', 'open', '2024-04-01'),
    ('T-1', 'A-1', 'U-1', 'email', 'billing', 'normal', '2024-04-01', 'solved', '2024-04-02'),
    ('T-2', 'A-2', null, 'chat', 'bug', 'asap', '2024-04-03', 'open', '2024-04-03');

create table raw.ticket_events (ticket_event_id varchar, ticket_id varchar, event_type varchar,
    author_type varchar, is_public boolean, new_status varchar, occurred_at timestamp);
insert into raw.ticket_events values
    ('TE-1', 'T-1', 'comment', 'agent', true, null, '2024-04-01 10:00:00'),
    ('TE-2', 'T-1', 'status_change', 'agent', false, null, '2024-04-02'),
    ('TE-3', 'T-2', 'comment', 'agent', true, null, '2024-04-03');

create table raw.survey_responses (response_id varchar, survey_id varchar, survey_type varchar,
    touchpoint varchar, respondent_user_id varchar, account_id varchar, related_order_id varchar,
    related_ticket_id varchar, responded_at timestamp, score bigint, comment varchar);
insert into raw.survey_responses values
    ('R-1', 'SV-1', 'nps', 'relationship', 'U-1', 'A-1', null, null, '2024-05-01', 9,
        'Great! Mail me at jane.doe@mail.example.org or call +44 20 7946 0958 after 2024-06-01.'),
    ('R-2', 'SV-2', 'sus', 'in_product', 'U-1', null, null, null, '2024-05-02', null, null),
    ('R-3', 'SV-3', 'umux_lite', 'in_product', 'U-2', null, null, null, '2024-05-03', null, null),
    ('R-4', 'SV-1', 'nps', 'relationship', null, null, null, null, '2024-05-04', 11, null),
    ('R-5', 'SV-4', 'csat', 'post_support', null, null, null, 'T-1', '2024-05-05', null, null),
    ('R-6', 'SV-2', 'sus', 'in_product', null, null, null, null, '2024-05-06', 50, null),
    ('R-7', 'SV-4', 'csat', 'post_purchase', null, 'A-1', 'O-1', null, '2024-05-07', 4, 'ok');

create table raw.survey_item_answers (response_id varchar, item_number bigint, answer bigint);
insert into raw.survey_item_answers values
    ('R-2', 1, 4), ('R-2', 2, 5), ('R-2', 3, 6), ('R-2', 11, 3),
    ('R-3', 1, 7), ('R-3', 3, 4),
    ('R-7', 1, 3), ('R-404', 1, 3), ('R-4', 1, 2);

-- rating is text here, as a CSV export would give it, to exercise the type check
create table raw.reviews (review_id varchar, account_id varchar, product_id varchar,
    platform varchar, rating varchar, is_verified_purchase boolean, posted_at timestamp);
insert into raw.reviews values
    ('RV-1', 'A-1', 'P-1', 'site', '5', true, '2024-05-10'),
    ('RV-2', null, 'P-1', 'google', '0', false, '2024-05-11'),
    ('RV-3', null, 'P-1', 'trustpilot', 'five', false, '2024-05-12'),
    ('RV-4', null, 'P-1', 'app_store', null, false, '2024-05-13');

create table raw.page_views (page_view_id varchar, user_id varchar, anonymous_id varchar,
    session_id varchar, occurred_at timestamp, received_at timestamp, platform varchar,
    device_type varchar, page_path varchar, lcp_ms double, inp_ms double, cls double,
    fcp_ms double, ttfb_ms double);
insert into raw.page_views values
    ('PV-1', 'U-1', 'anon-1', 'SS-1', '2024-05-01 10:00:00', '2024-05-01 10:00:01', 'web', 'desktop', '/home', 1800, 120, 0.05, 900, 300),
    ('PV-2', null, 'anon-2', 'SS-2', '2024-05-01 11:00:00', '2024-05-01 11:00:05', 'ios', 'mobile', '/cart', null, null, null, null, null),
    ('PV-2', null, 'anon-2', 'SS-2', '2024-05-01 11:00:00', '2024-05-03 09:00:00', 'ios', 'mobile', '/cart', null, null, null, null, null),
    ('PV-3', 'U-1', 'anon-1', 'SS-1', '2024-05-01 10:05:00', '2024-05-01 10:05:01', 'web', 'desktop', '/checkout', -1, 100, 0.1, 800, 200),
    ('PV-4', null, 'anon-3', 'SS-3', '2024-05-01 12:00:00', '2024-05-01 12:00:01', 'smart_fridge', null, '/', null, null, null, null, null);

create table raw.events (event_id varchar, user_id varchar, anonymous_id varchar, session_id varchar,
    event_name varchar, occurred_at timestamp, received_at timestamp, platform varchar,
    page_path varchar, feature varchar, task_name varchar, task_attempt_id varchar, error_code varchar);
insert into raw.events values
    ('E-1', 'U-1', 'anon-1', 'SS-1', 'task_started', '2024-05-01 10:00:00', '2024-05-01 10:00:01', 'web', '/home', null, 'checkout', 'TA-1', null),
    ('E-2', 'U-1', 'anon-1', 'SS-1', 'task_started', '2024-05-01 10:01:00', '2024-05-01 10:01:01', 'web', '/home', null, null, null, null),
    ('E-3', 'U-404', 'anon-9', 'SS-9', 'login', '2024-05-01 10:02:00', '2024-05-01 10:02:01', 'android', null, null, null, null, null),
    ('E-4', null, 'anon-1', 'SS-1', 'click', '1999-05-01 10:00:00', '2024-05-01 10:03:00', 'web', '/home', null, null, null, null);
"""

EXPECTED_REASONS: dict[tuple[str, str], list[str]] = {
    ("accounts", "A-1"): ["accounts.account_id: 'A-1' is superseded by a later version (updated_at)"],
    ("accounts", "A-4"): [
        "accounts.account_type: 'alien' is not one of individual, household, business",
        "accounts.segment: 'galactic' is not one of consumer, smb, mid_market, enterprise",
    ],
    ("accounts", "A-5"): ["accounts.account_id: 'A-5' is an exact duplicate of a kept row"],
    ("accounts", "A-6"): ["accounts.created_at: 1999-12-31 00:00:00 is before 2000-01-01"],
    ("accounts", "A-7"): [
        "accounts.updated_at: 2030-01-01 00:00:00 is in the future (later than 2026-07-01 00:00:00)"
    ],
    ("users", "U-3"): ["users.account_id: 'A-4' has no accepted accounts row"],
    ("users", "U-4"): ["users.account_id: 'A-999' has no accepted accounts row"],
    ("users", "U-5"): ["users.role is missing (required)"],
    ("products", "P-2"): ["products.list_price: -1.00 is below the minimum 0"],
    # same key, different values, no version column: the first by JSON text ('Alpha') is kept
    ("products", "P-3"): [
        (
            "products.product_id: 'P-3' has a kept copy with different values"
            " (no version_column to tell the latest)"
        )
    ],
    ("orders", "O-2"): [
        "orders.status: 'teleported' is not one of placed, paid, shipped, delivered, cancelled, returned"
    ],
    ("orders", "O-3"): ["orders.account_id: 'A-999' has no accepted accounts row"],
    ("orders", "O-4"): ["orders.order_id: 'O-4' is superseded by a later version (updated_at)"],
    ("orders", "O-5"): ["orders.order_total: -5.00 is below the minimum 0"],
    ("order_items", "OI-2"): ["order_items.quantity: -2 is below the minimum 1"],
    ("order_items", "OI-3"): ["order_items.order_id: 'O-2' has no accepted orders row"],
    ("order_items", "OI-4"): ["order_items.product_id: 'P-404' has no accepted products row"],
    ("subscription_events", "SE-3"): ["subscription_events: cancel_reason is only allowed on cancel events"],
    ("subscription_events", "SE-4"): ["subscription_events: mrr_after must be 0 after a cancel"],
    ("support_tickets", "T-1"): ["support_tickets.ticket_id: 'T-1' is superseded by a later version (updated_at)"],
    ("support_tickets", "T-2"): ["support_tickets.priority: 'asap' is not one of low, normal, high, urgent"],
    ("ticket_events", "TE-2"): ["ticket_events: a status_change needs new_status"],
    ("ticket_events", "TE-3"): ["ticket_events.ticket_id: 'T-2' has no accepted support_tickets row"],
    ("survey_responses", "R-4"): ["survey_responses: score outside the scale of its survey_type"],
    ("survey_responses", "R-5"): ["survey_responses: single-question survey without a score"],
    ("survey_responses", "R-6"): ["survey_responses: multi-item instrument with a single score"],
    ("survey_item_answers", "R-2|3"): ["survey_item_answers.answer: 6 is outside the SUS answer scale 1-5"],
    ("survey_item_answers", "R-2|11"): [
        "survey_item_answers.item_number: 11 is above the maximum 10",
        "survey_item_answers.item_number: 11 is not a SUS item (1-10)",
    ],
    ("survey_item_answers", "R-3|3"): ["survey_item_answers.item_number: 3 is not a UMUX-Lite item (1-2)"],
    ("survey_item_answers", "R-7|1"): [
        "survey_item_answers.response_id: 'R-7' is not a sus or umux_lite response (only those have items)"
    ],
    ("survey_item_answers", "R-404|1"): [
        "survey_item_answers.response_id: 'R-404' has no accepted survey_responses row"
    ],
    ("survey_item_answers", "R-4|1"): [
        "survey_item_answers.response_id: 'R-4' has no accepted survey_responses row"
    ],
    ("reviews", "RV-2"): ["reviews.rating: 0 is below the minimum 1"],
    ("reviews", "RV-3"): ["reviews.rating: 'five' is not a valid integer"],
    ("reviews", "RV-4"): ["reviews.rating is missing (required)"],
    ("page_views", "PV-2"): ["page_views.page_view_id: 'PV-2' is superseded by a later version (received_at)"],
    ("page_views", "PV-3"): ["page_views.lcp_ms: -1.0 is below the minimum 0"],
    ("page_views", "PV-4"): [
        "page_views.platform: 'smart_fridge' is not one of web, ios, android, desktop"
    ],
    ("events", "E-2"): ["events: task event without task_name or task_attempt_id"],
    ("events", "E-3"): ["events.user_id: 'U-404' has no accepted users row"],
    ("events", "E-4"): ["events.occurred_at: 1999-05-01 10:00:00 is before 2000-01-01"],
}

# Raw row counts per table (every copy of a duplicate counts).
RAW_ROWS = {
    "accounts": 9, "users": 5, "products": 4, "orders": 6, "order_items": 4,
    "subscription_events": 4, "support_tickets": 3, "ticket_events": 3, "survey_responses": 7,
    "survey_item_answers": 9, "reviews": 4, "page_views": 5, "events": 4,
}


def create_raw_tables(duckdb_path: Path) -> None:
    import duckdb

    with duckdb.connect(str(duckdb_path)) as connection:
        connection.execute(RAW_SQL)
