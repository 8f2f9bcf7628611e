{#- The end of a product-usage adapter's `events` model (Segment, Snowplow): from a CTE
    `mapped` (one row per mapped event: <id_column>, native_user_id, anonymous_id,
    session_id, event_name, occurred_at, received_at, platform, page_path, feature,
    task_name, task_attempt_id, error_code, is_task_start) and a CTE `identity_crosswalk`,
    the contract's `events` columns in order, ids prefixed '<system>:'.
    task_attempt_id (task_* events only): the mapped property when sent; else derived within
    the session: a task_started opens an attempt ('<system>:' || its id) that every later
    task event of the same task_name joins until the next task_started of that task; a
    terminal event with no task_started before it is an attempt of its own. Writes the
    CTEs task_runs, task_attempts and final (after a comma) and the final select. -#}
{% macro cxux_adapter_contract_events(system, id_column) -%}
{%- set prefix = "'" ~ system ~ ":'" %}
task_runs as (

    -- how many task_started of this task came before (or are) this event in its session
    select
        *,
        sum(is_task_start) over (
            partition by session_id, task_name
            order by occurred_at, is_task_start desc, {{ id_column }}
            rows between unbounded preceding and current row
        ) as task_start_number
    from mapped

),

task_attempts as (

    select
        *,
        first_value({{ id_column }}) over (
            partition by session_id, task_name, task_start_number
            order by occurred_at, is_task_start desc, {{ id_column }}
            rows between unbounded preceding and unbounded following
        ) as run_first_id
    from task_runs

),

final as (

    select
        {{ dbt.concat([prefix, 'task_attempts.' ~ id_column]) }} as event_id,
        identity_crosswalk.user_id,
        task_attempts.anonymous_id,
        task_attempts.session_id,
        task_attempts.event_name,
        cast(task_attempts.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(task_attempts.received_at as {{ dbt.type_timestamp() }}) as received_at,
        task_attempts.platform,
        task_attempts.page_path,
        task_attempts.feature,
        task_attempts.task_name,
        case
            when task_attempts.event_name not in ('task_started', 'task_completed', 'task_failed', 'task_abandoned')
                then null
            when task_attempts.task_attempt_id is not null
                then {{ dbt.concat([prefix, 'task_attempts.task_attempt_id']) }}
            when task_attempts.task_name is null or task_attempts.session_id is null then null
            when task_attempts.task_start_number = 0
                then {{ dbt.concat([prefix, 'task_attempts.' ~ id_column]) }}
            else {{ dbt.concat([prefix, 'task_attempts.run_first_id']) }}
        end as task_attempt_id,
        task_attempts.error_code
    from task_attempts
    left join identity_crosswalk
        on identity_crosswalk.source_system = '{{ system }}'
        and identity_crosswalk.entity = 'user'
        and identity_crosswalk.native_id = task_attempts.native_user_id

)

select * from final
{%- endmacro %}
