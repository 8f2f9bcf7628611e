{#- Business-hour reply and resolution times and SLA breaches of each Zendesk ticket the
    adapter keeps; fct_tickets shows them next to the calendar minutes (int_tickets_timed
    left-joins this model through cxux_ticket_business_times_relation()).
    Grain: one row per ticket; key ticket_id (as in support_tickets).

    Moments, by the same rules as int_tickets_timed, from the adapter's ticket_events:
    first reply = first public agent comment; first / last solve = first / last status change
    to solved; full resolution only for a ticket solved and now solved or closed.
    Schedule: the first one Zendesk assigned to the ticket (ticket_schedule); a ticket without
    one gets var cxux_zendesk_default_schedule_id, else the oldest schedule (Zendesk's
    default). One schedule per ticket: a later schedule change is not followed (Fivetran's
    dbt_zendesk splits the span across schedules; DECISIONLOG "Zendesk business minutes").
    Business minutes: cxux_business_minutes_ctes (macros/adapters/cxux_business_minutes.sql),
    with the schedule's time zone offsets from time_zone and daylight_time.
    SLA (var cxux_zendesk_using_sla_policies, default true): the policy last applied to the
    ticket, its version in force when applied (else its oldest version), the targets for the
    ticket's priority. first_reply_time is judged on the first reply, total_resolution_time
    on the full resolution, each in business or calendar minutes as the target says. A
    target whose moment has not happened yet is breached once it has passed by the build's
    as-of (cxux_as_of: no reply yet on an unsolved ticket, not resolved yet), as Zendesk
    marks it; until then it is not judged (null). A ticket solved without a public reply
    has no first-reply judgement. is_sla_breached: true when
    a judged target was missed, false when every judged target was met, null when none was
    judged. -#}
{#- a table on Spark: its SQL (about 50 KB compiled) is longer than a view's text may be in
    the embedded Hive metastore (32,700 characters) -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
{%- set using_sla = var('cxux_zendesk_using_sla_policies', true) | as_bool %}
with tickets as (

    select * from {{ ref('cxux_zendesk__tickets_mapped') }}

),

ticket_events as (

    select * from {{ ref('cxux_zendesk__ticket_events') }}

),

schedule as (

    select * from {{ source('cxux_zendesk', 'schedule') }}

),

schedule_holiday as (

    select * from {{ source('cxux_zendesk', 'schedule_holiday') }}

),

ticket_schedule as (

    select * from {{ source('cxux_zendesk', 'ticket_schedule') }}

),

time_zone as (

    select * from {{ source('cxux_zendesk', 'time_zone') }}

),

daylight_time as (

    select * from {{ source('cxux_zendesk', 'daylight_time') }}

),

{%- if using_sla %}

ticket_sla_policy as (

    select * from {{ source('cxux_zendesk', 'ticket_sla_policy') }}

),

sla_policy_metric_history as (

    select * from {{ source('cxux_zendesk', 'sla_policy_metric_history') }}

),
{%- endif %}

moments as (

    select
        ticket_id,
        min(case when event_type = 'comment' and author_type = 'agent' and is_public
                 then occurred_at end) as first_reply_at,
        min(case when event_type = 'status_change' and new_status = 'solved'
                 then occurred_at end) as first_solved_at,
        max(case when event_type = 'status_change' and new_status = 'solved'
                 then occurred_at end) as last_solved_at
    from ticket_events
    group by ticket_id

),

timed as (

    select
        tickets.ticket_id,
        tickets.priority,
        tickets.created_at,
        moments.first_reply_at,
        moments.first_solved_at,
        case when tickets.status in ('solved', 'closed') then moments.last_solved_at end
            as full_resolution_at
    from tickets
    left join moments
        on tickets.ticket_id = moments.ticket_id

),

schedules as (

    select
        cast(id as {{ dbt.type_string() }}) as schedule_id,
        max(time_zone) as time_zone,
        min(created_at) as created_at
    from schedule
    group by id

),

default_schedule as (

    {%- set default_schedule_id = var('cxux_zendesk_default_schedule_id', none) %}
    {%- if default_schedule_id is not none %}
    select cast('{{ default_schedule_id }}' as {{ dbt.type_string() }}) as schedule_id
    {%- else %}
    select min(schedule_id) as schedule_id
    from schedules
    where created_at = (select min(created_at) from schedules)
    {%- endif %}

),

first_schedules as (

    {{ cxux_first_or_last_per_key(
        'ticket_schedule', 'ticket_id', 'created_at', 'first',
        {'schedule_id': 'cast(ticket_schedule.schedule_id as ' ~ dbt.type_string() ~ ')'}) }}

),

ticket_schedules as (

    select
        timed.ticket_id,
        coalesce(first_schedules.schedule_id, default_schedule.schedule_id) as schedule_id
    from timed
    left join first_schedules
        on timed.ticket_id = first_schedules.ticket_id
    cross join default_schedule

),

intervals as (

    select
        cast(id as {{ dbt.type_string() }}) as schedule_id,
        start_time as start_minute,
        end_time as end_minute
    from schedule

),

holidays as (

    select
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        cast(substr(start_date, 1, 10) as date) as start_date,
        cast(substr(end_date, 1, 10) as date) as end_date
    from schedule_holiday

),

zones as (

    {#- standard_offset '+HH:MM' / '-HH:MM' -> signed minutes -#}
    select
        schedules.schedule_id,
        (case when time_zone.standard_offset like '-%' then -1 else 1 end)
        * (abs(cast({{ dbt.split_part('time_zone.standard_offset', "':'", 1) }} as {{ dbt.type_int() }})) * 60
           + cast({{ dbt.split_part('time_zone.standard_offset', "':'", 2) }} as {{ dbt.type_int() }}))
            as standard_offset_minutes
    from schedules
    inner join time_zone
        on schedules.time_zone = time_zone.time_zone

),

daylight as (

    select
        schedules.schedule_id,
        daylight_time.daylight_start_utc as daylight_start_at,
        daylight_time.daylight_end_utc as daylight_end_at,
        daylight_time.daylight_offset * 60 as daylight_offset_minutes
    from schedules
    inner join daylight_time
        on schedules.time_zone = daylight_time.time_zone

),

spans as (

    {#- the *_pending spans run to the build's as-of while their moment has not come: a
        first reply still owed on an unsolved ticket, a resolution still owed -#}
    {%- for kind, end_at in [('first_reply', 'timed.first_reply_at'),
                             ('first_resolution', 'timed.first_solved_at'),
                             ('full_resolution', 'timed.full_resolution_at'),
                             ('first_reply_pending', 'case when timed.first_reply_at is null and timed.first_solved_at is null then ' ~ cxux_as_of() ~ ' end'),
                             ('full_resolution_pending', 'case when timed.full_resolution_at is null then ' ~ cxux_as_of() ~ ' end')] %}
    select
        {{ dbt.concat(['timed.ticket_id', "':" ~ kind ~ "'"]) }} as span_id,
        timed.ticket_id,
        '{{ kind }}' as span_kind,
        ticket_schedules.schedule_id,
        timed.created_at as start_at,
        {{ end_at }} as end_at
    from timed
    inner join ticket_schedules
        on timed.ticket_id = ticket_schedules.ticket_id
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

{{ cxux_business_minutes_ctes('span', 'spans', 'intervals', 'holidays', 'zones', 'daylight') }}

business as (

    select
        spans.ticket_id,
        max(case when spans.span_kind = 'first_reply' then span_business_minutes.business_minutes end)
            as first_reply_business_minutes,
        max(case when spans.span_kind = 'first_resolution' then span_business_minutes.business_minutes end)
            as first_resolution_business_minutes,
        max(case when spans.span_kind = 'full_resolution' then span_business_minutes.business_minutes end)
            as full_resolution_business_minutes,
        max(case when spans.span_kind = 'first_reply_pending' then span_business_minutes.business_minutes end)
            as first_reply_pending_business_minutes,
        max(case when spans.span_kind = 'full_resolution_pending' then span_business_minutes.business_minutes end)
            as full_resolution_pending_business_minutes
    from spans
    inner join span_business_minutes
        on spans.span_id = span_business_minutes.span_id
    group by spans.ticket_id

),

{%- if using_sla %}

last_policies as (

    {{ cxux_first_or_last_per_key(
        'ticket_sla_policy', 'ticket_id', 'policy_applied_at', 'last',
        {'sla_policy_id': 'ticket_sla_policy.sla_policy_id',
         'policy_applied_at': 'ticket_sla_policy.policy_applied_at'}) }}

),

policy_versions as (

    select
        last_policies.ticket_id,
        last_policies.sla_policy_id,
        coalesce(
            max(case when versions.sla_policy_updated_at <= last_policies.policy_applied_at
                     then versions.sla_policy_updated_at end),
            min(versions.sla_policy_updated_at)
        ) as sla_policy_updated_at
    from last_policies
    inner join sla_policy_metric_history as versions
        on last_policies.sla_policy_id = versions.sla_policy_id
    group by last_policies.ticket_id, last_policies.sla_policy_id

),

targets as (

    select
        policy_versions.ticket_id,
        max(case when history.metric = 'first_reply_time' then history.target end) as first_reply_target,
        max(case when history.metric = 'first_reply_time' then
            case when history.business_hours then 1 else 0 end end) as first_reply_in_business,
        max(case when history.metric = 'total_resolution_time' then history.target end) as resolution_target,
        max(case when history.metric = 'total_resolution_time' then
            case when history.business_hours then 1 else 0 end end) as resolution_in_business
    from policy_versions
    inner join timed
        on policy_versions.ticket_id = timed.ticket_id
    inner join sla_policy_metric_history as history
        on policy_versions.sla_policy_id = history.sla_policy_id
        and policy_versions.sla_policy_updated_at = history.sla_policy_updated_at
        and lower(history.priority) = timed.priority
    group by policy_versions.ticket_id

),
{%- endif %}

judged as (

    select
        timed.ticket_id,
        ticket_schedules.schedule_id,
        business.first_reply_business_minutes,
        business.first_resolution_business_minutes,
        business.full_resolution_business_minutes,
        {%- if using_sla %}
        cast(last_policies.sla_policy_id as {{ dbt.type_string() }}) as sla_policy_id,
        targets.first_reply_target,
        targets.resolution_target,
        {#- judged on the moment when it has come; before that, breached once the target has
            passed by the build's as-of (a first reply is owed only while unsolved) #}
        {%- for target, moment, span, still_owed in [
                ('first_reply', 'timed.first_reply_at', 'first_reply', 'timed.first_solved_at is null'),
                ('resolution', 'timed.full_resolution_at', 'full_resolution', 'true')] %}
        case
            when {{ moment }} is not null then case
                when targets.{{ target }}_in_business = 1 then business.{{ span }}_business_minutes
                else {{ cxux_minutes_between('timed.created_at', moment) }}
            end > targets.{{ target }}_target
            when {{ still_owed }} and case
                when targets.{{ target }}_in_business = 1 then business.{{ span }}_pending_business_minutes
                else {{ cxux_minutes_between('timed.created_at', cxux_as_of()) }}
            end > targets.{{ target }}_target then true
        end as is_{{ target }}_sla_breached{{ ',' if not loop.last }}
        {%- endfor %}
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as sla_policy_id,
        cast(null as {{ dbt.type_int() }}) as first_reply_target,
        cast(null as {{ dbt.type_int() }}) as resolution_target,
        cast(null as {{ dbt.type_boolean() }}) as is_first_reply_sla_breached,
        cast(null as {{ dbt.type_boolean() }}) as is_resolution_sla_breached
        {%- endif %}
    from timed
    left join ticket_schedules
        on timed.ticket_id = ticket_schedules.ticket_id
    left join business
        on timed.ticket_id = business.ticket_id
    {%- if using_sla %}
    left join last_policies
        on timed.ticket_id = last_policies.ticket_id
    left join targets
        on timed.ticket_id = targets.ticket_id
    {%- endif %}

),

final as (

    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(schedule_id as {{ dbt.type_string() }}) as schedule_id,
        cast(sla_policy_id as {{ dbt.type_string() }}) as sla_policy_id,
        cast(first_reply_business_minutes as {{ cxux_type_double() }}) as first_reply_business_minutes,
        cast(first_resolution_business_minutes as {{ cxux_type_double() }}) as first_resolution_business_minutes,
        cast(full_resolution_business_minutes as {{ cxux_type_double() }}) as full_resolution_business_minutes,
        cast(first_reply_target as {{ dbt.type_int() }}) as first_reply_sla_target_minutes,
        cast(resolution_target as {{ dbt.type_int() }}) as resolution_sla_target_minutes,
        cast(is_first_reply_sla_breached as {{ dbt.type_boolean() }}) as is_first_reply_sla_breached,
        cast(is_resolution_sla_breached as {{ dbt.type_boolean() }}) as is_resolution_sla_breached,
        cast(
            case
                when is_first_reply_sla_breached or is_resolution_sla_breached then true
                when is_first_reply_sla_breached is null and is_resolution_sla_breached is null then null
                else false
            end as {{ dbt.type_boolean() }}
        ) as is_sla_breached
    from judged

)

select * from final
