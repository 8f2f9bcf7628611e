{#- One row per page or screen load, attributed to the stitched user, with web-vital
    ratings (web.dev thresholds; boundary values are good; null when not measured).
    passes_core_web_vitals: LCP, INP and CLS all good; null if any is unmeasured.
    Incremental on received_at (lookback window, re-stitched anonymous rows, users whose
    attributes changed: macros/incremental), with a change feed of what each run changed
    (macros/incremental/cxux_change_feed.sql), which the percentile metrics apply. -#}
{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='page_view_id',
    incremental_strategy='cxux_changes',
    pre_hook="{{ cxux_change_feed_begin() }}",
    post_hook="{{ cxux_change_feed_end() }}",
) }}
{%- set thresholds = cxux_web_vital_thresholds() %}
{%- set cutoff = cxux_incremental_cutoff('received_at') %}

with int_page_views_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_page_views_stitched') }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

rated as (

    select
        *,
        {%- for vital, column_name in [('lcp', 'lcp_ms'), ('inp', 'inp_ms'), ('cls', 'cls'), ('fcp', 'fcp_ms'), ('ttfb', 'ttfb_ms')] %}
        {{ cxux_web_vital_rating(column_name, thresholds[vital]['good'], thresholds[vital]['poor']) }}
            as {{ vital }}_rating{{ ',' if not loop.last }}
        {%- endfor %}
    from int_page_views_stitched
    {%- if cutoff %}
    where {{ cxux_changed_usage_rows_condition('int_page_views_stitched', cutoff) }}
        or user_id in ({{ cxux_users_with_changed_attributes(cxux_user_customer_attribute_pairs('dim_users', 'dim_customers')) }})
    {%- endif %}

),

final as (

    select
        rated.page_view_id,
        rated.user_id,
        rated.anonymous_id,
        rated.session_id,
        rated.platform,
        rated.device_type,
        rated.page_path,
        {{ cxux_user_customer_attributes('dim_users', 'dim_customers') }},
        rated.lcp_rating,
        rated.inp_rating,
        rated.cls_rating,
        rated.fcp_rating,
        rated.ttfb_rating,
        rated.lcp_ms,
        rated.inp_ms,
        rated.cls,
        rated.fcp_ms,
        rated.ttfb_ms,
        case
            when rated.lcp_rating is null or rated.inp_rating is null or rated.cls_rating is null then null
            else rated.lcp_rating = 'good' and rated.inp_rating = 'good' and rated.cls_rating = 'good'
        end as passes_core_web_vitals,
        rated.is_stitched,
        {{ cxux_to_date('rated.occurred_at') }} as occurred_date,
        rated.occurred_at,
        rated.received_at
        {{ cxux_passthrough('page_views', 'rated') }}
    from rated
    left join dim_users
        on rated.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id

)

select * from final
