{#- The people Segment knows, for the identity crosswalk (models/adapters/identity/): one row
    per user_id seen in an identify, page, screen or track call (every user id the Segment
    facts reference). Segment knows users, not accounts (group calls are not read).
    email and display_name: the trait of the latest identify call that has it (traits are
    sent partially, so the latest call may lack one). external_id: the user_id itself,
    Segment's userId being the product's own user id, the host key other systems (e.g. a
    help desk's external_id) hold. created_at: trait createdAt, else the first call seen;
    updated_at: the latest identify, else the latest call. Anonymous ids are not people
    here: cxux's identity stitching links them to users from the calls. -#}
{%- set ts = adapter.quote('timestamp') %}
with identifies as (

    select * from {{ source('cxux_segment', 'identifies') }}

),

activity as (

    select * from {{ ref('cxux_segment__activity_sessionized') }}

),

sightings as (

    select user_id, {{ ts }} as seen_at, 1 as is_identify from identifies where user_id is not null
    union all
    select user_id, occurred_at as seen_at, 0 as is_identify from activity where user_id is not null

),

users as (

    select
        user_id,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at,
        max(case when is_identify = 1 then seen_at end) as last_identified_at
    from sightings
    group by user_id

),

latest_email as (

    select
        user_id,
        email,
        row_number() over (partition by user_id order by {{ ts }} desc, id desc) as recency
    from identifies
    where user_id is not null and email is not null

),

latest_name as (

    select
        user_id,
        name,
        row_number() over (partition by user_id order by {{ ts }} desc, id desc) as recency
    from identifies
    where user_id is not null and name is not null

),

signed_up as (

    select user_id, min(created_at) as created_at
    from identifies
    where user_id is not null
    group by user_id

),

final as (

    select
        cast('segment' as {{ dbt.type_string() }}) as source_system,
        cast('user' as {{ dbt.type_string() }}) as entity,
        cast(users.user_id as {{ dbt.type_string() }}) as native_id,
        cast(null as {{ dbt.type_string() }}) as native_account_id,
        cast(latest_email.email as {{ dbt.type_string() }}) as email,
        cast(users.user_id as {{ dbt.type_string() }}) as external_id,
        cast(latest_name.name as {{ dbt.type_string() }}) as display_name,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_boolean() }}) as is_account_owner,
        cast(coalesce(signed_up.created_at, users.first_seen_at) as {{ dbt.type_timestamp() }}) as created_at,
        cast(coalesce(users.last_identified_at, users.last_seen_at) as {{ dbt.type_timestamp() }}) as updated_at
    from users
    left join latest_email
        on users.user_id = latest_email.user_id
        and latest_email.recency = 1
    left join latest_name
        on users.user_id = latest_name.user_id
        and latest_name.recency = 1
    left join signed_up
        on users.user_id = signed_up.user_id

)

select * from final
