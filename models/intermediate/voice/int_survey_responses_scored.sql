{#- One row per survey response with its scores.
    NPS and top box follow the metric definitions (metrics/cx/nps.yml, csat.yml,
    ces.yml through cxux_metric_registry(); macros/experience/experience_metric_parameters.sql),
    so a steward's edit moves these flags with metric_values:
      NPS (nps surveys): promoter >= promoter_min, detractor <= detractor_max, passive
        in between (defaults 9 and 6); null off the definition's scale.
      Top box: csat >= csat's cut (4 of 1-5), CES 2.0 (score_scale '1-7') >= ces's
        cut (5 of 1-7); none for CES 1.0 (1-5 effort, lower is better: score_scale
        '1-5', see cxux_survey_scales); in_app_rating 4-5 (no metric defines an in-app
        top box, so the rule is stated here); null off the scale.
    SUS (Brooke 1996): odd items answer - 1, even items 5 - answer, sum x 2.5 (0-100);
      only complete responses (items 1-10 each answered once) get a score.
    UMUX-Lite: (item1 + item2 - 2) x 100 / 12; SUS equivalent 0.65 x raw + 22.9;
      only responses with both items get a score. -#}
{%- set nps = experience_nps_classes('responses.score', 'nps') %}
with stg_raw__survey_responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

stg_raw__survey_item_answers as (

    select * from {{ ref('stg_raw__survey_item_answers') }}

),

sus_items as (

    select
        answers.response_id,
        count(distinct answers.item_number) as item_count,
        sum(
            case
                when answers.item_number in (1, 3, 5, 7, 9) then answers.answer - 1
                else 5 - answers.answer
            end
        ) as contribution_sum,
        max(case when answers.answer > 5 then 1 else 0 end) as has_out_of_scale_answer
    from stg_raw__survey_item_answers as answers
    inner join stg_raw__survey_responses as responses
        on answers.response_id = responses.response_id
    where responses.survey_type = 'sus'
        and answers.item_number between 1 and 10
    group by answers.response_id

),

sus_scores as (

    select
        response_id,
        cast(contribution_sum as {{ cxux_type_double() }}) * 2.5 as sus_score
    from sus_items
    where item_count = 10
        and has_out_of_scale_answer = 0

),

umux_lite_items as (

    select
        answers.response_id,
        count(distinct answers.item_number) as item_count,
        sum(answers.answer) as answer_sum
    from stg_raw__survey_item_answers as answers
    inner join stg_raw__survey_responses as responses
        on answers.response_id = responses.response_id
    where responses.survey_type = 'umux_lite'
        and answers.item_number in (1, 2)
    group by answers.response_id

),

umux_lite_scores as (

    select
        response_id,
        cast(answer_sum - 2 as {{ cxux_type_double() }}) * 100 / 12 as umux_lite_score
    from umux_lite_items
    where item_count = 2

),

final as (

    select
        responses.response_id,
        responses.survey_id,
        responses.respondent_user_id as user_id,
        responses.account_id,
        responses.related_order_id,
        responses.related_ticket_id,
        responses.survey_type,
        responses.touchpoint,
        responses.comment_scrubbed,
        case
            when responses.survey_type <> 'nps' then null
            when {{ nps['promoter'] }} then 'promoter'
            when {{ nps['passive'] }} then 'passive'
            when {{ nps['detractor'] }} then 'detractor'
        end as nps_category,
        case
            when responses.survey_type = 'sus' then
                case
                    when sus_scores.sus_score >= 84.1 then 'A+'
                    when sus_scores.sus_score >= 80.8 then 'A'
                    when sus_scores.sus_score >= 78.9 then 'A-'
                    when sus_scores.sus_score >= 77.2 then 'B+'
                    when sus_scores.sus_score >= 74.1 then 'B'
                    when sus_scores.sus_score >= 72.6 then 'B-'
                    when sus_scores.sus_score >= 71.1 then 'C+'
                    when sus_scores.sus_score >= 65.0 then 'C'
                    when sus_scores.sus_score >= 62.7 then 'C-'
                    when sus_scores.sus_score >= 51.7 then 'D'
                    when sus_scores.sus_score is not null then 'F'
                end
        end as sus_grade,
        responses.score,
        responses.score_scale,
        sus_scores.sus_score,
        umux_lite_scores.umux_lite_score,
        0.65 * umux_lite_scores.umux_lite_score + 22.9 as umux_lite_sus_equivalent,
        case when responses.survey_type = 'nps' then {{ nps['promoter'] }} end as is_promoter,
        case when responses.survey_type = 'nps' then {{ nps['passive'] }} end as is_passive,
        case when responses.survey_type = 'nps' then {{ nps['detractor'] }} end as is_detractor,
        case
            when responses.survey_type = 'csat' then {{ experience_top_box('responses.score', 'csat') }}
            when responses.survey_type = 'ces' and responses.score_scale = '1-7'
                then {{ experience_top_box('responses.score', 'ces') }}
            when responses.survey_type = 'in_app_rating' then responses.score between 4 and 5
        end as is_top_box,
        case
            when responses.survey_type = 'sus' then sus_scores.sus_score is not null
            when responses.survey_type = 'umux_lite' then umux_lite_scores.umux_lite_score is not null
            else responses.score is not null
        end as is_complete,
        responses.responded_at
        {{ cxux_passthrough('survey_responses', 'responses') }}
    from stg_raw__survey_responses as responses
    left join sus_scores
        on responses.response_id = sus_scores.response_id
    left join umux_lite_scores
        on responses.response_id = umux_lite_scores.response_id

)

select * from final
