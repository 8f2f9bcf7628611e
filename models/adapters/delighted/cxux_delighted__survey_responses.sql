{#- Delighted responses as the raw contract's survey_responses (RAW_CONTRACT.md), columns and
    types of the contract, in its order; one row per response (mapping rules in
    cxux_delighted__responses_mapped). response_id = 'delighted:' || id (Zendesk CSAT can
    feed the same table). respondent_user_id: cxux's user of the Delighted person (identity
    crosswalk); account_id: the account of the customer_id property when given, else the
    person's account in the crosswalk. related_order_id / related_ticket_id: the person
    properties named by vars cxux_delighted_order_property / cxux_delighted_ticket_property
    (cxux_delighted__responses_mapped). The contract's columns and the crosswalk lookups are
    macro cxux_adapter_survey_responses, shared with Zendesk CSAT. -#}
with responses_mapped as (

    select * from {{ ref('cxux_delighted__responses_mapped') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

responses as (

    select
        response_id as native_response_id,
        survey_id,
        survey_type,
        touchpoint,
        person_id as respondent_native_id,
        customer_id as account_native_id,
        related_order_id,
        related_ticket_id,
        created_at as responded_at,
        score,
        comment
    from responses_mapped

),

final as (

    {{ cxux_adapter_survey_responses('delighted', 'responses', 'identity_crosswalk') }}

)

select * from final
