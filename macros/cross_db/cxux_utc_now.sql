{#- The current time as a UTC timestamp without time zone (raw timestamps are naive UTC). -#}
{% macro cxux_utc_now() -%}
    {{ return(adapter.dispatch('cxux_utc_now', 'cxux')()) }}
{%- endmacro %}

{% macro default__cxux_utc_now() -%}
    cast(current_timestamp at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro spark__cxux_utc_now() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}
