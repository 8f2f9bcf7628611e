{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='anonymous_id',
    incremental_strategy='delete+insert',
) }}

{#- Identity stitching: which user an anonymous_id (device or browser) belongs to.
    An anonymous_id seen with a user_id once belongs to that user from then on and
    backwards. When one anonymous_id is seen with several users (a shared device),
    it belongs to the FIRST user seen with it (earliest occurred_at; ties broken by
    the smaller user_id); has_several_users flags those devices.
    Incremental (macros/incremental): anonymous_ids sighted in the lookback window are
    recomputed from all their sightings; first_sighting_received_at (when the winning
    sighting arrived) tells downstream models which ids may have a new user. -#}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}
with stg_raw__page_views as {{ cxux_inline_cte() }} (

    select * from {{ ref('stg_raw__page_views') }}

),

stg_raw__events as {{ cxux_inline_cte() }} (

    select * from {{ ref('stg_raw__events') }}

),

sightings as (

    select anonymous_id, user_id, occurred_at, received_at
    from stg_raw__page_views
    where anonymous_id is not null and user_id is not null

    union all

    select anonymous_id, user_id, occurred_at, received_at
    from stg_raw__events
    where anonymous_id is not null and user_id is not null

),
{%- if cutoff %}

sightings_to_refresh as (

    select *
    from sightings
    where anonymous_id in (
        select anonymous_id
        from sightings
        where received_at >= {{ cutoff }}
    )

),
{%- else %}

sightings_to_refresh as (

    select * from sightings

),
{%- endif %}

ranked_sightings as (

    select
        anonymous_id,
        user_id,
        occurred_at,
        received_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, user_id, received_at
        ) as sighting_rank
    from sightings_to_refresh

),

anonymous_id_summary as (

    select
        anonymous_id,
        count(distinct user_id) as identified_user_count,
        min(occurred_at) as first_identified_at,
        max(occurred_at) as last_identified_at,
        max(received_at) as last_received_at
    from sightings_to_refresh
    group by anonymous_id

),

final as (

    select
        ranked_sightings.anonymous_id,
        ranked_sightings.user_id,
        anonymous_id_summary.identified_user_count,
        anonymous_id_summary.identified_user_count > 1 as has_several_users,
        anonymous_id_summary.first_identified_at,
        anonymous_id_summary.last_identified_at,
        ranked_sightings.received_at as first_sighting_received_at,
        anonymous_id_summary.last_received_at
    from ranked_sightings
    inner join anonymous_id_summary
        on ranked_sightings.anonymous_id = anonymous_id_summary.anonymous_id
    where ranked_sightings.sighting_rank = 1

)

select * from final
