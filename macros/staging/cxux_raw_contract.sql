{#- The raw contract as dbt knows it: the `cxux_raw` source tables (cxux's own, whatever sources a host declares) of _raw__sources.yml.
    Only meaningful at execution time (the graph is empty while dbt parses). -#}

{#- The source node of one raw table; a clear error when the contract lacks it. -#}
{% macro cxux_raw_contract_table(table_name) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == 'cxux_raw' and node.package_name == 'cxux' and node.name == table_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "models/staging/raw/_raw__sources.yml has no raw table '" ~ table_name ~ "'") }}
{%- endmacro %}

{#- Table-level or column-level contract meta (config.meta, falling back to meta). -#}
{% macro cxux_contract_meta(node) -%}
    {%- set config_meta = (node.config or {}).get('meta') or {} -%}
    {{ return(config_meta if config_meta else (node.meta or {})) }}
{%- endmacro %}

{#- Portable contract type -> this engine's column type. -#}
{% macro cxux_contract_type(data_type) -%}
    {%- if data_type == 'string' -%} {{ return(dbt.type_string()) }}
    {%- elif data_type == 'integer' -%} {{ return(dbt.type_bigint()) }}
    {%- elif data_type == 'decimal' -%} {{ return('decimal(18, 2)') }}
    {%- elif data_type == 'double' -%} {{ return(cxux_type_double()) }}
    {%- elif data_type == 'boolean' -%} {{ return(dbt.type_boolean()) }}
    {%- elif data_type == 'timestamp' -%} {{ return(dbt.type_timestamp()) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown contract data_type '" ~ data_type ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{#- The raw tables in dependency order (parents first). Listed here because refs
    must be known while dbt parses, before the graph exists; quarantine_raw_rows
    checks at execution time that this list matches the contract. -#}
{% macro cxux_raw_table_names() -%}
    {{ return([
        'accounts', 'users', 'products', 'orders', 'order_items', 'subscription_events',
        'support_tickets', 'ticket_events', 'survey_responses', 'survey_item_answers',
        'reviews', 'page_views', 'events',
    ]) }}
{%- endmacro %}

{% macro cxux_assert_raw_table_names() -%}
    {%- if execute -%}
        {%- set contract_tables = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'cxux_raw' and node.package_name == 'cxux' -%}
            {%- do contract_tables.append(node.name) -%}
        {%- endfor -%}
        {%- if contract_tables | sort != cxux_raw_table_names() | sort -%}
            {{ exceptions.raise_compiler_error(
                "cxux_raw_table_names() (macros/staging/cxux_raw_contract.sql) lists "
                ~ (cxux_raw_table_names() | sort) ~ " but the raw contract has " ~ (contract_tables | sort)) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
