{#- Stripe's customers as identity records (entity 'account'; Stripe bills customers and
    knows no product users), read by the identity crosswalk (models/adapters/identity/).
    external_id: the value of the metadata key named by var cxux_stripe_external_id_key
    (default null: none), the host's own customer id when the host stores it there. Deleted
    customers are kept: their subscriptions still happened. -#}
{%- set external_id_key = var('cxux_stripe_external_id_key', none) -%}

with customer as (

    select * from {{ source('cxux_stripe', 'customer') }}

),

final as (

    select
        cast('stripe' as {{ dbt.type_string() }}) as source_system,
        cast('account' as {{ dbt.type_string() }}) as entity,
        cast(id as {{ dbt.type_string() }}) as native_id,
        cast(null as {{ dbt.type_string() }}) as native_account_id,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(
            {% if external_id_key %}{{ cxux_json_text('metadata', external_id_key) }}{% else %}null{% endif %}
            as {{ dbt.type_string() }}) as external_id,
        cast(name as {{ dbt.type_string() }}) as display_name,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(upper(address_country) as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        cast(null as {{ dbt.type_string() }}) as role,
        cast(null as {{ dbt.type_boolean() }}) as is_account_owner,
        cast(created as {{ dbt.type_timestamp() }}) as created_at,
        cast(created as {{ dbt.type_timestamp() }}) as updated_at
    from customer

)

select * from final
