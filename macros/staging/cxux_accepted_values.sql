{#- Accepted values a team can extend or remap without forking (issue 16; README "Use cxux
    in your dbt project", DECISIONLOG "Extending and remapping accepted values").

    var cxux_extra_accepted_values: {"<table>.<column>": [values]}
        more values for a descriptive column, one whose contract meta says
        `extendable: true` (channels, categories, platforms, segments, roles, event
        names...). Columns whose values steer logic (order and ticket status, survey type,
        subscription event type...) are not extendable: a value the models do not know
        would be miscounted silently.
    var cxux_value_map: {"<table>.<column>": {"source value": "contract value"}}
        the values a source spells otherwise, mapped onto accepted values (the contract's
        or the extra ones) before staging validates them, for any column with accepted
        values. The raw row keeps its own value (quarantine shows what was loaded).

    The contract (models/staging/raw/_raw__sources.yml) stays the one list; these vars
    only add to it. Staging, the raw_input__<table> views the quality gate reads, and
    tests that name `contract: <table>.<column>` all take the values from here. -#}

{#- The var's entries for one table: {column: value}; a clear error for a key that is not
    `<table>.<column>` of a contract column with accepted values. -#}
{% macro _cxux_value_var_entries(var_name, table_name) -%}
    {%- set setting = var(var_name, {}) or {} -%}
    {%- if setting is not mapping -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must be a mapping {\"<table>.<column>\": ...}, got " ~ setting) }}
    {%- endif -%}
    {%- set entries = {} -%}
    {%- for key, value in setting.items() -%}
        {%- set parts = (key | string).split('.') -%}
        {%- if parts | length != 2 -%}
            {{ exceptions.raise_compiler_error("var " ~ var_name ~ ": key '" ~ key ~ "' is not <table>.<column> (e.g. support_tickets.channel)") }}
        {%- endif -%}
        {%- if parts[0] not in cxux_raw_table_names() -%}
            {{ exceptions.raise_compiler_error("var " ~ var_name ~ ": '" ~ key ~ "' names no raw table (one of "
                ~ cxux_raw_table_names() | join(', ') ~ ")") }}
        {%- endif -%}
        {%- if parts[0] == table_name -%}
            {%- set table = cxux_raw_contract_table(table_name) -%}
            {%- if parts[1] not in table.columns or not cxux_contract_meta(table.columns[parts[1]]).get('accepted_values') -%}
                {{ exceptions.raise_compiler_error("var " ~ var_name ~ ": raw table " ~ table_name ~ " has no column '"
                    ~ parts[1] ~ "' with accepted values (contract: models/staging/raw/_raw__sources.yml)") }}
            {%- endif -%}
            {%- do entries.update({parts[1]: value}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(entries) }}
{%- endmacro %}

{#- The accepted values of one raw column: the contract's, then var
    cxux_extra_accepted_values's (extendable columns only). [] when it has none. -#}
{% macro cxux_accepted_values(table_name, column_name) -%}
    {%- set column = cxux_raw_contract_table(table_name).columns[column_name] -%}
    {%- set meta = cxux_contract_meta(column) -%}
    {%- set values = (meta.get('accepted_values') or []) | list -%}
    {%- set extra = _cxux_value_var_entries('cxux_extra_accepted_values', table_name).get(column_name) -%}
    {%- if extra is not none -%}
        {%- if not meta.get('extendable') -%}
            {{ exceptions.raise_compiler_error("var cxux_extra_accepted_values: " ~ table_name ~ "." ~ column_name
                ~ " cannot be extended: its values steer cxux's logic; map your values onto "
                ~ values | join(', ') ~ " with var cxux_value_map instead") }}
        {%- endif -%}
        {%- if extra is string or extra is mapping or extra is not iterable -%}
            {{ exceptions.raise_compiler_error("var cxux_extra_accepted_values: " ~ table_name ~ "." ~ column_name
                ~ " must be a list of values, got " ~ extra) }}
        {%- endif -%}
        {%- for value in extra if value not in values -%}{%- do values.append(value | string) -%}{%- endfor -%}
    {%- endif -%}
    {{ return(values) }}
{%- endmacro %}

{#- {source value: accepted value} of var cxux_value_map for one raw column ({} if none);
    every target must be an accepted value. -#}
{% macro cxux_value_map(table_name, column_name) -%}
    {%- set mapping = _cxux_value_var_entries('cxux_value_map', table_name).get(column_name) or {} -%}
    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error("var cxux_value_map: " ~ table_name ~ "." ~ column_name
            ~ " must map source values to accepted values, got " ~ mapping) }}
    {%- endif -%}
    {%- set accepted = cxux_accepted_values(table_name, column_name) -%}
    {%- for source_value, target in mapping.items() if target not in accepted -%}
        {{ exceptions.raise_compiler_error("var cxux_value_map: " ~ table_name ~ "." ~ column_name ~ " maps '"
            ~ source_value ~ "' to '" ~ target ~ "', which is not one of " ~ accepted | join(', ')) }}
    {%- endfor -%}
    {{ return(mapping) }}
{%- endmacro %}

{#- `expression` (a text column of raw table `table_name`) with var cxux_value_map applied. -#}
{% macro cxux_mapped_value(table_name, column_name, expression) -%}
    {%- set mapping = cxux_value_map(table_name, column_name) -%}
    {%- if not mapping -%}{{ return(expression) }}{%- endif -%}
    {%- set whens = [] -%}
    {%- for source_value, target in mapping.items() -%}
        {%- do whens.append("when " ~ _cxux_literal(source_value | string) ~ " then " ~ _cxux_literal(target | string)) -%}
    {%- endfor -%}
    {{ return("case " ~ expression ~ " " ~ whens | join(' ') ~ " else " ~ expression ~ " end") }}
{%- endmacro %}
