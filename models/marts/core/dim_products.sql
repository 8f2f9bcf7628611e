{#- One row per product or subscription plan. -#}
with stg_raw__products as (

    select * from {{ ref('stg_raw__products') }}

),

final as (

    select
        product_id,
        product_name,
        category,
        currency,
        list_price,
        is_subscription,
        {{ cxux_to_date('launched_at') }} as launched_date,
        launched_at
        {{ cxux_passthrough('products') }}
    from stg_raw__products

)

select * from final
