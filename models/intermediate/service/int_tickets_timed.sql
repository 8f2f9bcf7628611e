{#- One row per ticket with its reply and resolution timings (calendar minutes).
    first reply   = first PUBLIC comment by an AGENT
    solve         = a status_change to solved (first and last)
    reopen        = a status_change to open or pending whose previous status (the
                    previous status_change of the ticket) was solved or closed
    is_solved     = solved at least once and currently solved or closed
    full resolution is measured to the last solve and only for solved tickets;
    unsolved tickets have null resolution times, never zero.
    Business-hour times and SLA breaches come from a help desk adapter that knows the
    schedules (cxux_zendesk__ticket_business_times when var cxux_adapter_zendesk is true);
    otherwise the relation is empty and those columns are null
    (cxux_ticket_business_times_relation, macros/adapters/cxux_business_minutes.sql). -#}
with stg_raw__support_tickets as (

    select * from {{ ref('stg_raw__support_tickets') }}

),

stg_raw__ticket_events as (

    select * from {{ ref('stg_raw__ticket_events') }}

),

business_times as (

    select * from {{ cxux_ticket_business_times_relation() }} as ticket_business_times

),

status_changes as (

    select
        ticket_id,
        ticket_event_id,
        new_status,
        occurred_at,
        lag(new_status) over (
            partition by ticket_id
            order by occurred_at, ticket_event_id
        ) as previous_status
    from stg_raw__ticket_events
    where event_type = 'status_change'

),

status_summary as (

    select
        ticket_id,
        min(case when new_status = 'solved' then occurred_at end) as first_solved_at,
        max(case when new_status = 'solved' then occurred_at end) as last_solved_at,
        cast(sum(
            case
                when new_status in ('open', 'pending')
                    and previous_status in ('solved', 'closed')
                    then 1
                else 0
            end
        ) as {{ dbt.type_int() }}) as reopen_count,
        cast(sum(case when new_status = 'solved' then 1 else 0 end) as {{ dbt.type_int() }}) as solve_count
    from status_changes
    group by ticket_id

),

comment_summary as (

    select
        ticket_id,
        min(occurred_at) as first_reply_at,
        count(*) as public_agent_comment_count
    from stg_raw__ticket_events
    where event_type = 'comment'
        and author_type = 'agent'
        and is_public
    group by ticket_id

),

joined as (

    select
        tickets.ticket_id,
        tickets.account_id,
        tickets.requester_user_id,
        tickets.channel,
        tickets.category,
        tickets.priority,
        tickets.status,
        coalesce(comment_summary.public_agent_comment_count, 0) as public_agent_comment_count,
        coalesce(status_summary.reopen_count, 0) as reopen_count,
        coalesce(status_summary.solve_count, 0) as solve_count,
        status_summary.first_solved_at is not null
            and tickets.status in ('solved', 'closed') as is_solved,
        tickets.created_at,
        comment_summary.first_reply_at,
        status_summary.first_solved_at,
        status_summary.last_solved_at,
        tickets.updated_at,
        business_times.first_reply_business_minutes,
        business_times.first_resolution_business_minutes,
        business_times.full_resolution_business_minutes,
        business_times.is_first_reply_sla_breached,
        business_times.is_resolution_sla_breached,
        business_times.is_sla_breached
        {{ cxux_passthrough('support_tickets', 'tickets') }}
    from stg_raw__support_tickets as tickets
    left join status_summary
        on tickets.ticket_id = status_summary.ticket_id
    left join comment_summary
        on tickets.ticket_id = comment_summary.ticket_id
    left join business_times
        on tickets.ticket_id = business_times.ticket_id

),

final as (

    select
        ticket_id,
        account_id,
        requester_user_id,
        channel,
        category,
        priority,
        status,
        public_agent_comment_count,
        reopen_count,
        solve_count,
        {{ cxux_minutes_between('created_at', 'first_reply_at') }} as first_reply_minutes,
        {{ cxux_minutes_between('created_at', 'first_solved_at') }} as first_resolution_minutes,
        case
            when is_solved then {{ cxux_minutes_between('created_at', 'last_solved_at') }}
        end as full_resolution_minutes,
        is_solved,
        reopen_count > 0 as is_reopened,
        is_solved and public_agent_comment_count = 1 as is_one_touch,
        first_reply_business_minutes,
        first_resolution_business_minutes,
        full_resolution_business_minutes,
        is_first_reply_sla_breached,
        is_resolution_sla_breached,
        is_sla_breached,
        created_at,
        first_reply_at,
        first_solved_at,
        last_solved_at,
        updated_at
        {{ cxux_passthrough('support_tickets') }}
    from joined

)

select * from final
