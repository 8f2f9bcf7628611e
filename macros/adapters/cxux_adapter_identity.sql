{#- Lookups into the identity crosswalk shared by the adapters' models
    (models/adapters/identity/, docs/adapters.md "Identity"). -#}

{#- One left join of the crosswalk (the relation or CTE `crosswalk`, under `alias`): the
    record of `system` and `entity` ('account' or 'user') whose native id is the SQL
    expression `native_id`. The caller reads alias.account_id / alias.user_id. -#}
{% macro cxux_identity_join(crosswalk, alias, system, entity, native_id) -%}
    {%- if entity not in ('account', 'user') -%}
        {{ exceptions.raise_compiler_error("cxux_identity_join: entity must be 'account' or 'user', got '"
            ~ entity ~ "' (system " ~ system ~ ", alias " ~ alias ~ ")") }}
    {%- endif -%}
    left join {{ crosswalk }} as {{ alias }}
        on {{ alias }}.source_system = '{{ system }}'
        and {{ alias }}.entity = '{{ entity }}'
        and {{ alias }}.native_id = {{ native_id }}
{%- endmacro %}

{#- SQL (a select, for a CTE): every identity record of one entity ('account' or 'user')
    with its crosswalk group ids (`group_columns` of cxux_identity_crosswalk, e.g.
    ['account_id']) and newest_first, a sort key that puts the most recently updated record
    first (a record given once per email it held names its current email). Read by
    cxux_identity__accounts and cxux_identity__users, which take each attribute from the
    group's first record (record_rank_key) that has it. -#}
{% macro cxux_identity_group_records(entity, group_columns) -%}
    {%- if entity not in ('account', 'user') -%}
        {{ exceptions.raise_compiler_error("cxux_identity_group_records: entity must be 'account' or 'user', got '"
            ~ entity ~ "'") }}
    {%- endif -%}
    select
        records.*,
        -1 * {{ dbt.datediff("cast('2000-01-01' as " ~ dbt.type_timestamp() ~ ")",
                             'coalesce(records.updated_at, records.created_at)', 'second') }} as newest_first,
        {%- for column in group_columns %}
        crosswalk.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('cxux_identity__records') }} as records
    inner join {{ ref('cxux_identity_crosswalk') }} as crosswalk
        on crosswalk.source_system = records.source_system
        and crosswalk.entity = records.entity
        and crosswalk.native_id = records.native_id
    where records.entity = '{{ entity }}'
{%- endmacro %}

{#- The columns of an identity record (what every cxux_<system>__identities model gives and
    cxux_identity__records unions), in order, with their types: one owner for the list. -#}
{% macro cxux_identity_record_columns() -%}
    {%- set string = dbt.type_string() -%}
    {{ return([
        ('source_system', string), ('entity', string), ('native_id', string),
        ('native_account_id', string), ('email', string), ('external_id', string),
        ('display_name', string), ('account_type', string), ('segment', string),
        ('country_code', string), ('acquisition_channel', string), ('role', string),
        ('is_account_owner', dbt.type_boolean()), ('created_at', dbt.type_timestamp()),
        ('updated_at', dbt.type_timestamp())]) }}
{%- endmacro %}

{#- The select list of one adapter's identity records: source_system `system` and entity
    `entity` ('account' or 'user'), each other column the SQL expression `values` gives it
    (a mapping column -> expression), null where it gives none, each cast to its type. A
    key that is not a record column is a compile error (a typo would silently give null). -#}
{% macro cxux_identity_record(system, entity, values) -%}
    {%- if entity not in ('account', 'user') -%}
        {{ exceptions.raise_compiler_error("cxux_identity_record: entity must be 'account' or 'user', got '"
            ~ entity ~ "' (system " ~ system ~ ")") }}
    {%- endif -%}
    {%- set columns = cxux_identity_record_columns() -%}
    {%- set names = columns | map(attribute=0) | list -%}
    {%- for key in values if key not in names[2:] -%}
        {{ exceptions.raise_compiler_error("cxux_identity_record (" ~ system ~ " " ~ entity ~ "): '"
            ~ key ~ "' is not an identity record column; the columns are " ~ names[2:] | join(', ')) }}
    {%- endfor -%}
    {%- set given = {'source_system': "'" ~ system ~ "'", 'entity': "'" ~ entity ~ "'"} -%}
    {%- do given.update(values) -%}
    {%- for name, type in columns %}
        cast({{ given.get(name, 'null') }} as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
