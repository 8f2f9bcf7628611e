with

validated as (

    select * from {{ ref('base_raw__orders__validated') }}

),

final as (

    select
        order_id,
        account_id,
        placed_by_user_id,
        ordered_at,
        channel,
        status,
        currency,
        order_total,
        discount_total,
        updated_at
        {{ cxux_passthrough('orders') }}
    from validated
    where _cxux_reasons is null

)

select * from final
