with

validated as (

    select * from {{ ref('base_raw__ticket_events__validated') }}

),

final as (

    select
        ticket_event_id,
        ticket_id,
        event_type,
        author_type,
        is_public,
        new_status,
        occurred_at
    from validated
    where _cxux_reasons is null

)

select * from final
