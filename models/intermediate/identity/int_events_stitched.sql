{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
) }}

{#- Tracked events attributed to the stitched user; incremental on received_at
    (macros/incremental/cxux_stitched_usage_rows.sql). #}
{{ cxux_stitched_usage_rows(
    'stg_raw__events', 'event_id',
    ['session_id', 'task_attempt_id', 'event_name', 'platform', 'page_path',
     'feature', 'task_name', 'error_code']) }}
