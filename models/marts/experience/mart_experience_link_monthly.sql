{#- When poor UX went with churn, account by account. One row per month, UX signal and
    band (poor, fair, good). The unit is an account-month banded by the UX of the
    account's own users that month (as exposure_level 'account' of mart_experience_link,
    same bands and minimum evidence). Within each month each band's churn (within the
    month or the next, among customers active at its start) is compared with the good
    band's of the same month by a pooled two-proportion z-test, and the months are
    ranked by that z: comparing within a month keeps seasonality, tenure and the
    growing customer base out of the comparison, and a UX problem that lasted a month
    shows as one month standing out instead of being diluted over two years.
    Only months whose two-month outcome is complete count (the next month is in the
    data): in the last month only the accounts that already churned have an outcome. -#}

{%- set signals = [
    {'name': 'task_success_rate', 'label': 'Task success rate', 'evidence': 'task_attempts',
     'min': experience_setting('cxux_link_min_task_attempts')},
    {'name': 'cwv_pass_rate', 'label': 'Core Web Vitals pass rate', 'evidence': 'cwv_measured_page_loads',
     'min': experience_setting('cxux_link_min_page_loads')},
    {'name': 'sus_mean', 'label': 'SUS score', 'evidence': 'sus_responses', 'min': experience_setting('cxux_link_min_sus_responses')},
] -%}
{%- set bands = [('poor', 1), ('fair', 2), ('good', 3)] -%}
{%- set min_sample = experience_setting('cxux_link_min_sample') -%}

with

account_health as (

    select * from {{ ref('mart_account_health_monthly') }}

),

at_risk as (

    select *
    from account_health
    where is_churned_within_two_months is not null
        and is_churned_next_month is not null

),

banded as (

    {% for signal in signals %}
    select
        month_start,
        '{{ signal.name }}' as ux_signal,
        {{ experience_band(signal.name, signal.name) }} as ux_band,
        case when is_churned_within_two_months then 1 else 0 end as is_churned,
        case
            when is_churned_within_two_months and two_month_cancel_reason = 'ux_issues' then 1
            else 0
        end as is_ux_issues_churned
    from at_risk
    where {{ signal.name }} is not null
        and {{ signal.evidence }} >= {{ signal.min }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

months as (

    select distinct month_start from at_risk

),

band_spine as (

    {% for signal in signals %}
    {% for band, band_order in bands %}
    select
        months.month_start,
        '{{ signal.name }}' as ux_signal,
        '{{ signal.label }}' as ux_signal_label,
        '{{ band }}' as ux_band,
        {{ band_order }} as ux_band_order
    from months
    {%- if not loop.last %} union all {% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

band_totals as (

    select
        month_start,
        ux_signal,
        ux_band,
        count(*) as at_risk_accounts,
        cast(sum(is_churned) as {{ dbt.type_bigint() }}) as churned_accounts,
        cast(sum(is_ux_issues_churned) as {{ dbt.type_bigint() }}) as ux_issues_churned_accounts
    from banded
    group by 1, 2, 3

),

filled as (

    select
        band_spine.month_start,
        band_spine.ux_signal,
        band_spine.ux_signal_label,
        band_spine.ux_band,
        band_spine.ux_band_order,
        coalesce(band_totals.at_risk_accounts, 0) as at_risk_accounts,
        coalesce(band_totals.churned_accounts, 0) as churned_accounts,
        coalesce(band_totals.ux_issues_churned_accounts, 0) as ux_issues_churned_accounts
    from band_spine
    left join band_totals
        on band_spine.month_start = band_totals.month_start
        and band_spine.ux_signal = band_totals.ux_signal
        and band_spine.ux_band = band_totals.ux_band

),

compared as (

    select
        filled.*,
        good.at_risk_accounts as good_at_risk_accounts,
        good.churned_accounts as good_churned_accounts,
        {{ experience_two_proportion_z('filled.churned_accounts', 'filled.at_risk_accounts', 'good.churned_accounts', 'good.at_risk_accounts') }}
            as churn_z_vs_good,
        (filled.at_risk_accounts >= {{ min_sample }} and good.at_risk_accounts >= {{ min_sample }})
            as is_sample_sufficient
    from filled
    inner join filled as good
        on filled.month_start = good.month_start
        and filled.ux_signal = good.ux_signal
        and good.ux_band = 'good'

),

ranked as (

    select
        compared.*,
        -- 1 = the month in which this band churned most above the good band (among
        -- months with a sufficient sample on both sides)
        cast(case
            when is_sample_sufficient and churn_z_vs_good is not null and ux_band <> 'good'
                then row_number() over (
                    partition by
                        ux_signal,
                        ux_band,
                        case when is_sample_sufficient and churn_z_vs_good is not null then 1 else 0 end
                    order by churn_z_vs_good desc, month_start
                )
        end as {{ dbt.type_bigint() }}) as churn_z_rank
    from compared

),

final as (

    select
        month_start,
        ux_signal,
        ux_signal_label,
        ux_band,
        ux_band_order,
        at_risk_accounts,
        churned_accounts,
        {{ cxux_safe_divide('churned_accounts', 'at_risk_accounts') }} as churn_rate,
        {{ cxux_wilson_bound('churned_accounts', 'at_risk_accounts', 0.95, 'lower') }} as churn_rate_ci_lower,
        {{ cxux_wilson_bound('churned_accounts', 'at_risk_accounts', 0.95, 'upper') }} as churn_rate_ci_upper,
        ux_issues_churned_accounts,
        good_at_risk_accounts,
        good_churned_accounts,
        churn_z_vs_good,
        churn_z_rank,
        {{ min_sample }} as min_sample,
        is_sample_sufficient,
        coalesce(ux_band <> 'good' and churn_z_vs_good >= 1.96, false)
            as is_churn_significantly_higher_than_good
    from ranked

)

select * from final
