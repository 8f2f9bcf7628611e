{#- Helper of the Shopify adapter: one row per order that counts (not a test order, not
    deleted) with the native id of its buyer, shared by cxux_shopify__orders and
    cxux_shopify__identities so both name a buyer the same way:
      the order's customer_id;
      else (guest checkout) the customer whose email is the checkout email (trimmed,
        lowercased): Shopify keeps one customer per email, so it is that person;
      else 'guest:' + the checkout email, trimmed and lowercased;
      else null (a guest with no email: staging quarantines the order, account_id required). -#}
with orders as (

    select * from {{ source('cxux_shopify', 'order') }}

),

customer as (

    select * from {{ source('cxux_shopify', 'customer') }}

),

customer_emails as (

    select
        lower(trim(email)) as email_key,
        min(id) as customer_id
    from customer
    where nullif(trim(email), '') is not null
    group by lower(trim(email))

),

final as (

    select
        orders.id as order_id,
        case
            when orders.customer_id is not null
                then cast(orders.customer_id as {{ dbt.type_string() }})
            when customer_emails.customer_id is not null
                then cast(customer_emails.customer_id as {{ dbt.type_string() }})
            when nullif(trim(orders.email), '') is not null
                then {{ dbt.concat(["'guest:'", 'lower(trim(orders.email))']) }}
        end as buyer_native_id,
        orders.customer_id is null and customer_emails.customer_id is null as is_guest,
        orders.email,
        orders.billing_address_country_code,
        orders.created_at,
        orders.updated_at
    from orders
    left join customer_emails
        on orders.customer_id is null
        and lower(trim(orders.email)) = customer_emails.email_key
    where not coalesce(orders.test, false)
        and not coalesce(orders._fivetran_deleted, false)

)

select * from final
