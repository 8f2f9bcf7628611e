{{ config(materialized='table', schema='quarantine') }}

{#- Which domains this build has: one row per domain (macros/staging/cxux_domains.sql).
    A domain is off when its var cxux_using_<domain> is false or when its raw tables do
    not exist; its models then hold no rows and its metrics are not configured. The CLI's
    quality gate, report and metric catalog read this table. -#}

{%- set specs = cxux_domain_specs() %}

with

domains as (

    {% for domain, spec in specs.items() %}
    {%- set state = cxux_domain_state(domain) %}
    select
        cast('{{ domain }}' as {{ dbt.type_string() }}) as domain,
        cast('cxux_using_{{ domain }}' as {{ dbt.type_string() }}) as var_name,
        cast('{{ spec.tables | join(", ") }}' as {{ dbt.type_string() }}) as raw_tables,
        cast('{{ spec.get("within") or "" }}' as {{ dbt.type_string() }}) as within_domain,
        cast({{ 'true' if state.enabled else 'false' }} as {{ dbt.type_boolean() }}) as is_enabled,
        cast('{{ state.reason | replace("'", "''") }}' as {{ dbt.type_string() }}) as reason
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select
        domain,
        var_name,
        raw_tables,
        nullif(within_domain, '') as within_domain,
        is_enabled,
        reason
    from domains

)

select * from final
