{#- The people and customers Delighted knows, for the identity crosswalk
    (models/adapters/identity/). Users: one row per person in the person table or answering
    a response (a person deleted from Delighted keeps the id its responses hold), with email
    and name; native_account_id: the customer_id property (var
    cxux_delighted_account_property) of the person's latest response that has one.
    Accounts: one row per customer_id value, with that value as external_id (the host's own
    customer key, which billing or shop adapters can share); Delighted knows no other
    attribute of them. -#}
with people as (

    select * from {{ source('cxux_delighted', 'person') }}

),

responses_mapped as (

    select * from {{ ref('cxux_delighted__responses_mapped') }}

),

person_ids as (

    select id as person_id from people
    union
    select person_id from responses_mapped where person_id is not null

),

latest_customer as (

    select
        person_id,
        customer_id,
        row_number() over (partition by person_id order by created_at desc, response_id desc) as recency
    from responses_mapped
    where customer_id is not null

),

response_span as (

    select
        person_id,
        min(created_at) as first_response_at,
        max(coalesce(updated_at, created_at)) as last_response_at
    from responses_mapped
    group by person_id

),

users as (

    select
        {{- cxux_identity_record('delighted', 'user', {
            'native_id': 'person_ids.person_id',
            'native_account_id': 'latest_customer.customer_id',
            'email': 'people.email',
            'display_name': 'people.name',
            'created_at': 'coalesce(people.created_at, response_span.first_response_at)',
            'updated_at': 'coalesce(response_span.last_response_at, people.created_at)'}) }}
    from person_ids
    left join people
        on person_ids.person_id = people.id
    left join latest_customer
        on person_ids.person_id = latest_customer.person_id
        and latest_customer.recency = 1
    left join response_span
        on person_ids.person_id = response_span.person_id

),

accounts as (

    select
        {{- cxux_identity_record('delighted', 'account', {
            'native_id': 'customer_id',
            'external_id': 'customer_id',
            'created_at': 'min(created_at)',
            'updated_at': 'max(coalesce(updated_at, created_at))'}) }}
    from responses_mapped
    where customer_id is not null
    group by customer_id

),

final as (

    select * from users
    union all
    select * from accounts

)

select * from final
