{#- One row per Snowplow event name (event_key of cxux_snowplow__events_mapped) that var
    cxux_snowplow_event_map does not map: how many events of it the adapter left out of cxux's
    events, and when they happened. Not an error: page pings and most custom events are not
    CX/UX events of the contract; read this to find an event worth mapping. Duplicates are
    already removed (cxux_snowplow__duplicate_events). -#}
with events_mapped as (

    select * from {{ ref('cxux_snowplow__events_mapped') }}

),

final as (

    select
        event_key,
        count(*) as event_count,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at
    from events_mapped
    where event_name is null
    group by event_key

)

select * from final
