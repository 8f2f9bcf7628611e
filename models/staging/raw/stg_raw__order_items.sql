with

validated as (

    select * from {{ ref('base_raw__order_items__validated') }}

),

final as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        discount
        {{ cxux_passthrough('order_items') }}
    from validated
    where _cxux_reasons is null

)

select * from final
