{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='page_view_id',
    incremental_strategy='delete+insert',
) }}

{#- Page views attributed to the stitched user: the tracked user_id when present,
    otherwise the user the anonymous_id belongs to (int_identities_stitched).
    Incremental: rows received in the lookback window, and the anonymous rows of
    anonymous_ids whose user may have changed (macros/incremental). -#}
{%- set cutoff = cxux_incremental_cutoff('received_at') %}
with stg_raw__page_views as (

    select * from {{ ref('stg_raw__page_views') }}

),

int_identities_stitched as (

    select * from {{ ref('int_identities_stitched') }}

),

final as (

    select
        stg_raw__page_views.page_view_id,
        coalesce(stg_raw__page_views.user_id, int_identities_stitched.user_id) as user_id,
        stg_raw__page_views.user_id as tracked_user_id,
        stg_raw__page_views.anonymous_id,
        stg_raw__page_views.session_id,
        stg_raw__page_views.platform,
        stg_raw__page_views.device_type,
        stg_raw__page_views.page_path,
        stg_raw__page_views.lcp_ms,
        stg_raw__page_views.inp_ms,
        stg_raw__page_views.cls,
        stg_raw__page_views.fcp_ms,
        stg_raw__page_views.ttfb_ms,
        stg_raw__page_views.user_id is null
            and int_identities_stitched.user_id is not null as is_stitched,
        stg_raw__page_views.occurred_at,
        stg_raw__page_views.received_at
    from stg_raw__page_views
    left join int_identities_stitched
        on stg_raw__page_views.anonymous_id = int_identities_stitched.anonymous_id
    {%- if cutoff %}
    where stg_raw__page_views.received_at >= {{ cutoff }}
        or (stg_raw__page_views.user_id is null
            and stg_raw__page_views.anonymous_id in ({{ cxux_restitched_anonymous_ids(cutoff) }}))
    {%- endif %}

)

select * from final
