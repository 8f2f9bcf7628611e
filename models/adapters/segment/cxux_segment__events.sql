{#- Segment track calls as the raw contract's `events` (RAW_CONTRACT.md), one row per track
    call whose event var cxux_segment_event_map maps; calls of unmapped events are not CX/UX
    events and are left out here (cxux_segment__unmapped_events counts them by name).

    Ids are prefixed with 'segment:' (Segment and Snowplow can both feed events). user_id is
    cxux's user id from the identity crosswalk; anonymous_id is kept as sent, so cxux's
    identity stitching links a device to the user it was seen with.
    task_attempt_id: the mapped property when the call has it; else derived within the
    session: a task_started opens an attempt ('segment:' || its call id) and every later
    task event of the same task_name in the session belongs to it until the next
    task_started of that task; a terminal event with no task_started before it is an
    attempt of its own ('segment:' || its call id). -#}
with tracks_mapped as (

    select * from {{ ref('cxux_segment__tracks_mapped') }}

),

activity as (

    select * from {{ ref('cxux_segment__activity_sessionized') }}

),

identity_crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

mapping as (

    -- one row per call id: a call Segment delivered twice is twice in tracks and in activity
    select distinct call_id, event_name, feature, task_name, task_attempt_id, error_code
    from tracks_mapped
    where event_name is not null

),

mapped as (

    select
        activity.call_id,
        activity.user_id as native_user_id,
        activity.anonymous_id,
        activity.session_id,
        mapping.event_name,
        activity.occurred_at,
        activity.received_at,
        activity.platform,
        activity.page_path,
        mapping.feature,
        mapping.task_name,
        mapping.task_attempt_id,
        mapping.error_code,
        case when mapping.event_name = 'task_started' then 1 else 0 end as is_task_start
    from activity
    inner join mapping
        on activity.call_id = mapping.call_id
    where activity.call_type = 'track'

),

{{ cxux_adapter_contract_events('segment', 'call_id') }}
