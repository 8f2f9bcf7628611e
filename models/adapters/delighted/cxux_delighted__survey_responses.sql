{#- Delighted responses as the raw contract's survey_responses (RAW_CONTRACT.md), columns and
    types of the contract, in its order; one row per response (mapping rules in
    cxux_delighted__responses_mapped). response_id = 'delighted:' || id (Zendesk CSAT can
    feed the same table). respondent_user_id: cxux's user of the Delighted person (identity
    crosswalk); account_id: the account of the customer_id property when given, else the
    person's account in the crosswalk. related_order_id / related_ticket_id: the person
    properties named by vars cxux_delighted_order_property / cxux_delighted_ticket_property
    (cxux_delighted__responses_mapped). -#}
with responses_mapped as (

    select * from {{ ref('cxux_delighted__responses_mapped') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

final as (

    select
        {{ dbt.concat(["'delighted:'", 'responses_mapped.response_id']) }} as response_id,
        cast(responses_mapped.survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(responses_mapped.survey_type as {{ dbt.type_string() }}) as survey_type,
        cast(responses_mapped.touchpoint as {{ dbt.type_string() }}) as touchpoint,
        people.user_id as respondent_user_id,
        coalesce(customers.account_id, people.account_id) as account_id,
        cast(responses_mapped.related_order_id as {{ dbt.type_string() }}) as related_order_id,
        cast(responses_mapped.related_ticket_id as {{ dbt.type_string() }}) as related_ticket_id,
        cast(responses_mapped.created_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast(responses_mapped.score as {{ dbt.type_int() }}) as score,
        cast(responses_mapped.comment as {{ dbt.type_string() }}) as comment
    from responses_mapped
    left join identity_crosswalk as people
        on people.source_system = 'delighted'
        and people.entity = 'user'
        and people.native_id = responses_mapped.person_id
    left join identity_crosswalk as customers
        on customers.source_system = 'delighted'
        and customers.entity = 'account'
        and customers.native_id = responses_mapped.customer_id

)

select * from final
