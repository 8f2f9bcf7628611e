{#- The raw contract's `accounts`, one row per account group of the identity crosswalk: what
    staging reads for accounts while any source adapter is on. Each attribute comes from the
    group's first record (by cxux_identity_system_priority) that has it; account_type and
    segment, which the contract requires and systems rarely hold, default to
    var cxux_identity_defaults. -#}
{{ config(enabled=cxux_enabled_adapters() | length > 0) }}

{%- set defaults = var('cxux_identity_defaults') -%}

with records as (

    {{ cxux_identity_group_records('account', ['account_id']) }}

)

select
    cast(account_id as {{ dbt.type_string() }}) as account_id,
    cast(coalesce({{ cxux_first_value_by('account_type', ['record_rank_key']) }},
                  '{{ defaults.account_type }}') as {{ dbt.type_string() }}) as account_type,
    cast({{ cxux_first_value_by('display_name', ['record_rank_key']) }} as {{ dbt.type_string() }}) as account_name,
    cast({{ cxux_first_value_by('email', ['record_rank_key', 'newest_first']) }} as {{ dbt.type_string() }}) as email,
    cast(coalesce({{ cxux_first_value_by('segment', ['record_rank_key']) }},
                  '{{ defaults.segment }}') as {{ dbt.type_string() }}) as segment,
    cast({{ cxux_first_value_by('country_code', ['record_rank_key']) }} as {{ dbt.type_string() }}) as country_code,
    cast({{ cxux_first_value_by('acquisition_channel', ['record_rank_key']) }} as {{ dbt.type_string() }}) as acquisition_channel,
    min(created_at) as created_at,
    max(coalesce(updated_at, created_at)) as updated_at
from records
group by account_id
