{#- One row per public review. is_positive: 4 or 5 stars. -#}
with stg_raw__reviews as (

    select * from {{ ref('stg_raw__reviews') }}

),

dim_products as (

    select * from {{ ref('dim_products') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        reviews.review_id,
        reviews.product_id,
        reviews.account_id,
        reviews.platform,
        dim_products.category,
        dim_customers.account_type,
        dim_customers.segment,
        dim_customers.region,
        dim_customers.acquisition_channel,
        dim_customers.acquisition_cohort,
        coalesce(dim_customers.relationship_type, 'no_paying_customer') as relationship_type,
        reviews.rating,
        reviews.rating >= 4 as is_positive,
        coalesce(reviews.is_verified_purchase, false) as is_verified_purchase,
        {{ cxux_to_date('reviews.posted_at') }} as posted_date,
        reviews.posted_at
        {{ cxux_passthrough('reviews', 'reviews') }}
    from stg_raw__reviews as reviews
    left join dim_products
        on reviews.product_id = dim_products.product_id
    left join dim_customers
        on reviews.account_id = dim_customers.account_id

)

select * from final
