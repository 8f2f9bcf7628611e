{#- SQL (a select, for the adapter's final CTE): the raw contract's survey_responses from a
    system's responses already mapped to the contract's values (Zendesk CSAT, Delighted).
    `responses` is a relation or CTE with the columns
      native_response_id    the system's response id; response_id = '<system>:' || it
      survey_id, survey_type, touchpoint, related_order_id, related_ticket_id,
      responded_at, score, comment                      as the contract wants them
      respondent_native_id  the system's id of the person who answered (entity 'user')
      account_native_id     the system's id of the customer it is about (entity 'account'),
                            or null
    and `crosswalk` the identity crosswalk. respondent_user_id = the person's user;
    account_id = the customer's account, else the person's account. Columns and types of the
    contract, in its order. -#}
{% macro cxux_adapter_survey_responses(system, responses, crosswalk) -%}
    select
        cast({{ dbt.concat(["'" ~ system ~ ":'", 'cast(' ~ responses ~ '.native_response_id as ' ~ dbt.type_string() ~ ')']) }}
            as {{ dbt.type_string() }}) as response_id,
        cast({{ responses }}.survey_id as {{ dbt.type_string() }}) as survey_id,
        cast({{ responses }}.survey_type as {{ dbt.type_string() }}) as survey_type,
        cast({{ responses }}.touchpoint as {{ dbt.type_string() }}) as touchpoint,
        cast(respondent.user_id as {{ dbt.type_string() }}) as respondent_user_id,
        cast(coalesce(customer.account_id, respondent.account_id) as {{ dbt.type_string() }}) as account_id,
        cast({{ responses }}.related_order_id as {{ dbt.type_string() }}) as related_order_id,
        cast({{ responses }}.related_ticket_id as {{ dbt.type_string() }}) as related_ticket_id,
        cast({{ responses }}.responded_at as {{ dbt.type_timestamp() }}) as responded_at,
        cast({{ responses }}.score as {{ dbt.type_int() }}) as score,
        cast({{ responses }}.comment as {{ dbt.type_string() }}) as comment
    from {{ responses }}
    {{ cxux_identity_join(crosswalk, 'customer', system, 'account', responses ~ '.account_native_id') }}
    {{ cxux_identity_join(crosswalk, 'respondent', system, 'user', responses ~ '.respondent_native_id') }}
{%- endmacro %}
