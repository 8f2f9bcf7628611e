{#- Time grains. Periods are [period_start, period_end): period_end is exclusive.
    Weeks start on Monday on every engine (ISO 8601). dbt.date_trunc('week') is
    Monday on DuckDB, PostgreSQL and Spark but Sunday on others (Snowflake by
    default, BigQuery), so the default implementation computes the Monday itself. -#}

{% macro cxux_period_start(grain, expression) -%}
    {{ return(adapter.dispatch('cxux_period_start', 'cxux')(grain, expression)) }}
{%- endmacro %}

{% macro default__cxux_period_start(grain, expression) -%}
    {%- if grain == 'day' -%}
        cast({{ expression }} as date)
    {%- elif grain == 'week' -%}
        {#- days since Monday 1900-01-01, kept non-negative for dates before it -#}
        cast({{ dbt.dateadd('day', '-1 * (((' ~ dbt.datediff("cast('1900-01-01' as date)", 'cast(' ~ expression ~ ' as date)', 'day') ~ ') % 7 + 7) % 7)', 'cast(' ~ expression ~ ' as date)') }} as date)
    {%- else -%}
        cast({{ dbt.date_trunc(grain, expression) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- DuckDB, PostgreSQL and Spark truncate weeks to Monday natively. -#}
{% macro duckdb__cxux_period_start(grain, expression) -%}
    {%- if grain == 'day' -%}
        cast({{ expression }} as date)
    {%- else -%}
        cast(date_trunc('{{ grain }}', {{ expression }}) as date)
    {%- endif -%}
{%- endmacro %}

{% macro postgres__cxux_period_start(grain, expression) -%}
    {{ return(duckdb__cxux_period_start(grain, expression)) }}
{%- endmacro %}

{% macro spark__cxux_period_start(grain, expression) -%}
    {%- if grain == 'day' -%}
        cast({{ expression }} as date)
    {%- else -%}
        cast(date_trunc('{{ grain | upper }}', {{ expression }}) as date)
    {%- endif -%}
{%- endmacro %}

{#- The start of the period `periods` grains after (negative: before) a period start. -#}
{% macro cxux_period_shift(grain, period_start, periods) -%}
    {%- if grain == 'week' -%}
        cast({{ dbt.dateadd('day', 7 * periods, period_start) }} as date)
    {%- elif grain == 'quarter' -%}
        cast({{ dbt.dateadd('month', 3 * periods, period_start) }} as date)
    {%- elif grain == 'year' -%}
        cast({{ dbt.dateadd('month', 12 * periods, period_start) }} as date)
    {%- else -%}
        cast({{ dbt.dateadd(grain, periods, period_start) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- Exclusive end of a period. -#}
{% macro cxux_period_end(grain, period_start) -%}
    {{ cxux_period_shift(grain, period_start, 1) }}
{%- endmacro %}

{#- A SQL case expression: the exclusive period end for a row whose grain is a column. -#}
{% macro cxux_period_end_by_grain(grain_column, period_start, grains) -%}
    case {{ grain_column }}
        {%- for grain in grains %}
        when '{{ grain }}' then {{ cxux_period_end(grain, period_start) }}
        {%- endfor %}
    end
{%- endmacro %}
