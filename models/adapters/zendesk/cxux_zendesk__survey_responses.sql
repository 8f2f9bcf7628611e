{#- Raw contract table survey_responses from Zendesk satisfaction ratings: CSAT after a
    ticket. Grain: one row per answered rating; key response_id 'zendesk:<rating id>'
    (survey_responses can be fed by several systems). DECISIONLOG "Zendesk CSAT":
      score        good -> 5, bad -> 1 (also good_with_comment / bad_with_comment), so the
                   contract's CSAT (share of 4-5) equals Zendesk's satisfaction score
                   good / (good + bad)
      offered / unoffered ratings were never answered: they are not responses and are left
                   out; so are ratings of tickets the adapter leaves out (deleted, merged)
      survey_id    'zendesk_csat' (one instrument); touchpoint post_support
      responded_at the rating's updated_at (Zendesk writes the rating when the survey is
                   offered and updates it when the requester answers)
    The contract's columns and the crosswalk lookups (requester's user; the ticket's
    organization, else the requester's account) are macro cxux_adapter_survey_responses,
    shared with Delighted. -#}
with tickets as (

    select * from {{ ref('cxux_zendesk__tickets_mapped') }}

),

satisfaction_rating as (

    select * from {{ source('cxux_zendesk', 'satisfaction_rating') }}

),

crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

answered as (

    select
        satisfaction_rating.*,
        case
            when lower(satisfaction_rating.score) like 'good%' then 5
            when lower(satisfaction_rating.score) like 'bad%' then 1
        end as csat_score
    from satisfaction_rating
    where lower(satisfaction_rating.score) like 'good%'
        or lower(satisfaction_rating.score) like 'bad%'

),

responses as (

    select
        answered.id as native_response_id,
        'zendesk_csat' as survey_id,
        'csat' as survey_type,
        'post_support' as touchpoint,
        tickets.requester_native_id as respondent_native_id,
        tickets.account_native_id,
        cast(null as {{ dbt.type_string() }}) as related_order_id,
        tickets.ticket_id as related_ticket_id,
        answered.updated_at as responded_at,
        answered.csat_score as score,
        answered.comment
    from answered
    inner join tickets
        on cast(answered.ticket_id as {{ dbt.type_string() }}) = tickets.ticket_id

),

final as (

    {{ cxux_adapter_survey_responses('zendesk', 'responses', 'crosswalk') }}

)

select * from final
