{#- Shopify order lines as the raw contract's `order_items`: what the customer kept.
    quantity = units ordered - units refunded (all refunds of the line); a line refunded in
    full is left out (the contract's quantity is at least 1, and a returned product is no
    purchase: cross-sell must not count its category); its money is out of the order's
    order_total already. discount = the line's total_discount in proportion to the units
    kept (total_discount x kept / ordered). product_id is 'shopify:' + the product id, null
    for a custom line item without a product (staging quarantines it: product_id is
    required; the order's revenue is unaffected). Lines of test or deleted orders are left
    out with their orders. -#}
with order_line as (

    select * from {{ source('cxux_shopify', 'order_line') }}

),

order_buyers as (

    select * from {{ ref('cxux_shopify__order_buyers') }}

),

refunded_units as (

    {{ cxux_shopify_refunded('order_line_refund.order_line_id', {'refunded_quantity': 'quantity'}) }}

),

kept as (

    select
        order_line.id,
        order_line.order_id,
        order_line.product_id,
        order_line.quantity,
        order_line.quantity - coalesce(refunded_units.refunded_quantity, 0) as kept_quantity,
        order_line.price,
        order_line.total_discount
    from order_line
    inner join order_buyers
        on order_line.order_id = order_buyers.order_id
    left join refunded_units
        on order_line.id = refunded_units.order_line_id

),

final as (

    select
        {{ dbt.concat(["'shopify:'", 'cast(id as ' ~ dbt.type_string() ~ ')']) }} as order_item_id,
        {{ dbt.concat(["'shopify:'", 'cast(order_id as ' ~ dbt.type_string() ~ ')']) }} as order_id,
        case
            when product_id is not null
                then {{ dbt.concat(["'shopify:'", 'cast(product_id as ' ~ dbt.type_string() ~ ')']) }}
        end as product_id,
        cast(kept_quantity as {{ dbt.type_bigint() }}) as quantity,
        cast(price as decimal(18, 2)) as unit_price,
        cast(
            case
                when quantity > 0 then coalesce(total_discount, 0) * kept_quantity / quantity
                else total_discount
            end
            as decimal(18, 2)
        ) as discount
    from kept
    -- a quantity <= 0 as landed is kept: staging quarantines it (quantity min 1)
    where kept_quantity > 0 or quantity <= 0 or quantity is null

)

select * from final
