{#- Which layout the Snowplow adapter reads (var cxux_snowplow_layout, docs/adapters/snowplow.md):
    `shredded`, one table per entity as the PostgreSQL and Redshift loaders land them (the
    default), or `wide`, JSON columns of one events table (Snowflake, BigQuery, Databricks). -#}
{% macro cxux_snowplow_layout() -%}
    {%- set layout = var('cxux_snowplow_layout', 'shredded') -%}
    {%- if layout not in ['shredded', 'wide'] -%}
        {{ exceptions.raise_compiler_error("var cxux_snowplow_layout: '" ~ layout
            ~ "' is not shredded (PostgreSQL and Redshift loaders) or wide (Snowflake, BigQuery, Databricks)") }}
    {%- endif -%}
    {{ return(layout) }}
{%- endmacro %}
