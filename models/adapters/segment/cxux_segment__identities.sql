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
        {{- cxux_identity_record('segment', 'user', {
            'native_id': 'users.user_id',
            'email': 'latest_email.email',
            'external_id': 'users.user_id',
            'display_name': 'latest_name.name',
            'created_at': 'coalesce(signed_up.created_at, users.first_seen_at)',
            'updated_at': 'coalesce(users.last_identified_at, users.last_seen_at)'}) }}
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
