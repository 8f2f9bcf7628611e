{#- One row per Snowplow event other than page views and web vitals (which give page_views):
    its name as the event map reads it, the contract event the map gives it (null when
    unmapped) and the properties the contract needs (docs/adapters/snowplow.md).

    event_key: a structured event's se_category || ':' || se_action (e.g. task:completed);
    any other event's event_name (a self-describing event's schema name, e.g. link_click;
    page_ping). Var cxux_snowplow_event_map: {<event_key>: {event_name: <login, click,
    feature_used, task_started, task_completed, task_failed, task_abandoned or error>,
    task_name / task_attempt_id / feature / error_code: <se_label or se_property>}}. The
    default is cxux's recommended plan (below); a var replaces it as a whole. Properties come
    from the structured event's label and property only: the properties of self-describing
    events live in one table per schema, which this adapter does not read yet. This is the
    only model that reads the var. -#}
{%- set event_map = var('cxux_snowplow_event_map', {
    'link_click': {'event_name': 'click'},
    'button_click': {'event_name': 'click'},
    'application_error': {'event_name': 'error'},
    'user:login': {'event_name': 'login'},
    'feature:used': {'event_name': 'feature_used', 'feature': 'se_label'},
    'task:started': {'event_name': 'task_started', 'task_name': 'se_label', 'task_attempt_id': 'se_property'},
    'task:completed': {'event_name': 'task_completed', 'task_name': 'se_label', 'task_attempt_id': 'se_property'},
    'task:failed': {'event_name': 'task_failed', 'task_name': 'se_label', 'task_attempt_id': 'se_property'},
    'task:abandoned': {'event_name': 'task_abandoned', 'task_name': 'se_label', 'task_attempt_id': 'se_property'},
    'error:occurred': {'event_name': 'error', 'error_code': 'se_label'},
}) %}
{%- set contract_events = ['login', 'click', 'feature_used', 'task_started', 'task_completed',
                           'task_failed', 'task_abandoned', 'error'] %}
{%- set properties = ['task_name', 'task_attempt_id', 'feature', 'error_code'] %}
{%- set property_columns = ['se_label', 'se_property'] %}
{%- for key, rule in event_map.items() %}
    {%- if rule.get('event_name') not in contract_events %}
        {{ exceptions.raise_compiler_error("var cxux_snowplow_event_map: event '" ~ key
            ~ "' maps to event_name '" ~ rule.get('event_name') ~ "', which is not one of "
            ~ contract_events | join(', ')) }}
    {%- endif %}
    {%- for property in properties if rule.get(property) and rule[property] not in property_columns %}
        {{ exceptions.raise_compiler_error("var cxux_snowplow_event_map: event '" ~ key ~ "' reads "
            ~ property ~ " from '" ~ rule[property] ~ "'; the Snowplow adapter reads properties from "
            ~ property_columns | join(' or ') ~ " of structured events only") }}
    {%- endfor %}
{%- endfor %}

with events_deduped as (

    select * from {{ ref('cxux_snowplow__events_deduped') }}

),

keyed as (

    select
        *,
        case
            when event_type = 'struct' then {{ dbt.concat(['se_category', "':'", 'se_action']) }}
            else event_name
        end as event_key
    from events_deduped
    where coalesce(event_type, '') <> 'page_view'
        and coalesce(event_name, '') <> 'web_vitals'

),

final as (

    select
        event_id,
        event_key,
        case event_key
            {%- for key, rule in event_map.items() %}
            when '{{ key | replace("'", "''") }}' then '{{ rule.event_name }}'
            {%- endfor %}
        end as event_name,
        {%- for property in properties %}
        {%- set sources = [] %}
        {%- for key, rule in event_map.items() if rule.get(property) %}
            {%- do sources.append((key, rule[property])) %}
        {%- endfor %}
        {%- if sources %}
        cast(case event_key
            {%- for key, column in sources %}
            when '{{ key | replace("'", "''") }}' then {{ column }}
            {%- endfor %}
        end as {{ dbt.type_string() }}) as {{ property }},
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ property }},
        {%- endif %}
        {%- endfor %}
        occurred_at
    from keyed

)

select * from final
