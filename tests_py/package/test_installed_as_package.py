"""cxux installed as a dbt package in a host project (integration_tests/, issue 16).

The host is built once on DuckDB with plain `dbt deps` + `dbt build`, on demo data that
`cxux generate` wrote into schema `raw`. The host declares its own source named `raw`
(schema `shop`, a Shopify-like table cxux must never read) and feeds cxux's orders through
a model of its own (var cxux_orders_relation). It maintains metric definitions of its own
(integration_tests/cxux_metrics/: a target for cxux's NPS, a metric of its own) that
`cxux metrics compile`, run in the host folder, merges into the host's registry macro.
Expected values come from the raw data itself, counted here with plain SQL, not from what
cxux computed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
CXUX = [sys.executable, "-m", "cxux_cli.cli"]
AS_OF = "2026-06-30"
HOST_SHOP_ORDERS = 3  # rows the host's own `raw.orders` (schema shop) holds


def _host_copy(workdir: Path) -> Path:
    """integration_tests/ copied out of the repository, pointing at the repository."""
    host = workdir / "host"
    shutil.copytree(REPO / "integration_tests", host,
                    ignore=shutil.ignore_patterns("dbt_packages", "target", "logs", "*.duckdb"))
    (host / "packages.yml").write_text(f"packages:\n  - local: {REPO}\n", encoding="utf-8")
    return host


def _env(workdir: Path, host: Path) -> dict:
    env = dict(os.environ)
    env.update(
        CXUX_PROJECT_DIR=str(REPO),
        CXUX_DUCKDB_PATH=str(workdir / "host.duckdb"),
        DBT_PROFILES_DIR=str(host),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
    )
    return env


def _run(command: list[str], env: dict, cwd: Path) -> str:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        lines = result.stdout.splitlines()
        start = next((i for i, line in enumerate(lines) if "Completed with" in line), -80)
        raise AssertionError(f"{' '.join(command[:2])} exited {result.returncode}:\n"
                             + "\n".join(lines[start:][:120]) + result.stderr[-3000:])
    return result.stdout


@pytest.fixture(scope="module")
def host_build(tmp_path_factory):
    import duckdb

    workdir = tmp_path_factory.mktemp("package")
    host = _host_copy(workdir)
    env = _env(workdir, host)
    _run([sys.executable, "-m", "cxux_cli.cli", "generate", "--scale", "0.1", "--seed", "7",
          "--as-of", AS_OF], env, REPO)
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        # The host's own `raw` source: another shape entirely (Shopify-like).
        con.execute("create schema shop")
        con.execute("create table shop.orders (id bigint, total_price decimal(10, 2), email varchar)")
        con.execute("insert into shop.orders values (1, 10.00, 'a@x'), (2, 20.00, 'b@x'), "
                    "(3, 30.00, 'c@x')")
    _run([DBT, "deps"], env, host)
    _run(CXUX + ["metrics", "compile"], _in_host(env), host)
    _run([DBT, "build"], env, host)
    manifest = json.loads((workdir / "target" / "manifest.json").read_text(encoding="utf-8"))
    return env, manifest


def _in_host(env: dict) -> dict:
    """The environment of a user in the host folder: no CXUX_PROJECT_DIR pointing at cxux."""
    return {key: value for key, value in env.items() if key != "CXUX_PROJECT_DIR"}


def _query(env: dict, sql: str) -> list[tuple]:
    import duckdb

    with duckdb.connect(env["CXUX_DUCKDB_PATH"], read_only=True) as con:
        return con.execute(sql).fetchall()


def test_cxux_schemas_follow_the_host_naming(host_build):
    env, _manifest = host_build
    schemas = {name for (name,) in _query(env, "select schema_name from duckdb_schemas()")}
    # dbt's default naming: <target schema>_<custom schema>; the host's target schema is analytics
    assert {"analytics_staging", "analytics_intermediate", "analytics_marts",
            "analytics_quarantine"} <= schemas
    assert not schemas & {"marts", "staging", "intermediate", "quarantine", "seeds"}
    marts = {name for (name,) in _query(
        env, "select table_name from duckdb_tables() where schema_name = 'analytics_marts'")}
    assert {"dim_customers", "dim_users", "fct_orders", "metric_values"} <= marts


def test_self_tests_stay_home(host_build):
    env, manifest = host_build
    cxux_unit_tests = [key for key in manifest["unit_tests"] if key.startswith("unit_test.cxux.")]
    fixtures = [key for key, node in manifest["nodes"].items()
                if "cxux_metric_fixture" in node.get("tags", [])]
    assert cxux_unit_tests == [] and fixtures == []
    schemas = {name for (name,) in _query(env, "select schema_name from duckdb_schemas()")}
    assert not any("metric_fixtures" in name for name in schemas)


def test_a_host_source_named_raw_changes_nothing(host_build):
    env, manifest = host_build
    # cxux's staging reads its own source, never the host's `raw`
    readers = [key for key, node in manifest["nodes"].items()
               if "source.cxux_integration_tests.raw.orders" in node["depends_on"].get("nodes", [])]
    assert readers == ["model.cxux_integration_tests.host_shop_orders"]
    # and the host's model on its own `raw` source still works
    assert _query(env, "select count(*) from analytics.host_shop_orders") == [(HOST_SHOP_ORDERS,)]


def test_a_relation_var_puts_a_host_model_upstream(host_build):
    env, manifest = host_build
    validated = manifest["nodes"]["model.cxux.base_raw__orders__validated"]
    assert "model.cxux_integration_tests.host_orders_mapped" in validated["depends_on"]["nodes"]
    assert "source.cxux.cxux_raw.orders" not in validated["depends_on"]["nodes"]
    # every demo order (counted straight from the raw table) reached staging or quarantine
    (raw_orders,) = _query(env, "select count(*) from raw.orders")[0]
    assert raw_orders > HOST_SHOP_ORDERS
    (staged,) = _query(env, "select count(*) from analytics_staging.stg_raw__orders")[0]
    reconciled = _query(env, "select raw_rows, staged_rows, quarantined_rows from "
                             "analytics_quarantine.raw_row_reconciliation where table_name = 'orders'")
    assert reconciled == [(raw_orders, staged, raw_orders - staged)]


def test_a_host_generate_schema_name_is_honoured(tmp_path):
    """Parse only: a host macro naming every schema `team_<custom>` names cxux's too."""
    host = _host_copy(tmp_path)
    (host / "macros").mkdir()
    (host / "macros" / "generate_schema_name.sql").write_text(
        "{% macro generate_schema_name(custom_schema_name, node) -%}\n"
        "    team_{{ custom_schema_name or target.schema }}\n"
        "{%- endmacro %}\n", encoding="utf-8")
    env = _env(tmp_path, host)
    _run([DBT, "deps"], env, host)
    _run([DBT, "parse"], env, host)
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    schemas = {node["schema"] for node in manifest["nodes"].values()
               if node["package_name"] == "cxux" and node["resource_type"] == "model"}
    assert {"team_staging", "team_intermediate", "team_marts", "team_quarantine"} <= schemas
    assert all(name.startswith("team_") for name in schemas), schemas


def test_the_cli_in_a_host_folder_reads_the_hosts_definitions(host_build):
    """`cxux metrics list` in the host: cxux's catalog with the host's target for NPS and the
    host's own metric (it used to print an empty catalog and exit 0)."""
    env, _manifest = host_build
    host = Path(env["DBT_PROFILES_DIR"])
    listed = {line.split()[0]: line for line in
              _run(CXUX + ["metrics", "list"], _in_host(env), host).splitlines() if line.strip()}
    assert "42 from 2024-01-01" in listed["nps"] and "voice" not in listed["nps"]
    assert "Messaging tickets opened" in listed["messaging_tickets_opened"]
    assert "first_reply_time_median" in listed  # the package's catalog is all there
    shown = _run(CXUX + ["metrics", "show", "nps", "--no-compile"], _in_host(env), host)
    assert "voice-of-customer" in shown and "cxux_metrics/our_metrics.yml" in shown


def assert_host_metric_counted_by_hand(query) -> None:
    """The host's metric messaging_tickets_opened (integration_tests/cxux_metrics/) per
    month in metric_values equals the raw chat tickets staging kept, counted with plain
    SQL. query(sql) -> rows, on whichever engine the host built."""
    expected = dict(query("""
        select cast(date_trunc('month', r.created_at) as date), count(distinct r.ticket_id)
        from raw.support_tickets as r
        join analytics_staging.stg_raw__support_tickets as s on s.ticket_id = r.ticket_id
        where r.channel = 'chat' group by 1"""))
    assert sum(expected.values()) > 0
    computed = dict(query("""
        select period_start, value from analytics_marts.metric_values
        where metric_name = 'messaging_tickets_opened' and grain = 'month'
          and dimension_name = 'total'"""))
    assert computed == {month: float(count) for month, count in expected.items()}


def test_a_host_metric_and_target_reach_metric_values(host_build):
    env, _manifest = host_build
    # the host's own metric: chat tickets of the raw data (the host's mapping model calls
    # them `messaging`) that staging kept, by month of creation, counted here by hand
    assert_host_metric_counted_by_hand(lambda sql: _query(env, sql))
    # cxux's NPS, judged against the host's target in every period
    assert _query(env, "select distinct target from analytics_marts.metric_values "
                       "where metric_name = 'nps'") == [(42.0,)]


def test_cxux_build_in_the_host_builds_checks_and_publishes(host_build):
    """`cxux build` run in the host folder: the host's profile and target, the host's dbt
    build, the quality gate on the host's schemas, the published file in the host."""
    env, _manifest = host_build
    host = Path(env["DBT_PROFILES_DIR"])
    output = _run(CXUX + ["build", "--as-of", AS_OF], _in_host(env), host)
    assert "quality: passed" in output
    published = host / "published" / "cxux.duckdb"
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute("select count(*) from analytics_marts.metric_values "
                           "where metric_name = 'messaging_tickets_opened'").fetchone()[0]
    assert rows > 0


def test_a_host_may_not_change_how_a_cxux_metric_is_computed(tmp_path):
    host = _host_copy(tmp_path)
    env = _in_host(_env(tmp_path, host))
    _run([DBT, "deps"], env, host)
    (host / "cxux_metrics" / "our_metrics.yml").write_text(
        "metrics:\n  - name: nps\n    owner: us\n    promoter_min: 8\n", encoding="utf-8")
    result = subprocess.run(CXUX + ["metrics", "validate"], env=env, cwd=host,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert ("cxux_metrics/our_metrics.yml:4:5: nps is a cxux metric: a host may change its "
            "owner, target, thresholds, status, min_sample; promoter_min changes how it is "
            "computed") in result.stderr


def test_a_host_without_cxux_installed_is_told_to_install_it(tmp_path):
    host = _host_copy(tmp_path)
    env = _in_host(_env(tmp_path, host))
    result = subprocess.run(CXUX + ["metrics", "list"], env=env, cwd=host,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "cxux is not installed in it" in result.stderr
    assert "run `dbt deps` there" in result.stderr


def test_a_value_map_turns_the_hosts_spelling_into_the_contracts(host_build):
    """host_orders_mapped spells `web` as `online`; var cxux_value_map maps it back."""
    env, _manifest = host_build
    # expected from the demo data itself: the staged orders that were `web` in raw
    # (distinct: the demo plants exact duplicate rows)
    expected = _query(env, "select count(distinct order_id) from raw.orders as r join "
                           "analytics_staging.stg_raw__orders as s using (order_id) "
                           "where r.channel = 'web'")[0][0]
    assert expected > 0
    by_channel = dict(_query(env, "select channel, count(*) from analytics_staging.stg_raw__orders "
                                  "group by channel"))
    assert by_channel.get("web") == expected and "online" not in by_channel
    rejected = _query(env, "select count(*) from analytics_quarantine.quarantine_raw_rows "
                           "where table_name = 'orders' and reasons like '%orders.channel%'")
    assert rejected == [(0,)]
    # the view the quality gate reads carries the mapped value too
    gate_view = _query(env, "select count(*) from analytics_staging.raw_input__orders "
                            "where channel = 'online'")
    assert gate_view == [(0,)]


def test_extra_accepted_values_reach_the_facts(host_build):
    """host_tickets_mapped turns every chat ticket into `messaging`, which var
    cxux_extra_accepted_values accepts: those tickets are staged and reach fct_tickets."""
    env, _manifest = host_build
    raw_chat = _query(env, "select count(*) from raw.support_tickets where channel = 'chat'")[0][0]
    assert raw_chat > 0
    rejected = _query(env, "select count(*) from analytics_quarantine.quarantine_raw_rows "
                           "where table_name = 'support_tickets' and reasons like '%messaging%'")
    assert rejected == [(0,)]
    staged_chat = _query(env, "select count(distinct ticket_id) from raw.support_tickets as r join "
                              "analytics_staging.stg_raw__support_tickets as s using (ticket_id) "
                              "where r.channel = 'chat'")[0][0]
    facts = dict(_query(env, "select channel, count(*) from analytics_marts.fct_tickets group by 1"))
    assert facts.get("messaging") == staged_chat and "chat" not in facts


@pytest.mark.parametrize("vars_, message", [
    ('{cxux_extra_accepted_values: {orders.status: [fulfilled]}}',
     "orders.status cannot be extended"),
    ('{cxux_value_map: {orders.channel: {online: website}}}',
     "maps 'online' to 'website', which is not one of web, app, store, phone, partner"),
    ('{cxux_value_map: {order.channel: {online: web}}}', "'order.channel' names no raw table"),
    ('{cxux_passthrough_columns: {orders: [coupon_code]}}',
     "lacks the column(s) coupon_code (var cxux_passthrough_columns)"),
    ('{cxux_passthrough_columns: {orders: [channel]}}', "orders.channel is a contract column"),
    ('{cxux_passthrough_columns: {subscription_events: [plan_family]}}',
     "'subscription_events' is not a table with passthrough"),
])
def test_value_vars_that_cannot_work_are_refused_with_the_reason(host_build, vars_, message):
    env, _manifest = host_build
    host = Path(env["DBT_PROFILES_DIR"])
    result = subprocess.run([DBT, "compile", "--select", "base_raw__orders__validated",
                             "--vars", vars_], env=env, cwd=host, capture_output=True, text=True)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_passthrough_columns_reach_the_facts(host_build):
    """The host passes its shop's channel spelling and its help desk's brand through."""
    env, _manifest = host_build
    # the host spells web `online` (the value map turned it back into `web` for cxux)
    pairs = _query(env, "select shop_channel, channel, count(*) from analytics_marts.fct_orders "
                        "group by all order by all")
    assert {channel for _shop, channel, _n in pairs} >= {"web", "app"}
    for shop, channel, _n in pairs:
        assert shop == ("online" if channel == "web" else channel), (shop, channel)
    brands = _query(env, "select count(*) filter (where brand = 'vip'), "
                         "count(*) filter (where priority = 'urgent'), count(*) filter (where brand is null) "
                         "from analytics_marts.fct_tickets")
    vip, urgent, missing = brands[0]
    assert vip == urgent > 0 and missing == 0


def test_passthrough_columns_reach_the_survey_and_review_facts(host_build):
    """host_reviews_mapped and host_survey_responses_mapped add a column each, derived from
    a contract column, so every fact row can be checked against the rule."""
    env, _manifest = host_build
    reviews = _query(env, "select platform, storefront, count(*) from analytics_marts.fct_reviews "
                          "group by all order by all")
    assert {platform for platform, _s, _n in reviews} >= {"app_store", "site"}
    for platform, storefront, _n in reviews:
        assert storefront == ("mobile" if platform == "app_store" else "web"), reviews
    staged = _query(env, "select count(*) from analytics_staging.stg_raw__reviews")[0][0]
    assert sum(n for _p, _s, n in reviews) == staged > 0
    surveys = _query(env, "select survey_type, survey_vendor, count(*) "
                          "from analytics_marts.fct_survey_responses group by all order by all")
    assert {kind for kind, _v, _n in surveys} >= {"nps", "sus"}
    for kind, vendor, _n in surveys:
        assert vendor == ("research_panel" if kind in ("sus", "umux_lite") else "in_house"), surveys


@pytest.mark.parametrize("mart, key, raw_table, column, rule", [
    ("dim_customers", "account_id", "accounts", "crm_tier",
     "case when segment = 'enterprise' then 'key_account' else 'pooled' end"),
    ("dim_users", "user_id", "users", "seat_kind",
     "case when is_account_owner then 'owner_seat' else 'member_seat' end"),
    ("dim_products", "product_id", "products", "catalog_line",
     "case when is_subscription then 'plans' else 'goods' end"),
    ("fct_order_lines", "order_item_id", "order_items", "pack_size",
     "case when quantity > 1 then 'multi' else 'single' end"),
    ("fct_page_views", "page_view_id", "page_views", "surface",
     "case when platform = 'web' then 'browser' else 'native_app' end"),
])
def test_passthrough_columns_reach_the_dimensions_and_facts(host_build, mart, key,
                                                            raw_table, column, rule):
    """Each host mapping model (integration_tests/models/host_<table>_mapped.sql) adds a
    column by a rule on a contract column; every row of cxux's mart carries the value the
    rule gives for its raw row, recomputed here from the raw table."""
    env, _manifest = host_build
    rows = _query(env, f"""
        select mart.{key}, mart.{column}, expected.value
        from analytics_marts.{mart} as mart
        left join (select {key}, {rule} as value from raw.{raw_table}) as expected
            using ({key})""")
    assert rows, mart
    wrong = [row for row in rows if row[1] != row[2]]
    assert wrong == [], wrong[:5]
    assert len({value for _key, value, _expected in rows}) == 2, mart  # both branches occur


def test_a_passthrough_named_like_a_fact_column_is_refused(host_build):
    env, _manifest = host_build
    host = Path(env["DBT_PROFILES_DIR"])
    result = subprocess.run([DBT, "compile", "--select", "fct_orders", "--vars",
                             "{cxux_passthrough_columns: {orders: [order_date]}}"],
                            env=env, cwd=host, capture_output=True, text=True)
    assert result.returncode != 0
    assert "orders.order_date has the name of a column of fct_orders" in result.stdout + result.stderr


def test_a_registry_compiled_against_other_cxux_definitions_stops_the_build(tmp_path):
    """After an upgrade of cxux, the host's merged registry holds the old definitions:
    dbt stops at parse time and asks for a compile, instead of computing with them."""
    host = _host_copy(tmp_path)
    env = _in_host(_env(tmp_path, host))
    _run([DBT, "deps"], env, host)
    _run(CXUX + ["metrics", "compile"], env, host)
    registry = host / "macros" / "cxux_metrics" / "cxux_host_metric_registry.sql"
    text = registry.read_text(encoding="utf-8")
    base = re.search(r"cxux_host_metric_registry_base\(\) -%\}\n\{\{ return\('(\w+)'\)", text)
    registry.write_text(text.replace(f"return('{base.group(1)}')", "return('0000000000000000')"),
                        encoding="utf-8")
    result = subprocess.run([DBT, "parse"], env=env, cwd=host, capture_output=True, text=True)
    assert result.returncode != 0
    assert "was compiled against other cxux metric definitions" in result.stdout + result.stderr
    check = subprocess.run(CXUX + ["metrics", "compile", "--check"], env=env, cwd=host,
                           capture_output=True, text=True)
    assert check.returncode == 1 and "stale: macros/cxux_metrics/" in check.stderr


UNION_VARS = (
    '{cxux_raw_unions: {'
    'orders: {shop_a: "{{ source(\'cxux_demo\', \'orders\') }}", shop_b: "shop_b.orders"}, '
    'order_items: {shop_a: "{{ source(\'cxux_demo\', \'order_items\') }}", '
    'shop_b: "shop_b.order_items"}, '
    # the survey tool (its responses name orders) is shop A's, and so are the answers
    'survey_responses: '
    '{shop_a: "{{ ref(\'cxux_integration_tests\', \'host_survey_responses_mapped\') }}"}, '
    'survey_item_answers: {shop_a: "{{ source(\'cxux_demo\', \'survey_item_answers\') }}"}}, '
    # the project's own relation vars for these tables give way to the unions
    'cxux_orders_relation: null, cxux_order_items_relation: null, '
    'cxux_survey_responses_relation: null, '
    'cxux_passthrough_columns: {orders: [source_relation]}}')


def test_two_shops_are_unioned_with_the_source_in_the_keys(tmp_path):
    """Shop B holds copies of some of shop A's orders and their items, with the same ids:
    unioned, each is its own order (keys `<source>:<id>`), each item finds its own order,
    and a copied order is counted and valued exactly as its original."""
    import duckdb

    host = _host_copy(tmp_path)
    env = _env(tmp_path, host)
    _run(CXUX + ["generate", "--scale", "0.05", "--seed", "7", "--as-of", AS_OF], env, REPO)
    with duckdb.connect(env["CXUX_DUCKDB_PATH"]) as con:
        con.execute("create schema shop_b")
        con.execute("create table shop_b.orders as select * from raw.orders "
                    "where channel = 'app'")
        con.execute("create table shop_b.order_items as select i.* from raw.order_items as i "
                    "where i.order_id in (select order_id from shop_b.orders)")
        (copied,) = con.execute("select count(distinct order_id) from shop_b.orders").fetchone()
    assert copied > 0
    _run([DBT, "deps"], env, host)
    _run([DBT, "build", "--select", "+fct_orders", "+fct_order_lines", "--exclude",
          "host_shop_orders", "--indirect-selection", "cautious", "--vars", UNION_VARS],
         env, host)
    by_source = dict(_query(env, "select source_relation, count(*) from analytics_marts.fct_orders "
                                 "group by 1"))
    twins = _query(env, """
        select count(*), sum(a.order_total), sum(b.order_total), sum(a.item_count),
               sum(b.item_count)
        from analytics_marts.fct_orders as b
        join analytics_marts.fct_orders as a
          on a.order_id = 'shop_a:' || substr(b.order_id, length('shop_b:') + 1)
        where b.source_relation = 'shop_b'""")[0]
    assert set(by_source) == {"shop_a", "shop_b"} and by_source["shop_b"] > 0
    assert twins[0] == by_source["shop_b"]  # every copy has its original, once
    assert twins[1] == twins[2] and twins[3] == twins[4] > 0
    ids = _query(env, "select count(*) from analytics_marts.fct_orders where order_id not like "
                      "'shop_a:%' and order_id not like 'shop_b:%'")
    assert ids == [(0,)]
    # shop B's lines found their own orders: as many as their originals have
    lines = dict(_query(env, """
        select split_part(l.order_id, ':', 1), count(*)
        from analytics_marts.fct_order_lines as l
        where split_part(l.order_id, ':', 2) in (select order_id from shop_b.orders)
          and l.order_id in (select order_id from analytics_marts.fct_orders)
        group by 1"""))
    assert lines["shop_b"] == lines["shop_a"] > 0


def test_a_table_of_one_source_cannot_reference_a_unioned_one(tmp_path):
    host = _host_copy(tmp_path)
    env = _env(tmp_path, host)
    _run([DBT, "deps"], env, host)
    only_orders = ('{cxux_raw_unions: {orders: {shop_a: "{{ source(\'cxux_demo\', \'orders\') }}", '
                   'shop_b: "shop_b.orders"}}, cxux_orders_relation: null}')
    result = subprocess.run([DBT, "compile", "--select", "base_raw__order_items__validated",
                             "--vars", only_orders], env=env, cwd=host, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert ("order_items.order_id references orders, which is unioned from shop_a, shop_b "
            "(var cxux_raw_unions): union order_items too, with labels among those") \
        in result.stdout + result.stderr
