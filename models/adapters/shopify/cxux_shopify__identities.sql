{#- Shopify's buyers as identity records (entity 'account'; Shopify knows no users), read by
    the identity crosswalk (models/adapters/identity/). One row per customer, native_id its
    id; and one per guest buyer: an order without customer_id whose checkout email belongs to
    no customer is an account of its own, native_id 'guest:' + the email trimmed and
    lowercased (the crosswalk may still join it to another system's record by email). A guest
    order with no email has no account: its account_id stays null and staging quarantines the
    order. country_code is the billing country of the buyer's latest order. -#}
with customer as (

    select * from {{ source('cxux_shopify', 'customer') }}

),

orders as (

    select * from {{ ref('cxux_shopify__order_buyers') }}

),

latest_country as (

    select
        buyer_native_id,
        billing_address_country_code as country_code,
        row_number() over (
            partition by buyer_native_id
            order by created_at desc, order_id desc
        ) as recency_rank
    from orders
    where buyer_native_id is not null
        and billing_address_country_code is not null

),

customers as (

    select
        cast(customer.id as {{ dbt.type_string() }}) as native_id,
        customer.email,
        nullif(trim({{ cxux_concat_ws(' ', ['customer.first_name', 'customer.last_name']) }}), '')
            as display_name,
        customer.created_at,
        customer.updated_at
    from customer

),

guests as (

    select
        buyer_native_id as native_id,
        min(email) as email,
        cast(null as {{ dbt.type_string() }}) as display_name,
        min(created_at) as created_at,
        max(updated_at) as updated_at
    from orders
    where is_guest and buyer_native_id is not null
    group by buyer_native_id

),

buyers as (

    select * from customers
    union all
    select * from guests

),

final as (

    select
        {{- cxux_identity_record('shopify', 'account', {
            'native_id': 'buyers.native_id',
            'email': 'buyers.email',
            'display_name': 'buyers.display_name',
            'country_code': 'upper(latest_country.country_code)',
            'created_at': 'buyers.created_at',
            'updated_at': 'buyers.updated_at'}) }}
    from buyers
    left join latest_country
        on buyers.native_id = latest_country.buyer_native_id
        and latest_country.recency_rank = 1

)

select * from final
