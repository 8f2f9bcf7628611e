{#- One row per user, calendar month and feature the user was eligible for: the user was
    active in the month (a row in fct_user_days) and the feature was available, i.e. someone
    used it for the first time on or before the month's end (the data has no launch dates;
    first observed use is the launch). is_used: the user used the feature in the month
    (feature_used events), the HEART adoption numerator; the denominator is every row.
    Users active only before a feature existed are never counted as not adopting it.
    platform: the month's most used platform (active days, ties alphabetically);
    device_type: the user's primary device as of their last active day of the month
    (fct_user_days); plan: the user's account's plan that month (no_subscription
    without one).

    Size: active user-months x available features (about one row per raw event on the demo
    data). Incremental by whole months: month_checksum sums a checksum of everything a
    month's rows depend on (its user-months with their attributes and plan, its uses with
    each user's first-use month, the features available by then); an incremental run
    rebuilds only the months whose checksum changed or that are new (delete+insert on
    month_start), so late events, re-stitched identities, changed attributes or plans and
    an earlier first use are caught whatever their age. -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='month_start',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
) }}
{#- unit tests and first or full builds take every month; so does a stored table that
    predates month_checksum -#}
{%- set incremental_run = execute and model.resource_type == 'model' and is_incremental()
    and 'month_checksum' in (adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) %}

with int_events_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_events_stitched') }}

),

fct_user_days as {{ cxux_inline_cte() }} (

    select * from {{ ref('fct_user_days') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

int_customer_months_classified as (

    select * from {{ ref('int_customer_months_classified') }}

),

feature_uses as (

    select
        user_id,
        feature,
        occurred_at
    from int_events_stitched
    where event_name = 'feature_used'
        and feature is not null

),

features as (

    -- every use counts for availability, identified or not
    select
        feature,
        {{ cxux_to_date('min(occurred_at)') }} as available_from_date,
        {{ cxux_month_start('min(occurred_at)') }} as available_from_month
    from feature_uses
    group by feature

),

usage_by_month as (

    select
        user_id,
        feature,
        {{ cxux_month_start('occurred_at') }} as month_start,
        count(*) as use_count,
        count(distinct {{ cxux_to_date('occurred_at') }}) as days_used
    from feature_uses
    where user_id is not null
    group by user_id, feature, {{ cxux_month_start('occurred_at') }}

),

first_use as (

    select
        user_id,
        feature,
        min(month_start) as first_used_month
    from usage_by_month
    group by user_id, feature

),

active_months as (

    select
        user_id,
        {{ cxux_month_start('activity_date') }} as month_start,
        count(*) as active_days,
        max(activity_date) as last_active_date
    from fct_user_days
    group by user_id, {{ cxux_month_start('activity_date') }}

),

platform_days as (

    select
        user_id,
        {{ cxux_month_start('activity_date') }} as month_start,
        platform,
        row_number() over (
            partition by user_id, {{ cxux_month_start('activity_date') }}
            order by count(*) desc, platform
        ) as platform_rank
    from fct_user_days
    group by user_id, {{ cxux_month_start('activity_date') }}, platform

),

user_months as (

    -- the attributes every row of a user-month shares
    select
        active_months.user_id,
        active_months.month_start,
        platform_days.platform,
        last_active_days.device_type,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        coalesce(customer_months.plan, 'no_subscription') as plan,
        active_months.active_days
    from active_months
    inner join dim_users
        on active_months.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id
    inner join fct_user_days as last_active_days
        on active_months.user_id = last_active_days.user_id
        and active_months.last_active_date = last_active_days.activity_date
    left join platform_days
        on active_months.user_id = platform_days.user_id
        and active_months.month_start = platform_days.month_start
        and platform_days.platform_rank = 1
    left join int_customer_months_classified as customer_months
        on dim_users.account_id = customer_months.account_id
        and active_months.month_start = customer_months.month_start

),

month_checksum_parts as (

    select
        month_start,
        {{ cxux_row_checksum(['user_id', 'month_start', 'platform', 'device_type', 'account_id',
            'account_type', 'segment', 'region', 'acquisition_channel', 'acquisition_cohort',
            'relationship_type', 'plan', 'active_days']) }} as checksum
    from user_months

    union all

    select
        usage_by_month.month_start,
        {{ cxux_row_checksum(['usage_by_month.user_id', 'usage_by_month.feature',
            'usage_by_month.month_start', 'usage_by_month.use_count', 'usage_by_month.days_used',
            'first_use.first_used_month']) }} as checksum
    from usage_by_month
    inner join first_use
        on usage_by_month.user_id = first_use.user_id
        and usage_by_month.feature = first_use.feature

    union all

    -- a feature's availability, in every month that has users once it exists
    select
        months.month_start,
        {{ cxux_row_checksum(['features.feature', 'features.available_from_date']) }} as checksum
    from (select distinct month_start from user_months) as months
    inner join features
        on features.available_from_month <= months.month_start

),

month_checksums as (

    select
        month_start,
        cast(sum(checksum) as {{ dbt.type_bigint() }}) as month_checksum
    from month_checksum_parts
    group by month_start

),

months_to_build as (

    select month_checksums.month_start, month_checksums.month_checksum
    from month_checksums
{%- if incremental_run %}
    left join (
        select distinct month_start, month_checksum
        from {{ this }}
    ) as stored
        on month_checksums.month_start = stored.month_start
        and month_checksums.month_checksum = stored.month_checksum
    where stored.month_start is null
{%- endif %}

),

final as (

    select
        user_months.user_id,
        user_months.month_start,
        features.feature,
        user_months.platform,
        user_months.device_type,
        user_months.account_id,
        user_months.account_type,
        user_months.segment,
        user_months.region,
        user_months.acquisition_channel,
        user_months.acquisition_cohort,
        user_months.relationship_type,
        user_months.plan,
        features.available_from_date as feature_available_from,
        user_months.active_days,
        coalesce(usage_by_month.use_count, 0) as use_count,
        coalesce(usage_by_month.days_used, 0) as days_used,
        usage_by_month.user_id is not null as is_used,
        coalesce(first_use.first_used_month = user_months.month_start, false) as is_first_use_month,
        coalesce(first_use.first_used_month < user_months.month_start, false) as has_used_before,
        months_to_build.month_checksum
    from user_months
    inner join months_to_build
        on user_months.month_start = months_to_build.month_start
    inner join features
        on features.available_from_month <= user_months.month_start
    left join usage_by_month
        on user_months.user_id = usage_by_month.user_id
        and user_months.month_start = usage_by_month.month_start
        and features.feature = usage_by_month.feature
    left join first_use
        on user_months.user_id = first_use.user_id
        and features.feature = first_use.feature

)

select * from final
