{#- Raw contract table support_tickets from Zendesk tickets (rules in
    cxux_zendesk__tickets_mapped). Ids of customers and people go through the identity
    crosswalk. Grain: one row per kept ticket; key ticket_id (the Zendesk ticket id: only
    Zendesk feeds support tickets, so it is not prefixed). -#}
with tickets as (

    select * from {{ ref('cxux_zendesk__tickets_mapped') }}

),

crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

final as (

    select
        cast(tickets.ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(coalesce(account.account_id, requester.account_id) as {{ dbt.type_string() }}) as account_id,
        cast(requester.user_id as {{ dbt.type_string() }}) as requester_user_id,
        cast(tickets.channel as {{ dbt.type_string() }}) as channel,
        cast(tickets.category as {{ dbt.type_string() }}) as category,
        cast(tickets.priority as {{ dbt.type_string() }}) as priority,
        cast(tickets.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(tickets.status as {{ dbt.type_string() }}) as status,
        cast(tickets.updated_at as {{ dbt.type_timestamp() }}) as updated_at
    from tickets
    {{ cxux_identity_join('crosswalk', 'account', 'zendesk', 'account', 'tickets.account_native_id') }}
    {{ cxux_identity_join('crosswalk', 'requester', 'zendesk', 'user', 'tickets.requester_native_id') }}

)

select * from final
