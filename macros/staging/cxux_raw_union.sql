{#- Several sources of one kind (issue 16): two shops, two help desks. Var cxux_raw_unions
    maps a raw table to a label per source and its relation:

        vars:
          cxux_raw_unions:
            orders:
              shop_eu: "{{ source('shop_eu', 'orders') }}"
              shop_us: "{{ ref('my_project', 'us_orders_as_cxux') }}"
            order_items:
              shop_eu: "{{ source('shop_eu', 'order_items') }}"
              shop_us: "{{ source('shop_us', 'order_items') }}"

    Staging then reads the UNION ALL of the sources, by column name, with a column
    `source_relation` (the label) and the source in the keys: the table's string key
    columns, and each column that references a unioned table, read `<label>:<id>`, so order
    1001 of each shop stays two orders, and an item still finds its order. A reference to a
    table of one source (the CRM's accounts) is left as it is. A table that references a
    unioned one must say which source each row's ids come from: it is unioned too, with
    labels among the parent's (a survey tool used by shop_eu only: {shop_eu: ...}); a
    table of one source there, or a label the parent lacks, stops the build. Add
    `source_relation` to var cxux_passthrough_columns to see it in a fact.

    One var for all tables, not a mapping in cxux_<table>_relation: dbt renders a string
    var when it is read, so reading another table's relation var (a ref()) to learn
    whether it is a union would be a dependency dbt never saw; a mapping is not rendered,
    so each value is read here: "{{ ref(...) }}", "{{ source(...) }}" (string arguments),
    schema.table or a table of the raw schema. -#}

{#- The {label: text} sources of a raw table, none when it is not unioned. -#}
{% macro cxux_raw_union_sources(table_name) -%}
    {%- set unions = var('cxux_raw_unions', {}) or {} -%}
    {%- if unions is not mapping -%}
        {{ exceptions.raise_compiler_error("var cxux_raw_unions must map raw tables to {label: relation}; got " ~ unions) }}
    {%- endif -%}
    {%- set setting = unions.get(table_name) -%}
    {%- if setting is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if setting is not mapping or setting | length == 0 -%}
        {{ exceptions.raise_compiler_error("var cxux_raw_unions: " ~ table_name ~ " must map a label per source to its relation, e.g. {shop_eu: \"{{ source('shop_eu', '" ~ table_name ~ "') }}\", ...}") }}
    {%- endif -%}
    {%- for label in setting if not modules.re.match('^[a-z][a-z0-9_]*$', label | string) -%}
        {{ exceptions.raise_compiler_error("var cxux_raw_unions: " ~ table_name ~ " source label '" ~ label ~ "' must be lower case letters, digits and _ (it becomes part of the keys)") }}
    {%- endfor -%}
    {{ return(setting) }}
{%- endmacro %}

{#- One mapped value -> a Relation: a ref() or source() call with string arguments (called
    here, so dbt sees the dependency), else schema.table or table. -#}
{% macro cxux_raw_union_relation(text, table_name) -%}
    {%- set call = modules.re.match('^\\s*\\{\\{\\s*(ref|source)\\s*\\((.*)\\)\\s*\\}\\}\\s*$', text | string) -%}
    {%- if call is none -%}
        {{ return(cxux_relation_from_text(text | string, table_name)) }}
    {%- endif -%}
    {%- set arguments = modules.re.findall("'([^']*)'|\"([^\"]*)\"", call.group(2)) -%}
    {%- set values = [] -%}
    {%- for single, double in arguments -%}
        {%- do values.append(single or double) -%}
    {%- endfor -%}
    {%- if call.group(1) == 'ref' and values | length in (1, 2) -%}
        {{ return(ref(*values)) }}
    {%- elif call.group(1) == 'source' and values | length == 2 -%}
        {{ return(source(*values)) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("var cxux_raw_unions: " ~ table_name ~ ": cannot read '" ~ text ~ "'; give {{ ref('model') }}, {{ ref('project', 'model') }}, {{ source('name', 'table') }}, schema.table or table") }}
{%- endmacro %}

{#- The Relations a table's mapping var names, in label order ({label: Relation}). -#}
{% macro cxux_raw_union_relations(table_name) -%}
    {%- set relations = {} -%}
    {%- for label, text in (cxux_raw_union_sources(table_name) or {}) | dictsort -%}
        {%- do relations.update({label: cxux_raw_union_relation(text, table_name)}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#- The contract columns of a unioned table that carry the source: its string key columns
    and its references to tables unioned with the same labels. Stops the build on a
    reference that cannot be resolved (see above). -#}
{% macro cxux_raw_union_keyed_columns(table_name) -%}
    {%- set labels = (cxux_raw_union_sources(table_name) or {}).keys() | sort -%}
    {%- set table = cxux_raw_contract_table(table_name) -%}
    {%- set keyed = [] -%}
    {%- for name in cxux_contract_meta(table).get('primary_key') or []
            if table.columns[name].data_type == 'string' -%}
        {%- do keyed.append(name) -%}
    {%- endfor -%}
    {%- for column in table.columns.values() if cxux_contract_meta(column).get('references') -%}
        {%- set parent = cxux_contract_meta(column).references.split('.')[0] -%}
        {%- set parent_sources = cxux_raw_union_sources(parent) -%}
        {%- set parent_labels = (parent_sources or {}).keys() | sort -%}
        {%- set unknown = [] -%}
        {%- for label in labels if label not in parent_labels -%}{%- do unknown.append(label) -%}{%- endfor -%}
        {%- if parent_sources is not none and (not labels or unknown) -%}
            {{ exceptions.raise_compiler_error(table_name ~ "." ~ column.name ~ " references " ~ parent ~ ", which is unioned from " ~ parent_labels | join(', ') ~ " (var cxux_raw_unions): " ~ ("union " ~ table_name ~ " too, with labels among those, so each row names its source" if not labels else "its label(s) " ~ unknown | join(', ') ~ " name no source of " ~ parent)) }}
        {%- elif parent_sources is not none and column.name not in keyed -%}
            {%- do keyed.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(keyed) }}
{%- endmacro %}

{#- SQL: the union of a table's sources, by column name, with source_relation. -#}
{% macro cxux_raw_union(table_name) -%}
    {%- set relations = cxux_raw_union_relations(table_name) -%}
    {%- if not execute -%}
        {#- parse time: the graph is empty; the ref()s and source()s above are what counts -#}
        {{ return('(select 1 as source_relation) as cxux_union__' ~ table_name) }}
    {%- endif -%}
    {%- set keyed = cxux_raw_union_keyed_columns(table_name) -%}
    {%- set extra = [] -%}
    {%- for name in (cxux_passthrough_column_names(table_name) if table_name in cxux_passthrough_tables() else [])
            if name != 'source_relation' -%}
        {%- do extra.append(name) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for label, relation in relations.items() -%}
        {%- set columns = [] -%}
        {%- for column in cxux_raw_contract_table(table_name).columns.values() -%}
            {%- set quoted = adapter.quote(column.name) -%}
            {%- if column.name in keyed -%}
                {%- do columns.append(dbt.concat(["'" ~ label ~ ":'", 'cast(' ~ quoted ~ ' as ' ~ dbt.type_string() ~ ')']) ~ ' as ' ~ quoted) -%}
            {%- else -%}
                {%- do columns.append(quoted) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for name in extra -%}
            {%- do columns.append(adapter.quote(name)) -%}
        {%- endfor -%}
        {%- do columns.append("'" ~ label ~ "' as source_relation") -%}
        {%- do parts.append('select ' ~ columns | join(', ') ~ ' from ' ~ relation) -%}
    {%- endfor -%}
    {{ return('(' ~ parts | join(' union all ') ~ ') as cxux_union__' ~ table_name) }}
{%- endmacro %}
