with

validated as (

    select * from {{ ref('base_raw__support_tickets__validated') }}

),

final as (

    select
        ticket_id,
        account_id,
        requester_user_id,
        channel,
        category,
        priority,
        created_at,
        status,
        updated_at
        {{ cxux_passthrough('support_tickets') }}
    from validated
    where _cxux_reasons is null

)

select * from final
