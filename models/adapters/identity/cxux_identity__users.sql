{#- The raw contract's `users`, one row per user group of the identity crosswalk: what
    staging reads for users while a source adapter that knows users (Zendesk, Segment,
    Snowplow, Delighted) is on. Attributes come from the group's first record (by
    cxux_identity_system_priority) that has them; role defaults to var cxux_identity_defaults. -#}
{{ config(enabled=cxux_enabled_adapters() | length > 0) }}

{%- set defaults = var('cxux_identity_defaults') -%}

with records as (

    {{ cxux_identity_group_records('user', ['user_id', 'account_id']) }}

)

select
    cast(user_id as {{ dbt.type_string() }}) as user_id,
    cast(min(account_id) as {{ dbt.type_string() }}) as account_id,
    cast({{ cxux_first_value_by('email', ['record_rank_key', 'newest_first']) }} as {{ dbt.type_string() }}) as email,
    cast(coalesce({{ cxux_first_value_by('role', ['record_rank_key']) }},
                  '{{ defaults.role }}') as {{ dbt.type_string() }}) as role,
    coalesce({{ cxux_first_value_by('is_account_owner', ['record_rank_key']) }}, false) as is_account_owner,
    min(created_at) as signup_at,
    cast({{ cxux_first_value_by('country_code', ['record_rank_key']) }} as {{ dbt.type_string() }}) as country_code,
    max(coalesce(updated_at, created_at)) as updated_at
from records
group by user_id
