{#- One row per session, from its page views and events. The session belongs to the
    stitched user of its earliest row that has one; anonymous_id, platform and
    device_type come from its earliest row that has them.
    Incremental: sessions with a page view or event selected by the rules in
    macros/incremental, or of a user whose attributes changed, are recomputed from all
    their rows. -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='session_id',
    incremental_strategy='delete+insert',
) }}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}

with int_page_views_stitched as (

    select * from {{ ref('int_page_views_stitched') }}

),

int_identities_stitched as (

    select * from {{ ref('int_identities_stitched') }}

),

int_events_stitched as (

    select * from {{ ref('int_events_stitched') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

{%- if cutoff %}

sessions_to_refresh as (

    select session_id
    from int_page_views_stitched
    where {{ cxux_changed_usage_rows_condition('int_page_views_stitched', cutoff) }}

    union

    select session_id
    from int_events_stitched
    where {{ cxux_changed_usage_rows_condition('int_events_stitched', cutoff) }}

    union

    select session_id
    from {{ this }}
    where user_id in ({{ cxux_users_with_changed_attributes(cxux_user_customer_attribute_pairs('dim_users', 'dim_customers')) }})

),
{%- endif %}

session_rows as (

    select
        session_id,
        page_view_id as row_id,
        user_id,
        anonymous_id,
        platform,
        device_type,
        1 as is_page_view,
        occurred_at,
        received_at
    from int_page_views_stitched
    {%- if cutoff %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

    union all

    select
        session_id,
        event_id as row_id,
        user_id,
        anonymous_id,
        platform,
        cast(null as {{ dbt.type_string() }}) as device_type,
        0 as is_page_view,
        occurred_at,
        received_at
    from int_events_stitched
    {%- if cutoff %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

),

session_summary as (

    select
        session_id,
        cast(sum(is_page_view) as {{ dbt.type_int() }}) as page_view_count,
        cast(sum(1 - is_page_view) as {{ dbt.type_int() }}) as event_count,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        max(received_at) as last_received_at
    from session_rows
    group by session_id

),

first_users as (

    select
        session_id,
        user_id,
        row_number() over (partition by session_id order by occurred_at, row_id) as row_rank
    from session_rows
    where user_id is not null

),

first_anonymous_ids as (

    select
        session_id,
        anonymous_id,
        row_number() over (partition by session_id order by occurred_at, row_id) as row_rank
    from session_rows
    where anonymous_id is not null

),

first_platforms as (

    select
        session_id,
        platform,
        row_number() over (partition by session_id order by occurred_at, row_id) as row_rank
    from session_rows
    where platform is not null

),

first_devices as (

    select
        session_id,
        device_type,
        row_number() over (partition by session_id order by occurred_at, row_id) as row_rank
    from session_rows
    where device_type is not null

),

final as (

    select
        session_summary.session_id,
        first_users.user_id,
        first_anonymous_ids.anonymous_id,
        first_platforms.platform,
        first_devices.device_type,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        session_summary.page_view_count,
        session_summary.event_count,
        {{ cxux_seconds_between('session_summary.started_at', 'session_summary.ended_at') }}
            as duration_seconds,
        {{ cxux_to_date('session_summary.started_at') }} as started_date,
        session_summary.started_at,
        session_summary.ended_at,
        session_summary.last_received_at
    from session_summary
    left join first_users
        on session_summary.session_id = first_users.session_id
        and first_users.row_rank = 1
    left join first_anonymous_ids
        on session_summary.session_id = first_anonymous_ids.session_id
        and first_anonymous_ids.row_rank = 1
    left join first_platforms
        on session_summary.session_id = first_platforms.session_id
        and first_platforms.row_rank = 1
    left join first_devices
        on session_summary.session_id = first_devices.session_id
        and first_devices.row_rank = 1
    left join dim_users
        on first_users.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id

)

select * from final
