{{ config(materialized='table') }}

{#- One row per customer (account) and calendar month, from the customer's first
    month (account created, first order or first subscription event) to the last
    month in the data.

    "Active" at an instant:
      subscription customers (any subscription event ever): MRR > 0 at that instant;
      other customers: a completed order in the previous var('cxux_inactivity_days')
      days (default 90).
    "At start" is the instant the month begins, "at end" the instant the next one
    begins; an event at exactly 00:00 of the 1st belongs to the month it opens.

    MRR movements compare MRR at start and at end of the month (net per month, so a
    start and a cancel inside the same month leave no movement):
      new          0 -> > 0, never active before
      reactivation 0 -> > 0, active at some earlier month end
      churned      > 0 -> 0 (the whole start MRR)
      expansion / contraction   > 0 -> > 0, up / down
    Customers acquired in the month are neither active at start nor churned, so
    churn, GRR and NRR keep a fixed starting cohort.

    plan: the product name of the subscription plan in force at the month's end; for a
    customer with none at the end, the last plan in force during the month (so a churned
    customer keeps the plan it churned from); 'no_subscription' when no plan was in force
    at any time in the month (order-only customers, months after a cancel). -#}
{%- set inactivity_days = var('cxux_inactivity_days', 90) | int %}

with stg_raw__accounts as (

    select * from {{ ref('stg_raw__accounts') }}

),

int_orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

int_subscription_states_ranged as (

    select * from {{ ref('int_subscription_states_ranged') }}

),

stg_raw__order_items as (

    select * from {{ ref('stg_raw__order_items') }}

),

stg_raw__products as (

    select * from {{ ref('stg_raw__products') }}

),

int_dates_spined as (

    select * from {{ ref('int_dates_spined') }}

),

months as (

    select distinct
        {{ cxux_month_start('date_day') }} as month_start
    from int_dates_spined

),

month_bounds as (

    select
        month_start,
        cast({{ dbt.dateadd('month', 1, 'month_start') }} as date) as next_month_start,
        max(month_start) over () as last_month_start
    from months

),

account_first_seen as (

    select account_id, created_at as first_seen_at from stg_raw__accounts
    union all
    select account_id, ordered_at as first_seen_at from int_orders_enriched
    union all
    select account_id, valid_from as first_seen_at from int_subscription_states_ranged

),

account_starts as (

    select
        account_id,
        {{ cxux_month_start('min(first_seen_at)') }} as first_month_start
    from account_first_seen
    group by account_id

),

subscribers as (

    select distinct account_id
    from int_subscription_states_ranged

),

account_months as (

    select
        account_starts.account_id,
        month_bounds.month_start,
        month_bounds.next_month_start,
        month_bounds.month_start = month_bounds.last_month_start as is_last_month,
        subscribers.account_id is not null as is_subscriber
    from account_starts
    inner join stg_raw__accounts
        on account_starts.account_id = stg_raw__accounts.account_id
    inner join month_bounds
        on month_bounds.month_start >= account_starts.first_month_start
    left join subscribers
        on account_starts.account_id = subscribers.account_id

),

mrr_by_month as (

    select
        account_months.account_id,
        account_months.month_start,
        sum(
            case
                when states.valid_from < account_months.month_start
                    and (states.valid_to is null or states.valid_to >= account_months.month_start)
                    then states.mrr_after
                else 0
            end
        ) as mrr_start,
        sum(
            case
                when states.valid_from < account_months.next_month_start
                    and (states.valid_to is null or states.valid_to >= account_months.next_month_start)
                    then states.mrr_after
                else 0
            end
        ) as mrr_end,
        cast(sum(
            case
                when states.valid_from < account_months.next_month_start
                    and (states.valid_to is null or states.valid_to >= account_months.next_month_start)
                    then states.seats_after
                else 0
            end
        ) as {{ dbt.type_int() }}) as paid_seats_end
    from account_months
    left join int_subscription_states_ranged as states
        on account_months.account_id = states.account_id
        and states.valid_from < account_months.next_month_start
        and (states.valid_to is null or states.valid_to >= account_months.month_start)
    group by account_months.account_id, account_months.month_start

),

ranked_plans as (

    -- the month's plan: the plan in force at the month's end; without one, the last plan
    -- in force during the month (the plan a churning customer leaves). A cancel state holds
    -- no plan. With several subscriptions, the one with the highest MRR at the end wins.
    select
        account_months.account_id,
        account_months.month_start,
        states.plan,
        row_number() over (
            partition by account_months.account_id, account_months.month_start
            order by
                case
                    when states.valid_to is null or states.valid_to >= account_months.next_month_start
                        then 1 else 0
                end desc,
                case
                    when states.valid_to is null or states.valid_to >= account_months.next_month_start
                        then states.mrr_after else 0
                end desc,
                states.valid_from desc,
                states.subscription_event_id desc
        ) as plan_rank
    from account_months
    inner join int_subscription_states_ranged as states
        on account_months.account_id = states.account_id
        and states.event_type <> 'cancel'
        and states.valid_from < account_months.next_month_start
        and (states.valid_to is null or states.valid_to >= account_months.month_start)

),

ranked_cancels as (

    select
        account_months.account_id,
        account_months.month_start,
        states.cancel_reason,
        row_number() over (
            partition by account_months.account_id, account_months.month_start
            order by states.valid_from desc, states.subscription_event_id desc
        ) as cancel_rank
    from account_months
    inner join int_subscription_states_ranged as states
        on account_months.account_id = states.account_id
        and states.event_type = 'cancel'
        and states.valid_from >= account_months.month_start
        and states.valid_from < account_months.next_month_start

),

orders_in_month as (

    select
        account_id,
        {{ cxux_month_start('ordered_at') }} as month_start,
        max(ordered_at) as last_order_at,
        sum(order_total) as revenue,
        cast(count(*) as {{ dbt.type_int() }}) as order_count,
        -- purchase occasions: same-day orders are one (METRICS_REFERENCE, repeat purchase)
        cast(count(distinct {{ cxux_to_date('ordered_at') }}) as {{ dbt.type_int() }}) as order_day_count
    from int_orders_enriched
    where is_completed
    group by account_id, {{ cxux_month_start('ordered_at') }}

),

orders_by_month as (

    -- the latest completed order before the month's start and before its end: running
    -- maxima over the account's months (linear; a join to every earlier order is not)
    select
        account_months.account_id,
        account_months.month_start,
        max(orders_in_month.last_order_at) over (
            partition by account_months.account_id
            order by account_months.month_start
            rows between unbounded preceding and 1 preceding
        ) as last_order_before_start_at,
        max(orders_in_month.last_order_at) over (
            partition by account_months.account_id
            order by account_months.month_start
            rows between unbounded preceding and current row
        ) as last_order_before_end_at,
        coalesce(orders_in_month.revenue, 0) as revenue,
        coalesce(orders_in_month.order_count, 0) as order_count,
        coalesce(orders_in_month.order_day_count, 0) as order_day_count
    from account_months
    left join orders_in_month
        on account_months.account_id = orders_in_month.account_id
        and account_months.month_start = orders_in_month.month_start

),

categories_by_month as (

    -- distinct product categories bought in the month (completed orders), for cross-sell
    select
        orders.account_id,
        {{ cxux_month_start('orders.ordered_at') }} as month_start,
        cast(count(distinct stg_raw__products.category) as {{ dbt.type_int() }}) as category_count
    from int_orders_enriched as orders
    inner join stg_raw__order_items
        on orders.order_id = stg_raw__order_items.order_id
    inner join stg_raw__products
        on stg_raw__order_items.product_id = stg_raw__products.product_id
    where orders.is_completed
    group by orders.account_id, {{ cxux_month_start('orders.ordered_at') }}

),

joined as (

    select
        account_months.account_id,
        account_months.month_start,
        account_months.next_month_start,
        account_months.is_subscriber,
        account_months.is_last_month,
        mrr_by_month.mrr_start,
        mrr_by_month.mrr_end,
        mrr_by_month.paid_seats_end,
        orders_by_month.revenue,
        orders_by_month.order_count,
        orders_by_month.order_day_count,
        coalesce(categories_by_month.category_count, 0) as category_count,
        ranked_cancels.cancel_reason,
        coalesce(ranked_plans.plan, 'no_subscription') as plan,
        orders_by_month.last_order_before_start_at,
        coalesce(
            orders_by_month.last_order_before_start_at
                >= {{ dbt.dateadd('day', -inactivity_days, 'account_months.month_start') }},
            false
        ) as has_recent_order_at_start,
        coalesce(
            orders_by_month.last_order_before_end_at
                >= {{ dbt.dateadd('day', -inactivity_days, 'account_months.next_month_start') }},
            false
        ) as has_recent_order_at_end,
        coalesce(
            max(case when mrr_by_month.mrr_end > 0 then 1 else 0 end) over (
                partition by account_months.account_id
                order by account_months.month_start
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) = 1 as had_mrr_before
    from account_months
    inner join mrr_by_month
        on account_months.account_id = mrr_by_month.account_id
        and account_months.month_start = mrr_by_month.month_start
    inner join orders_by_month
        on account_months.account_id = orders_by_month.account_id
        and account_months.month_start = orders_by_month.month_start
    left join ranked_cancels
        on account_months.account_id = ranked_cancels.account_id
        and account_months.month_start = ranked_cancels.month_start
        and ranked_cancels.cancel_rank = 1
    left join categories_by_month
        on account_months.account_id = categories_by_month.account_id
        and account_months.month_start = categories_by_month.month_start
    left join ranked_plans
        on account_months.account_id = ranked_plans.account_id
        and account_months.month_start = ranked_plans.month_start
        and ranked_plans.plan_rank = 1

),

activity as (

    select
        *,
        case
            when is_subscriber then mrr_start > 0
            else has_recent_order_at_start
        end as is_active_at_start,
        case
            when is_subscriber then mrr_end > 0
            else has_recent_order_at_end
        end as is_active_at_end,
        case
            when is_subscriber then had_mrr_before
            else last_order_before_start_at is not null
        end as was_active_before
    from joined

),

final as (

    select
        account_id,
        month_start,
        is_subscriber,
        plan,
        is_active_at_start,
        is_active_at_end,
        not is_active_at_start and is_active_at_end and not was_active_before as is_new,
        is_active_at_start and not is_active_at_end as is_churned,
        not is_active_at_start and is_active_at_end and was_active_before as is_reactivated,
        is_last_month,
        mrr_start,
        mrr_end,
        case
            when mrr_start = 0 and mrr_end > 0 and not had_mrr_before then mrr_end else 0
        end as mrr_new,
        case
            when mrr_start > 0 and mrr_end > mrr_start then mrr_end - mrr_start else 0
        end as mrr_expansion,
        case
            when mrr_start > 0 and mrr_end > 0 and mrr_end < mrr_start then mrr_start - mrr_end else 0
        end as mrr_contraction,
        case
            when mrr_start > 0 and mrr_end = 0 then mrr_start else 0
        end as mrr_churned,
        case
            when mrr_start = 0 and mrr_end > 0 and had_mrr_before then mrr_end else 0
        end as mrr_reactivation,
        paid_seats_end,
        revenue,
        order_count,
        order_day_count,
        category_count,
        case when is_active_at_start and not is_active_at_end then cancel_reason end as cancel_reason
    from activity

)

select * from final
