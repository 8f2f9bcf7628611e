{#- Stripe prices as the raw contract's `products`: one row per price, because a price is
    what a subscription is on (a product at an amount and a billing interval: "Pro monthly"
    and "Pro yearly" are two plans of product "Pro"). product_name = the price's nickname, else
    the product's name and the interval; category = the Stripe product's name;
    is_subscription = the price is recurring; list_price = the unit amount (unit_amount_decimal,
    else unit_amount) in major units, to the cent
    (cxux_minor_to_major_units: JPY is not divided by 100; null for a tiered price, which has
    no unit_amount);
    currency upper case; launched_at = when the price was created. product_id is
    'stripe:' + the price id, so Shopify's products can be unioned with them. -#}
with price as (

    select * from {{ source('cxux_stripe', 'price') }}

),

product as (

    select * from {{ source('cxux_stripe', 'product') }}

),

final as (

    select
        {{ dbt.concat(["'stripe:'", 'price.id']) }} as product_id,
        cast(coalesce(
            price.nickname,
            {{ cxux_concat_ws(' ', [
                "coalesce(product.name, price.product_id, price.id)",
                "case lower(price.recurring_interval) when 'day' then '(daily)' when 'week' then '(weekly)'
                    when 'month' then '(monthly)' when 'year' then '(yearly)' end"]) }}
            ) as {{ dbt.type_string() }}) as product_name,
        cast(coalesce(product.name, price.product_id, 'uncategorized') as {{ dbt.type_string() }}) as category,
        cast(coalesce(lower(price.type) = 'recurring', price.recurring_interval is not null)
            as {{ dbt.type_boolean() }}) as is_subscription,
        cast({{ cxux_minor_to_major_units(cxux_stripe_unit_amount('price'), 'price.currency') }} as decimal(18, 2)) as list_price,
        cast(upper(price.currency) as {{ dbt.type_string() }}) as currency,
        cast(price.created as {{ dbt.type_timestamp() }}) as launched_at
    from price
    left join product
        on price.product_id = product.id

)

select * from final
