-- A month starts where the previous one ended: MRR and activity at the start of a month
-- equal those at the end of the customer's previous month.
with months as (

    select
        account_id,
        month_start,
        mrr_start,
        is_active_at_start,
        lag(mrr_end) over (partition by account_id order by month_start) as previous_mrr_end,
        lag(is_active_at_end) over (partition by account_id order by month_start) as previous_is_active_at_end
    from {{ ref('fct_customer_months') }}

)

select *
from months
where previous_mrr_end is not null
    and (
        abs(mrr_start - previous_mrr_end) > 0.005
        or is_active_at_start <> previous_is_active_at_end
    )
