{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='event_id',
    incremental_strategy='delete+insert',
) }}

{#- Tracked events attributed to the stitched user: the tracked user_id when present,
    otherwise the user the anonymous_id belongs to (int_identities_stitched).
    Incremental: rows received in the lookback window, and the anonymous rows of
    anonymous_ids whose user may have changed (macros/incremental). -#}
{%- set cutoff = cxux_incremental_cutoff('received_at') %}
with stg_raw__events as (

    select * from {{ ref('stg_raw__events') }}

),

int_identities_stitched as (

    select * from {{ ref('int_identities_stitched') }}

),

final as (

    select
        stg_raw__events.event_id,
        coalesce(stg_raw__events.user_id, int_identities_stitched.user_id) as user_id,
        stg_raw__events.user_id as tracked_user_id,
        stg_raw__events.anonymous_id,
        stg_raw__events.session_id,
        stg_raw__events.task_attempt_id,
        stg_raw__events.event_name,
        stg_raw__events.platform,
        stg_raw__events.page_path,
        stg_raw__events.feature,
        stg_raw__events.task_name,
        stg_raw__events.error_code,
        stg_raw__events.user_id is null
            and int_identities_stitched.user_id is not null as is_stitched,
        stg_raw__events.occurred_at,
        stg_raw__events.received_at
    from stg_raw__events
    left join int_identities_stitched
        on stg_raw__events.anonymous_id = int_identities_stitched.anonymous_id
    {%- if cutoff %}
    where stg_raw__events.received_at >= {{ cutoff }}
        or (stg_raw__events.user_id is null
            and stg_raw__events.anonymous_id in ({{ cxux_restitched_anonymous_ids(cutoff) }}))
    {%- endif %}

)

select * from final
