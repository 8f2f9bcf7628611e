{#- Shopify orders as the raw contract's `orders` (one row per order that counts: test and
    deleted orders are left out, docs/adapters/shopify.md).
    order_total is the merchandise the customer kept, net of discounts and refunds:
      subtotal_price (the line items after their discounts; a discount on shipping, which
      total_discounts also holds, does not reduce it), else total_line_items_price -
      total_discounts where subtotal_price is empty
        - refunded line subtotals (order_line_refund.subtotal, all refunds of the order)
        + refund discrepancies (order_adjustment kind refund_discrepancy, signed)
    floored at 0. Tax and shipping are not revenue and are left out (shipping refunds and
    shipping discounts too). discount_total = the line items' discounts
    (total_line_items_price - subtotal_price), else total_discounts.
    A refund restates the order's own month (revenue is by order date). A partially refunded
    order stays an order (status paid or shipped, order_total reduced); one refunded in full
    is 'returned', which revenue and AOV leave out (macro cxux_shopify_order_status).
    ids are prefixed 'shopify:'; account_id is the crosswalk's account of the buyer
    (cxux_shopify__order_buyers). -#}
{%- set merchandise = 'coalesce(orders.subtotal_price, coalesce(orders.total_line_items_price, 0)'
                     ~ ' - coalesce(orders.total_discounts, 0))' %}
with orders as (

    select * from {{ source('cxux_shopify', 'order') }}

),

order_adjustment as (

    select * from {{ source('cxux_shopify', 'order_adjustment') }}

),

order_buyers as (

    select * from {{ ref('cxux_shopify__order_buyers') }}

),

crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

refunded_lines as (

    {{ cxux_shopify_refunded('refund.order_id', {'refunded_subtotal': 'subtotal'}) }}

),

discrepancies as (

    select
        order_id,
        sum(coalesce(amount, 0)) as discrepancy_amount
    from order_adjustment
    where lower(kind) = 'refund_discrepancy'
    group by order_id

),

final as (

    select
        {{ dbt.concat(["'shopify:'", 'cast(orders.id as ' ~ dbt.type_string() ~ ')']) }} as order_id,
        cast(crosswalk.account_id as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as placed_by_user_id,
        cast(orders.created_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast({{ cxux_shopify_channel('orders.source_name') }} as {{ dbt.type_string() }}) as channel,
        cast({{ cxux_shopify_order_status('orders.cancelled_at', 'orders.financial_status',
                                          'orders.fulfillment_status') }} as {{ dbt.type_string() }}) as status,
        cast(upper(orders.currency) as {{ dbt.type_string() }}) as currency,
        cast(greatest(
            {{ merchandise }}
                - coalesce(refunded_lines.refunded_subtotal, 0)
                + coalesce(discrepancies.discrepancy_amount, 0),
            0
        ) as decimal(18, 2)) as order_total,
        cast(coalesce(orders.total_line_items_price - orders.subtotal_price, orders.total_discounts, 0)
            as decimal(18, 2)) as discount_total,
        cast(orders.updated_at as {{ dbt.type_timestamp() }}) as updated_at
    from orders
    inner join order_buyers
        on orders.id = order_buyers.order_id
    left join refunded_lines
        on orders.id = refunded_lines.order_id
    left join discrepancies
        on orders.id = discrepancies.order_id
    left join crosswalk
        on crosswalk.source_system = 'shopify'
        and crosswalk.entity = 'account'
        and crosswalk.native_id = order_buyers.buyer_native_id

)

select * from final
