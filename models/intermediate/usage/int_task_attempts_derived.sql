{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='task_attempt_id',
    incremental_strategy='delete+insert',
) }}

{#- One row per task attempt (task_attempt_id), from its task_* events.
    outcome: the first end event decides (task_completed -> success, task_failed ->
    failure, task_abandoned -> abandoned); only task_started -> incomplete.
    duration_seconds: task_started to the end event (null if either is missing).
    error_count: error events in the attempt's session between its start and its end
    (both inclusive); an incomplete attempt counts errors from its start on.
    With the tasks domain off (var cxux_using_tasks: false) it holds no rows.
    Incremental: attempts with a task or error event in the lookback window (or
    re-stitched) are recomputed from all their events (macros/incremental). -#}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}
with int_events_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_events_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

task_events as (

    select
        *,
        case event_name
            when 'task_completed' then 'success'
            when 'task_failed' then 'failure'
            when 'task_abandoned' then 'abandoned'
        end as end_outcome
    from int_events_stitched
    where event_name in ('task_started', 'task_completed', 'task_failed', 'task_abandoned')
        and task_attempt_id is not null
        {%- if not cxux_domain_enabled('tasks') %}
        and 1 = 0  -- var cxux_using_tasks is false (macros/staging/cxux_domains.sql)
        {%- endif %}
        {%- if cutoff %}
        and task_attempt_id in ({{ cxux_task_attempts_to_refresh(cutoff) }})
        {%- endif %}

),

ranked_starts as (

    select
        *,
        row_number() over (
            partition by task_attempt_id
            order by occurred_at, event_id
        ) as start_rank
    from task_events
    where event_name = 'task_started'

),

ranked_ends as (

    select
        *,
        row_number() over (
            partition by task_attempt_id
            order by occurred_at, event_id
        ) as end_rank
    from task_events
    where end_outcome is not null

),

attempts as (

    select
        task_attempt_id,
        max(received_at) as last_received_at
    from task_events
    group by task_attempt_id

),

joined as (

    select
        attempts.task_attempt_id,
        coalesce(starts.user_id, ends.user_id) as user_id,
        coalesce(starts.session_id, ends.session_id) as session_id,
        coalesce(starts.task_name, ends.task_name) as task_name,
        coalesce(starts.platform, ends.platform) as platform,
        coalesce(starts.page_path, ends.page_path) as page_path,
        coalesce(ends.end_outcome, 'incomplete') as outcome,
        starts.occurred_at as started_at,
        ends.occurred_at as ended_at,
        attempts.last_received_at
    from attempts
    left join ranked_starts as starts
        on attempts.task_attempt_id = starts.task_attempt_id
        and starts.start_rank = 1
    left join ranked_ends as ends
        on attempts.task_attempt_id = ends.task_attempt_id
        and ends.end_rank = 1

),

errors as (

    select
        joined.task_attempt_id,
        count(error_events.event_id) as error_count
    from joined
    inner join int_events_stitched as error_events
        on joined.session_id = error_events.session_id
        and error_events.event_name = 'error'
        and error_events.occurred_at >= joined.started_at
        and (joined.ended_at is null or error_events.occurred_at <= joined.ended_at)
    group by joined.task_attempt_id

),

final as (

    select
        joined.task_attempt_id,
        joined.user_id,
        joined.session_id,
        joined.task_name,
        joined.platform,
        joined.page_path,
        joined.outcome,
        coalesce(errors.error_count, 0) as error_count,
        {{ cxux_seconds_between('joined.started_at', 'joined.ended_at') }} as duration_seconds,
        joined.outcome = 'success' as is_success,
        joined.outcome = 'failure' as is_failure,
        joined.outcome = 'abandoned' as is_abandoned,
        coalesce(errors.error_count, 0) > 0 as has_error,
        joined.started_at,
        joined.ended_at,
        joined.last_received_at
    from joined
    left join errors
        on joined.task_attempt_id = errors.task_attempt_id

)

select * from final
