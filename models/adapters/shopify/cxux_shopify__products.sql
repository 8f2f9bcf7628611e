{#- Shopify products as the raw contract's `products`, at the grain of the Shopify product
    (not the variant): the variants of a product are sizes or colours of one thing, and
    cross-sell counts categories, which belong to the product. Order lines name the product
    of the variant sold. category = product_type (blank -> 'uncategorized', the contract
    requires one); list_price = the lowest price of its variants (Shopify's "from" price);
    currency = var cxux_shopify_currency (Shopify's product holds none; default null);
    launched_at = published_at, else created_at. Deleted products are kept (they were
    sold). product_id is 'shopify:' + the id, so Stripe's products can be unioned with them. -#}
with product as (

    select * from {{ source('cxux_shopify', 'product') }}

),

product_variant as (

    select * from {{ source('cxux_shopify', 'product_variant') }}

),

variant_prices as (

    select
        product_id,
        min(price) as list_price
    from product_variant
    group by product_id

),

final as (

    select
        {{ dbt.concat(["'shopify:'", 'cast(product.id as ' ~ dbt.type_string() ~ ')']) }} as product_id,
        cast(product.title as {{ dbt.type_string() }}) as product_name,
        cast(coalesce(nullif(trim(product.product_type), ''), 'uncategorized')
            as {{ dbt.type_string() }}) as category,
        cast(false as {{ dbt.type_boolean() }}) as is_subscription,
        cast(variant_prices.list_price as decimal(18, 2)) as list_price,
        cast({{ "'" ~ var('cxux_shopify_currency') ~ "'" if var('cxux_shopify_currency', none) else 'null' }}
            as {{ dbt.type_string() }}) as currency,
        cast(coalesce(product.published_at, product.created_at) as {{ dbt.type_timestamp() }}) as launched_at
    from product
    left join variant_prices
        on product.id = variant_prices.product_id

)

select * from final
