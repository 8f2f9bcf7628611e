with

validated as (

    select * from {{ ref('base_raw__products__validated') }}

),

final as (

    select
        product_id,
        product_name,
        category,
        is_subscription,
        list_price,
        currency,
        launched_at
        {{ cxux_passthrough('products') }}
    from validated
    where _cxux_reasons is null

)

select * from final
