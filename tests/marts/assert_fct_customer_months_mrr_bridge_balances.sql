-- Every customer-month's MRR movements explain its change:
-- mrr_end = mrr_start + new + expansion + reactivation - contraction - churned.
-- Returns the rows that do not balance (to the cent).
select
    account_id,
    month_start,
    mrr_start,
    mrr_end,
    mrr_new,
    mrr_expansion,
    mrr_reactivation,
    mrr_contraction,
    mrr_churned
from {{ ref('fct_customer_months') }}
where abs(
    mrr_start + mrr_new + mrr_expansion + mrr_reactivation - mrr_contraction - mrr_churned - mrr_end
) > 0.005
