{#- One row per metric, grain, period and slice: every metric model of the
    registry (metrics/**/*.yml via `cxux metrics compile`), unioned. The column
    list is spelled out so a change in one metric model cannot shift columns.
    A metric that is not configured in this build (its domain is off:
    metric_availability) is left out: its model reads empty or partial facts. -#}
{%- set columns = ['metric_name', 'grain', 'period_start', 'period_end', 'dimension_name',
                   'dimension_value', 'value', 'numerator', 'denominator', 'sample_size',
                   'ci_lower', 'ci_upper', 'ci_method', 'confidence', 'min_sample',
                   'is_sample_sufficient', 'target', 'status', 'direction', 'unit'] -%}
{%- set definitions = cxux_metric_registry_or_empty() -%}
{%- set configured = [] -%}
{%- for row in cxux_metric_availability() if not row.reasons -%}
    {%- do configured.append(row.definition) -%}
{%- endfor -%}

with
{%- for definition in definitions %}
metric__{{ definition['name'] }} as (

    select {{ columns | join(', ') }}
    from {{ ref('metric__' ~ definition['name']) }}

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
