{#- A host model feeding cxux's page views (var cxux_page_views_relation), with a column of
    ours passed through to fct_page_views (var cxux_passthrough_columns). -#}
select
    *,
    case when platform = 'web' then 'browser' else 'native_app' end as surface
from {{ source('cxux_demo', 'page_views') }}
