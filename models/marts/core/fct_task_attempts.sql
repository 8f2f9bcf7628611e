{#- One row per task attempt (rules in int_task_attempts_derived) with the user's
    and customer's attributes. Keyed by task_attempt_id with started_at and
    last_received_at; incremental like int_task_attempts_derived, plus the attempts of
    users whose attributes changed (macros/incremental) and the attempts whose device
    as of their start day changed. device_type: the user's primary device as of the
    attempt's start day, or its end day without a start (int_user_devices_ranged). -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='task_attempt_id',
    incremental_strategy='delete+insert',
) }}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}

with int_task_attempts_derived as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_task_attempts_derived') }}

),

int_events_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_events_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

int_user_devices_ranged as (

    select * from {{ ref('int_user_devices_ranged') }}

),

final as (

    select
        attempts.task_attempt_id,
        attempts.user_id,
        attempts.session_id,
        attempts.task_name,
        attempts.platform,
        devices.device_type,
        attempts.page_path,
        attempts.outcome,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        attempts.error_count,
        attempts.duration_seconds,
        attempts.is_success,
        attempts.is_failure,
        attempts.is_abandoned,
        attempts.has_error,
        {{ cxux_to_date('attempts.started_at') }} as started_date,
        attempts.started_at,
        attempts.ended_at,
        attempts.last_received_at
    from int_task_attempts_derived as attempts
    left join dim_users
        on attempts.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id
    left join int_user_devices_ranged as devices
        on {{ cxux_device_range_condition('devices', 'attempts.user_id', cxux_to_date('coalesce(attempts.started_at, attempts.ended_at)')) }}
    {%- if cutoff %}
    where attempts.task_attempt_id in ({{ cxux_task_attempts_to_refresh(cutoff) }})
        or attempts.user_id in ({{ cxux_users_with_changed_attributes(
            cxux_user_customer_attribute_pairs('dim_users', 'dim_customers')) }})
        or attempts.task_attempt_id in ({{ cxux_rows_with_changed_device(['task_attempt_id'], cxux_to_date('coalesce(stored.started_at, stored.ended_at)')) }})
    {%- endif %}

)

select * from final
