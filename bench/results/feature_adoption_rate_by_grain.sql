-- Experiment (2026-11-24, issue 6): metric__feature_adoption_rate computed from the fact's grain.
-- fct_user_feature_months has one row per user_id, month_start and feature, so in the three month
-- slices that keep feature the distinct user count is count(user_id) (covered); the other 15 grouping
-- sets count distinct users in two steps: one row per slice and user (per_user), then counted (rest).
-- On the 100M-event warehouse: 137 s, 13 GB of spill, 8.0 GB peak RSS (8 GB memory_limit, 2 threads);
-- the compiled model needed over 25 GB of spill. Same rows as the compiled model on 2026-07..09.
-- Hand-written from the compiled model (target/run/.../metric__feature_adoption_rate.sql): the
-- aggregation only, not yet a feature of the metric layer (it needs a declared source grain).

with source as (

    select * from "marts"."fct_user_feature_months"

),

filtered as (

    select
        cast(date_trunc('month', month_start) as date) as period__month,
        cast(date_trunc('quarter', month_start) as date) as period__quarter,
        coalesce(cast(feature as TEXT), 'unknown') as dimension__feature,
        coalesce(cast(platform as TEXT), 'unknown') as dimension__platform,
        coalesce(cast(device_type as TEXT), 'unknown') as dimension__device_type,
        coalesce(cast(region as TEXT), 'unknown') as dimension__region,
        coalesce(cast(relationship_type as TEXT), 'unknown') as dimension__relationship_type,
        coalesce(cast(plan as TEXT), 'unknown') as dimension__plan,
        case when is_used then user_id end as numerator_value,
        user_id as denominator_value,
        1 as row_weight
    from source
    where month_start is not null

),

covered as (
    select 'month' as grain, period__month as period_start,
        case
            when grouping(dimension__platform) = 0 then 'feature|platform'
            when grouping(dimension__plan) = 0 then 'feature|plan'
            else 'feature'
        end as dimension_name,
        case
            when grouping(dimension__platform) = 0 then dimension__feature || '|' || dimension__platform
            when grouping(dimension__plan) = 0 then dimension__feature || '|' || dimension__plan
            else dimension__feature
        end as dimension_value,
        count(numerator_value) as numerator_value_aggregate,
        count(denominator_value) as denominator_value_aggregate,
        count(*) as row_count
    from filtered
    group by grouping sets ((period__month, dimension__feature), (period__month, dimension__feature, dimension__platform), (period__month, dimension__feature, dimension__plan))
),
per_user as (
    select case when grouping(period__month) = 0 then 'month' when grouping(period__quarter) = 0 then 'quarter' end as grain,
        case when grouping(period__month) = 0 then period__month when grouping(period__quarter) = 0 then period__quarter end as period_start,
        case
            when grouping(dimension__feature) = 0 and grouping(dimension__platform) = 0 then 'feature|platform'
            when grouping(dimension__feature) = 0 and grouping(dimension__plan) = 0 then 'feature|plan'
            when grouping(dimension__feature) = 0 then 'feature'
            when grouping(dimension__platform) = 0 then 'platform'
            when grouping(dimension__device_type) = 0 then 'device_type'
            when grouping(dimension__region) = 0 then 'region'
            when grouping(dimension__relationship_type) = 0 then 'relationship_type'
            when grouping(dimension__plan) = 0 then 'plan'
            else 'total'
        end as dimension_name,
        case
            when grouping(dimension__feature) = 0 and grouping(dimension__platform) = 0 then dimension__feature || '|' || dimension__platform
            when grouping(dimension__feature) = 0 and grouping(dimension__plan) = 0 then dimension__feature || '|' || dimension__plan
            when grouping(dimension__feature) = 0 then dimension__feature
            when grouping(dimension__platform) = 0 then dimension__platform
            when grouping(dimension__device_type) = 0 then dimension__device_type
            when grouping(dimension__region) = 0 then dimension__region
            when grouping(dimension__relationship_type) = 0 then dimension__relationship_type
            when grouping(dimension__plan) = 0 then dimension__plan
            else 'total'
        end as dimension_value,
        denominator_value,
        max(case when numerator_value is not null then 1 else 0 end) as has_numerator,
        count(*) as row_count
    from filtered
    group by grouping sets ((period__month, denominator_value), (period__month, dimension__platform, denominator_value), (period__month, dimension__device_type, denominator_value), (period__month, dimension__region, denominator_value), (period__month, dimension__relationship_type, denominator_value), (period__month, dimension__plan, denominator_value), (period__quarter, denominator_value), (period__quarter, dimension__feature, denominator_value), (period__quarter, dimension__platform, denominator_value), (period__quarter, dimension__device_type, denominator_value), (period__quarter, dimension__region, denominator_value), (period__quarter, dimension__relationship_type, denominator_value), (period__quarter, dimension__plan, denominator_value), (period__quarter, dimension__feature, dimension__platform, denominator_value), (period__quarter, dimension__feature, dimension__plan, denominator_value))
),
rest as (
    select grain, period_start, dimension_name, dimension_value,
        sum(has_numerator) as numerator_value_aggregate,
        count(denominator_value) as denominator_value_aggregate,
        sum(row_count) as row_count
    from per_user
    group by grain, period_start, dimension_name, dimension_value
)
select * from covered union all select * from rest
