{#- Raw contract table ticket_events from Zendesk ticket comments and status changes
    (ticket_field_history, field_name 'status'), for the tickets the adapter keeps
    (cxux_zendesk__tickets_mapped). Grain: one row per comment or status change.
      ticket_event_id  'comment:<comment id>' or 'status:<ticket id>:<seconds from 1970-01-04 to the change>'
      author_type      from the author's role: agent or admin -> agent, end-user ->
                       requester (any end user, e.g. a CC, is the requester's side), no or an
                       unknown user (triggers, automations) -> system; except the opening
                       comment (below)
      is_public        the comment's `public`; null on status changes
      new_status       the status set, mapped like the ticket's (hold -> open)
    The opening comment is the request: when an agent or admin opens a ticket with a public
    comment (a phone call written up, a proactive message) it is written on the requester's
    behalf and maps to requester, so the first reply is the agent's next public comment, as
    Zendesk's first reply time documents (and a ticket solved with no further public agent
    comment has no reply and is not one-touch). An opening internal note stays an agent's
    (never a reply). Requester comments before any agent reply are ordinary requester
    comments (they do not move the first reply). DECISIONLOG "Zendesk first reply and
    resolution". -#}
with tickets as (

    select * from {{ ref('cxux_zendesk__tickets_mapped') }}

),

ticket_comment as (

    select * from {{ source('cxux_zendesk', 'ticket_comment') }}

),

ticket_field_history as (

    select * from {{ source('cxux_zendesk', 'ticket_field_history') }}

),

zendesk_user as (

    select * from {{ source('cxux_zendesk', 'user') }}

),

comments as (

    select
        {{ dbt.concat(["'comment:'", 'cast(ticket_comment.id as ' ~ dbt.type_string() ~ ')']) }} as ticket_event_id,
        cast(ticket_comment.ticket_id as {{ dbt.type_string() }}) as ticket_id,
        'comment' as event_type,
        lower(author.role) as author_role,
        ticket_comment.public as is_public,
        cast(null as {{ dbt.type_string() }}) as new_status,
        ticket_comment.created as occurred_at,
        row_number() over (
            partition by ticket_comment.ticket_id
            order by ticket_comment.created, ticket_comment.id
        ) as comment_number
    from ticket_comment
    left join zendesk_user as author
        on ticket_comment.user_id = author.id
    where not coalesce(ticket_comment._fivetran_deleted, false)

),

status_changes as (

    select
        {{ dbt.concat(["'status:'", 'cast(history.ticket_id as ' ~ dbt.type_string() ~ ')', "':'",
                       'cast(' ~ cxux_epoch_seconds('history.updated') ~ ' as ' ~ dbt.type_string() ~ ')']) }} as ticket_event_id,
        cast(history.ticket_id as {{ dbt.type_string() }}) as ticket_id,
        'status_change' as event_type,
        lower(author.role) as author_role,
        cast(null as {{ dbt.type_boolean() }}) as is_public,
        case lower(history.value) when 'hold' then 'open' else lower(history.value) end as new_status,
        history.updated as occurred_at,
        cast(null as {{ dbt.type_bigint() }}) as comment_number
    from ticket_field_history as history
    left join zendesk_user as author
        on history.user_id = author.id
    where history.field_name = 'status'

),

events as (

    select * from comments
    union all
    select * from status_changes

),

final as (

    select
        cast(events.ticket_event_id as {{ dbt.type_string() }}) as ticket_event_id,
        cast(events.ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(events.event_type as {{ dbt.type_string() }}) as event_type,
        cast(
            case
                when events.comment_number = 1 and events.is_public
                    and events.author_role in ('agent', 'admin') then 'requester'
                when events.author_role in ('agent', 'admin') then 'agent'
                when events.author_role = 'end-user' then 'requester'
                else 'system'
            end as {{ dbt.type_string() }}
        ) as author_type,
        cast(events.is_public as {{ dbt.type_boolean() }}) as is_public,
        cast(events.new_status as {{ dbt.type_string() }}) as new_status,
        cast(events.occurred_at as {{ dbt.type_timestamp() }}) as occurred_at
    from events
    inner join tickets
        on events.ticket_id = tickets.ticket_id

)

select * from final
