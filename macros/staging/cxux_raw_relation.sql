{#- Where cxux reads one raw table (issue 16: inputs without forking).

    Default: the table of cxux's own source `cxux_raw` (models/staging/raw/_raw__sources.yml;
    a name no host project is likely to declare, so a host source `raw` changes nothing here).

    Override per table with var `cxux_<table>_relation`, e.g. in the host's dbt_project.yml:
        vars:
          cxux_orders_relation: "{{ ref('shopify_orders_as_cxux') }}"   # a host model
          cxux_accounts_relation: "{{ source('crm', 'accounts') }}"     # a host source
          cxux_products_relation: "catalog.products"                    # schema.table
          cxux_reviews_relation: "reviews_export"                       # a table in the raw schema
    dbt renders the var in the model's context, so a ref() or source() there puts the host's
    node upstream of cxux's staging model in the DAG. The relation must have the contract's
    columns (RAW_CONTRACT.md); the staging checks apply to it exactly as to the raw table. -#}

{% macro cxux_raw_relation_var(table_name) -%}
    {{ return('cxux_' ~ table_name ~ '_relation') }}
{%- endmacro %}

{#- What staging reads for one raw table: the relation given (below), except that at
    execution time a table whose domain is off, or a missing `products` table, reads as an
    empty relation of the contract's columns, and a missing `users` table as one user per
    account (RAW_CONTRACT.md; macros/staging/cxux_domains.sql). A Relation for a real
    table, SQL text otherwise. -#}
{% macro cxux_raw_relation(table_name) -%}
    {#- not in unit tests: their raw tables are fixtures -#}
    {%- if execute and model.resource_type == 'model' -%}
        {%- set domain = cxux_raw_table_domain(table_name) -%}
        {%- if domain is not none and not cxux_domain_enabled(domain) -%}
            {{ return(cxux_empty_raw_relation(table_name)) }}
        {%- endif -%}
        {%- if table_name == 'users' and not cxux_raw_table_exists('users') -%}
            {{ return(cxux_users_from_accounts()) }}
        {%- endif -%}
        {%- if table_name == 'products' and not cxux_raw_table_exists('products') -%}
            {{ return(cxux_empty_raw_relation(table_name)) }}
        {%- endif -%}
    {%- elif not execute and table_name == 'users' -%}
        {#- parse time: users may be read from accounts (above), so depend on it too -#}
        {%- do cxux_raw_relation_given('accounts') -%}
    {%- endif -%}
    {{ return(cxux_raw_relation_given(table_name)) }}
{%- endmacro %}

{#- No rows, the contract's columns and types: a switched-off domain's raw table. -#}
{% macro cxux_empty_raw_relation(table_name) -%}
    {%- set columns = [] -%}
    {%- for column in cxux_raw_contract_table(table_name).columns.values() -%}
        {%- do columns.append('cast(null as ' ~ cxux_contract_type(column.data_type) ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- for name in (cxux_passthrough_column_names(table_name) if table_name in cxux_passthrough_tables() else []) -%}
        {%- do columns.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as cxux_off__' ~ table_name) }}
{%- endmacro %}

{#- Without a users table each account is its own single user (RAW_CONTRACT.md), the
    account's owner. -#}
{% macro cxux_users_from_accounts() -%}
    {%- set sql -%}
        (select
            account_id as user_id,
            account_id,
            email,
            'owner' as role,
            true as is_account_owner,
            created_at as signup_at,
            country_code,
            updated_at
        from {{ cxux_raw_relation('accounts') }}) as cxux_users_from_accounts
    {%- endset -%}
    {{ return(sql) }}
{%- endmacro %}

{#- The relation configured for one raw table: var cxux_<table>_relation, else the outputs
    of the source adapters that are on and feed it (macros/adapters/cxux_adapters.sql), else
    the table of source cxux_raw. -#}
{% macro cxux_raw_relation_given(table_name) -%}
    {%- set override = var(cxux_raw_relation_var(table_name), none) -%}
    {#- unit tests give the raw table as their input, whatever the vars say -#}
    {%- set in_unit_test = model is defined and model.resource_type == 'unit_test' -%}
    {%- if cxux_raw_union_sources(table_name) is not none and not in_unit_test -%}
        {%- if override is not none -%}
            {{ exceptions.raise_compiler_error("raw table " ~ table_name ~ " is given twice: by var " ~ cxux_raw_relation_var(table_name) ~ " and in var cxux_raw_unions; keep one") }}
        {%- endif -%}
        {{ return(cxux_raw_union(table_name)) }}
    {%- endif -%}
    {%- if execute and not in_unit_test -%}
        {#- a table of one source must not reference a unioned one (cxux_raw_union.sql) -#}
        {%- do cxux_raw_union_keyed_columns(table_name) -%}
    {%- endif -%}
    {%- if override is none or (override | string | trim) == '' -%}
        {%- set from_adapters = none if in_unit_test else cxux_adapter_relation(table_name) -%}
        {%- if from_adapters is not none -%}
            {{ return(from_adapters) }}
        {%- endif -%}
        {{ return(source('cxux_raw', table_name)) }}
    {%- endif -%}
    {{ return(cxux_relation_from_text(override | string, table_name)) }}
{%- endmacro %}

{#- "db"."schema"."table", schema.table or table (then in the raw schema) -> a Relation,
    so the staging checks can read its columns. -#}
{% macro cxux_relation_from_text(text, table_name) -%}
    {%- set parts = [] -%}
    {%- for part in (text | trim).split('.') -%}
        {%- do parts.append(part | trim | replace('"', '') | replace('`', '')) -%}
    {%- endfor -%}
    {%- if parts | length > 3 or '' in parts -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ cxux_raw_relation_var(table_name) ~ " = '" ~ text ~ "' is not a relation: give "
            ~ "{{ ref('model') }}, {{ source('name', 'table') }}, schema.table or table") }}
    {%- endif -%}
    {%- if not execute -%}
        {#- parse time: no source() call, so an overridden table does not depend on cxux_raw -#}
        {{ return(api.Relation.create(identifier=parts[-1])) }}
    {%- endif -%}
    {%- set default = source('cxux_raw', table_name) -%}
    {%- set schema = parts[-2] if parts | length >= 2 else default.schema -%}
    {%- set database = parts[0] if parts | length == 3 else default.database -%}
    {{ return(api.Relation.create(database=database, schema=schema, identifier=parts[-1])) }}
{%- endmacro %}

{#- The model raw_input__<table> (models/staging/raw/inputs/): a view of exactly what
    staging reads for one raw table, whichever way it is given (the raw schema, a var, a
    source adapter or the union of several, an off domain's empty relation). The quality
    checks' raw suites read these views, so they check what staging validated. -#}
{% macro cxux_raw_input(table_name) -%}
    {%- set mapped = [] -%}
    {%- if execute -%}
        {%- for column in cxux_raw_contract_table(table_name).columns.values()
                if cxux_value_map(table_name, column.name) -%}
            {%- do mapped.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if not mapped %}
    select * from {{ cxux_raw_relation(table_name) }}
    {%- else -%}
    {#- var cxux_value_map applied, as staging applies it: the contract's columns only -#}
    {%- set columns = [] -%}
    {%- for column in cxux_raw_contract_table(table_name).columns.values() -%}
        {%- set quoted = adapter.quote(column.name) -%}
        {%- do columns.append((cxux_mapped_value(table_name, column.name, quoted) if column.name in mapped else quoted) ~ ' as ' ~ quoted) -%}
    {%- endfor %}
    select {{ columns | join(', ') }} from {{ cxux_raw_relation(table_name) }}
    {%- endif -%}
{%- endmacro %}
