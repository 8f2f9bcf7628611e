{#- One row per customer and calendar month (from the customer's first month to the
    last month in the data): activity at the month's start and end, MRR movements,
    order revenue and tickets, and the month's plan. Rules in
    int_customer_months_classified. -#}
with int_customer_months_classified as (

    select * from {{ ref('int_customer_months_classified') }}

),

int_tickets_timed as (

    select * from {{ ref('int_tickets_timed') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

tickets_by_month as (

    select
        account_id,
        {{ cxux_month_start('created_at') }} as month_start,
        count(*) as ticket_count
    from int_tickets_timed
    where account_id is not null
    group by account_id, {{ cxux_month_start('created_at') }}

),

final as (

    select
        months.account_id,
        months.month_start,
        months.cancel_reason,
        {{ cxux_customer_attributes('dim_customers') }},
        months.plan,
        -- money as decimal(38, 2) on every engine, the contract's type (Spark sums widen by 10 digits only)
        cast(months.mrr_start as decimal(38, 2)) as mrr_start,
        cast(months.mrr_end as decimal(38, 2)) as mrr_end,
        cast(months.mrr_new as decimal(38, 2)) as mrr_new,
        cast(months.mrr_expansion as decimal(38, 2)) as mrr_expansion,
        cast(months.mrr_contraction as decimal(38, 2)) as mrr_contraction,
        cast(months.mrr_churned as decimal(38, 2)) as mrr_churned,
        cast(months.mrr_reactivation as decimal(38, 2)) as mrr_reactivation,
        months.paid_seats_end,
        cast(months.revenue as decimal(38, 2)) as revenue,
        months.order_count,
        months.order_day_count,
        months.category_count,
        coalesce(tickets_by_month.ticket_count, 0) as ticket_count,
        months.is_subscriber,
        months.is_active_at_start,
        months.is_active_at_end,
        months.is_new,
        months.is_churned,
        months.is_reactivated,
        months.month_start = dim_customers.acquisition_cohort as is_acquisition_month,
        months.is_last_month
    from int_customer_months_classified as months
    left join tickets_by_month
        on months.account_id = tickets_by_month.account_id
        and months.month_start = tickets_by_month.month_start
    left join dim_customers
        on months.account_id = dim_customers.account_id

)

select * from final
