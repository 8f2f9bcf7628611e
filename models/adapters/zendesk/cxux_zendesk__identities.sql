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
        {{- cxux_identity_record('zendesk', 'account', {
            'native_id': 'id',
            'external_id': 'external_id',
            'display_name': 'name',
            'account_type': "'business'",
            'created_at': 'created_at',
            'updated_at': 'updated_at'}) }}
    from organization

),

individual_accounts as (

    select
        {{- cxux_identity_record('zendesk', 'account', {
            'native_id': dbt.concat(["'user:'", 'cast(id as ' ~ dbt.type_string() ~ ')']),
            'email': 'email',
            'external_id': 'external_id',
            'display_name': 'name',
            'account_type': "'individual'",
            'created_at': 'created_at',
            'updated_at': 'updated_at'}) }}
    from end_users
    where organization_id is null

),

users as (

    select
        {{- cxux_identity_record('zendesk', 'user', {
            'native_id': 'id',
            'native_account_id': 'case when organization_id is not null then cast(organization_id as '
                ~ dbt.type_string() ~ ') else '
                ~ dbt.concat(["'user:'", 'cast(id as ' ~ dbt.type_string() ~ ')']) ~ ' end',
            'email': 'email',
            'external_id': 'external_id',
            'display_name': 'name',
            'role': "case when organization_id is null then 'owner' else 'member' end",
            'is_account_owner': 'organization_id is null',
            'created_at': 'created_at',
            'updated_at': 'updated_at'}) }}
    from end_users

),

final as (

    select * from organizations
    union all
    select * from individual_accounts
    union all
    select * from users

)

select * from final
