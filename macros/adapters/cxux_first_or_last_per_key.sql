{#- SQL (a select, for a CTE): for each `key` of `relation`, its row(s) at the earliest
    (which='first') or latest (which='last') `at_column`, one row per key. `columns` maps
    each output column to an expression over `relation`; rows tied at that instant are
    settled by taking the expression's min (first) or max (last). The key comes out as
    text, named as in `relation`. Zendesk's first schedule of a ticket and last SLA policy
    applied to it (cxux_zendesk__ticket_business_times). -#}
{% macro cxux_first_or_last_per_key(relation, key, at_column, which, columns) -%}
    {%- if which not in ('first', 'last') -%}
        {{ exceptions.raise_compiler_error("cxux_first_or_last_per_key(" ~ relation ~ "): which must be 'first' or 'last', got '" ~ which ~ "'") }}
    {%- endif -%}
    {%- set pick = 'min' if which == 'first' else 'max' -%}
    select
        cast({{ relation }}.{{ key }} as {{ dbt.type_string() }}) as {{ key }},
        {%- for output, expression in columns.items() %}
        {{ pick }}({{ expression }}) as {{ output }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    inner join (
        select {{ key }}, {{ pick }}({{ at_column }}) as picked_at
        from {{ relation }}
        group by {{ key }}
    ) as picked
        on {{ relation }}.{{ key }} = picked.{{ key }}
        and {{ relation }}.{{ at_column }} = picked.picked_at
    group by {{ relation }}.{{ key }}
{%- endmacro %}
