{#- One row per order, with the buying customer's attributes. -#}
with int_orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        orders.order_id,
        orders.account_id,
        orders.placed_by_user_id,
        orders.channel,
        orders.status,
        orders.currency,
        {{ cxux_customer_attributes('dim_customers') }},
        orders.order_total,
        orders.discount_total,
        orders.line_count,
        orders.item_count,
        orders.category_count,
        orders.is_completed,
        orders.order_date,
        orders.order_month,
        orders.ordered_at,
        orders.updated_at
        {{ cxux_passthrough('orders', 'orders') }}
    from int_orders_enriched as orders
    left join dim_customers
        on orders.account_id = dim_customers.account_id

)

select * from final
