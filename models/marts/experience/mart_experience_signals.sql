{#- Which UX signals move with churn. One row per UX signal. The unit is an
    account-month whose account was active at the month's start and had the signal
    measured; the outcome is churn within that month or the next
    (is_churned_within_two_months). For each signal: the point-biserial correlation
    (Pearson's r between the signal and the 0/1 churn), and the churn rate in the
    worst and best quartile
    of the signal (quartiles by ntile over account-months; "worst" follows the
    signal's direction), their difference and a pooled two-proportion z-test. -#}

{#- evidence/min: the account-month needs this much data for the signal to mean
    something (a task success rate of 1 attempt is 0 or 1); the same minimums as the
    bands in mart_experience_link. -#}
{%- set min_attempts = experience_setting('cxux_link_min_task_attempts') -%}
{%- set min_page_loads = experience_setting('cxux_link_min_page_loads') -%}
{%- set min_sus_responses = experience_setting('cxux_link_min_sus_responses') -%}
{%- set signals = [
    {'name': 'task_success_rate', 'label': 'Task success rate', 'direction': 'higher_is_better', 'evidence': 'task_attempts', 'min': min_attempts},
    {'name': 'time_on_task_geomean_seconds', 'label': 'Time on task (geometric mean, s)', 'direction': 'lower_is_better', 'evidence': 'timed_successes', 'min': min_attempts},
    {'name': 'cwv_pass_rate', 'label': 'Core Web Vitals pass rate', 'direction': 'higher_is_better', 'evidence': 'cwv_measured_page_loads', 'min': min_page_loads},
    {'name': 'lcp_p75_ms', 'label': 'LCP p75 (ms)', 'direction': 'lower_is_better', 'evidence': 'page_loads', 'min': min_page_loads},
    {'name': 'sus_mean', 'label': 'SUS score', 'direction': 'higher_is_better', 'evidence': 'sus_responses', 'min': min_sus_responses},
    {'name': 'seat_utilisation', 'label': 'Seat utilisation', 'direction': 'higher_is_better', 'evidence': 'paid_seats', 'min': 1},
] -%}
{%- set min_sample = experience_setting('cxux_link_min_sample') -%}

with

account_health as (

    select * from {{ ref('mart_account_health_monthly') }}

),

observations as (

    {% for signal in signals %}
    select
        '{{ signal.name }}' as ux_signal,
        '{{ signal.label }}' as ux_signal_label,
        '{{ signal.direction }}' as direction,
        cast({{ signal.name }} as {{ cxux_type_double() }}) as signal_value,
        case when is_churned_within_two_months then 1 else 0 end as churned,
        account_id,
        month_start
    from account_health
    where {{ signal.name }} is not null
        and {{ signal.evidence }} >= {{ signal.min }}
        and is_churned_within_two_months is not null
        -- the two-month outcome is complete only when the next month is in the data
        and is_churned_next_month is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quartiled as (

    select
        observations.*,
        -- quartile 1 = the worst values of the signal, 4 = the best; ties split by
        -- account and month so the result does not depend on row order
        case
            when direction = 'higher_is_better'
                then ntile(4) over (partition by ux_signal order by signal_value, account_id, month_start)
            else ntile(4) over (partition by ux_signal order by signal_value desc, account_id, month_start)
        end as quality_quartile
    from observations

),

summarised as (

    select
        ux_signal,
        ux_signal_label,
        direction,
        count(*) as account_months,
        cast(sum(churned) as {{ dbt.type_bigint() }}) as churned_accounts,
        corr(signal_value, cast(churned as {{ cxux_type_double() }})) as point_biserial_r,
        cast(sum(case when quality_quartile = 1 then 1 else 0 end) as {{ dbt.type_bigint() }}) as worst_quartile_n,
        cast(sum(case when quality_quartile = 1 then churned else 0 end) as {{ dbt.type_bigint() }}) as worst_quartile_churned,
        cast(sum(case when quality_quartile = 4 then 1 else 0 end) as {{ dbt.type_bigint() }}) as best_quartile_n,
        cast(sum(case when quality_quartile = 4 then churned else 0 end) as {{ dbt.type_bigint() }}) as best_quartile_churned,
        max(case when quality_quartile = 1 then signal_value end) as worst_quartile_max_value,
        min(case when quality_quartile = 1 then signal_value end) as worst_quartile_min_value,
        max(case when quality_quartile = 4 then signal_value end) as best_quartile_max_value,
        min(case when quality_quartile = 4 then signal_value end) as best_quartile_min_value
    from quartiled
    group by 1, 2, 3

),

final as (

    select
        ux_signal,
        ux_signal_label,
        direction,
        account_months,
        churned_accounts,
        {{ cxux_safe_divide('churned_accounts', 'account_months') }} as churn_rate,
        point_biserial_r,
        worst_quartile_n,
        worst_quartile_churned,
        {{ cxux_safe_divide('worst_quartile_churned', 'worst_quartile_n') }} as worst_quartile_churn_rate,
        best_quartile_n,
        best_quartile_churned,
        {{ cxux_safe_divide('best_quartile_churned', 'best_quartile_n') }} as best_quartile_churn_rate,
        {{ cxux_safe_divide('worst_quartile_churned', 'worst_quartile_n') }}
            - {{ cxux_safe_divide('best_quartile_churned', 'best_quartile_n') }} as churn_rate_difference,
        {{ experience_two_proportion_z('worst_quartile_churned', 'worst_quartile_n', 'best_quartile_churned', 'best_quartile_n') }}
            as churn_difference_z,
        worst_quartile_min_value,
        worst_quartile_max_value,
        best_quartile_min_value,
        best_quartile_max_value,
        {{ min_sample }} as min_sample,
        (worst_quartile_n >= {{ min_sample }} and best_quartile_n >= {{ min_sample }}) as is_sample_sufficient,
        coalesce(
            {{ experience_two_proportion_z('worst_quartile_churned', 'worst_quartile_n', 'best_quartile_churned', 'best_quartile_n') }} >= 1.96,
            false
        ) as moves_with_churn
    from summarised

)

select * from final
