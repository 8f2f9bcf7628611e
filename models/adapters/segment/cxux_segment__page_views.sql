{#- Segment page calls (web) and screen calls (apps) as the raw contract's `page_views`
    (RAW_CONTRACT.md), one row per call. page_view_id = 'segment:' || the call id; user_id is
    cxux's user id from the identity crosswalk; anonymous_id as sent (for stitching).
    page_path: the page's path (properties.path, else context.page.path), or the screen
    name. Segment sends no web vitals: they are null. -#}
with activity as (

    select * from {{ ref('cxux_segment__activity_sessionized') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

final as (

    select
        {{ dbt.concat(["'segment:'", 'activity.call_id']) }} as page_view_id,
        identity_crosswalk.user_id,
        activity.anonymous_id,
        activity.session_id,
        cast(activity.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(activity.received_at as {{ dbt.type_timestamp() }}) as received_at,
        activity.platform,
        activity.device_type,
        activity.page_path,
        {%- for vital in ['lcp_ms', 'inp_ms', 'cls', 'fcp_ms', 'ttfb_ms'] %}
        cast(null as {{ cxux_type_double() }}) as {{ vital }}{{ ',' if not loop.last }}
        {%- endfor %}
    from activity
    left join identity_crosswalk
        on identity_crosswalk.source_system = 'segment'
        and identity_crosswalk.entity = 'user'
        and identity_crosswalk.native_id = activity.user_id
    where activity.call_type in ('page', 'screen')

)

select * from final
