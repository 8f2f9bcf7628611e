{#- One row per metric, grain, period and slice: every metric model of the
    registry (metrics/**/*.yml via `cxux metrics compile`), unioned. The columns
    are the enforced contract's (_metrics__models.yml, the one place they are
    declared), selected by name so a change in one metric model cannot shift them.
    A metric that is not configured in this build (its domain is off:
    metric_availability) is left out: its model reads empty or partial facts.
    A host project's own metrics (cxux_host_metric_names) have no model: they are
    computed here, by the same macro as every metric model. -#}
{%- set columns = model['columns'].keys() | list -%}
{%- set definitions = cxux_metric_registry_or_empty() -%}
{%- set host_metrics = cxux_host_metric_names_or_empty() -%}
{%- set configured = [] -%}
{%- for row in cxux_metric_availability() if not row.reasons -%}
    {%- do configured.append(row.definition) -%}
{%- endfor -%}

with
{%- for definition in definitions %}
metric__{{ definition['name'] }} as (

    select {{ columns | join(', ') }}
    {%- if definition['name'] in host_metrics %}
    from (
        {{ cxux_metric_sql(definition) }}
    ) as computed
    {%- else %}
    from {{ ref('metric__' ~ definition['name']) }}
    {%- endif %}

),
{% endfor %}
unioned as (
    {%- for definition in configured %}

    select * from metric__{{ definition['name'] }}
    {{- '\n\n    union all' if not loop.last }}
    {%- endfor %}
    {%- if configured | length == 0 %}

    {{ cxux_metric_values_empty() }}
    {%- endif %}

),

final as (

    select * from unioned

)

select * from final
