{#- A host model feeding cxux's order_items (var cxux_order_items_relation), with a column of ours
    passed through to cxux's mart (var cxux_passthrough_columns). -#}
select
    *,
    case when quantity > 1 then 'multi' else 'single' end as pack_size
from {{ source('cxux_demo', 'order_items') }}
