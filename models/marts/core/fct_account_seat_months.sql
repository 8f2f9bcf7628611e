{#- One row per customer and calendar month (the months of fct_customer_months):
    paid seats at month end (subscriptions), users, and users active in the month.
    seat_utilisation = active users / paid seats (null without paid seats). -#}
with int_customer_months_classified as (

    select * from {{ ref('int_customer_months_classified') }}

),

fct_user_days as (

    select * from {{ ref('fct_user_days') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

active_users as (

    select
        account_id,
        {{ cxux_month_start('activity_date') }} as month_start,
        count(distinct user_id) as active_users
    from fct_user_days
    where account_id is not null
    group by account_id, {{ cxux_month_start('activity_date') }}

),

signed_up_users as (

    select
        months.account_id,
        months.month_start,
        count(dim_users.user_id) as total_users
    from int_customer_months_classified as months
    inner join dim_users
        on months.account_id = dim_users.account_id
        and dim_users.signup_date < cast({{ dbt.dateadd('month', 1, 'months.month_start') }} as date)
    group by months.account_id, months.month_start

),

final as (

    select
        months.account_id,
        months.month_start,
        {{ cxux_customer_attributes('dim_customers') }},
        months.plan,
        months.paid_seats_end as paid_seats,
        coalesce(signed_up_users.total_users, 0) as total_users,
        coalesce(active_users.active_users, 0) as active_users,
        {{ cxux_safe_divide('coalesce(active_users.active_users, 0)', 'months.paid_seats_end') }}
            as seat_utilisation,
        coalesce(active_users.active_users, 0) > 0 as has_active_user,
        months.is_subscriber,
        months.is_active_at_end as is_customer_active_at_end
    from int_customer_months_classified as months
    left join active_users
        on months.account_id = active_users.account_id
        and months.month_start = active_users.month_start
    left join signed_up_users
        on months.account_id = signed_up_users.account_id
        and months.month_start = signed_up_users.month_start
    left join dim_customers
        on months.account_id = dim_customers.account_id

)

select * from final
