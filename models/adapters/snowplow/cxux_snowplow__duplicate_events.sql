{#- One row per Snowplow event_id that landed more than once (the pipeline delivers at least
    once; bots can reuse ids): how many copies landed, how many the adapter left out (all but
    the copy collected first, cxux_snowplow__events_deduped), and whether the copies carry
    different payloads (event_fingerprint), which points at reused ids rather than a
    re-delivery. Not an error: read it to see what deduplication removed. -#}
with events as (

    select * from {{ source('cxux_snowplow', 'events') }}

),

final as (

    select
        event_id,
        min(event) as event_type,
        count(*) as copies_landed,
        count(*) - 1 as copies_left_out,
        count(distinct event_fingerprint) as distinct_fingerprints,
        min(collector_tstamp) as first_collector_tstamp,
        max(collector_tstamp) as last_collector_tstamp
    from events
    where event_id is not null
    group by event_id
    having count(*) > 1

)

select * from final
