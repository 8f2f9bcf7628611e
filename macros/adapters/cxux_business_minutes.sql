{#- Zendesk adapter helpers (models/adapters/zendesk/, docs/adapters/zendesk.md):
    business minutes between UTC timestamps under a weekly schedule with holidays and time
    zones; the optional business-times relation fct_tickets joins; the value maps.

    Business minutes, without a calendar spine. For a schedule, let F(t) be the business
    minutes from a fixed Sunday 00:00 (1970-01-04, local wall clock) up to the local time of
    t. Then the business minutes between a and b are F(b) - F(a), and F is cheap:
      s      = seconds from 1970-01-04 00:00 to t, plus the UTC offset in force at t
               (standard offset, plus the daylight offset while t is inside that year's
               daylight period), i.e. t on the schedule's wall clock
      w      = floor(s / 604800)                whole weeks before t's week
      m      = (s - 604800 w) / 60               minutes into t's week (Sunday 00:00 = 0)
      F0(t)  = w x (weekly business minutes) + sum over the schedule's intervals
               [start, end) of clamp(m - start, 0, end - start)
    Holidays are whole local days [start_date 00:00, end_date + 1 day 00:00). A time inside
    a holiday is moved to the holiday's start, and the business minutes of every holiday
    that ended by t are taken off:
      F(t) = F0(min(t, start of the holiday containing t)) - sum over holidays ended by t of
             (F0(holiday end) - F0(holiday start))
    Exact for any span (weekends, many weeks, holidays) while the offset is constant; across
    a daylight-saving switch each end uses its own offset, which is exact unless a business
    interval contains the switch itself (Sunday early morning). Holidays of one schedule are
    assumed not to overlap. Portable: datediff in seconds, floor, greatest/least, joins.

    cxux_business_minutes_ctes(prefix, spans, intervals, holidays, zones, daylight) writes
    CTE definitions (no leading `with`, a trailing comma) for a model's `with` list; the
    last, <prefix>_business_minutes, has span_id and business_minutes (null when the span's
    end or start is null, or its schedule has no row in zones). Inputs (CTE or relation names):
      spans      span_id, schedule_id, start_at, end_at (UTC timestamps)
      intervals  schedule_id, start_minute, end_minute (minutes from Sunday 00:00, local)
      holidays   schedule_id, start_date, end_date (local dates, end inclusive)
      zones      schedule_id, standard_offset_minutes
      daylight   schedule_id, daylight_start_at, daylight_end_at (UTC), daylight_offset_minutes -#}

{% macro cxux_epoch_seconds(timestamp_sql) -%}
    {{ dbt.datediff("cast('1970-01-04 00:00:00' as " ~ dbt.type_timestamp() ~ ")", timestamp_sql, 'second') }}
{%- endmacro %}

{#- F0 for each row of points (point_id, schedule_id, local_seconds): a select. -#}
{% macro cxux_weekly_business_minutes_at(points, intervals) -%}
    select
        {{ points }}.point_id,
        {{ points }}.schedule_id,
        {{ points }}.local_seconds,
        floor({{ points }}.local_seconds / 604800.0) * coalesce(max(weekly.weekly_minutes), 0)
        + coalesce(sum(
            greatest(
                least(
                    ({{ points }}.local_seconds - floor({{ points }}.local_seconds / 604800.0) * 604800) / 60.0
                        - {{ intervals }}.start_minute,
                    {{ intervals }}.end_minute - {{ intervals }}.start_minute
                ),
                0
            )
        ), 0) as weekly_business_minutes
    from {{ points }}
    left join {{ intervals }}
        on {{ points }}.schedule_id = {{ intervals }}.schedule_id
    left join (
        select schedule_id, sum(end_minute - start_minute) as weekly_minutes
        from {{ intervals }}
        group by schedule_id
    ) as weekly
        on {{ points }}.schedule_id = weekly.schedule_id
    group by {{ points }}.point_id, {{ points }}.schedule_id, {{ points }}.local_seconds
{%- endmacro %}

{% macro cxux_business_minutes_ctes(prefix, spans, intervals, holidays, zones, daylight) -%}
{{ prefix }}_endpoints as (

    select span_id, schedule_id, 'start' as endpoint, start_at as at_utc from {{ spans }}
    where start_at is not null and end_at is not null
    union all
    select span_id, schedule_id, 'end' as endpoint, end_at as at_utc from {{ spans }}
    where start_at is not null and end_at is not null

),

{{ prefix }}_local as (

    {#- the offset in force at the endpoint: standard, plus daylight inside its period -#}
    select
        endpoints.span_id,
        endpoints.schedule_id,
        endpoints.endpoint,
        {{ cxux_epoch_seconds('endpoints.at_utc') }}
            + 60 * (zones.standard_offset_minutes + coalesce(max(daylight.daylight_offset_minutes), 0))
            as local_seconds
    from {{ prefix }}_endpoints as endpoints
    inner join {{ zones }} as zones
        on endpoints.schedule_id = zones.schedule_id
    left join {{ daylight }} as daylight
        on endpoints.schedule_id = daylight.schedule_id
        and endpoints.at_utc >= daylight.daylight_start_at
        and endpoints.at_utc < daylight.daylight_end_at
    group by endpoints.span_id, endpoints.schedule_id, endpoints.endpoint, endpoints.at_utc,
        zones.standard_offset_minutes

),

{{ prefix }}_holiday_bounds as (

    select
        schedule_id,
        {{ cxux_epoch_seconds('cast(start_date as ' ~ dbt.type_timestamp() ~ ')') }} as start_seconds,
        {{ cxux_epoch_seconds(dbt.dateadd('day', 1, 'cast(end_date as ' ~ dbt.type_timestamp() ~ ')')) }} as end_seconds
    from {{ holidays }}

),

{{ prefix }}_holiday_points as (

    select
        {{ dbt.concat(["'h'", "cast(schedule_id as " ~ dbt.type_string() ~ ")", "':'",
                       "cast(start_seconds as " ~ dbt.type_string() ~ ")"]) }} as point_id,
        schedule_id,
        start_seconds as local_seconds
    from {{ prefix }}_holiday_bounds
    union all
    select
        {{ dbt.concat(["'h'", "cast(schedule_id as " ~ dbt.type_string() ~ ")", "':'",
                       "cast(end_seconds as " ~ dbt.type_string() ~ ")"]) }} as point_id,
        schedule_id,
        end_seconds as local_seconds
    from {{ prefix }}_holiday_bounds

),

{{ prefix }}_holiday_f0 as (

    {{ cxux_weekly_business_minutes_at(prefix ~ '_holiday_points', intervals) }}

),

{{ prefix }}_holidays as (

    {#- each holiday with its business minutes (F0 at its end - F0 at its start) -#}
    select
        bounds.schedule_id,
        bounds.start_seconds,
        bounds.end_seconds,
        max(start_f0.weekly_business_minutes) as start_f0,
        max(end_f0.weekly_business_minutes) - max(start_f0.weekly_business_minutes) as holiday_minutes
    from {{ prefix }}_holiday_bounds as bounds
    inner join {{ prefix }}_holiday_f0 as start_f0
        on bounds.schedule_id = start_f0.schedule_id
        and bounds.start_seconds = start_f0.local_seconds
    inner join {{ prefix }}_holiday_f0 as end_f0
        on bounds.schedule_id = end_f0.schedule_id
        and bounds.end_seconds = end_f0.local_seconds
    group by bounds.schedule_id, bounds.start_seconds, bounds.end_seconds

),

{{ prefix }}_clamped as (

    {#- an endpoint inside a holiday moves to the holiday's start -#}
    select
        {{ dbt.concat(['cast(local.span_id as ' ~ dbt.type_string() ~ ')', "':'", 'local.endpoint']) }} as point_id,
        local.span_id,
        local.endpoint,
        local.schedule_id,
        coalesce(min(holidays.start_seconds), local.local_seconds) as local_seconds,
        local.local_seconds as unclamped_seconds
    from {{ prefix }}_local as local
    left join {{ prefix }}_holidays as holidays
        on local.schedule_id = holidays.schedule_id
        and local.local_seconds > holidays.start_seconds
        and local.local_seconds < holidays.end_seconds
    group by local.span_id, local.endpoint, local.schedule_id, local.local_seconds

),

{{ prefix }}_f0 as (

    {{ cxux_weekly_business_minutes_at(prefix ~ '_clamped', intervals) }}

),

{{ prefix }}_f as (

    select
        clamped.span_id,
        clamped.endpoint,
        max(f0.weekly_business_minutes) - coalesce(sum(holidays.holiday_minutes), 0) as business_minutes_since_epoch
    from {{ prefix }}_clamped as clamped
    inner join {{ prefix }}_f0 as f0
        on clamped.point_id = f0.point_id
    left join {{ prefix }}_holidays as holidays
        on clamped.schedule_id = holidays.schedule_id
        and holidays.end_seconds <= clamped.unclamped_seconds
    group by clamped.span_id, clamped.endpoint

),

{{ prefix }}_business_minutes as (

    select
        spans.span_id,
        max(case when f.endpoint = 'end' then f.business_minutes_since_epoch end)
            - max(case when f.endpoint = 'start' then f.business_minutes_since_epoch end)
            as business_minutes
    from {{ spans }} as spans
    left join {{ prefix }}_f as f
        on spans.span_id = f.span_id
    group by spans.span_id

),
{%- endmacro %}


{#- The relation int_tickets_timed left-joins for business-hour times: the Zendesk adapter's
    cxux_zendesk__ticket_business_times when var cxux_adapter_zendesk is true, otherwise an
    empty relation with the same columns, so the standalone project builds without it. The
    var is known at parse time, so dbt sees the ref() whenever the model exists. Use it as
    `from {{ cxux_ticket_business_times_relation() }} as business_times`. A dbt unit test
    of such a model gets the empty relation: its fixtures need not know the adapter. -#}
{% macro cxux_ticket_business_times_relation() -%}
    {%- if (var('cxux_adapter_zendesk', false) | as_bool) and model.resource_type != 'unit_test' -%}
        {{ return(ref('cxux_zendesk__ticket_business_times')) }}
    {%- endif -%}
    {%- set columns = cxux_ticket_business_times_columns() -%}
    {%- set parts = [] -%}
    {%- for name, type in columns.items() -%}
        {%- do parts.append('cast(null as ' ~ type ~ ') as ' ~ name) -%}
    {%- endfor -%}
    {{ return('(select ' ~ parts | join(', ') ~ ' where 1 = 0)') }}
{%- endmacro %}

{#- Columns of cxux_zendesk__ticket_business_times, with their types. -#}
{% macro cxux_ticket_business_times_columns() -%}
    {{ return({
        'ticket_id': dbt.type_string(),
        'schedule_id': dbt.type_string(),
        'sla_policy_id': dbt.type_string(),
        'first_reply_business_minutes': cxux_type_double(),
        'first_resolution_business_minutes': cxux_type_double(),
        'full_resolution_business_minutes': cxux_type_double(),
        'first_reply_sla_target_minutes': dbt.type_int(),
        'resolution_sla_target_minutes': dbt.type_int(),
        'is_first_reply_sla_breached': dbt.type_boolean(),
        'is_resolution_sla_breached': dbt.type_boolean(),
        'is_sla_breached': dbt.type_boolean(),
    }) }}
{%- endmacro %}


{#- Zendesk via_channel -> contract channel. Var cxux_zendesk_channel_map adds to or
    overrides these; a value in neither passes through unchanged, so staging quarantines
    the ticket with "channel ... is not one of" (rule- and system-created tickets). -#}
{% macro cxux_zendesk_channel_map() -%}
    {%- set mapping = {
        'email': 'email', 'closed_ticket': 'email',
        'web': 'web_form', 'web_form': 'web_form', 'web_widget': 'web_form', 'help_center': 'web_form',
        'mobile': 'web_form', 'mobile_sdk': 'web_form', 'api': 'web_form',
        'chat': 'chat', 'chat_transcript': 'chat', 'native_messaging': 'chat', 'messaging': 'chat',
        'sms': 'chat', 'whatsapp': 'chat',
        'voice': 'phone', 'phone': 'phone',
        'twitter': 'social', 'facebook': 'social', 'instagram_dm': 'social',
    } -%}
    {%- do mapping.update(var('cxux_zendesk_channel_map', {}) or {}) -%}
    {{ return(mapping) }}
{%- endmacro %}

{#- Ticket tag -> contract category, first match in this order wins. Var
    cxux_zendesk_category_tags replaces the default (each category's own name as a tag). -#}
{% macro cxux_zendesk_category_tags() -%}
    {{ return(var('cxux_zendesk_category_tags', {
        'billing': 'billing', 'bug': 'bug', 'how_to': 'how_to', 'delivery': 'delivery',
        'account': 'account', 'feature_request': 'feature_request',
    })) }}
{%- endmacro %}

{#- SQL: a case expression mapping `column` through a dict; else the column unchanged. -#}
{% macro cxux_map_values_sql(column, mapping) -%}
    case lower({{ column }})
    {%- for source_value, target_value in mapping.items() %}
        when '{{ source_value | lower }}' then '{{ target_value }}'
    {%- endfor %}
        else {{ column }}
    end
{%- endmacro %}
