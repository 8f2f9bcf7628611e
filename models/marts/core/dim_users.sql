{#- One row per user (the person using the product).
    activated_at: the first successful task (task_completed) or the first
      feature_used event, whichever comes first (the user got value from the product).
    is_buyer: the account owner, or a user who placed at least one order.
    first/last activity: over stitched events and page views.
    primary_platform: the most frequent over the user's events and page views (ties
      broken alphabetically).
    primary_device_type: the device of most of the user's page views (ties broken
      alphabetically), i.e. the current (open) range of int_user_devices_ranged, which
      owns the rule. -#}
with stg_raw__users as (

    select * from {{ ref('stg_raw__users') }}

),

stg_raw__accounts as (

    select * from {{ ref('stg_raw__accounts') }}

),

int_orders_enriched as (

    select * from {{ ref('int_orders_enriched') }}

),

int_events_stitched as (

    select * from {{ ref('int_events_stitched') }}

),

int_page_views_stitched as (

    select * from {{ ref('int_page_views_stitched') }}

),

int_user_devices_ranged as (

    select * from {{ ref('int_user_devices_ranged') }}

),

activity as (

    select user_id, platform, event_name, occurred_at
    from int_events_stitched
    where user_id is not null

    union all

    select user_id, platform, 'page_view' as event_name, occurred_at
    from int_page_views_stitched
    where user_id is not null

),

activity_summary as (

    select
        user_id,
        min(occurred_at) as first_activity_at,
        max(occurred_at) as last_activity_at,
        min(
            case when event_name in ('task_completed', 'feature_used') then occurred_at end
        ) as activated_at
    from activity
    group by user_id

),

platform_counts as (

    select
        user_id,
        platform,
        count(*) as activity_count
    from activity
    group by user_id, platform

),

primary_platforms as (

    select
        user_id,
        platform,
        row_number() over (
            partition by user_id
            order by activity_count desc, platform
        ) as platform_rank
    from platform_counts

),

order_placers as (

    select distinct placed_by_user_id as user_id
    from int_orders_enriched
    where placed_by_user_id is not null

),

final as (

    select
        users.user_id,
        users.account_id,
        users.role,
        accounts.account_type,
        accounts.segment,
        users.country_code,
        users.region,
        {{ cxux_relationship_type('users.account_id', 'accounts.account_type', 'users.is_account_owner') }}
            as relationship_type,
        primary_platforms.platform as primary_platform,
        current_devices.device_type as primary_device_type,
        coalesce(users.is_account_owner, false) as is_account_owner,
        coalesce(users.is_account_owner, false) or order_placers.user_id is not null as is_buyer,
        activity_summary.activated_at is not null as is_activated,
        {{ cxux_to_date('users.signup_at') }} as signup_date,
        {{ cxux_to_date('activity_summary.activated_at') }} as activation_date,
        users.signup_at,
        activity_summary.activated_at,
        activity_summary.first_activity_at,
        activity_summary.last_activity_at
        {{ cxux_passthrough('users', 'users') }}
    from stg_raw__users as users
    left join stg_raw__accounts as accounts
        on users.account_id = accounts.account_id
    left join activity_summary
        on users.user_id = activity_summary.user_id
    left join primary_platforms
        on users.user_id = primary_platforms.user_id
        and primary_platforms.platform_rank = 1
    left join int_user_devices_ranged as current_devices
        on users.user_id = current_devices.user_id
        and current_devices.valid_to is null
    left join order_placers
        on users.user_id = order_placers.user_id

)

select * from final
