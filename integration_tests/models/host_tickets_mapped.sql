{#- A host model feeding cxux's support tickets (var cxux_support_tickets_relation). Our help
    desk has a `messaging` channel (WhatsApp and the like) that the contract does not list:
    var cxux_extra_accepted_values adds it. Here every chat ticket is a messaging one. -#}
{%- set tickets = source('cxux_demo', 'support_tickets') -%}
select
    {% for column in (adapter.get_columns_in_relation(tickets) if execute else [])
       if column.name != 'channel' -%}
    {{ adapter.quote(column.name) }},
    {% endfor -%}
    case when channel = 'chat' then 'messaging' else channel end as channel,
    -- our help desk's brand, passed through to fct_tickets (var cxux_passthrough_columns)
    case when priority = 'urgent' then 'vip' else 'standard' end as brand
from {{ tickets }}
