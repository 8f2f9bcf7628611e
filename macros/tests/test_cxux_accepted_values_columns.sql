{#- Generic test: every column in `columns` ({column: [accepted values]}) holds only its
    accepted values (or {column: "contract: <raw table>.<column>"}: the raw contract's,
    as extended by var cxux_extra_accepted_values; macros/staging/cxux_accepted_values.sql) (nulls pass, as in dbt's accepted_values). One dbt node and one scan
    of the model instead of one accepted_values test per column (every test node costs
    a fixed ~0.1 s; issue 6). Values are compared as quoted literals, like dbt's
    accepted_values with its default quote: true.
    A failure returns one row per column and rejected value: column_name,
    rejected_value (as text) and rejected_rows, so the message still names the column
    (`dbt test --store-failures` keeps the rows). The rejected rows are spread over the
    columns with cxux_test_columns_unpivoted.
    `model` is already filtered by the test window of incremental models
    (macros/incremental/cxux_test_window.sql). -#}
{% test cxux_accepted_values_columns(model, columns) %}

{%- set tested = [] -%}
{%- for column, values in columns.items() -%}
    {%- if values is string and values.startswith('contract:') -%}
        {%- set table_name, column_name = values.split(':', 1)[1].strip().split('.') -%}
        {#- the contract is read from the graph, which is empty while dbt parses -#}
        {%- do tested.append((column, cxux_accepted_values(table_name, column_name) if execute else ['-'])) -%}
    {%- else -%}
        {%- do tested.append((column, values)) -%}
    {%- endif -%}
{%- endfor -%}

with rejected as (

    select
        {%- for column, values in tested %}
        case
            when {{ column }} not in ({{ cxux_quoted_values(values) }})
                then cast({{ column }} as {{ dbt.type_string() }})
        end as rejected_value_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where
        {%- for column, values in tested %}
        {{ 'or ' if not loop.first }}{{ column }} not in ({{ cxux_quoted_values(values) }})
        {%- endfor %}

),

{{ cxux_test_columns_unpivoted('rejected', tested | map('first') | list, 'rejected_value_', 'rejected_value') }}

final as (

    select
        column_name,
        rejected_value,
        count(*) as rejected_rows
    from per_column
    where rejected_value is not null
    group by column_name, rejected_value

)

select * from final

{% endtest %}

{#- 'a', 'b', 'c': the accepted values as quoted literals (dbt's accepted_values, quote: true). -#}
{% macro cxux_quoted_values(values) -%}
    {%- for value in values -%}
        '{{ value }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
