{#- Every identity record of the source adapters that are on (their cxux_<system>__identities
    models), one row per record and email: a system may give a record once per email it held,
    so a person who changed email still links through the old one. Emails are trimmed and
    lowercased here, before staging hashes them; nothing downstream of the crosswalk sees
    them except the contract's PII columns. -#}
{{ config(enabled=cxux_enabled_adapters() | length > 0) }}

{%- set systems = [] -%}
{%- for system in cxux_enabled_adapters() if cxux_adapter_specs()[system].identities -%}
    {%- do systems.append(system) -%}
{%- endfor -%}

with unioned as (
    {%- for system in systems %}
    select {{ cxux_identity_record_columns() | map(attribute=0) | join(', ') }}
    from {{ ref('cxux_' ~ system ~ '__identities') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not systems %}
    select
        {%- for name, type in cxux_identity_record_columns() %}
        cast(null as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- endif %}
)

select
    cast(source_system as {{ dbt.type_string() }}) as source_system,
    cast(entity as {{ dbt.type_string() }}) as entity,
    cast(native_id as {{ dbt.type_string() }}) as native_id,
    cast(native_account_id as {{ dbt.type_string() }}) as native_account_id,
    {{ dbt.concat(['source_system', "':'", 'native_id']) }} as record_id,
    {#- sorts by the system's rank in cxux_identity_system_priority, then by id: the first
        record of a group names it -#}
    {{ dbt.concat([cxux_identity_rank_sql('source_system'), "'|'", 'source_system', "':'", 'native_id']) }}
        as record_rank_key,
    nullif(lower(trim(email)), '') as email_key,
    nullif(trim(cast(external_id as {{ dbt.type_string() }})), '') as external_key,
    email,
    display_name,
    account_type,
    segment,
    country_code,
    acquisition_channel,
    role,
    is_account_owner,
    cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
    cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at
from unioned
where native_id is not null
