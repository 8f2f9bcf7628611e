{#- One row per Zendesk ticket the adapter keeps, with native ids (not yet through the
    identity crosswalk) and the contract's values. Shared by the adapter's outputs.
    Left out, with everything hanging off them (comments, status changes, ratings):
      deleted tickets  status 'deleted' or _fivetran_deleted: removed in Zendesk (spam, test)
      merged tickets   tag closed_by_merge: Zendesk closed them into another ticket and copied
                       their comments there; counting both would count one contact twice
    Mapping (DECISIONLOG "Zendesk adapter"):
      status    new/open/pending/solved/closed as is; hold -> open (waiting on a third party,
                the agent still owns it; Zendesk shows it to the requester as open)
      channel   via_channel through cxux_zendesk_channel_map() (var cxux_zendesk_channel_map);
                an unmapped value passes through and staging quarantines the ticket
      category  the first tag, in the order of var cxux_zendesk_category_tags, that maps to
                a category; none -> null (the contract allows it)
      priority  low/normal/high/urgent as is (lowercased)
      account   the ticket's organization, else the requester's; an end user without one is
                an individual account of their own, native id 'user:<user id>'
      requester only an end user; a ticket requested by an agent or admin has none -#}
with ticket as (

    select * from {{ source('cxux_zendesk', 'ticket') }}

),

ticket_tag as (

    select * from {{ source('cxux_zendesk', 'ticket_tag') }}

),

zendesk_user as (

    select * from {{ source('cxux_zendesk', 'user') }}

),

merged as (

    select distinct ticket_id
    from ticket_tag
    where lower(tag) = 'closed_by_merge'

),

{%- set category_tags = cxux_zendesk_category_tags() %}

category_ranks as (

    {%- for tag, category in category_tags.items() %}
    select
        '{{ tag | lower }}' as tag,
        '{{ category }}' as category,
        {{ loop.index }} as category_rank
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if not category_tags %}
    select
        cast(null as {{ dbt.type_string() }}) as tag,
        cast(null as {{ dbt.type_string() }}) as category,
        0 as category_rank
    where 1 = 0
    {%- endif %}

),

ticket_categories as (

    select
        tagged.ticket_id,
        min(category_ranks.category_rank) as category_rank
    from ticket_tag as tagged
    inner join category_ranks
        on lower(tagged.tag) = category_ranks.tag
    group by tagged.ticket_id

),

kept as (

    select ticket.*
    from ticket
    left join merged
        on ticket.id = merged.ticket_id
    where merged.ticket_id is null
        and lower(ticket.status) <> 'deleted'
        and not coalesce(ticket._fivetran_deleted, false)

),

final as (

    select
        cast(kept.id as {{ dbt.type_string() }}) as ticket_id,
        cast(
            case when lower(requester.role) = 'end-user' then kept.requester_id end
            as {{ dbt.type_string() }}
        ) as requester_native_id,
        case
            when coalesce(kept.organization_id, requester.organization_id) is not null
                then cast(coalesce(kept.organization_id, requester.organization_id) as {{ dbt.type_string() }})
            when lower(requester.role) = 'end-user'
                then {{ dbt.concat(["'user:'", 'cast(kept.requester_id as ' ~ dbt.type_string() ~ ')']) }}
        end as account_native_id,
        {{ cxux_map_values_sql('kept.via_channel', cxux_zendesk_channel_map()) }} as channel,
        category_ranks.category,
        lower(kept.priority) as priority,
        case lower(kept.status) when 'hold' then 'open' else lower(kept.status) end as status,
        cast(kept.created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(kept.updated_at as {{ dbt.type_timestamp() }}) as updated_at
    from kept
    left join zendesk_user as requester
        on kept.requester_id = requester.id
    left join ticket_categories
        on kept.id = ticket_categories.ticket_id
    left join category_ranks
        on ticket_categories.category_rank = category_ranks.category_rank

)

select * from final
