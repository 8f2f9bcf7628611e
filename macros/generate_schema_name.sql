{#- Standalone (cxux is the root project): the folder's schema name as is (staging,
    marts ...), not <target_schema>_<name>, so BI tools find the marts at a stable place on
    every engine.

    Installed as a package: the host's naming. dbt calls a package's own
    generate_schema_name for the package's nodes even when the host has one, so this macro
    hands over: to the host's generate_schema_name if it defines one, else to dbt's default
    (<target_schema>_<custom>). Each target and each developer of the host is then isolated
    as the host's own models are (issue 16).

    On PostgreSQL and Spark the mart models build into `marts_build` (cxux_marts_build_schema),
    which BI roles cannot read; `cxux build` publishes it to `marts` only after dbt tests
    and the quality checks passed (cxux_cli/engines/publish_postgres.py, publish_spark.py;
    docs/engines.md "Publishing"). The build schema is stable, so incremental models keep
    their state between runs. In a host both names go through the host's naming (e.g.
    analytics_marts_build is published to analytics_marts); the analysis
    cxux_published_marts carries the published name into the manifest. On DuckDB BI tools
    read a published copy of the file instead. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is not none and custom_schema_name | trim == 'marts'
          and target.type in ('postgres', 'spark') and node.resource_type == 'model' -%}
        {#- the mart models; the analysis cxux_published_marts keeps `marts`: it names the
            published schema (cxux_cli/relations.py) -#}
        {%- set custom_schema_name = cxux_marts_build_schema() -%}
    {%- endif -%}
    {%- if project_name != 'cxux' -%}
        {%- set host_macros = context.get(project_name) or {} -%}
        {%- if 'generate_schema_name' in host_macros -%}
            {{ host_macros['generate_schema_name'](custom_schema_name, node) }}
        {%- else -%}
            {{ default__generate_schema_name(custom_schema_name, node) }}
        {%- endif -%}
    {%- elif custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#- Where dbt builds the marts on engines that publish by schema swap or view switch.
    Keep in step with MARTS_BUILD in cxux_cli/relations.py (the publish step reads it there). -#}
{% macro cxux_marts_build_schema() -%}
    {{ return('marts_build') }}
{%- endmacro %}
