{#- Which metrics this build can compute (issue 16, "domains that can be off").

    A metric needs the domain of its fact (config.meta.cxux_domain on the fact in
    models/marts/core/_core__models.yml), at least one of its fact's cxux_domain_any, and the domains of the columns it reads other than
    its dimensions (config.meta.cxux_column_domains); a derived metric needs the metrics it
    is built from. When one of them is off (macros/staging/cxux_domains.sql) the metric is
    not configured. Returns one dict per registry metric, in registry order:
    {definition, required_domains: [..], reasons: [..] (empty = configured)}.
    At parse time every domain is on, so every metric is configured. -#}
{% macro cxux_metric_availability() -%}
    {%- set domains = {} -%}
    {%- for domain in cxux_domain_specs() -%}
        {%- do domains.update({domain: cxux_domain_state(domain)}) -%}
    {%- endfor -%}
    {%- set facts = {} -%}
    {%- set nodes = graph.nodes.values() if execute else [] -%}
    {%- for node in nodes if node.resource_type == 'model' and node.package_name == 'cxux' -%}
        {%- do facts.update({node.name: (node.config.meta or {})}) -%}
    {%- endfor -%}

    {%- set rows = [] -%}
    {%- set off_by_name = {} -%}
    {%- for metric in cxux_metric_registry_or_empty() -%}
        {%- set needed = [] -%}
        {%- if metric.model -%}
            {%- set meta = facts.get(metric.model, {}) -%}
            {%- if meta.get('cxux_domain') -%}{%- do needed.append(meta.cxux_domain) -%}{%- endif -%}
            {%- for domain, columns in (meta.get('cxux_column_domains') or {}).items() -%}
                {%- for column in metric.columns
                        if column in columns and column not in (metric.dimensions or []) and domain not in needed -%}
                    {%- do needed.append(domain) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endif -%}
        {%- set reasons = [] -%}
        {%- for domain in needed if not domains[domain].enabled -%}
            {%- do reasons.append(domain ~ ' is off (' ~ domains[domain].reason ~ ')') -%}
        {%- endfor -%}
        {%- set any_of = (facts.get(metric.model, {}).get('cxux_domain_any') or []) if metric.model else [] -%}
        {%- if any_of -%}
            {%- set on = [] -%}
            {%- for domain in any_of if domains[domain].enabled -%}{%- do on.append(domain) -%}{%- endfor -%}
            {%- if not on -%}
                {%- do reasons.append('needs one of ' ~ any_of | join(', ') ~ ', all off') -%}
            {%- endif -%}
            {%- do needed.append(any_of | join('|')) -%}
        {%- endif -%}
        {%- do off_by_name.update({metric.name: reasons}) -%}
        {%- do rows.append({'definition': metric, 'required_domains': needed, 'reasons': reasons}) -%}
    {%- endfor -%}
    {#- derived metrics: configured when what they are built from is (registry order is not
        a dependency order, so settle it in passes) -#}
    {%- for _ in rows -%}
        {%- for row in rows -%}
            {%- for base in row.definition.depends_on or []
                    if off_by_name.get(base) and ('needs ' ~ base ~ ', which is not configured') not in row.reasons -%}
                {%- do row.reasons.append('needs ' ~ base ~ ', which is not configured') -%}
                {%- do off_by_name.update({row.definition.name: row.reasons}) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro %}
