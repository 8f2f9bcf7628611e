{#- Snowplow events the event map maps, as the raw contract's `events` (RAW_CONTRACT.md), one
    row per event, columns and types of the contract in its order (docs/adapters/snowplow.md).

    event_id = 'snowplow:' || event_id; user_id is cxux's user id of Snowplow's user_id from
    the identity crosswalk; anonymous_id the domain_userid cookie; session_id the tracker's
    session. task_attempt_id (task_* events only): 'snowplow:' || the mapped property when
    sent; else derived within the session as the Segment adapter does: a task_started opens an
    attempt ('snowplow:' || its event_id) that every later task event of the same task_name
    joins until the next task_started of that task; a terminal event with no task_started
    before it is an attempt of its own. -#}
with events_mapped as (

    select * from {{ ref('cxux_snowplow__events_mapped') }}

),

events_deduped as (

    select * from {{ ref('cxux_snowplow__events_deduped') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

mapped as (

    select
        events_deduped.event_id,
        events_deduped.user_id as native_user_id,
        events_deduped.anonymous_id,
        events_deduped.session_id,
        events_mapped.event_name,
        events_deduped.occurred_at,
        events_deduped.received_at,
        events_deduped.platform,
        events_deduped.page_path,
        events_mapped.feature,
        events_mapped.task_name,
        events_mapped.task_attempt_id,
        events_mapped.error_code,
        case when events_mapped.event_name = 'task_started' then 1 else 0 end as is_task_start
    from events_mapped
    inner join events_deduped
        on events_mapped.event_id = events_deduped.event_id
    where events_mapped.event_name is not null

),

{{ cxux_adapter_contract_events('snowplow', 'event_id') }}
