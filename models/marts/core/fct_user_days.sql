{#- One row per user and calendar day on which the user was active: at least one
    stitched event or page view (a row is an active day, so DAU = distinct users).
    is_new_user: the user signed up that day (new users who did nothing on their
    sign-up day have no row; dim_users keeps every sign-up).
    platform: the day's most used platform (ties broken alphabetically).
    device_type: the user's primary device as of the day (int_user_devices_ranged).
    Incremental: user-days with an event or page view selected by the rules in
    macros/incremental, and every day of a user whose attributes changed, are
    recomputed from all their rows; so are the days whose device as of the day
    changed (a late or re-stitched page view), but not the rest of that user's days. -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key=['user_id', 'activity_date'],
    incremental_strategy='delete+insert',
) }}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}

with int_events_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_events_stitched') }}

),

int_page_views_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_page_views_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

int_user_devices_ranged as (

    select * from {{ ref('int_user_devices_ranged') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

activity_all as (

    select
        user_id,
        {{ cxux_to_date('occurred_at') }} as activity_date,
        session_id,
        platform,
        feature,
        0 as is_page_view,
        received_at
    from int_events_stitched
    where user_id is not null

    union all

    select
        user_id,
        {{ cxux_to_date('occurred_at') }} as activity_date,
        session_id,
        platform,
        cast(null as {{ dbt.type_string() }}) as feature,
        1 as is_page_view,
        received_at
    from int_page_views_stitched
    where user_id is not null

),

{%- if cutoff %}

days_to_refresh as (

    select user_id, {{ cxux_to_date('occurred_at') }} as activity_date
    from int_events_stitched
    where user_id is not null
        and {{ cxux_changed_usage_rows_condition('int_events_stitched', cutoff) }}

    union

    select user_id, {{ cxux_to_date('occurred_at') }} as activity_date
    from int_page_views_stitched
    where user_id is not null
        and {{ cxux_changed_usage_rows_condition('int_page_views_stitched', cutoff) }}

    union

    select user_id, activity_date
    from {{ this }}
    where user_id in ({{ cxux_users_with_changed_attributes(
        cxux_user_customer_attribute_pairs('dim_users', 'dim_customers')
        + [('is_new_user', 'stored.activity_date = dim_users.signup_date')],
        extra_stored_columns=['activity_date']) }})

    union

    {{ cxux_rows_with_changed_device(['user_id', 'activity_date'], 'stored.activity_date') }}

),

activity as (

    select activity_all.*
    from activity_all
    inner join days_to_refresh
        on activity_all.user_id = days_to_refresh.user_id
        and activity_all.activity_date = days_to_refresh.activity_date

),
{%- else %}

activity as {{ cxux_inline_cte() }} (

    select * from activity_all

),
{%- endif %}

{#- one pass into three plain groupings per user-day (by session, by feature, by
    platform) instead of count(distinct) plus a ranked platform count joined back: at
    100M events those held more memory than DuckDB could spill and the full build ran
    out of its 8 GB limit; grouping sets spill -#}
day_parts as (

    select
        user_id,
        activity_date,
        session_id,
        feature,
        platform,
        grouping(session_id) = 0 as is_session_part,
        grouping(feature) = 0 as is_feature_part,
        grouping(platform) = 0 as is_platform_part,
        count(*) as row_count,
        sum(is_page_view) as page_view_count,
        max(received_at) as last_received_at
    from activity
    group by grouping sets (
        (user_id, activity_date, session_id),
        (user_id, activity_date, feature),
        (user_id, activity_date, platform)
    )

),

day_summary as (

    select
        user_id,
        activity_date,
        -- the platform parts hold every row once
        cast(sum(case when is_platform_part then row_count - page_view_count end) as {{ dbt.type_int() }}) as event_count,
        cast(sum(case when is_platform_part then page_view_count end) as {{ dbt.type_int() }}) as page_view_count,
        -- one part per distinct value; nulls are not counted
        count(case when is_session_part then session_id end) as session_count,
        count(case when is_feature_part then feature end) as features_used,
        max(last_received_at) as last_received_at,
        -- the most used platform, ties alphabetically (platform is null outside its parts)
        {{ cxux_first_value_by('platform', ['0 - row_count', 'platform']) }} as platform
    from day_parts
    group by user_id, activity_date

),

final as (

    select
        day_summary.user_id,
        day_summary.activity_date,
        day_summary.platform,
        devices.device_type,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        day_summary.event_count,
        day_summary.page_view_count,
        day_summary.session_count,
        day_summary.features_used,
        day_summary.activity_date = dim_users.signup_date as is_new_user,
        day_summary.last_received_at
    from day_summary
    inner join dim_users
        on day_summary.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id
    left join int_user_devices_ranged as devices
        on {{ cxux_device_range_condition('devices', 'day_summary.user_id', 'day_summary.activity_date') }}

)

select * from final
