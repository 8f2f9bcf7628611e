{#- How CX outcomes differ between customers whose users had good and poor UX.
    One row per exposure level, UX signal and band (poor, fair, good). The unit is an
    account-month; its band comes from
      - exposure_level 'account': the UX of the account's own users that month;
      - exposure_level 'region': the UX of all users of customers in the account's
        region that month (an incident reaches every customer of the region, including
        those whose users did not happen to try the broken task).
    Outcomes: NPS, CSAT and tickets in the month and churn within the month or the next
    of the customers active at its start (is_churned_within_two_months), counted only
    when the next month is in the data (is_churned_next_month not null). Each band's
    churn is compared with the good band's of the same level and signal by a pooled
    two-proportion z-test. -#}

{%- set levels = ['account', 'region'] -%}
{%- set signals = [
    {'name': 'task_success_rate', 'label': 'Task success rate', 'evidence': 'task_attempts',
     'min': {'account': experience_setting('cxux_link_min_task_attempts'), 'region': experience_setting('cxux_link_min_region_task_attempts')}},
    {'name': 'cwv_pass_rate', 'label': 'Core Web Vitals pass rate', 'evidence': 'cwv_measured_page_loads',
     'min': {'account': experience_setting('cxux_link_min_page_loads'), 'region': experience_setting('cxux_link_min_region_page_loads')}},
    {'name': 'sus_mean', 'label': 'SUS score', 'evidence': 'sus_responses',
     'min': {'account': experience_setting('cxux_link_min_sus_responses'), 'region': experience_setting('cxux_link_min_region_sus_responses')}},
] -%}
{%- set bands = [('poor', 1), ('fair', 2), ('good', 3)] -%}
{%- set min_sample = experience_setting('cxux_link_min_sample') -%}
{#- NPS and CSAT of a band: the metrics' formulas and nps's interval and confidence
    over the account-months' counts (mart_account_health_monthly: the metrics' rows
    and parameters) -#}
{%- set nps = experience_metric('nps', 'nps', 'fct_survey_responses') -%}
{%- set nps_interval = experience_metric_parameter(nps, 'interval') -%}
{%- set nps_confidence = experience_metric_parameter(nps, 'confidence') -%}
{%- set at_risk = 'account_health.is_churned_within_two_months is not null and account_health.is_churned_next_month is not null' -%}

with

account_health as (

    select * from {{ ref('mart_account_health_monthly') }}

),

-- the UX of each region and month, over the users of all its customers
region_month_totals as (

    select
        region,
        month_start,
        cast(sum(task_attempts) as {{ dbt.type_bigint() }}) as task_attempts,
        cast(sum(task_successes) as {{ dbt.type_bigint() }}) as task_successes,
        cast(sum(cwv_measured_page_loads) as {{ dbt.type_bigint() }}) as cwv_measured_page_loads,
        cast(sum(cwv_passing_page_loads) as {{ dbt.type_bigint() }}) as cwv_passing_page_loads,
        cast(sum(sus_responses) as {{ dbt.type_bigint() }}) as sus_responses,
        sum(sus_mean * sus_responses) as sus_score_total
    from account_health
    group by 1, 2

),

region_months as (

    select
        region,
        month_start,
        task_attempts,
        cwv_measured_page_loads,
        sus_responses,
        {{ cxux_safe_divide('task_successes', 'task_attempts') }} as task_success_rate,
        {{ cxux_safe_divide('cwv_passing_page_loads', 'cwv_measured_page_loads') }} as cwv_pass_rate,
        {{ cxux_safe_divide('sus_score_total', 'sus_responses') }} as sus_mean
    from region_month_totals

),

banded as (

    {% for level in levels %}
    {% set source = 'account_health' if level == 'account' else 'region_months' %}
    {% for signal in signals %}
    select
        '{{ level }}' as exposure_level,
        '{{ signal.name }}' as ux_signal,
        {{ experience_band(signal.name, source ~ '.' ~ signal.name) }} as ux_band,
        account_health.account_id,
        account_health.nps_responses,
        account_health.nps_promoters,
        account_health.nps_detractors,
        account_health.csat_responses,
        account_health.csat_top_box_responses,
        account_health.ticket_count,
        account_health.bug_ticket_count,
        -- at risk: active at the start, with the two-month outcome complete (the next
        -- month is in the data; in the last month only those who already churned have
        -- an outcome, which would inflate its churn)
        case when {{ at_risk }} then 1 else 0 end as is_at_risk,
        case when {{ at_risk }} and account_health.is_churned_within_two_months then 1 else 0 end as is_churned,
        case
            when {{ at_risk }} and account_health.is_churned_within_two_months
                and account_health.two_month_cancel_reason = 'ux_issues' then 1
            else 0
        end as is_ux_issues_churned
    from account_health
    {% if level == 'region' %}
    inner join region_months
        on account_health.region = region_months.region
        and account_health.month_start = region_months.month_start
    {% endif %}
    where {{ source }}.{{ signal.name }} is not null
        and {{ source }}.{{ signal.evidence }} >= {{ signal.min[level] }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

band_spine as (

    {% for level in levels %}
    {% for signal in signals %}
    {% for band, band_order in bands %}
    select
        '{{ level }}' as exposure_level,
        '{{ signal.name }}' as ux_signal,
        '{{ signal.label }}' as ux_signal_label,
        '{{ band }}' as ux_band,
        {{ band_order }} as ux_band_order
    {%- if not loop.last %} union all {% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

band_totals as (

    select
        exposure_level,
        ux_signal,
        ux_band,
        count(*) as account_months,
        count(distinct account_id) as accounts,
        cast(sum(is_at_risk) as {{ dbt.type_bigint() }}) as at_risk_accounts,
        cast(sum(is_churned) as {{ dbt.type_bigint() }}) as churned_accounts,
        cast(sum(is_ux_issues_churned) as {{ dbt.type_bigint() }}) as ux_issues_churned_accounts,
        cast(sum(nps_responses) as {{ dbt.type_bigint() }}) as nps_responses,
        cast(sum(nps_promoters) as {{ dbt.type_bigint() }}) as nps_promoters,
        cast(sum(nps_detractors) as {{ dbt.type_bigint() }}) as nps_detractors,
        cast(sum(csat_responses) as {{ dbt.type_bigint() }}) as csat_responses,
        cast(sum(csat_top_box_responses) as {{ dbt.type_bigint() }}) as csat_top_box_responses,
        cast(sum(ticket_count) as {{ dbt.type_bigint() }}) as tickets,
        cast(sum(bug_ticket_count) as {{ dbt.type_bigint() }}) as bug_tickets
    from banded
    group by 1, 2, 3

),

filled as (

    select
        band_spine.exposure_level,
        band_spine.ux_signal,
        band_spine.ux_signal_label,
        band_spine.ux_band,
        band_spine.ux_band_order,
        coalesce(band_totals.account_months, 0) as account_months,
        coalesce(band_totals.accounts, 0) as accounts,
        coalesce(band_totals.at_risk_accounts, 0) as at_risk_accounts,
        coalesce(band_totals.churned_accounts, 0) as churned_accounts,
        coalesce(band_totals.ux_issues_churned_accounts, 0) as ux_issues_churned_accounts,
        coalesce(band_totals.nps_responses, 0) as nps_responses,
        coalesce(band_totals.nps_promoters, 0) as nps_promoters,
        coalesce(band_totals.nps_detractors, 0) as nps_detractors,
        coalesce(band_totals.csat_responses, 0) as csat_responses,
        coalesce(band_totals.csat_top_box_responses, 0) as csat_top_box_responses,
        coalesce(band_totals.tickets, 0) as tickets,
        coalesce(band_totals.bug_tickets, 0) as bug_tickets
    from band_spine
    left join band_totals
        on band_spine.exposure_level = band_totals.exposure_level
        and band_spine.ux_signal = band_totals.ux_signal
        and band_spine.ux_band = band_totals.ux_band

),

with_good_band as (

    select
        filled.*,
        good.at_risk_accounts as good_at_risk_accounts,
        good.churned_accounts as good_churned_accounts
    from filled
    left join filled as good
        on filled.exposure_level = good.exposure_level
        and filled.ux_signal = good.ux_signal
        and good.ux_band = 'good'

),

final as (

    select
        exposure_level,
        ux_signal,
        ux_signal_label,
        ux_band,
        ux_band_order,
        account_months,
        accounts,

        at_risk_accounts,
        churned_accounts,
        {{ cxux_safe_divide('churned_accounts', 'at_risk_accounts') }} as churn_rate,
        {{ cxux_wilson_bound('churned_accounts', 'at_risk_accounts', 0.95, 'lower') }} as churn_rate_ci_lower,
        {{ cxux_wilson_bound('churned_accounts', 'at_risk_accounts', 0.95, 'upper') }} as churn_rate_ci_upper,
        ux_issues_churned_accounts,
        {{ experience_two_proportion_z('churned_accounts', 'at_risk_accounts', 'good_churned_accounts', 'good_at_risk_accounts') }}
            as churn_z_vs_good,

        nps_responses,
        nps_promoters,
        nps_detractors,
        {{ cxux_nps_value('nps_promoters', 'nps_detractors', 'nps_responses') }} as nps,
        {% if nps_interval == 'none' -%}
        cast(null as {{ cxux_type_double() }}) as nps_ci_lower,
        cast(null as {{ cxux_type_double() }}) as nps_ci_upper,
        {%- else -%}
        {{ cxux_nps_bound(nps_interval, 'nps_promoters', 'nps_detractors', 'nps_responses', nps_confidence, 'lower') }} as nps_ci_lower,
        {{ cxux_nps_bound(nps_interval, 'nps_promoters', 'nps_detractors', 'nps_responses', nps_confidence, 'upper') }} as nps_ci_upper,
        {%- endif %}

        csat_responses,
        csat_top_box_responses,
        {{ cxux_share_value('csat_top_box_responses', 'csat_responses') }} as csat,
        tickets,
        bug_tickets,
        {{ cxux_safe_divide('tickets', 'account_months') }} as tickets_per_account_month,
        {{ cxux_safe_divide('bug_tickets', 'account_months') }} as bug_tickets_per_account_month,

        {{ min_sample }} as min_sample,
        at_risk_accounts >= {{ min_sample }} as is_sample_sufficient,
        coalesce(
            ux_band <> 'good'
            and {{ experience_two_proportion_z('churned_accounts', 'at_risk_accounts', 'good_churned_accounts', 'good_at_risk_accounts') }} >= 1.96,
            false
        ) as is_churn_significantly_higher_than_good
    from with_good_band

)

select * from final
