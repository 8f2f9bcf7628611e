with

validated as (

    select * from {{ ref('base_raw__survey_responses__validated') }}

),

final as (

    select
        response_id,
        survey_id,
        respondent_user_id,
        account_id,
        related_order_id,
        related_ticket_id,
        survey_type,
        touchpoint,
        {{ cxux_scrub_pii_text('comment') }} as comment_scrubbed,
        score,
        {{ cxux_survey_score_scale('survey_type', 'survey_id') }} as score_scale,
        responded_at
        {{ cxux_passthrough('survey_responses') }}
    from validated
    where _cxux_reasons is null

)

select * from final
