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
                   offered and updates it when the requester answers) -#}
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

final as (

    select
        cast({{ dbt.concat(["'zendesk:'", 'cast(answered.id as ' ~ dbt.type_string() ~ ')']) }}
            as {{ dbt.type_string() }}) as response_id,
        cast('zendesk_csat' as {{ dbt.type_string() }}) as survey_id,
        cast('csat' as {{ dbt.type_string() }}) as survey_type,
        cast('post_support' as {{ dbt.type_string() }}) as touchpoint,
        cast(requester.user_id as {{ dbt.type_string() }}) as respondent_user_id,
        cast(coalesce(account.account_id, requester.account_id) as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as related_order_id,
        cast(tickets.ticket_id as {{ dbt.type_string() }}) as related_ticket_id,
        cast(answered.updated_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(answered.csat_score as {{ dbt.type_int() }}) as score,
        cast(answered.comment as {{ dbt.type_string() }}) as comment
    from answered
    inner join tickets
        on cast(answered.ticket_id as {{ dbt.type_string() }}) = tickets.ticket_id
    left join crosswalk as account
        on account.source_system = 'zendesk'
        and account.entity = 'account'
        and account.native_id = tickets.account_native_id
    left join crosswalk as requester
        on requester.source_system = 'zendesk'
        and requester.entity = 'user'
        and requester.native_id = tickets.requester_native_id

)

select * from final
