{#- A host model feeding cxux's accounts (var cxux_accounts_relation), with a column of ours
    passed through to cxux's mart (var cxux_passthrough_columns). -#}
select
    *,
    case when segment = 'enterprise' then 'key_account' else 'pooled' end as crm_tier
from {{ source('cxux_demo', 'accounts') }}
