{#- A row rendered as a JSON object text, from a list of (key, expression) pairs.
    Keys are column names (plain identifiers), so they need no escaping. -#}
{% macro cxux_row_to_json(pairs) -%}
    {{ return(adapter.dispatch('cxux_row_to_json', 'cxux')(pairs)) }}
{%- endmacro %}

{% macro default__cxux_row_to_json(pairs) -%}
    cast(json_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__cxux_row_to_json(pairs) -%}
    cast(json_build_object(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as text)
{%- endmacro %}

{% macro spark__cxux_row_to_json(pairs) -%}
    to_json(named_struct(
        {%- for key, expression in pairs %}
        '{{ key }}', {{ expression }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}
