{#- A host model that maps the host's orders onto cxux's raw contract. Our shop spells the
    web channel `online`: var cxux_value_map maps it back to the contract's `web`.
    cxux reads this model through var cxux_orders_relation; shop_channel is passed
    through to fct_orders. Every other column as it is (portable SQL: this example host
    runs on DuckDB and PostgreSQL). -#}
{%- set orders = source('cxux_demo', 'orders') -%}
select
    {% for column in (adapter.get_columns_in_relation(orders) if execute else [])
       if column.name != 'channel' -%}
    {{ adapter.quote(column.name) }},
    {% endfor -%}
    case when channel = 'web' then 'online' else channel end as channel,
    -- our shop's own spelling, kept beside cxux's (var cxux_passthrough_columns)
    case when channel = 'web' then 'online' else channel end as shop_channel
from {{ orders }}
