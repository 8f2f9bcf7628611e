-- Nothing is lost between the usage facts: every page view is in exactly one session,
-- and every page view of an identified user is counted on exactly one user-day.
with page_views as (

    select
        count(*) as page_view_count,
        sum(case when user_id is not null then 1 else 0 end) as identified_page_view_count
    from {{ ref('fct_page_views') }}

),

sessions as (

    select coalesce(sum(page_view_count), 0) as page_view_count
    from {{ ref('fct_sessions') }}

),

user_days as (

    select coalesce(sum(page_view_count), 0) as page_view_count
    from {{ ref('fct_user_days') }}

)

select
    page_views.page_view_count,
    sessions.page_view_count as session_page_view_count,
    page_views.identified_page_view_count,
    user_days.page_view_count as user_day_page_view_count
from page_views
cross join sessions
cross join user_days
where page_views.page_view_count <> sessions.page_view_count
    or coalesce(page_views.identified_page_view_count, 0) <> user_days.page_view_count
