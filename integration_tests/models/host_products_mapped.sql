{#- A host model feeding cxux's products (var cxux_products_relation), with a column of ours
    passed through to cxux's mart (var cxux_passthrough_columns). -#}
select
    *,
    case when is_subscription then 'plans' else 'goods' end as catalog_line
from {{ source('cxux_demo', 'products') }}
