-- Churn, GRR and NRR need a fixed starting cohort: a customer acquired in the month is
-- not active at its start, cannot churn in it, and only customers active at start carry
-- expansion, contraction or churned MRR.
select *
from {{ ref('fct_customer_months') }}
where (is_new and is_active_at_start)
    or (is_churned and not is_active_at_start)
    or (not is_active_at_start and (mrr_expansion <> 0 or mrr_contraction <> 0 or mrr_churned <> 0))
