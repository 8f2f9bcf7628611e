-- No use is lost to the eligibility rule: for every user and feature of fct_feature_usage,
-- the monthly rows of fct_user_feature_months add up to the same uses and use days, and
-- exactly one month is the first-use month (an adopter is always eligible when adopting).
with feature_usage as (

    select user_id, feature, use_count, days_used
    from {{ ref('fct_feature_usage') }}

),

monthly as (

    select
        user_id,
        feature,
        sum(use_count) as use_count,
        sum(days_used) as days_used,
        sum(case when is_first_use_month then 1 else 0 end) as first_use_months
    from {{ ref('fct_user_feature_months') }}
    where is_used
    group by user_id, feature

)

select
    feature_usage.user_id,
    feature_usage.feature,
    feature_usage.use_count,
    monthly.use_count as monthly_use_count,
    feature_usage.days_used,
    monthly.days_used as monthly_days_used,
    monthly.first_use_months
from feature_usage
full outer join monthly
    on feature_usage.user_id = monthly.user_id
    and feature_usage.feature = monthly.feature
where monthly.user_id is null
    or feature_usage.user_id is null
    or feature_usage.use_count <> monthly.use_count
    or feature_usage.days_used <> monthly.days_used
    or monthly.first_use_months <> 1
