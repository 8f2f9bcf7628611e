{#- A host model feeding cxux's support tickets (var cxux_support_tickets_relation). Our help
    desk has a `messaging` channel (WhatsApp and the like) that the contract does not list:
    var cxux_extra_accepted_values adds it. Here every chat ticket is a messaging one. -#}
select
    * replace (case when channel = 'chat' then 'messaging' else channel end as channel),
    -- our help desk's brand, passed through to fct_tickets (var cxux_passthrough_columns)
    case when priority = 'urgent' then 'vip' else 'standard' end as brand
from {{ source('cxux_demo', 'support_tickets') }}
