{#- Zendesk's customers and people for the identity crosswalk (models/adapters/identity/).
    Grain: one row per (entity, native_id).
      account 'organization'  each organization: a business account, native id = its id
      account 'individual'    each end user without an organization: an individual account
                              of their own, native id 'user:<user id>', with the user's email
                              and external id (so it can meet the same customer in a shop)
      user                    each end user; native_account_id = their organization, else
                              their individual account; role owner (and is_account_owner)
                              for an individual account, member in an organization
    Agents and admins are staff, not customers: they are not identities, and tickets or
    ratings never point at them (cxux_zendesk__tickets_mapped). -#}
with zendesk_user as (

    select * from {{ source('cxux_zendesk', 'user') }}

),

organization as (

    select * from {{ source('cxux_zendesk', 'organization') }}

),

end_users as (

    select *
    from zendesk_user
    where lower(role) = 'end-user'

),

organizations as (

    select
        'account' as entity,
        cast(id as {{ dbt.type_string() }}) as native_id,
        cast(null as {{ dbt.type_string() }}) as native_account_id,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(external_id as {{ dbt.type_string() }}) as external_id,
        name as display_name,
        'business' as account_type,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_boolean() }}) as is_account_owner,
        created_at,
        updated_at
    from organization

),

individual_accounts as (

    select
        'account' as entity,
        {{ dbt.concat(["'user:'", 'cast(id as ' ~ dbt.type_string() ~ ')']) }} as native_id,
        cast(null as {{ dbt.type_string() }}) as native_account_id,
        email,
        cast(external_id as {{ dbt.type_string() }}) as external_id,
        name as display_name,
        'individual' as account_type,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_boolean() }}) as is_account_owner,
        created_at,
        updated_at
    from end_users
    where organization_id is null

),

users as (

    select
        'user' as entity,
        cast(id as {{ dbt.type_string() }}) as native_id,
        case
            when organization_id is not null then cast(organization_id as {{ dbt.type_string() }})
            else {{ dbt.concat(["'user:'", 'cast(id as ' ~ dbt.type_string() ~ ')']) }}
        end as native_account_id,
        email,
        cast(external_id as {{ dbt.type_string() }}) as external_id,
        name as display_name,
        cast(null as {{ dbt.type_string() }}) as account_type,
        case when organization_id is null then 'owner' else 'member' end as role,
        organization_id is null as is_account_owner,
        created_at,
        updated_at
    from end_users

),

unioned as (

    select * from organizations
    union all
    select * from individual_accounts
    union all
    select * from users

),

final as (

    select
        cast('zendesk' as {{ dbt.type_string() }}) as source_system,
        cast(entity as {{ dbt.type_string() }}) as entity,
        cast(native_id as {{ dbt.type_string() }}) as native_id,
        cast(native_account_id as {{ dbt.type_string() }}) as native_account_id,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(external_id as {{ dbt.type_string() }}) as external_id,
        cast(display_name as {{ dbt.type_string() }}) as display_name,
        cast(account_type as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        cast(role as {{ dbt.type_string() }}) as role,
        cast(is_account_owner as {{ dbt.type_boolean() }}) as is_account_owner,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at
    from unioned

)

select * from final
