{#- A host model that maps the host's orders onto cxux's raw contract. Our shop spells the
    web channel `online`: var cxux_value_map maps it back to the contract's `web`.
    cxux reads this model through var cxux_orders_relation; shop_channel is passed
    through to fct_orders. (DuckDB's `* replace`: this
    example host runs on DuckDB.) -#}
select
    * replace (case when channel = 'web' then 'online' else channel end as channel),
    -- our shop's own spelling, kept beside cxux's (var cxux_passthrough_columns)
    case when channel = 'web' then 'online' else channel end as shop_channel
from {{ source('cxux_demo', 'orders') }}
