-- Every interval in the link marts contains its estimate and stays in its range:
-- churn rates and their Wilson bounds in [0, 1], NPS and its Rocks bounds in
-- [-100, 100], task success bounds around the rate (mart_experience_link, its monthly
-- view and mart_experience_hotspots). Returns the offending rows.
with

link as (

    select * from {{ ref('mart_experience_link') }}

),

link_monthly as (

    select * from {{ ref('mart_experience_link_monthly') }}

),

hotspots as (

    select * from {{ ref('mart_experience_hotspots') }}

),

link_problems as (

    select
        'mart_experience_link' as model_name,
        {{ dbt.concat(["exposure_level", "'/'", "ux_signal", "'/'", "ux_band"]) }} as row_key
    from link
    where (churn_rate is not null and not (
            0 <= churn_rate_ci_lower and churn_rate_ci_lower <= churn_rate + 1e-9
            and churn_rate <= churn_rate_ci_upper + 1e-9 and churn_rate_ci_upper <= 1
        ))
        or (nps is not null and not (
            -100 <= nps_ci_lower and nps_ci_lower <= nps + 1e-9
            and nps <= nps_ci_upper + 1e-9 and nps_ci_upper <= 100
        ))
        or churned_accounts > at_risk_accounts
        or nps_promoters + nps_detractors > nps_responses

),

link_monthly_problems as (

    select
        'mart_experience_link_monthly' as model_name,
        {{ dbt.concat([dbt.safe_cast("month_start", api.Column.translate_type("string")), "'/'", "ux_signal", "'/'", "ux_band"]) }} as row_key
    from link_monthly
    where (churn_rate is not null and not (
            0 <= churn_rate_ci_lower and churn_rate_ci_lower <= churn_rate + 1e-9
            and churn_rate <= churn_rate_ci_upper + 1e-9 and churn_rate_ci_upper <= 1
        ))
        or churned_accounts > at_risk_accounts
        or ux_issues_churned_accounts > churned_accounts

),

hotspot_problems as (

    select
        'mart_experience_hotspots' as model_name,
        {{ dbt.concat(["region", "'/'", dbt.safe_cast("month_start", api.Column.translate_type("string"))]) }} as row_key
    from hotspots
    where task_success_rate is not null and not (
        0 <= task_success_rate_ci_lower and task_success_rate_ci_lower <= task_success_rate + 1e-9
        and task_success_rate <= task_success_rate_ci_upper + 1e-9 and task_success_rate_ci_upper <= 1
    )

)

select * from link_problems
union all
select * from link_monthly_problems
union all
select * from hotspot_problems
