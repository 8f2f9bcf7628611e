{#- Where and when UX broke: one row per customer region and month, with the UX of the
    region's accounts (task success, Core Web Vitals) next to their CX outcomes (bug
    tickets, churn, churn for ux_issues). Each region-month's task success is compared
    with all other region-months by a pooled two-proportion z-test (negative = worse),
    and ranked from the worst, so an incident is found from the data alone. -#}

{%- set min_attempts = experience_setting('cxux_hotspot_min_task_attempts') -%}

with

account_health as (

    select * from {{ ref('mart_account_health_monthly') }}

),

region_months as (

    select
        coalesce(region, 'unknown') as region,
        month_start,
        count(*) as account_months,
        cast(sum(task_attempts) as {{ dbt.type_bigint() }}) as task_attempts,
        cast(sum(task_successes) as {{ dbt.type_bigint() }}) as task_successes,
        cast(sum(cwv_measured_page_loads) as {{ dbt.type_bigint() }}) as cwv_measured_page_loads,
        cast(sum(cwv_passing_page_loads) as {{ dbt.type_bigint() }}) as cwv_passing_page_loads,
        cast(sum(bug_ticket_count) as {{ dbt.type_bigint() }}) as bug_tickets,
        cast(sum(case when is_active_at_start then 1 else 0 end) as {{ dbt.type_bigint() }}) as active_at_start,
        cast(sum(case when is_active_at_start and is_churned then 1 else 0 end) as {{ dbt.type_bigint() }}) as churned,
        cast(sum(case when is_active_at_start and is_churned and cancel_reason = 'ux_issues' then 1 else 0 end) as {{ dbt.type_bigint() }})
            as ux_issues_churned
    from account_health
    group by 1, 2

),

overall as (

    select
        sum(task_attempts) as all_task_attempts,
        sum(task_successes) as all_task_successes
    from region_months

),

compared as (

    select
        region_months.*,
        {{ experience_two_proportion_z(
            'region_months.task_successes', 'region_months.task_attempts',
            '(overall.all_task_successes - region_months.task_successes)',
            '(overall.all_task_attempts - region_months.task_attempts)') }} as task_success_z_vs_rest
    from region_months
    cross join overall

),

final as (

    select
        region,
        month_start,
        account_months,
        task_attempts,
        task_successes,
        {{ cxux_safe_divide('task_successes', 'task_attempts') }} as task_success_rate,
        {{ cxux_wilson_bound('task_successes', 'task_attempts', 0.95, 'lower') }} as task_success_rate_ci_lower,
        {{ cxux_wilson_bound('task_successes', 'task_attempts', 0.95, 'upper') }} as task_success_rate_ci_upper,
        task_success_z_vs_rest,
        cwv_measured_page_loads,
        cwv_passing_page_loads,
        {{ cxux_safe_divide('cwv_passing_page_loads', 'cwv_measured_page_loads') }} as cwv_pass_rate,
        bug_tickets,
        {{ cxux_safe_divide('bug_tickets', 'account_months') }} as bug_tickets_per_account,
        active_at_start,
        churned,
        {{ cxux_safe_divide('churned', 'active_at_start') }} as churn_rate,
        ux_issues_churned,
        task_attempts >= {{ min_attempts }} as is_sample_sufficient,
        cast(case
            when task_attempts >= {{ min_attempts }} then
                rank() over (
                    partition by case when task_attempts >= {{ min_attempts }} then 1 else 0 end
                    order by {{ cxux_safe_divide('task_successes', 'task_attempts') }}
                )
        end as {{ dbt.type_bigint() }}) as task_success_worst_rank
    from compared

)

select * from final
