{#- One row per tracking-plan event that var cxux_segment_event_map does not map: how many
    track calls of it the Segment adapter left out of cxux's events, and when they were
    seen. Not an error: most of a tracking plan (e.g. Order Completed, Product Viewed) is
    not a CX/UX event of the contract; read this to find an event worth mapping. -#}
with tracks_mapped as (

    select * from {{ ref('cxux_segment__tracks_mapped') }}

),

final as (

    select
        event_text,
        count(*) as call_count,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at
    from tracks_mapped
    where event_name is null
    group by event_text

)

select * from final
