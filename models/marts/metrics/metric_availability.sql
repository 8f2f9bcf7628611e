{{ config(materialized='table') }}

{#- Which metrics this build can compute: one row per metric (macros/metrics/
    cxux_metric_availability.sql). A metric that is not configured has no rows in
    metric_values; the quality gate, the report and `cxux metrics show` say why instead
    of calling it missing. Grain: one row per metric; key metric_name. -#}

with

metrics as (

    {%- set rows = cxux_metric_availability() %}
    {%- if not rows %}
    select cast(null as {{ dbt.type_string() }}) as metric_name, cast(null as {{ dbt.type_string() }}) as metric_status,
        cast(null as {{ dbt.type_string() }}) as required_domains, cast(null as {{ dbt.type_boolean() }}) as is_configured,
        cast(null as {{ dbt.type_string() }}) as not_configured_reason
    where 1 = 0
    {%- endif %}
    {% for row in rows %}
    select
        cast('{{ row.definition.name }}' as {{ dbt.type_string() }}) as metric_name,
        cast('{{ row.definition.status }}' as {{ dbt.type_string() }}) as metric_status,
        cast('{{ row.required_domains | join(", ") }}' as {{ dbt.type_string() }}) as required_domains,
        cast({{ 'false' if row.reasons else 'true' }} as {{ dbt.type_boolean() }}) as is_configured,
        cast({{ "'" ~ (row.reasons | join('; ') | replace("'", "''")) ~ "'" if row.reasons else 'null' }} as {{ dbt.type_string() }}) as not_configured_reason
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

final as (

    select
        metric_name,
        metric_status,
        nullif(required_domains, '') as required_domains,
        is_configured,
        not_configured_reason
    from metrics

)

select * from final
