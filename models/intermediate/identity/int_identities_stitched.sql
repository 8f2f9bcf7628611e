{{ config(materialized='table') }}

{#- Identity stitching: which user an anonymous_id (device or browser) belongs to.
    An anonymous_id seen with a user_id once belongs to that user from then on and
    backwards. When one anonymous_id is seen with several users (a shared device),
    it belongs to the FIRST user seen with it (earliest occurred_at; ties broken by
    the smaller user_id); has_several_users flags those devices. -#}
with stg_raw__page_views as (

    select * from {{ ref('stg_raw__page_views') }}

),

stg_raw__events as (

    select * from {{ ref('stg_raw__events') }}

),

sightings as (

    select anonymous_id, user_id, occurred_at
    from stg_raw__page_views
    where anonymous_id is not null and user_id is not null

    union all

    select anonymous_id, user_id, occurred_at
    from stg_raw__events
    where anonymous_id is not null and user_id is not null

),

ranked_sightings as (

    select
        anonymous_id,
        user_id,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, user_id
        ) as sighting_rank
    from sightings

),

anonymous_id_summary as (

    select
        anonymous_id,
        count(distinct user_id) as identified_user_count,
        min(occurred_at) as first_identified_at,
        max(occurred_at) as last_identified_at
    from sightings
    group by anonymous_id

),

final as (

    select
        ranked_sightings.anonymous_id,
        ranked_sightings.user_id,
        anonymous_id_summary.identified_user_count,
        anonymous_id_summary.identified_user_count > 1 as has_several_users,
        anonymous_id_summary.first_identified_at,
        anonymous_id_summary.last_identified_at
    from ranked_sightings
    inner join anonymous_id_summary
        on ranked_sightings.anonymous_id = anonymous_id_summary.anonymous_id
    where ranked_sightings.sighting_rank = 1

)

select * from final
