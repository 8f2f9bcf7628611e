{#- The NULL slice's name (cxux_metric_null_value(): '(not set)', spec.NULL_DIMENSION_VALUE)
    must be a name no real dimension value takes, or a NULL and a real value would share a
    slice (issue 17). The coded dimensions are closed vocabularies of lowercase codes
    (RAW_CONTRACT.md) and cannot; free-text ones (product category, feature, task_name)
    could, so this test reads every (fact, dimension) a metric slices by and fails on any
    row whose value is the NULL slice's name. Returns the offending fact, dimension and
    row count. -#}
{{ config(tags=['cxux_metric']) }}
{%- set pairs = [] -%}
{%- for definition in cxux_metric_registry_or_empty() -%}
    {%- for dimension in definition['dimensions'] if definition['model'] -%}
        {%- if (definition['model'], dimension) not in pairs -%}
            {%- do pairs.append((definition['model'], dimension)) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endfor %}
{%- if pairs %}
{%- for model, dimension in pairs | sort %}
{{ 'union all' if not loop.first }}
select
    '{{ model }}' as fact,
    '{{ dimension }}' as dimension,
    count(*) as row_count
from {{ ref(model) }}
where cast({{ dimension }} as {{ dbt.type_string() }}) = '{{ cxux_metric_null_value() }}'
having count(*) > 0
{%- endfor %}
{%- else %}
select 1 as row_count where 1 = 0
{%- endif %}
