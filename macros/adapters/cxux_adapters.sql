{#- Source adapters (issue 18; docs/adapters.md): each maps what a loader landed for one
    system onto raw-contract relations, as ordinary upstream models of cxux's staging.

    One var switches a system on: `cxux_adapter_<system>: true`. Its models live in
    models/adapters/<system>/ and are named cxux_<system>__<contract table>. While a system
    is on, staging reads its outputs instead of the table of source cxux_raw, unless the
    table has its own `cxux_<table>_relation` var (that var always wins). Several systems
    feeding one table (Zendesk CSAT and Delighted both give survey_responses) are read as
    the UNION ALL of their outputs; adapters prefix the ids of such tables with the system.
    Accounts and users come from the identity crosswalk (models/adapters/identity/), which
    lines up the people of every system that is on; with no system that knows users, the
    contract's rule applies (each account is its own single user).

    This macro is the one list of systems and the contract tables each feeds. -#}
{% macro cxux_adapter_specs() -%}
    {#- tables: the contract tables its own models give (cxux_<system>__<table>);
        identities: the kinds of record its cxux_<system>__identities model gives;
        lacks: domains inside its tables that the system does not record (Segment's page
        calls carry no web vitals), off by default when only such systems feed them -#}
    {{ return({
        'zendesk': {'tables': ['support_tickets', 'ticket_events', 'survey_responses'],
                    'identities': ['account', 'user']},
        'shopify': {'tables': ['products', 'orders', 'order_items'], 'identities': ['account']},
        'stripe': {'tables': ['products', 'subscription_events'], 'identities': ['account']},
        'segment': {'tables': ['page_views', 'events'], 'identities': ['user'],
                    'lacks': ['web_vitals']},
        'delighted': {'tables': ['survey_responses'], 'identities': ['account', 'user']},
        'snowplow': {'tables': ['page_views', 'events'], 'identities': ['user']},
    }) }}
{%- endmacro %}

{#- Contract table -> the identity kind the crosswalk gives it from. -#}
{% macro cxux_identity_tables() -%}
    {{ return({'accounts': 'account', 'users': 'user'}) }}
{%- endmacro %}

{#- Is var cxux_adapter_<system> true? (true, "true", 1, "yes", "on") -#}
{% macro cxux_adapter_enabled(system) -%}
    {%- if system not in cxux_adapter_specs() -%}
        {{ exceptions.raise_compiler_error("unknown cxux adapter '" ~ system ~ "' (one of "
            ~ cxux_adapter_specs().keys() | list | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set setting = var('cxux_adapter_' ~ system, false) -%}
    {{ return(setting is not none and (setting | string | lower) in ('true', '1', 'yes', 'on')) }}
{%- endmacro %}

{#- The systems that are on, in the order of cxux_adapter_specs(). -#}
{% macro cxux_enabled_adapters() -%}
    {%- set systems = [] -%}
    {%- for system in cxux_adapter_specs() if cxux_adapter_enabled(system) -%}
        {%- do systems.append(system) -%}
    {%- endfor -%}
    {{ return(systems) }}
{%- endmacro %}

{#- The systems that are on and feed one contract table ([] when none). -#}
{% macro cxux_adapters_feeding(table_name) -%}
    {%- set systems = [] -%}
    {%- for system in cxux_enabled_adapters() -%}
        {%- set spec = cxux_adapter_specs()[system] -%}
        {%- if table_name in spec.tables
               or cxux_identity_tables().get(table_name) in spec.identities -%}
            {%- do systems.append(system) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(systems) }}
{%- endmacro %}

{#- What staging reads for a table fed by adapters: the identity model for accounts and
    users, the one system's output, or the union of several. none when no system that is on
    feeds it. Called while rendering, so the ref()s are seen at parse time (the systems that
    are on depend only on vars). -#}
{% macro cxux_adapter_relation(table_name) -%}
    {%- set systems = cxux_adapters_feeding(table_name) -%}
    {%- if not systems -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if table_name in cxux_identity_tables() -%}
        {{ return(ref('cxux_identity__' ~ table_name)) }}
    {%- endif -%}
    {%- if systems | length == 1 -%}
        {{ return(ref('cxux_' ~ systems[0] ~ '__' ~ table_name)) }}
    {%- endif -%}
    {#- by name, in the contract's order, so a union never pairs columns by position. The
        contract's columns come from the graph, which is empty while dbt parses: then only
        the ref()s matter, and any column list does (two adapters feeding one table, e.g.
        Shopify and Stripe products, failed to parse before). -#}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column in cxux_raw_contract_table(table_name).columns.values() -%}
            {%- do columns.append(adapter.quote(column.name)) -%}
        {%- endfor -%}
    {%- else -%}
        {%- do columns.append('*') -%}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for system in systems -%}
        {%- do parts.append('select ' ~ columns | join(', ') ~ ' from '
                            ~ ref('cxux_' ~ system ~ '__' ~ table_name)) -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' union all ') ~ ') as cxux_adapters__' ~ table_name) }}
{%- endmacro %}

{#- The order in which systems name a group of records that are one customer or one person
    (models/adapters/identity/): the first system here that holds a record of the group gives
    its id, unless the group carries an external id. Var cxux_identity_system_priority. -#}
{% macro cxux_identity_priority() -%}
    {%- set systems = var('cxux_identity_system_priority') -%}
    {%- set known = cxux_adapter_specs().keys() | list -%}
    {%- for system in systems if system not in known -%}
        {{ exceptions.raise_compiler_error("var cxux_identity_system_priority names '" ~ system
            ~ "', which is not a cxux adapter (" ~ known | join(', ') ~ ")") }}
    {%- endfor -%}
    {%- for system in known if system not in systems -%}
        {%- do systems.append(system) -%}
    {%- endfor -%}
    {{ return(systems) }}
{%- endmacro %}

{#- SQL: a system's rank in cxux_identity_priority() as a 3-digit text that sorts. -#}
{% macro cxux_identity_rank_sql(column) -%}
    case {{ column }}
    {%- for system in cxux_identity_priority() %} when '{{ system }}' then '{{ '%03d' % loop.index }}'
    {%- endfor %} else '999' end
{%- endmacro %}
