{#- A customer's journey across touchpoints: one row per customer (account) and stage
    (purchase, onboarding, in_product, support; stage_order 1-4), every stage present
    for every customer so a journey reads left to right (has_touchpoint = false where
    the customer never reached it). Scores come from surveys at the stage's touchpoint
    (post_purchase, onboarding, in_product, post_support) and from the stage's own
    behaviour (orders, task attempts, tickets). headline_score is the one number a lead
    reads per stage; the columns next to it give every instrument.
    CSAT and CES top-box shares are the metrics csat and ces per account and
    touchpoint: their rows (filter), cut and scale (the facts' is_top_box) and
    formula (cxux_share_value); their bars are the metrics' current targets. -#}

{%- set csat = experience_metric('csat', 'top_box', 'fct_survey_responses') -%}
{%- set ces = experience_metric('ces', 'top_box', 'fct_survey_responses') -%}
{%- set ces_mean = experience_metric('ces_mean', 'average', 'fct_survey_responses') %}

with

customers as (

    select * from {{ ref('dim_customers') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

task_attempts as (

    select * from {{ ref('fct_task_attempts') }}

),

tickets as (

    select * from {{ ref('fct_tickets') }}

),

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

stages as (

    select 'purchase' as stage, 1 as stage_order, 'post_purchase' as touchpoint
    union all
    select 'onboarding' as stage, 2 as stage_order, 'onboarding' as touchpoint
    union all
    select 'in_product' as stage, 3 as stage_order, 'in_product' as touchpoint
    union all
    select 'support' as stage, 4 as stage_order, 'post_support' as touchpoint

),

survey_touchpoints as (

    select
        account_id,
        touchpoint,
        count(*) as survey_responses,
        min(responded_at) as first_response_at,
        max(responded_at) as last_response_at,
        count(case when {{ experience_metric_filter(csat) }} then is_top_box end) as csat_responses,
        {{ cxux_share_value("sum(case when " ~ experience_metric_filter(csat) ~ " and is_top_box then 1 else 0 end)",
                            "count(case when " ~ experience_metric_filter(csat) ~ " then is_top_box end)") }} as csat_top_box_share,
        cast(avg(case when survey_type = 'csat' then score end) as {{ cxux_type_double() }}) as csat_mean,
        count(case when {{ experience_metric_filter(ces) }} then is_top_box end) as ces_responses,
        {{ cxux_share_value("sum(case when " ~ experience_metric_filter(ces) ~ " and is_top_box then 1 else 0 end)",
                            "count(case when " ~ experience_metric_filter(ces) ~ " then is_top_box end)") }} as ces_top_box_share,
        -- metric ces_mean's rows (CES 2.0: a 1-5 CES 1.0 answer is on another scale)
        cast(avg(case when {{ experience_metric_filter(ces_mean) }} then score end) as {{ cxux_type_double() }}) as ces_mean,
        cast(sum(case when survey_type = 'sus' then 1 else 0 end) as {{ dbt.type_bigint() }}) as sus_responses,
        avg(case when survey_type = 'sus' then sus_score end) as sus_mean,
        cast(sum(case when survey_type = 'umux_lite' then 1 else 0 end) as {{ dbt.type_bigint() }}) as umux_lite_responses,
        avg(case when survey_type = 'umux_lite' then umux_lite_score end) as umux_lite_mean,
        cast(sum(case when survey_type = 'in_app_rating' then 1 else 0 end) as {{ dbt.type_bigint() }}) as in_app_rating_responses,
        cast(avg(case when survey_type = 'in_app_rating' then score end) as {{ cxux_type_double() }}) as in_app_rating_mean
    from survey_responses
    where account_id is not null
    group by 1, 2

),

stage_interactions as (

    select
        account_id,
        'purchase' as stage,
        count(*) as interactions,
        min(ordered_at) as first_interaction_at,
        max(ordered_at) as last_interaction_at,
        cast(null as {{ cxux_type_double() }}) as task_success_rate
    from orders
    where account_id is not null
    group by 1

    union all

    select
        account_id,
        'in_product' as stage,
        count(*) as interactions,
        min(started_at) as first_interaction_at,
        max(started_at) as last_interaction_at,
        {{ cxux_safe_divide('sum(case when is_success then 1 else 0 end)', 'count(*)') }} as task_success_rate
    from task_attempts
    where account_id is not null
    group by 1

    union all

    select
        account_id,
        'support' as stage,
        count(*) as interactions,
        min(created_at) as first_interaction_at,
        max(created_at) as last_interaction_at,
        cast(null as {{ cxux_type_double() }}) as task_success_rate
    from tickets
    where account_id is not null
    group by 1

),

-- a subscription start is a purchase too: the purchase stage starts at the customer's
-- first purchase (first completed order or first subscription event, dim_customers)
stage_activity as (

    select
        customers.account_id,
        stages.stage,
        coalesce(stage_interactions.interactions, 0) as interactions,
        case
            when stages.stage = 'purchase'
                and customers.first_purchase_at is not null
                and (
                    stage_interactions.first_interaction_at is null
                    or customers.first_purchase_at < stage_interactions.first_interaction_at
                )
                then customers.first_purchase_at
            else stage_interactions.first_interaction_at
        end as first_interaction_at,
        case
            when stages.stage = 'purchase' and stage_interactions.last_interaction_at is null
                then customers.first_purchase_at
            else stage_interactions.last_interaction_at
        end as last_interaction_at,
        stage_interactions.task_success_rate
    from customers
    cross join stages
    left join stage_interactions
        on customers.account_id = stage_interactions.account_id
        and stages.stage = stage_interactions.stage

),

joined as (

    select
        customers.account_id,
        stages.stage,
        stages.stage_order,
        stages.touchpoint,
        stage_activity.interactions,
        coalesce(survey_touchpoints.survey_responses, 0) as survey_responses,
        case
            when stage_activity.first_interaction_at is null then survey_touchpoints.first_response_at
            when survey_touchpoints.first_response_at is null then stage_activity.first_interaction_at
            when survey_touchpoints.first_response_at < stage_activity.first_interaction_at
                then survey_touchpoints.first_response_at
            else stage_activity.first_interaction_at
        end as first_touch_at,
        case
            when stage_activity.last_interaction_at is null then survey_touchpoints.last_response_at
            when survey_touchpoints.last_response_at is null then stage_activity.last_interaction_at
            when survey_touchpoints.last_response_at > stage_activity.last_interaction_at
                then survey_touchpoints.last_response_at
            else stage_activity.last_interaction_at
        end as last_touch_at,
        coalesce(survey_touchpoints.csat_responses, 0) as csat_responses,
        survey_touchpoints.csat_top_box_share,
        survey_touchpoints.csat_mean,
        coalesce(survey_touchpoints.ces_responses, 0) as ces_responses,
        survey_touchpoints.ces_top_box_share,
        survey_touchpoints.ces_mean,
        coalesce(survey_touchpoints.sus_responses, 0) as sus_responses,
        survey_touchpoints.sus_mean,
        coalesce(survey_touchpoints.umux_lite_responses, 0) as umux_lite_responses,
        survey_touchpoints.umux_lite_mean,
        coalesce(survey_touchpoints.in_app_rating_responses, 0) as in_app_rating_responses,
        survey_touchpoints.in_app_rating_mean,
        stage_activity.task_success_rate
    from customers
    cross join stages
    left join survey_touchpoints
        on customers.account_id = survey_touchpoints.account_id
        and stages.touchpoint = survey_touchpoints.touchpoint
    left join stage_activity
        on customers.account_id = stage_activity.account_id
        and stages.stage = stage_activity.stage

),

-- The headline per stage: the first instrument present, in this order of preference.
headlined as (

    select
        joined.*,
        case
            when stage in ('purchase', 'onboarding', 'support') and csat_responses > 0 then 'csat_top_box_share'
            when stage = 'support' and ces_responses > 0 then 'ces_top_box_share'
            when stage in ('onboarding', 'in_product') and sus_responses > 0 then 'sus_mean'
            when stage in ('onboarding', 'in_product') and umux_lite_responses > 0 then 'umux_lite_mean'
            when in_app_rating_responses > 0 then 'in_app_rating_mean'
            when stage = 'onboarding' and ces_responses > 0 then 'ces_top_box_share'
            when stage = 'in_product' and task_success_rate is not null then 'task_success_rate'
        end as headline_metric
    from joined

),

final as (

    select
        account_id,
        stage,
        stage_order,
        touchpoint,
        headline_metric,
        case headline_metric
            when 'csat_top_box_share' then csat_top_box_share
            when 'ces_top_box_share' then ces_top_box_share
            when 'sus_mean' then sus_mean
            when 'umux_lite_mean' then umux_lite_mean
            when 'in_app_rating_mean' then in_app_rating_mean
            when 'task_success_rate' then task_success_rate
        end as headline_score,
        -- the bar per instrument (see _experience__models.yml): top-box shares >= the
        -- current target of metric csat or ces, SUS and UMUX-Lite >= 68 (the SUS
        -- average), in-app rating >= 4, task success >= the link mart's good band
        case headline_metric
            when 'csat_top_box_share' then csat_top_box_share >= {{ experience_metric_current_target(csat) }}
            when 'ces_top_box_share' then ces_top_box_share >= {{ experience_metric_current_target(ces) }}
            when 'sus_mean' then sus_mean >= 68
            when 'umux_lite_mean' then umux_lite_mean >= 68
            when 'in_app_rating_mean' then in_app_rating_mean >= 4
            when 'task_success_rate' then task_success_rate >= {{ experience_band_thresholds()['task_success_rate']['good'] }}
        end as is_headline_good,
        interactions,
        survey_responses,
        csat_responses,
        csat_top_box_share,
        csat_mean,
        ces_responses,
        ces_top_box_share,
        ces_mean,
        sus_responses,
        sus_mean,
        umux_lite_responses,
        umux_lite_mean,
        in_app_rating_responses,
        in_app_rating_mean,
        task_success_rate,
        first_touch_at is not null as has_touchpoint,
        cast(first_touch_at as date) as first_touch_date,
        cast(last_touch_at as date) as last_touch_date,
        first_touch_at,
        last_touch_at
    from headlined

)

select * from final
