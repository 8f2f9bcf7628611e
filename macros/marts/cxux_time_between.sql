{#- Elapsed calendar time between two timestamps, as a double.
    dbt.datediff counts unit boundaries crossed, so minutes are derived from
    seconds (10:00:59 -> 10:01:00 is 1 second, not 1 minute). Null if either is null. -#}
{% macro cxux_seconds_between(start_at, end_at) -%}
    cast({{ dbt.datediff(start_at, end_at, 'second') }} as {{ cxux_type_double() }})
{%- endmacro %}

{% macro cxux_minutes_between(start_at, end_at) -%}
    ({{ cxux_seconds_between(start_at, end_at) }} / 60)
{%- endmacro %}

{#- Calendar date and first day of month of a timestamp, as dates. -#}
{% macro cxux_to_date(expression) -%}
    cast({{ expression }} as date)
{%- endmacro %}

{% macro cxux_month_start(expression) -%}
    cast({{ dbt.date_trunc('month', expression) }} as date)
{%- endmacro %}

{#- A share as a double (avoids integer division and engine-specific numeric scale). -#}
{% macro cxux_safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ cxux_type_double() }}) / nullif(cast({{ denominator }} as {{ cxux_type_double() }}), 0))
{%- endmacro %}
