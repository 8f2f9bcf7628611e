{#- One row per page, screen and track call of Segment, with the session it belongs to and the
    platform and device type read from its context (docs/adapters/segment.md).

    Sessions by inactivity (macros/adapters/cxux_sessionize.sql): per anonymous_id (calls
    without one, e.g. server-side tracks, per user_id), a gap of more than var
    cxux_segment_session_timeout_minutes (default 30) since the previous call starts a new
    session; midnight and time zones do not (timestamps are UTC instants). Every call counts
    as activity, mapped or not, so an unmapped event keeps a session alive.
    session_id = 'segment:' || the id of the session's first call.

    platform: var cxux_segment_platforms maps context_library_name (analytics.js -> web,
    analytics-ios -> ios, analytics-android -> android, ...); other libraries (React Native,
    Flutter, ...) by context_os_name (iOS, iPadOS -> ios; Android -> android); else null,
    which staging quarantines (server-side libraries: map them in the var).
    device_type: context_device_type when it is mobile, tablet or desktop; an iPad model
    -> tablet; other app calls -> mobile; web calls by user agent (iPad, Tablet, or Android
    without Mobile -> tablet; Mobi, iPhone, Android -> mobile; else desktop). -#}
{%- set timeout_minutes = var('cxux_segment_session_timeout_minutes', 30) %}
{%- set platforms = var('cxux_segment_platforms', {
    'analytics.js': 'web',
    'analytics-next': 'web',
    'analytics-ios': 'ios',
    'analytics-swift': 'ios',
    'analytics-android': 'android',
    'analytics-kotlin': 'android',
}) %}
{%- set ts = adapter.quote('timestamp') %}

with pages as (

    select * from {{ source('cxux_segment', 'pages') }}

),

screens as (

    select * from {{ source('cxux_segment', 'screens') }}

),

tracks as (

    select * from {{ source('cxux_segment', 'tracks') }}

),

calls as (

    select
        id as call_id,
        'page' as call_type,
        anonymous_id,
        user_id,
        coalesce(path, context_page_path) as page_path,
        context_library_name,
        context_os_name,
        context_device_type,
        cast(null as {{ dbt.type_string() }}) as context_device_model,
        context_user_agent,
        {{ ts }} as occurred_at,
        received_at
    from pages

    union all

    select
        id as call_id,
        'screen' as call_type,
        anonymous_id,
        user_id,
        name as page_path,
        context_library_name,
        context_os_name,
        context_device_type,
        context_device_model,
        cast(null as {{ dbt.type_string() }}) as context_user_agent,
        {{ ts }} as occurred_at,
        received_at
    from screens

    union all

    select
        id as call_id,
        'track' as call_type,
        anonymous_id,
        user_id,
        context_page_path as page_path,
        context_library_name,
        context_os_name,
        context_device_type,
        context_device_model,
        context_user_agent,
        {{ ts }} as occurred_at,
        received_at
    from tracks

),

with_platform as (

    select
        *,
        coalesce(anonymous_id, {{ dbt.concat(["'user:'", 'user_id']) }}) as session_key,
        case
            {%- for library, platform in platforms.items() %}
            when context_library_name = '{{ library }}' then '{{ platform }}'
            {%- endfor %}
            when lower(context_os_name) in ('ios', 'ipados') then 'ios'
            when lower(context_os_name) = 'android' then 'android'
        end as platform,
        lower(context_user_agent) as user_agent
    from calls

),

with_device as (

    select
        call_id,
        call_type,
        anonymous_id,
        user_id,
        session_key,
        page_path,
        platform,
        case
            when lower(context_device_type) in ('mobile', 'tablet', 'desktop') then lower(context_device_type)
            when context_device_model like 'iPad%' then 'tablet'
            when platform in ('ios', 'android') then 'mobile'
            when user_agent is null then null
            when user_agent like '%ipad%' or user_agent like '%tablet%'
                or (user_agent like '%android%' and user_agent not like '%mobile%') then 'tablet'
            when user_agent like '%mobi%' or user_agent like '%iphone%' or user_agent like '%android%' then 'mobile'
            else 'desktop'
        end as device_type,
        occurred_at,
        received_at
    from with_platform

),

sessionized as (

    select *
    from {{ cxux_sessionize('with_device', 'session_key', 'occurred_at', 'call_id', timeout_minutes) }} as sessions

),

final as (

    select
        call_id,
        call_type,
        anonymous_id,
        user_id,
        -- Segment requires anonymousId or userId; a call with neither keeps no session, which
        -- staging rejects ("session_id is required") rather than this model dropping it
        case
            when session_key is not null then {{ dbt.concat(["'segment:'", 'session_first_id']) }}
        end as session_id,
        session_number,
        page_path,
        platform,
        device_type,
        occurred_at,
        received_at
    from sessionized

)

select * from final
