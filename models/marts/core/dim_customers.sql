{#- One row per customer (the paying account).
    acquisition_cohort: month of the first completed order or first subscription
    event, whichever is earlier (null if neither).
    customer_status (as of the end of the last month in the data):
      active        active at that instant (int_customer_months_classified)
      churned       active at some month boundary before, not now
      never_active  never active (e.g. only cancelled orders, or no purchase). -#}
with stg_raw__accounts as (

    select * from {{ ref('stg_raw__accounts') }}

),

stg_raw__users as (

    select * from {{ ref('stg_raw__users') }}

),

int_orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

int_subscription_states_ranged as (

    select * from {{ ref('int_subscription_states_ranged') }}

),

int_customer_months_classified as (

    select * from {{ ref('int_customer_months_classified') }}

),

order_summary as (

    select
        account_id,
        count(*) as order_count,
        cast(sum(order_total) as decimal(38, 2)) as lifetime_revenue,
        min(ordered_at) as first_order_at,
        max(ordered_at) as latest_order_at
    from int_orders_enriched
    where is_completed
    group by account_id

),

subscription_summary as (

    select
        account_id,
        min(valid_from) as first_subscription_at
    from int_subscription_states_ranged
    group by account_id

),

month_summary as (

    select
        account_id,
        max(case when is_active_at_start or is_active_at_end then 1 else 0 end) as was_ever_active,
        max(case when is_last_month and is_active_at_end then 1 else 0 end) as is_active_now,
        sum(case when is_last_month then mrr_end else 0 end) as current_mrr,
        cast(sum(case when is_last_month then paid_seats_end else 0 end) as {{ dbt.type_int() }}) as current_paid_seats
    from int_customer_months_classified
    group by account_id

),

user_summary as (

    select
        account_id,
        count(*) as user_count
    from stg_raw__users
    where account_id is not null
    group by account_id

),

joined as (

    select
        accounts.account_id,
        accounts.account_type,
        accounts.segment,
        accounts.country_code,
        accounts.region,
        accounts.acquisition_channel,
        {{ cxux_customer_relationship_type('accounts.account_type') }} as relationship_type,
        coalesce(order_summary.order_count, 0) as order_count,
        coalesce(order_summary.lifetime_revenue, 0) as lifetime_revenue,
        coalesce(month_summary.current_mrr, 0) as current_mrr,
        coalesce(month_summary.current_paid_seats, 0) as current_paid_seats,
        coalesce(user_summary.user_count, 0) as user_count,
        subscription_summary.account_id is not null as is_subscriber,
        coalesce(month_summary.is_active_now, 0) = 1 as is_active,
        coalesce(month_summary.was_ever_active, 0) = 1 as was_ever_active,
        order_summary.first_order_at,
        order_summary.latest_order_at,
        subscription_summary.first_subscription_at,
        accounts.created_at,
        case
            when subscription_summary.first_subscription_at is null then order_summary.first_order_at
            when order_summary.first_order_at is null then subscription_summary.first_subscription_at
            when order_summary.first_order_at < subscription_summary.first_subscription_at
                then order_summary.first_order_at
            else subscription_summary.first_subscription_at
        end as first_purchase_at
        {{ cxux_passthrough('accounts', 'accounts') }}
    from stg_raw__accounts as accounts
    left join order_summary
        on accounts.account_id = order_summary.account_id
    left join subscription_summary
        on accounts.account_id = subscription_summary.account_id
    left join month_summary
        on accounts.account_id = month_summary.account_id
    left join user_summary
        on accounts.account_id = user_summary.account_id

),

final as (

    select
        account_id,
        account_type,
        segment,
        country_code,
        region,
        acquisition_channel,
        relationship_type,
        case
            when is_active then 'active'
            when was_ever_active then 'churned'
            else 'never_active'
        end as customer_status,
        order_count,
        lifetime_revenue,
        current_mrr,
        current_paid_seats,
        user_count,
        is_subscriber,
        is_active,
        {{ cxux_month_start('first_purchase_at') }} as acquisition_cohort,
        {{ cxux_to_date('created_at') }} as created_date,
        first_purchase_at,
        first_order_at,
        latest_order_at,
        first_subscription_at,
        created_at
        {{ cxux_passthrough('accounts') }}
    from joined

)

select * from final
