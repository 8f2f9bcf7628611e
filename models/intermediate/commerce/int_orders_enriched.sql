{#- One row per order with its line aggregates.
    is_completed: not cancelled and not returned (revenue and activity count only these). -#}
with stg_raw__orders as (

    select * from {{ ref('stg_raw__orders') }}

),

stg_raw__order_items as (

    select * from {{ ref('stg_raw__order_items') }}

),

stg_raw__products as (

    select * from {{ ref('stg_raw__products') }}

),

order_lines as (

    select
        order_items.order_id,
        count(*) as line_count,
        cast(sum(order_items.quantity) as {{ dbt.type_bigint() }}) as item_count,
        count(distinct products.category) as category_count
    from stg_raw__order_items as order_items
    left join stg_raw__products as products
        on order_items.product_id = products.product_id
    group by order_items.order_id

),

final as (

    select
        orders.order_id,
        orders.account_id,
        orders.placed_by_user_id,
        orders.channel,
        orders.status,
        orders.currency,
        orders.order_total,
        coalesce(orders.discount_total, 0) as discount_total,
        coalesce(order_lines.line_count, 0) as line_count,
        coalesce(order_lines.item_count, 0) as item_count,
        coalesce(order_lines.category_count, 0) as category_count,
        orders.status not in ('cancelled', 'returned') as is_completed,
        {{ cxux_to_date('orders.ordered_at') }} as order_date,
        {{ cxux_month_start('orders.ordered_at') }} as order_month,
        orders.ordered_at,
        orders.updated_at
        {{ cxux_passthrough('orders', 'orders') }}
    from stg_raw__orders as orders
    left join order_lines
        on orders.order_id = order_lines.order_id

)

select * from final
