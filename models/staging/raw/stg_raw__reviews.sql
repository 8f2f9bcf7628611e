with

validated as (

    select * from {{ ref('base_raw__reviews__validated') }}

),

final as (

    select
        review_id,
        account_id,
        product_id,
        platform,
        rating,
        is_verified_purchase,
        posted_at
        {{ cxux_passthrough('reviews') }}
    from validated
    where _cxux_reasons is null

)

select * from final
