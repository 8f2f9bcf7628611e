{#- One row per Snowplow event (event_id), read from atomic.events as the PostgreSQL and
    Redshift loaders land it, with what every contract row needs (docs/adapters/snowplow.md).

    Duplicates: the pipeline delivers at least once, so an event can land twice (and bots can
    reuse an event_id). As Snowplow's own dbt packages do, the copy collected first is kept
    (collector_tstamp, then dvce_created_tstamp, load_tstamp, etl_tstamp, event_fingerprint);
    the others are left out here and listed in cxux_snowplow__duplicate_events. A row without
    an event_id is kept as it is (staging rejects it).

    page_view_id: the id of the web_page entity the JavaScript tracker attaches to every event
    of a page view (its page view, page pings, web vitals), joined by root_id = event_id and
    root_tstamp = collector_tstamp; null when the event carries none (e.g. server-side).
    occurred_at: derived_tstamp (the best estimate of when the event happened, corrected for
    the device's clock), else collector_tstamp. received_at: load_tstamp (when it reached the
    warehouse: an event loaded late counts as new for incremental runs), else
    collector_tstamp. session_id: 'snowplow:' || the tracker's domain_sessionid.
    platform: var cxux_snowplow_platforms maps Snowplow's platform code (web -> web, pc ->
    desktop); mobile apps (mob, app) by os_family (iOS -> ios, Android -> android); else null,
    which staging quarantines. device_type: dvce_type (Computer -> desktop, Mobile, Tablet),
    else the user agent (as the Segment adapter reads it), else dvce_ismobile. -#}
{%- set platforms = var('cxux_snowplow_platforms', {'web': 'web', 'pc': 'desktop'}) %}
with events as (

    select * from {{ source('cxux_snowplow', 'events') }}

),

web_page as (

    select * from {{ ref('cxux_snowplow__web_page_entities') }}

),

ranked as (

    select
        events.*,
        case
            when event_id is null then 1
            else row_number() over (
                partition by event_id
                order by collector_tstamp nulls last, dvce_created_tstamp nulls last,
                    load_tstamp nulls last, etl_tstamp nulls last, event_fingerprint nulls last
            )
        end as copy_number,
        case
            when event_id is null then 1
            else count(*) over (partition by event_id)
        end as copies_landed
    from events

),

page_view_context as (

    -- one page view id per event; a copy of an event landed twice has its entity twice
    select
        root_id,
        root_tstamp,
        min(id) as page_view_id
    from web_page
    group by root_id, root_tstamp

),

kept as (

    select
        ranked.*,
        page_view_context.page_view_id
    from ranked
    left join page_view_context
        on ranked.event_id = page_view_context.root_id
        and ranked.collector_tstamp = page_view_context.root_tstamp
    where ranked.copy_number = 1

),

described as (

    select
        *,
        case
            {%- for code, platform in platforms.items() %}
            when platform = '{{ code }}' then '{{ platform }}'
            {%- endfor %}
            when platform in ('mob', 'app') and lower(os_family) in ('ios', 'ipados') then 'ios'
            when platform in ('mob', 'app') and lower(os_family) = 'android' then 'android'
        end as cxux_platform,
        lower(useragent) as user_agent
    from kept

),

final as (

    select
        event_id,
        event as event_type,
        event_name,
        se_category,
        se_action,
        se_label,
        se_property,
        user_id,
        domain_userid as anonymous_id,
        case
            when domain_sessionid is not null then {{ dbt.concat(["'snowplow:'", 'domain_sessionid']) }}
        end as session_id,
        page_view_id,
        page_urlpath as page_path,
        cxux_platform as platform,
        case
            when lower(dvce_type) in ('computer', 'desktop') then 'desktop'
            when lower(dvce_type) = 'tablet' then 'tablet'
            when lower(dvce_type) = 'mobile' then 'mobile'
            when user_agent like '%ipad%' or user_agent like '%tablet%'
                or (user_agent like '%android%' and user_agent not like '%mobile%') then 'tablet'
            when user_agent like '%mobi%' or user_agent like '%iphone%' or user_agent like '%android%' then 'mobile'
            when user_agent is not null then 'desktop'
            when dvce_ismobile = true then 'mobile'
            when dvce_ismobile = false then 'desktop'
        end as device_type,
        copies_landed,
        cast(coalesce(derived_tstamp, collector_tstamp) as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(coalesce(load_tstamp, collector_tstamp) as {{ dbt.type_timestamp() }}) as received_at,
        cast(collector_tstamp as {{ dbt.type_timestamp() }}) as collector_tstamp
    from described

)

select * from final
