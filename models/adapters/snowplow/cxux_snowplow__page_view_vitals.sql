{#- One row per Snowplow page view (page_view_id) that has web vitals: the values of its
    latest web_vitals event (docs/adapters/snowplow.md).

    The web vitals plugin sends a self-describing web_vitals event as the visitor leaves the
    page, carrying the page's web_page entity: its id is the page view it measured. Its row
    in com_snowplowanalytics_snowplow_web_vitals_1 joins the event by root_id = event_id and
    root_tstamp = collector_tstamp (the kept copy of a duplicated event). When a page view has
    several reports (the page was left and restored), the latest (occurred_at, then
    received_at, then event_id) wins as a whole: a later report covers more of the visit
    (LCP and CLS never shrink while the page is open). Values are milliseconds (CLS unitless)
    as the plugin sends them; fid is not read (INP replaced it). -#}
with events_deduped as (

    select * from {{ ref('cxux_snowplow__events_deduped') }}

),

web_vitals as (

    select * from {{ ref('cxux_snowplow__web_vitals_reports') }}

),

reports as (

    select
        events_deduped.page_view_id,
        events_deduped.event_id as vitals_event_id,
        events_deduped.occurred_at,
        events_deduped.received_at,
        web_vitals.lcp,
        web_vitals.inp,
        web_vitals.cls,
        web_vitals.fcp,
        web_vitals.ttfb
    from events_deduped
    inner join web_vitals
        on events_deduped.event_id = web_vitals.root_id
        and events_deduped.collector_tstamp = web_vitals.root_tstamp
    where events_deduped.page_view_id is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by page_view_id
            order by occurred_at desc, received_at desc, vitals_event_id desc
        ) as recency
    from reports

),

final as (

    select
        page_view_id,
        vitals_event_id,
        cast(lcp as {{ cxux_type_double() }}) as lcp_ms,
        cast(inp as {{ cxux_type_double() }}) as inp_ms,
        cast(cls as {{ cxux_type_double() }}) as cls,
        cast(fcp as {{ cxux_type_double() }}) as fcp_ms,
        cast(ttfb as {{ cxux_type_double() }}) as ttfb_ms,
        received_at as vitals_received_at
    from ranked
    where recency = 1

)

select * from final
