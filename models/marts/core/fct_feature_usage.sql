{#- One row per user and feature ever used (feature_used events, stitched users). -#}
with int_events_stitched as (

    select * from {{ ref('int_events_stitched') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

usage as (

    select
        user_id,
        feature,
        count(*) as use_count,
        count(distinct {{ cxux_to_date('occurred_at') }}) as days_used,
        min(occurred_at) as first_used_at,
        max(occurred_at) as last_used_at
    from int_events_stitched
    where event_name = 'feature_used'
        and user_id is not null
        and feature is not null
    group by user_id, feature

),

final as (

    select
        usage.user_id,
        usage.feature,
        dim_users.primary_platform as platform,
        dim_users.primary_device_type as device_type,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        usage.use_count,
        usage.days_used,
        {{ cxux_to_date('usage.first_used_at') }} as first_used_date,
        usage.first_used_at,
        usage.last_used_at
    from usage
    inner join dim_users
        on usage.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id

)

select * from final
