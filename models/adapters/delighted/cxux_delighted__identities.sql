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
        cast('delighted' as {{ dbt.type_string() }}) as source_system,
        cast('user' as {{ dbt.type_string() }}) as entity,
        cast(person_ids.person_id as {{ dbt.type_string() }}) as native_id,
        cast(latest_customer.customer_id as {{ dbt.type_string() }}) as native_account_id,
        cast(people.email as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as external_id,
        cast(people.name as {{ dbt.type_string() }}) as display_name,
        cast(coalesce(people.created_at, response_span.first_response_at) as {{ dbt.type_timestamp() }}) as created_at,
        cast(coalesce(response_span.last_response_at, people.created_at) as {{ dbt.type_timestamp() }}) as updated_at
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
        cast('delighted' as {{ dbt.type_string() }}) as source_system,
        cast('account' as {{ dbt.type_string() }}) as entity,
        cast(customer_id as {{ dbt.type_string() }}) as native_id,
        cast(null as {{ dbt.type_string() }}) as native_account_id,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(customer_id as {{ dbt.type_string() }}) as external_id,
        cast(null as {{ dbt.type_string() }}) as display_name,
        cast(min(created_at) as {{ dbt.type_timestamp() }}) as created_at,
        cast(max(coalesce(updated_at, created_at)) as {{ dbt.type_timestamp() }}) as updated_at
    from responses_mapped
    where customer_id is not null
    group by customer_id

),

unioned as (

    select * from users
    union all
    select * from accounts

),

final as (

    select
        source_system,
        entity,
        native_id,
        native_account_id,
        email,
        external_id,
        display_name,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_boolean() }}) as is_account_owner,
        created_at,
        updated_at
    from unioned

)

select * from final
