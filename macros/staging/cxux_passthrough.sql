{#- Passthrough columns (issue 16; README "Use cxux in your dbt project"): columns of a raw
    relation beyond the contract that a team wants in the facts, as they are (no check,
    no type), e.g. a shop's utm_source on fct_orders:

        vars:
          cxux_passthrough_columns: {orders: [utm_source, coupon_code], support_tickets: [brand]}

    Tables and where the columns arrive: orders -> stg_raw__orders, int_orders_enriched,
    fct_orders; support_tickets -> stg_raw__support_tickets, int_tickets_timed, fct_tickets;
    survey_responses -> stg_raw__survey_responses, int_survey_responses_scored,
    fct_survey_responses; reviews -> stg_raw__reviews, fct_reviews; accounts ->
    stg_raw__accounts, dim_customers; users -> stg_raw__users, dim_users; products ->
    stg_raw__products, dim_products; order_items -> stg_raw__order_items, fct_order_lines;
    page_views -> stg_raw__page_views, int_page_views_stitched, fct_page_views (both
    incremental: after changing the list, build with --full-refresh, or the rows already
    built keep their old columns). Tables whose marts aggregate or reshape rows (events,
    subscription events, survey item answers) carry none: a passthrough value has no one
    row there.
    A model that carries them ends its select list with cxux_passthrough(table, alias). -#}

{% macro cxux_passthrough_tables() -%}
    {{ return(['accounts', 'users', 'products', 'orders', 'order_items', 'support_tickets',
                'survey_responses', 'reviews', 'page_views']) }}
{%- endmacro %}

{#- The passthrough column names for one raw table ([] when none), checked: a list of
    plain names, none of them a contract column or one of this model's own columns. -#}
{% macro cxux_passthrough_column_names(table_name) -%}
    {%- set setting = var('cxux_passthrough_columns', {}) or {} -%}
    {%- if setting is not mapping -%}
        {{ exceptions.raise_compiler_error("var cxux_passthrough_columns must map raw tables to column lists, e.g. {orders: [utm_source]}; got " ~ setting) }}
    {%- endif -%}
    {%- for key in setting if key not in cxux_passthrough_tables() -%}
        {{ exceptions.raise_compiler_error("var cxux_passthrough_columns: '" ~ key ~ "' is not a table with passthrough columns (one of "
            ~ cxux_passthrough_tables() | join(', ') ~ ")") }}
    {%- endfor -%}
    {%- set names = setting.get(table_name) or [] -%}
    {#- unit tests give their inputs as fixtures of the contract's columns only -#}
    {%- if not names or (model is defined and model.resource_type == 'unit_test') -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if names is string or names is mapping -%}
        {{ exceptions.raise_compiler_error("var cxux_passthrough_columns: " ~ table_name ~ " must be a list of column names, got " ~ names) }}
    {%- endif -%}
    {%- if execute -%}
        {%- set contract_columns = cxux_raw_contract_table(table_name).columns -%}
        {%- set own_columns = (model.columns or {}).keys() | list if model is defined and model.resource_type == 'model' else [] -%}
        {%- for name in names -%}
            {%- set text = name | string -%}
            {%- if not modules.re.match('^[A-Za-z][A-Za-z0-9_]*$', text) or text.lower().startswith('_cxux') -%}
                {{ exceptions.raise_compiler_error("var cxux_passthrough_columns: " ~ table_name ~ " column '" ~ text ~ "' is not a plain column name") }}
            {%- elif text in contract_columns -%}
                {{ exceptions.raise_compiler_error("var cxux_passthrough_columns: " ~ table_name ~ "." ~ text ~ " is a contract column, already carried") }}
            {%- elif text in own_columns -%}
                {{ exceptions.raise_compiler_error("var cxux_passthrough_columns: " ~ table_name ~ "." ~ text ~ " has the name of a column of " ~ model.name ~ "; rename it in a model of yours upstream") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names | map('string') | list) }}
{%- endmacro %}

{#- ", <alias>.<column>" for each passthrough column of `table_name`, to end a select list. -#}
{% macro cxux_passthrough(table_name, relation_alias=none) -%}
    {%- for name in cxux_passthrough_column_names(table_name) -%}
        , {{ relation_alias ~ '.' if relation_alias }}{{ name }}
    {% endfor -%}
{%- endmacro %}
