{#- One row per survey response with its scores (rules in int_survey_responses_scored)
    and the respondent's and customer's attributes. The account is the response's,
    else the respondent's; plan is that customer's plan in force when the response was
    given (cxux_plans_at). -#}
with int_survey_responses_scored as (

    select * from {{ ref('int_survey_responses_scored') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

int_subscription_states_ranged as (

    select * from {{ ref('int_subscription_states_ranged') }}

),

responses as (

    select
        int_survey_responses_scored.*,
        coalesce(int_survey_responses_scored.account_id, dim_users.account_id) as resolved_account_id,
        dim_users.relationship_type as user_relationship_type,
        dim_users.primary_platform as platform,
        dim_users.primary_device_type as device_type,
        -- One response per respondent per survey wave (METRICS_REFERENCE: NPS): the latest
        -- counts; an anonymous response is its own respondent.
        row_number() over (
            partition by
                int_survey_responses_scored.survey_id,
                coalesce(int_survey_responses_scored.user_id, int_survey_responses_scored.response_id)
            order by int_survey_responses_scored.responded_at desc, int_survey_responses_scored.response_id desc
        ) = 1 as is_latest_in_wave
    from int_survey_responses_scored
    left join dim_users
        on int_survey_responses_scored.user_id = dim_users.user_id

),

response_plans as (

    {{ cxux_plans_at('responses', 'response_id', 'resolved_account_id', 'responded_at') }}

),

final as (

    select
        responses.response_id,
        responses.survey_id,
        responses.resolved_account_id as account_id,
        responses.user_id,
        responses.related_order_id,
        responses.related_ticket_id,
        responses.survey_type,
        responses.touchpoint,
        responses.nps_category,
        responses.sus_grade,
        responses.platform,
        responses.device_type,
        responses.comment_scrubbed,
        dim_customers.account_type,
        dim_customers.segment,
        dim_customers.region,
        dim_customers.acquisition_channel,
        dim_customers.acquisition_cohort,
        coalesce(
            responses.user_relationship_type,
            dim_customers.relationship_type,
            'no_paying_customer'
        ) as relationship_type,
        coalesce(response_plans.plan, 'no_subscription') as plan,
        responses.score,
        responses.score_scale,
        responses.sus_score,
        responses.umux_lite_score,
        responses.umux_lite_sus_equivalent,
        responses.is_promoter,
        responses.is_passive,
        responses.is_detractor,
        responses.is_top_box,
        responses.is_complete,
        responses.is_latest_in_wave,
        {{ cxux_to_date('responses.responded_at') }} as responded_date,
        responses.responded_at
        {{ cxux_passthrough('survey_responses', 'responses') }}
    from responses
    left join dim_customers
        on responses.resolved_account_id = dim_customers.account_id
    left join response_plans
        on responses.response_id = response_plans.response_id

)

select * from final
