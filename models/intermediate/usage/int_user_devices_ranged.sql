{#- The user's primary device as of each day, as date ranges (one row per user and
    stretch of days with the same primary device). The primary device as of a day is
    the device_type of most of the user's page views up to and including that day
    (ties broken alphabetically); the current range (valid_to null) is
    dim_users.primary_device_type, so the rule lives here only. The dated usage
    facts carry this as-of value, so a user whose primary device changes today does
    not restate their history (DECISIONLOG, "Usage facts carry the device as of the
    day").
    valid_from: the first day of the range; null on the user's first range, which also
      covers their activity before their first page view (the earliest known device).
    valid_to: the day after the range (exclusive); null on the current range.
    Incremental: users with a page view selected by the lookback rules
    (macros/incremental) are recomputed from all of their page views. -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='user_id',
    incremental_strategy='delete+insert',
) }}
{%- set cutoff = cxux_incremental_cutoff('last_received_at') %}

with int_page_views_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_page_views_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

page_views as (

    select
        user_id,
        {{ cxux_to_date('occurred_at') }} as view_date,
        device_type,
        received_at
    from int_page_views_stitched
    where user_id is not null
        and device_type is not null
    {%- if cutoff %}
        and user_id in (
            select changed.user_id
            from int_page_views_stitched as changed
            where changed.user_id is not null
                and {{ cxux_changed_usage_rows_condition('changed', cutoff) }}
        )
    {%- endif %}

),

device_days as (

    select
        user_id,
        view_date,
        device_type,
        count(*) as page_views
    from page_views
    group by user_id, view_date, device_type

),

user_view_dates as (

    select distinct user_id, view_date
    from device_days

),

user_devices as (

    select distinct user_id, device_type
    from device_days

),

-- every device the user ever used, on every day with page views, so that a device
-- not used that day still competes with its count so far
device_counts_so_far as (

    select
        user_view_dates.user_id,
        user_view_dates.view_date,
        user_devices.device_type,
        sum(coalesce(device_days.page_views, 0)) over (
            partition by user_view_dates.user_id, user_devices.device_type
            order by user_view_dates.view_date
            rows between unbounded preceding and current row
        ) as page_views_so_far
    from user_view_dates
    inner join user_devices
        on user_view_dates.user_id = user_devices.user_id
    left join device_days
        on user_view_dates.user_id = device_days.user_id
        and user_view_dates.view_date = device_days.view_date
        and user_devices.device_type = device_days.device_type

),

primary_by_day as (

    select
        user_id,
        view_date,
        device_type,
        row_number() over (
            partition by user_id, view_date
            order by page_views_so_far desc, device_type
        ) as device_rank
    from device_counts_so_far

),

changes as (

    select
        user_id,
        view_date,
        device_type,
        lag(device_type) over (partition by user_id order by view_date) as previous_device_type
    from primary_by_day
    where device_rank = 1

),

ranges as (

    select
        user_id,
        device_type,
        case when previous_device_type is not null then view_date end as valid_from,
        lead(view_date) over (partition by user_id order by view_date) as valid_to
    from changes
    where previous_device_type is null
        or previous_device_type <> device_type

),

user_last_received as (

    select user_id, max(received_at) as last_received_at
    from page_views
    group by user_id

),

final as (

    select
        ranges.user_id,
        ranges.device_type,
        ranges.valid_from,
        ranges.valid_to,
        user_last_received.last_received_at
    from ranges
    inner join user_last_received
        on ranges.user_id = user_last_received.user_id

)

select * from final
