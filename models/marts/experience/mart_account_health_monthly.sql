{#- One row per customer (account) and month: the account's CX outcomes next to the
    UX of its users. The spine is fct_customer_months; UX facts are attributed to the
    account through the account_id they carry (the bridge's paying customer).

    NPS, CSAT and LCP p75 are the metrics nps, csat and lcp_p75 with account_id as
    the slice: the same rows (the definition's filter, e.g. nps's one answer per
    respondent per survey wave, is_latest_in_wave), the same parameters (promoter_min,
    detractor_max, cut and scale through the facts' flags; percentile and method) and
    the same formulas (cxux_nps_value, cxux_share_value, cxux_percentile_at_rank) as
    metric_values, at the metric's month (cxux_period_start). Summed over the accounts
    of a segment they give metric_values' segment slice for the same month, except for
    answers of accounts with no customer-month (outside the spine). -#}

{%- set nps = experience_metric('nps', 'nps', 'fct_survey_responses') -%}
{%- set csat = experience_metric('csat', 'top_box', 'fct_survey_responses') -%}
{%- set lcp = experience_metric('lcp_p75', 'percentile', 'fct_page_views') -%}
{%- set lcp_percentile = experience_percentile('lcp_p75') %}

with

customer_months as (

    select * from {{ ref('fct_customer_months') }}

),

task_attempts as (

    select * from {{ ref('fct_task_attempts') }}

),

page_views as (

    select * from {{ ref('fct_page_views') }}

),

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

account_seat_months as (

    select * from {{ ref('fct_account_seat_months') }}

),

task_months as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as month_start,
        count(*) as task_attempts,
        cast(sum(case when is_success then 1 else 0 end) as {{ dbt.type_bigint() }}) as task_successes,
        -- time on task: successful attempts only, geometric mean (MeasuringU)
        cast(sum(case when is_success and duration_seconds > 0 then 1 else 0 end) as {{ dbt.type_bigint() }}) as timed_successes,
        exp(avg(case when is_success and duration_seconds > 0 then ln(duration_seconds) end))
            as time_on_task_geomean_seconds
    from task_attempts
    where account_id is not null
    group by 1, 2

),

page_view_months as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', 'occurred_at') }} as date) as month_start,
        count(*) as page_loads,
        count(passes_core_web_vitals) as cwv_measured_page_loads,
        cast(sum(case when passes_core_web_vitals then 1 else 0 end) as {{ dbt.type_bigint() }}) as cwv_passing_page_loads
    from page_views
    where account_id is not null
    group by 1, 2

),

-- p75 LCP per account-month: metric lcp_p75's percentile and method over its rows,
-- read off ranks by the metric layer's cxux_percentile_at_rank (the "sort" strategy
-- of cxux_metric_percentile_aggregated): values counted per account-month, a running
-- count in order, the percentile at its rank. A percentile aggregate keeps every value
-- of every group in a hash table that cannot spill, and inside this query it ran 40x
-- slower once DuckDB was short of memory (issue 6); a sort spills.
lcp_values as (

    select
        account_id,
        {{ cxux_period_start('month', lcp['time']) }} as month_start,
        {{ cxux_double(experience_metric_parameter(lcp, 'measure')) }} as measure_value
    from page_views
    where account_id is not null
        and {{ lcp['time'] }} is not null
        and {{ experience_metric_filter(lcp) }}

),

lcp_value_counts as (

    select
        account_id,
        month_start,
        measure_value,
        count(measure_value) as value_count
    from lcp_values
    group by 1, 2, 3

),

lcp_ranked as (

    select
        account_id,
        month_start,
        measure_value,
        sum(value_count) over (
            partition by account_id, month_start
            order by measure_value
            rows between unbounded preceding and current row
        ) as cumulative_count,
        sum(value_count) over (partition by account_id, month_start) as row_count
    from lcp_value_counts

),

lcp_p75_months as (

    select
        account_id,
        month_start,
        {{ cxux_percentile_at_rank('measure_value', 'cumulative_count', 'row_count',
                                   lcp_percentile['fraction'], lcp_percentile['method']) }} as lcp_p75_ms
    from lcp_ranked
    group by 1, 2

),

-- Account NPS: metric nps's rows (its filter: nps answers, one per respondent per
-- survey wave, is_latest_in_wave) at the month of the answer; n counts the answers
-- on the scale (is_promoter not null), as cxux_metric_nps does.
nps_months as (

    select
        account_id,
        {{ cxux_period_start('month', nps['time']) }} as month_start,
        count(is_promoter) as nps_responses,
        cast(sum(case when is_promoter then 1 else 0 end) as {{ dbt.type_bigint() }}) as nps_promoters,
        cast(sum(case when is_detractor then 1 else 0 end) as {{ dbt.type_bigint() }}) as nps_detractors
    from survey_responses
    where account_id is not null
        and {{ nps['time'] }} is not null
        and {{ experience_metric_filter(nps) }}
    group by 1, 2

),

-- CSAT: metric csat's rows; every answer on the scale counts (is_top_box not null).
csat_months as (

    select
        account_id,
        {{ cxux_period_start('month', csat['time']) }} as month_start,
        count(is_top_box) as csat_responses,
        cast(sum(case when is_top_box then 1 else 0 end) as {{ dbt.type_bigint() }}) as csat_top_box_responses
    from survey_responses
    where account_id is not null
        and {{ csat['time'] }} is not null
        and {{ experience_metric_filter(csat) }}
    group by 1, 2

),

-- SUS is per interaction: every scored response counts.
sus_months as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', 'responded_at') }} as date) as month_start,
        count(sus_score) as sus_responses,
        avg(sus_score) as sus_mean
    from survey_responses
    where account_id is not null
        and survey_type = 'sus'
    group by 1, 2

),

bug_ticket_months as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month_start,
        count(*) as bug_ticket_count
    from tickets
    where account_id is not null and category = 'bug'
    group by 1, 2

),

next_months as (

    select
        account_id,
        month_start,
        is_churned,
        cancel_reason
    from customer_months

),

joined as (

    select
        customer_months.account_id,
        customer_months.month_start,
        customer_months.account_type,
        customer_months.segment,
        customer_months.region,
        customer_months.relationship_type,
        customer_months.acquisition_cohort,

        -- CX outcomes of the customer
        coalesce(nps_months.nps_responses, 0) as nps_responses,
        coalesce(nps_months.nps_promoters, 0) as nps_promoters,
        coalesce(nps_months.nps_detractors, 0) as nps_detractors,
        coalesce(csat_months.csat_responses, 0) as csat_responses,
        coalesce(csat_months.csat_top_box_responses, 0) as csat_top_box_responses,
        coalesce(customer_months.ticket_count, 0) as ticket_count,
        coalesce(bug_ticket_months.bug_ticket_count, 0) as bug_ticket_count,
        customer_months.revenue,
        customer_months.order_count,
        customer_months.mrr_start,
        customer_months.mrr_end,
        customer_months.is_active_at_start,
        customer_months.is_active_at_end,
        customer_months.is_churned,
        customer_months.cancel_reason,
        next_months.is_churned as is_churned_next_month,
        next_months.cancel_reason as cancel_reason_next_month,

        -- UX of its users
        coalesce(task_months.task_attempts, 0) as task_attempts,
        coalesce(task_months.task_successes, 0) as task_successes,
        coalesce(task_months.timed_successes, 0) as timed_successes,
        task_months.time_on_task_geomean_seconds,
        coalesce(page_view_months.page_loads, 0) as page_loads,
        coalesce(page_view_months.cwv_measured_page_loads, 0) as cwv_measured_page_loads,
        coalesce(page_view_months.cwv_passing_page_loads, 0) as cwv_passing_page_loads,
        lcp_p75_months.lcp_p75_ms,
        coalesce(sus_months.sus_responses, 0) as sus_responses,
        sus_months.sus_mean,
        account_seat_months.paid_seats,
        account_seat_months.active_users

    from customer_months
    left join next_months
        on customer_months.account_id = next_months.account_id
        and next_months.month_start = cast({{ dbt.dateadd('month', 1, 'customer_months.month_start') }} as date)
    left join task_months
        on customer_months.account_id = task_months.account_id
        and customer_months.month_start = task_months.month_start
    left join page_view_months
        on customer_months.account_id = page_view_months.account_id
        and customer_months.month_start = page_view_months.month_start
    left join lcp_p75_months
        on customer_months.account_id = lcp_p75_months.account_id
        and customer_months.month_start = lcp_p75_months.month_start
    left join nps_months
        on customer_months.account_id = nps_months.account_id
        and customer_months.month_start = nps_months.month_start
    left join csat_months
        on customer_months.account_id = csat_months.account_id
        and customer_months.month_start = csat_months.month_start
    left join sus_months
        on customer_months.account_id = sus_months.account_id
        and customer_months.month_start = sus_months.month_start
    left join bug_ticket_months
        on customer_months.account_id = bug_ticket_months.account_id
        and customer_months.month_start = bug_ticket_months.month_start
    left join account_seat_months
        on customer_months.account_id = account_seat_months.account_id
        and customer_months.month_start = account_seat_months.month_start

),

final as (

    select
        account_id,
        month_start,
        account_type,
        segment,
        region,
        relationship_type,
        cancel_reason,
        cancel_reason_next_month,

        nps_responses,
        nps_promoters,
        nps_detractors,
        {{ cxux_nps_value('nps_promoters', 'nps_detractors', 'nps_responses') }} as nps,
        csat_responses,
        csat_top_box_responses,
        {{ cxux_share_value('csat_top_box_responses', 'csat_responses') }} as csat,
        ticket_count,
        bug_ticket_count,
        revenue,
        order_count,
        mrr_start,
        mrr_end,

        task_attempts,
        task_successes,
        {{ cxux_safe_divide('task_successes', 'task_attempts') }} as task_success_rate,
        timed_successes,
        time_on_task_geomean_seconds,
        page_loads,
        cwv_measured_page_loads,
        cwv_passing_page_loads,
        {{ cxux_safe_divide('cwv_passing_page_loads', 'cwv_measured_page_loads') }} as cwv_pass_rate,
        lcp_p75_ms,
        sus_responses,
        sus_mean,
        active_users,
        paid_seats,
        {{ cxux_safe_divide('active_users', 'paid_seats') }} as seat_utilisation,

        is_active_at_start,
        is_active_at_end,
        is_churned,
        is_churned_next_month,
        -- the link marts' outcome: churn within this month or the next, for customers
        -- active at the month's start (a UX problem's cancels may land in either);
        -- null when not at risk or when the next month is not in the data yet
        case
            when not is_active_at_start then null
            when is_churned then true
            when is_churned_next_month is null then null
            else is_churned_next_month
        end as is_churned_within_two_months,
        case
            when is_active_at_start and is_churned then cancel_reason
            when is_active_at_start and is_churned_next_month then cancel_reason_next_month
        end as two_month_cancel_reason,

        acquisition_cohort

    from joined

)

select * from final
