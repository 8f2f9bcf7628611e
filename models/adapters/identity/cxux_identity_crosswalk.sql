{#- One row per identity record of the source adapters that are on: which cxux account or
    user it is (docs/adapters.md "Identity"; DECISIONLOG "Identity across systems").

    Records of one entity (account or user) are linked when they share an external id, or an
    email that is not ambiguous; linked records form one group (connected components, found by
    propagating the smallest rank key along links var cxux_identity_max_hops times; a chain
    longer than that is flagged, not guessed). An email is ambiguous when two records of one
    system and entity hold it (two Stripe customers with one email): it then links nothing,
    and its records stay apart with is_ambiguous. A group's id is its external id when it has
    one, else '<system>:<native id>' of its first record by cxux_identity_system_priority.

    A user's account: the account group of its own system's account record
    (native_account_id); else the one account group holding the user's email; else none. -#}
{{ config(enabled=cxux_enabled_adapters() | length > 0) }}

{%- set hops = var('cxux_identity_max_hops') | int -%}

with records as (
    select * from {{ ref('cxux_identity__records') }}
),

ambiguous_emails as (
    select entity, email_key
    from records
    where email_key is not null
    group by entity, email_key, source_system
    having count(distinct native_id) > 1
),

links as (
    select distinct entity, record_id, {{ dbt.concat(["'x:'", 'external_key']) }} as link_key
    from records
    where external_key is not null
    union
    select distinct records.entity, records.record_id, {{ dbt.concat(["'e:'", 'records.email_key']) }}
    from records
    left join ambiguous_emails
        on ambiguous_emails.entity = records.entity
        and ambiguous_emails.email_key = records.email_key
    where records.email_key is not null and ambiguous_emails.email_key is null
),

nodes as (
    select
        entity,
        record_id,
        min(source_system) as source_system,
        min(native_id) as native_id,
        min(native_account_id) as native_account_id,
        min(record_rank_key) as rank_key,
        max(case when ambiguous_emails.email_key is not null then 1 else 0 end) as has_ambiguous_email
    from records
    left join ambiguous_emails using (entity, email_key)
    group by entity, record_id
),

labels_0 as (
    select entity, record_id, rank_key as label from nodes
),
{#- One hop: each record takes the smallest label among the records it shares a link with
    (itself included; a record without links keeps its own). labels_<i> is read once per
    hop, so the inlined plan grows linearly with the hops (Spark inlines CTEs: reading it
    twice doubled the plan each hop and ran its analyzer out of memory). -#}
{%- for i in range(hops + 1) %}

labels_{{ i + 1 }} as (
    select
        coalesce(neighbour.entity, labels_{{ i }}.entity) as entity,
        coalesce(neighbour.record_id, labels_{{ i }}.record_id) as record_id,
        min(labels_{{ i }}.label) as label
    from labels_{{ i }}
    left join links as own
        on own.entity = labels_{{ i }}.entity and own.record_id = labels_{{ i }}.record_id
    left join links as neighbour
        on neighbour.entity = own.entity and neighbour.link_key = own.link_key
    group by
        coalesce(neighbour.entity, labels_{{ i }}.entity),
        coalesce(neighbour.record_id, labels_{{ i }}.record_id)
),
{%- endfor %}

grouped as (
    select
        nodes.*,
        labels_{{ hops }}.label as group_label,
        {#- one more hop would still move it: the chain is longer than the hops allowed -#}
        case when labels_{{ hops + 1 }}.label <> labels_{{ hops }}.label then 1 else 0 end as is_unsettled
    from nodes
    inner join labels_{{ hops }} using (entity, record_id)
    inner join labels_{{ hops + 1 }} using (entity, record_id)
),

groups as (
    select
        grouped.entity,
        grouped.group_label,
        min(records.external_key) as external_key,
        count(distinct grouped.record_id) as records_in_group
    from grouped
    inner join records using (entity, record_id)
    group by grouped.entity, grouped.group_label
),

resolved as (
    select
        grouped.entity,
        grouped.record_id,
        grouped.source_system,
        grouped.native_id,
        grouped.native_account_id,
        grouped.rank_key,
        coalesce(groups.external_key, {{ dbt.split_part('grouped.group_label', "'|'", 2) }}) as group_id,
        case
            when grouped.is_unsettled = 1 then 'unsettled'
            when groups.external_key is not null then 'external_id'
            when groups.records_in_group > 1 then 'email'
            else 'native'
        end as match_rule,
        grouped.has_ambiguous_email = 1 or grouped.is_unsettled = 1 as is_ambiguous
    from grouped
    inner join groups using (entity, group_label)
),

account_emails as (
    select distinct records.email_key, resolved.group_id as account_id
    from records
    inner join resolved using (entity, record_id)
    where records.entity = 'account' and records.email_key is not null
),

unique_account_emails as (
    select email_key, min(account_id) as account_id
    from account_emails
    group by email_key
    having count(*) = 1
),

user_accounts as (
    {#- per user record: its own system's account, else the one account holding its email -#}
    select
        users.record_id,
        coalesce(
            min(own_account.group_id),
            case when count(distinct by_email.account_id) = 1 then min(by_email.account_id) end
        ) as account_id
    from resolved as users
    left join resolved as own_account
        on own_account.entity = 'account'
        and own_account.source_system = users.source_system
        and own_account.native_id = users.native_account_id
    left join records as user_emails
        on user_emails.entity = 'user' and user_emails.record_id = users.record_id
    left join unique_account_emails as by_email
        on by_email.email_key = user_emails.email_key
    where users.entity = 'user'
    group by users.record_id
),

user_group_accounts as (
    {#- one account per user group: that of its first record that has one -#}
    select
        resolved.group_id,
        {{ cxux_first_value_by('user_accounts.account_id', ['resolved.rank_key']) }} as account_id
    from resolved
    inner join user_accounts using (record_id)
    group by resolved.group_id
)

select
    cast(resolved.source_system as {{ dbt.type_string() }}) as source_system,
    cast(resolved.entity as {{ dbt.type_string() }}) as entity,
    cast(resolved.native_id as {{ dbt.type_string() }}) as native_id,
    cast(case when resolved.entity = 'account' then resolved.group_id
              else user_group_accounts.account_id end as {{ dbt.type_string() }}) as account_id,
    cast(case when resolved.entity = 'user' then resolved.group_id end as {{ dbt.type_string() }}) as user_id,
    cast(resolved.match_rule as {{ dbt.type_string() }}) as match_rule,
    resolved.is_ambiguous
from resolved
left join user_group_accounts
    on resolved.entity = 'user' and user_group_accounts.group_id = resolved.group_id
