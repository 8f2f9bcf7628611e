{#- One row per Segment track call: the contract event it maps to (null when the tracking
    plan's event is not mapped) and the properties the contract needs, read from the
    event's own table (docs/adapters/segment.md).

    Var cxux_segment_event_map: {<event as sent, tracks.event_text>: {event_name: <login,
    click, feature_used, task_started, task_completed, task_failed, task_abandoned or
    error>, table: <per-event table; default the snake-cased event, as Segment names it>,
    task_name / task_attempt_id / feature / error_code: <column of that table>}}. The
    default is cxux's recommended tracking plan (below); a var replaces it as a whole.
    A per-event table that does not exist (Segment creates one only when the event was
    received) reads as no properties. This is the only model that reads the var. -#}
{%- set event_map = var('cxux_segment_event_map', {
    'Signed In': {'event_name': 'login'},
    'Button Clicked': {'event_name': 'click'},
    'Feature Used': {'event_name': 'feature_used', 'feature': 'feature_name'},
    'Task Started': {'event_name': 'task_started', 'task_name': 'task_name', 'task_attempt_id': 'task_attempt_id'},
    'Task Completed': {'event_name': 'task_completed', 'task_name': 'task_name', 'task_attempt_id': 'task_attempt_id'},
    'Task Failed': {'event_name': 'task_failed', 'task_name': 'task_name', 'task_attempt_id': 'task_attempt_id'},
    'Task Abandoned': {'event_name': 'task_abandoned', 'task_name': 'task_name', 'task_attempt_id': 'task_attempt_id'},
    'Error Occurred': {'event_name': 'error', 'error_code': 'error_code'},
}) %}
{%- set contract_events = ['login', 'click', 'feature_used', 'task_started', 'task_completed',
                           'task_failed', 'task_abandoned', 'error'] %}
{%- set properties = ['task_name', 'task_attempt_id', 'feature', 'error_code'] %}
{#- per-event tables declared in _segment__sources.yml (read with source(), so unit tests can
    give their rows); any other table is looked up in the Segment schema -#}
{%- set declared_tables = ['task_started', 'task_completed', 'task_failed', 'task_abandoned',
                           'feature_used', 'error_occurred'] %}
{%- set joins = [] %}
{%- for segment_event, rule in event_map.items() %}
    {%- if rule.get('event_name') not in contract_events %}
        {{ exceptions.raise_compiler_error("var cxux_segment_event_map: event '" ~ segment_event
            ~ "' maps to event_name '" ~ rule.get('event_name') ~ "', which is not one of "
            ~ contract_events | join(', ')) }}
    {%- endif %}
    {%- set columns = {} %}
    {%- for property in properties if rule.get(property) %}
        {%- do columns.update({property: rule[property]}) %}
    {%- endfor %}
    {%- if columns %}
        {%- set table_name = rule.get('table') or modules.re.sub('[^a-z0-9]+', '_', segment_event | lower) | trim('_') %}
        {%- if table_name in declared_tables %}
            {%- set relation = source('cxux_segment', table_name) %}
        {%- else %}
            {%- set relation = api.Relation.create(
                database=var('cxux_segment_database', target.get('database')),
                schema=var('cxux_segment_schema', 'segment'),
                identifier=table_name) %}
        {%- endif %}
        {#- not in unit tests: their tables are given rows -#}
        {%- if execute and model.resource_type == 'model' %}
            {%- set relation = adapter.get_relation(relation.database, relation.schema, relation.identifier) %}
        {%- endif %}
        {%- if relation is not none %}
            {%- do joins.append({'event': segment_event, 'alias': 'properties_' ~ loop.index,
                                 'relation': relation, 'columns': columns}) %}
        {%- endif %}
    {%- endif %}
{%- endfor %}

with tracks as (

    select * from {{ source('cxux_segment', 'tracks') }}

),
{%- for join in joins %}

{{ join.alias }} as (

    -- one row per call id: a call delivered twice lands twice
    select
        id,
        {%- for property, column in join.columns.items() %}
        max({{ adapter.quote(column) }}) as {{ property }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ join.relation }}
    group by id

),
{%- endfor %}

final as (

    select
        tracks.id as call_id,
        tracks.event_text,
        tracks.{{ adapter.quote('timestamp') }} as occurred_at,
        case tracks.event_text
            {%- for segment_event, rule in event_map.items() %}
            when '{{ segment_event | replace("'", "''") }}' then '{{ rule.event_name }}'
            {%- endfor %}
        end as event_name,
        {%- for property in properties %}
        {%- set sources = [] %}
        {%- for join in joins if property in join.columns %}
            {%- do sources.append(join) %}
        {%- endfor %}
        {%- if sources %}
        cast(case tracks.event_text
            {%- for join in sources %}
            when '{{ join.event | replace("'", "''") }}' then {{ join.alias }}.{{ property }}
            {%- endfor %}
        end as {{ dbt.type_string() }}) as {{ property }}{{ ',' if not loop.last }}
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ property }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from tracks
    {%- for join in joins %}
    left join {{ join.alias }}
        on tracks.id = {{ join.alias }}.id
    {%- endfor %}

)

select * from final
