with

validated as (

    select * from {{ ref('base_raw__subscription_events__validated') }}

),

final as (

    select
        subscription_event_id,
        subscription_id,
        account_id,
        product_id,
        event_type,
        occurred_at,
        seats_after,
        mrr_after,
        currency,
        cancel_reason
    from validated
    where _cxux_reasons is null

)

select * from final
