{#- Caps DuckDB's spill files at env CXUX_DUCKDB_MAX_TEMP_SIZE (e.g. 40GB), so a
    query that outgrows memory_limit fails with DuckDB's out-of-memory error naming
    max_temp_directory_size instead of filling the disk (DuckDB's own default is 90%
    of the free space, which at 100M events was most of a shared disk; issue 6).
    Unset: DuckDB's default. Runs on-run-start: the setting is global to the
    database dbt-duckdb opens, so every model of the run sees it. -#}
{% macro cxux_duckdb_spill_cap() -%}
    {%- set cap = env_var('CXUX_DUCKDB_MAX_TEMP_SIZE', '') -%}
    {%- if target.type == 'duckdb' and cap -%}
        set global max_temp_directory_size = '{{ cap }}'
    {%- endif -%}
{%- endmacro %}
