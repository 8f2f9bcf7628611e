{#- Who may read what (DESIGN.md "Where it runs"). BI roles read the marts and nothing
    else. Only PostgreSQL has roles here: on DuckDB the published file is the boundary
    (docs/bi_access.md), on Spark access is the metastore's or Databricks' business.

    The roles come from var `cxux_bi_roles` (default ['cxux_bi_reader']).
    - dbt builds the marts into `marts_build` (macros/generate_schema_name.sql), which
      BI roles may not read; `cxux build` publishes it to `marts` after every check
      passed and grants usage and select there in the same transaction
      (cxux_cli/engines/publish_postgres.py).
    - Schema usage: granted here on `marts` (when it exists), and revoked on every other
      cxux schema, marts_build included. -#}

{% macro cxux_bi_roles() -%}
    {{ return(var('cxux_bi_roles', ['cxux_bi_reader'])) }}
{%- endmacro %}

{#- on-run-end hook (dbt_project.yml). -#}
{% macro cxux_apply_schema_grants() -%}
    {{ return(adapter.dispatch('cxux_apply_schema_grants', 'cxux')()) }}
{%- endmacro %}

{% macro default__cxux_apply_schema_grants() -%}
    select 1 as nothing_to_grant
{%- endmacro %}

{% macro postgres__cxux_apply_schema_grants() -%}
    {%- set private_schemas = [
        'raw', var('cxux_raw_schema', env_var('CXUX_RAW_SCHEMA', 'raw')), 'cxux_meta',
        'seeds', 'staging', 'intermediate', 'quarantine', 'metric_fixtures',
        cxux_marts_build_schema(), target.schema
    ] | unique | list -%}
    do $cxux_grants$
    begin
    {%- for role in cxux_bi_roles() %}
        if exists (select 1 from pg_roles where rolname = '{{ role }}') then
            if exists (select 1 from pg_namespace where nspname = 'marts') then
                execute 'grant usage on schema marts to {{ adapter.quote(role) }}';
            end if;
            {%- for schema in private_schemas %}
            if exists (select 1 from pg_namespace where nspname = '{{ schema }}') then
                execute 'revoke all on schema {{ adapter.quote(schema) }} from {{ adapter.quote(role) }}';
                execute 'revoke all on all tables in schema {{ adapter.quote(schema) }} from {{ adapter.quote(role) }}';
            end if;
            {%- endfor %}
        end if;
    {%- endfor %}
    end
    $cxux_grants$
{%- endmacro %}
