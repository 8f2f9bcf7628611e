{#- One row per order line. line_revenue = quantity x unit_price - discount. -#}
with stg_raw__order_items as (

    select * from {{ ref('stg_raw__order_items') }}

),

int_orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

dim_products as (

    select * from {{ ref('dim_products') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.product_id,
        orders.account_id,
        dim_products.category,
        orders.status as order_status,
        orders.channel,
        orders.currency,
        {{ cxux_customer_attributes('dim_customers') }},
        order_items.quantity,
        order_items.unit_price,
        coalesce(order_items.discount, 0) as discount,
        order_items.quantity * order_items.unit_price - coalesce(order_items.discount, 0) as line_revenue,
        dim_products.is_subscription,
        orders.is_completed,
        orders.order_date,
        orders.ordered_at
        {{ cxux_passthrough('order_items', 'order_items') }}
    from stg_raw__order_items as order_items
    inner join int_orders_enriched as orders
        on order_items.order_id = orders.order_id
    left join dim_products
        on order_items.product_id = dim_products.product_id
    left join dim_customers
        on orders.account_id = dim_customers.account_id

)

select * from final
