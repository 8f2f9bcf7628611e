{#- One row per Delighted response with the contract's survey type, wave and touchpoint, and
    the customer id property (docs/adapters/delighted.md).

    survey_type: var cxux_delighted_survey_types maps Delighted's type (default nps -> nps,
    csat -> csat (1-5), ces -> ces (Delighted's 1-7 agreement scale, CES 2.0)); any other
    type (smileys, stars, thumbs, enps, pmf) keeps its own name, which staging quarantines
    ("not one of nps, csat, ...") unless the var maps it (e.g. smileys: csat, both 1-5).
    survey_id: 'delighted:<type>:<first day of the response's month>': a Delighted project
    surveys continuously, so a wave is a calendar month (NPS counts one answer per
    respondent and wave: the latest).
    touchpoint: the person property named by var cxux_delighted_touchpoint_property (default
    touchpoint), lowercased, through var cxux_delighted_touchpoints (property value ->
    contract touchpoint; values already in the contract pass as they are); without it, var
    cxux_delighted_default_touchpoints by survey type (default nps -> relationship, ces ->
    post_support; csat has none: a CSAT without a touchpoint is quarantined, as its
    touchpoint cannot be told).
    customer_id: the person property named by var cxux_delighted_account_property (default
    customer_id): the paying customer's id in the host's systems, or null.
    related_order_id / related_ticket_id: the person properties named by vars
    cxux_delighted_order_property / cxux_delighted_ticket_property (default none: a
    Delighted property rarely holds the id the shop or help desk adapter gives, and a
    reference that points nowhere is quarantined). -#}
{%- set survey_types = var('cxux_delighted_survey_types', {'nps': 'nps', 'csat': 'csat', 'ces': 'ces'}) %}
{%- set touchpoint_property = var('cxux_delighted_touchpoint_property', 'touchpoint') %}
{%- set touchpoints = var('cxux_delighted_touchpoints', {}) %}
{%- set default_touchpoints = var('cxux_delighted_default_touchpoints', {'nps': 'relationship', 'ces': 'post_support'}) %}
{%- set account_property = var('cxux_delighted_account_property', 'customer_id') %}
{%- set related_properties = {
    'related_order_id': var('cxux_delighted_order_property', none),
    'related_ticket_id': var('cxux_delighted_ticket_property', none),
} %}
{%- set contract_touchpoints = ['relationship', 'post_purchase', 'post_support', 'onboarding', 'in_product'] %}

with responses as (

    select * from {{ source('cxux_delighted', 'response') }}

),

parsed as (

    select
        id,
        person_id,
        lower(trim(survey_type)) as delighted_survey_type,
        score,
        comment,
        lower(trim({{ cxux_json_text('response_person_properties', touchpoint_property) }})) as touchpoint_value,
        {% if account_property -%}
        nullif(trim({{ cxux_json_text('response_person_properties', account_property) }}), '')
        {%- else %}cast(null as {{ dbt.type_string() }}){% endif %} as customer_id,
        {%- for column, property in related_properties.items() %}
        {% if property -%}
        nullif(trim({{ cxux_json_text('response_person_properties', property) }}), '')
        {%- else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ column }},
        {%- endfor %}
        created_at,
        updated_at
    from responses

),

mapped as (

    select
        *,
        case delighted_survey_type
            {%- for delighted_type, contract_type in survey_types.items() %}
            when '{{ delighted_type | lower }}' then '{{ contract_type }}'
            {%- endfor %}
            else delighted_survey_type
        end as survey_type
    from parsed

),

final as (

    select
        id as response_id,
        person_id,
        survey_type,
        {{ dbt.concat(["'delighted:'", 'survey_type', "':'",
                       'cast(cast(' ~ dbt.date_trunc('month', 'created_at') ~ ' as date) as ' ~ dbt.type_string() ~ ')']) }} as survey_id,
        case
            {%- for value, touchpoint in touchpoints.items() %}
            when touchpoint_value = '{{ value | lower }}' then '{{ touchpoint }}'
            {%- endfor %}
            when touchpoint_value in ('{{ contract_touchpoints | join("', '") }}') then touchpoint_value
            when touchpoint_value is not null then touchpoint_value
            {%- for survey_type, touchpoint in default_touchpoints.items() %}
            when survey_type = '{{ survey_type }}' then '{{ touchpoint }}'
            {%- endfor %}
        end as touchpoint,
        customer_id,
        related_order_id,
        related_ticket_id,
        score,
        comment,
        created_at,
        updated_at
    from mapped

)

select * from final
