{#- One row per user, linking the person who uses the product to the customer who
    pays for it (account_id null for users with no paying customer).
    relationship_type: self_purchase (an individual account and its owner user),
    household (household accounts, and non-owner users of an individual account),
    business_seat (business accounts), no_paying_customer (no account). -#}
with dim_users as (

    select * from {{ ref('dim_users') }}

),

final as (

    select
        account_id,
        user_id,
        relationship_type,
        role,
        is_account_owner,
        is_buyer
    from dim_users

)

select * from final
