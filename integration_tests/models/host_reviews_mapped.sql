{#- A host model feeding cxux's reviews (var cxux_reviews_relation), with the storefront
    each review came from, passed through to fct_reviews (var cxux_passthrough_columns). -#}
select
    *,
    case when platform = 'app_store' then 'mobile' else 'web' end as storefront
from {{ source('cxux_demo', 'reviews') }}
