{#- dbt unit tests on PostgreSQL compare actual and expected rows as text. A numeric
    without a declared scale keeps the scale of its computation (avg(4, 4) is
    4.0000000000000000, sum(100.00, 0) is 100.00, a literal 0 is 0), while the expected
    fixture value is cast to plain numeric (100, 4.0). The numbers are equal; only their
    text differs. So on PostgreSQL both sides of every numeric column go through
    trim_scale() (PostgreSQL 13+) before dbt compares them. The values themselves are
    untouched: this changes what the unit test compares, not what models produce.
    Overrides dbt's dispatched get_unit_test_sql (root-project macros win). -#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
{%- set numeric_columns = [] -%}
{%- if execute -%}
    {%- set probe = 'select * from (' ~ main_sql ~ ') as cxux_unit_test_probe' -%}
    {%- for column in get_column_schema_from_query(probe) -%}
        {%- if column.dtype | lower in ['numeric', 'decimal'] -%}
            {%- do numeric_columns.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set selected = [] -%}
{%- for name in expected_column_names -%}
    {%- if name | replace('"', '') | lower in numeric_columns -%}
        {%- do selected.append('trim_scale(' ~ name ~ ') as ' ~ name) -%}
    {%- else -%}
        {%- do selected.append(name) -%}
    {%- endif -%}
{%- endfor -%}
-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    {{ selected | join(', ') }}, {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
  from (
    {{ main_sql }}
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    {{ selected | join(', ') }}, {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
  from (
    {{ expected_fixture_sql }}
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}
