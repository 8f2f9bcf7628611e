{#- Snowplow page_view events as the raw contract's `page_views` (RAW_CONTRACT.md), one row
    per page view, columns and types of the contract in its order (docs/adapters/snowplow.md).

    page_view_id = 'snowplow:' || the web_page entity's id (the id the page's pings and web
    vitals share), else || the event_id. user_id is cxux's user id of Snowplow's user_id from
    the identity crosswalk; anonymous_id the domain_userid cookie as sent (cxux's identity
    stitching links it to the user it is seen with). Web vitals from the page's latest
    web_vitals event (cxux_snowplow__page_view_vitals); null where none was sent.
    received_at: the later of the page view's and its vitals' arrival, so that vitals landing
    after the page view reach incremental runs (staging re-validates a page view whose
    received_at moves into the lookback window). -#}
with events_deduped as (

    select * from {{ ref('cxux_snowplow__events_deduped') }}

),

page_view_vitals as (

    select * from {{ ref('cxux_snowplow__page_view_vitals') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

page_views as (

    select * from events_deduped where event_type = 'page_view'

),

final as (

    select
        {{ dbt.concat(["'snowplow:'", 'coalesce(page_views.page_view_id, page_views.event_id)']) }} as page_view_id,
        identity_crosswalk.user_id,
        page_views.anonymous_id,
        page_views.session_id,
        page_views.occurred_at,
        cast(case
            when page_view_vitals.vitals_received_at > page_views.received_at
                then page_view_vitals.vitals_received_at
            else page_views.received_at
        end as {{ dbt.type_timestamp() }}) as received_at,
        page_views.platform,
        page_views.device_type,
        page_views.page_path,
        page_view_vitals.lcp_ms,
        page_view_vitals.inp_ms,
        page_view_vitals.cls,
        page_view_vitals.fcp_ms,
        page_view_vitals.ttfb_ms
    from page_views
    left join page_view_vitals
        on page_views.page_view_id = page_view_vitals.page_view_id
    left join identity_crosswalk
        on identity_crosswalk.source_system = 'snowplow'
        and identity_crosswalk.entity = 'user'
        and identity_crosswalk.native_id = page_views.user_id

)

select * from final
