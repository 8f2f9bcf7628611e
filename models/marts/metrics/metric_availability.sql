{{ config(materialized='table') }}

{#- Which metrics this build can compute (issue 16, "domains that can be off").
    A metric needs the domain of its fact (config.meta.cxux_domain in the fact's YAML) and
    the domains of the columns it reads other than its dimensions
    (config.meta.cxux_column_domains); a derived metric needs the metrics it is built from.
    When one of them is off (quarantine.raw_domains), the metric is not configured: it has
    no rows in metric_values, and the quality gate, the report and the catalog say why
    instead of calling it missing. Grain: one row per metric; key metric_name. -#}

{%- set domains = {} %}
{%- for domain in cxux_domain_specs() %}
    {%- do domains.update({domain: cxux_domain_state(domain)}) %}
{%- endfor %}

{%- set facts = {} %}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'cxux' %}
    {%- do facts.update({node.name: (node.config.meta or {})}) %}
{%- endfor %}

{%- set rows = [] %}
{%- set verdicts = {} %}
{%- for metric in cxux_metric_registry() %}
    {%- set needed = [] %}
    {%- if metric.model %}
        {%- set meta = facts.get(metric.model, {}) %}
        {%- if meta.get('cxux_domain') %}{%- do needed.append(meta.cxux_domain) %}{%- endif %}
        {%- for domain, columns in (meta.get('cxux_column_domains') or {}).items() %}
            {%- for column in metric.columns if column in columns and column not in metric.dimensions and domain not in needed %}
                {%- do needed.append(domain) %}
            {%- endfor %}
        {%- endfor %}
    {%- endif %}
    {%- set off = [] %}
    {%- for domain in needed if not domains[domain].enabled %}
        {%- do off.append(domain ~ ' is off (' ~ domains[domain].reason ~ ')') %}
    {%- endfor %}
    {%- do verdicts.update({metric.name: off}) %}
    {%- do rows.append((metric, needed, off)) %}
{%- endfor %}

with

metrics as (

    {% for metric, needed, off in rows %}
    {#- a derived metric is configured when the metrics it is built from are -#}
    {%- set reasons = off[:] %}
    {%- for base in metric.depends_on if verdicts.get(base) %}
        {%- do reasons.append('needs ' ~ base ~ ', which is not configured') %}
    {%- endfor %}
    select
        cast('{{ metric.name }}' as {{ dbt.type_string() }}) as metric_name,
        cast('{{ metric.status }}' as {{ dbt.type_string() }}) as metric_status,
        cast('{{ needed | join(", ") }}' as {{ dbt.type_string() }}) as required_domains,
        cast({{ 'false' if reasons else 'true' }} as {{ dbt.type_boolean() }}) as is_configured,
        cast({{ "'" ~ (reasons | join('; ') | replace("'", "''")) ~ "'" if reasons else 'null' }} as {{ dbt.type_string() }}) as not_configured_reason
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
