{#- The people Snowplow knows, for the identity crosswalk (models/adapters/identity/): one row
    per user_id seen on an event (after deduplication). Snowplow's atomic events carry the id
    the tracker's setUserId gave, the product's own user id, and no traits: no email, name or
    account. external_id: the user_id itself, the key other systems (e.g. a help desk's
    external_id) hold. created_at / updated_at: the first and latest event seen. Cookies
    (domain_userid) are not people here: cxux's identity stitching links them to users from
    page_views and events. geo_country is where the IP was, not the person's country: not
    read. -#}
with events_deduped as (

    select * from {{ ref('cxux_snowplow__events_deduped') }}

),

users as (

    select
        user_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events_deduped
    where user_id is not null
    group by user_id

),

final as (

    select
        {{- cxux_identity_record('snowplow', 'user', {
            'native_id': 'user_id',
            'external_id': 'user_id',
            'created_at': 'first_seen_at',
            'updated_at': 'last_seen_at'}) }}
    from users

)

select * from final
