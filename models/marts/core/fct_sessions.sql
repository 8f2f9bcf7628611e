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

with int_page_views_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_page_views_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

int_events_stitched as {{ cxux_inline_cte() }} (

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

    {#- one pass: the first user, anonymous id, platform and device of the session are
        taken in the same aggregation (cxux_first_value_by), not by window sorts #}
    select
        session_id,
        {{ cxux_first_value_by('user_id', ['occurred_at', 'row_id']) }} as user_id,
        {{ cxux_first_value_by('anonymous_id', ['occurred_at', 'row_id']) }} as anonymous_id,
        {{ cxux_first_value_by('platform', ['occurred_at', 'row_id']) }} as platform,
        {{ cxux_first_value_by('device_type', ['occurred_at', 'row_id']) }} as device_type,
        cast(sum(is_page_view) as {{ dbt.type_int() }}) as page_view_count,
        cast(sum(1 - is_page_view) as {{ dbt.type_int() }}) as event_count,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        max(received_at) as last_received_at
    from session_rows
    group by session_id

),

final as (

    select
        session_summary.session_id,
        session_summary.user_id,
        session_summary.anonymous_id,
        session_summary.platform,
        session_summary.device_type,
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
    left join dim_users
        on session_summary.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id

)

select * from final
