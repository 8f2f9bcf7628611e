{#-
    Validate one raw table against its contract (models/staging/raw/_raw__sources.yml)
    in a single scan plus one semi-join per foreign key.

    Returns every raw row (nothing is dropped) with
      - each contract column cast to its contract type (same name),
      - the table's passthrough columns as they are (var cxux_passthrough_columns,
        macros/staging/cxux_passthrough.sql),
      - _cxux_row_id          the primary key as text, composite parts joined with '|'
      - _cxux_duplicate_rank  1 for the copy of a key that is kept, 2.. for the others
      - _cxux_reasons         every failing check, '; '-separated in contract order;
                              null for an accepted row
      - _cxux_raw_row         the raw row as JSON text (rejected rows only)

    Checks, in this order: per column (in contract order) required, type, accepted values
    (the contract's, extended and remapped by vars: macros/staging/cxux_accepted_values.sql),
    min, max, timestamp plausibility (before var cxux_min_timestamp, or later than
    as-of + var cxux_future_tolerance_hours), references (to the parent's accepted rows,
    i.e. stg_raw__<parent>; not when the parent's domain is off); then table row_checks,
    then the model's cross_table_checks, then duplicates (latest version_column wins; an older copy is "superseded").

    Arguments:
      table_name          the raw table
      parent_columns      {fk_column: [parent columns]} brought along by the foreign-key
                          join as <fk_column>__<parent column>, for cross-table checks
      cross_table_checks  extra checks with the same keys as row_checks:
                          {reason, fail_when, column (optional: prefix the reason with
                          the column and its raw value)}

      incremental_column  (optional) a timestamp column that grows with each load, e.g.
                          received_at: on incremental runs (the model materialized with
                          cxux_incremental_materialization(), unique_key='_cxux_row_id',
                          delete+insert) only the keys whose verdict can have changed are
                          validated again, each from ALL of its raw rows (see below).
                          Not with parent_columns or cross_table_checks.

    The model must declare its parents for dbt (refs are not visible while parsing):
      -- depends_on: {{ ref('stg_raw__accounts') }}

    Incremental runs (docs/incremental.md) re-validate the keys (_cxux_row_id) of:
      1. raw rows whose incremental_column is in the lookback window (latest value among
         the accepted rows - var cxux_lookback_days) or unusable (null or not a
         timestamp: such rows cannot be placed in time, so they are checked every run);
      2. quarantined rows whose verdict can change with time or with the parents: a
         timestamp "in the future" (the as-of moves on), "no accepted <parent> row"
         (the parent may have arrived);
      3. accepted rows whose parent is no longer accepted.
    A key is rebuilt from all of its raw rows, so duplicate ranks (latest version wins)
    stay exact; the rows of other keys cannot have changed unless raw rows were deleted
    or corrected, or loaded more than the lookback late (then --full-refresh).
-#}
{% macro cxux_validate_raw_table(table_name, parent_columns={}, cross_table_checks=[], incremental_column=none) -%}
{%- if not execute -%}
    {#- Parse time: the graph is empty; only declare the source dependency. -#}
    select * from {{ cxux_raw_relation(table_name) }}
{%- else -%}
{%- set table = cxux_raw_contract_table(table_name) -%}
{%- set table_meta = cxux_contract_meta(table) -%}
{%- set columns = table.columns.values() | list -%}
{%- set primary_key = table_meta.get('primary_key') or [] -%}
{%- set version_column = table_meta.get('version_column') -%}
{%- set checks = (table_meta.get('row_checks') or []) + cross_table_checks -%}
{%- if primary_key | length == 0 -%}
    {{ exceptions.raise_compiler_error("raw." ~ table_name ~ " has no config.meta.primary_key in _raw__sources.yml") }}
{%- endif -%}
{%- set passthrough = cxux_passthrough_column_names(table_name) if table_name in cxux_passthrough_tables() else [] -%}
{%- if model.resource_type == 'model' -%}
    {#- a clear error for a raw table that lacks contract columns (not in unit tests,
        where the source is a fixture, nor for a domain that is off); for a union of
        several sources (cxux_raw_union.sql), each source -#}
    {%- set given = cxux_raw_relation(table_name) -%}
    {%- set unions = cxux_raw_union_relations(table_name).values() | list -%}
    {%- for relation in ([given] if given is not string else unions) -%}
        {%- set present = [] -%}
        {%- for existing in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(existing.name | lower) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in columns if column.name | lower not in present -%}
            {%- do missing.append(column.name) -%}
        {%- endfor -%}
        {#- a union adds source_relation itself -#}
        {%- for name in passthrough if name | lower not in present
                and not (unions and name == 'source_relation') -%}
            {%- do missing.append(name ~ ' (var cxux_passthrough_columns)') -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "raw table " ~ relation ~ " "
                ~ ("does not exist or has no columns" if not present else "lacks the column(s) " ~ missing | join(', '))
                ~ " (contract: models/staging/raw/_raw__sources.yml, table " ~ table_name ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

{%- set cutoff = none -%}
{%- if incremental_column -%}
    {%- if parent_columns or cross_table_checks -%}
        {{ exceptions.raise_compiler_error("cxux_validate_raw_table('" ~ table_name ~ "'): incremental_column cannot be combined with parent_columns or cross_table_checks (a parent's change would not re-check its children)") }}
    {%- endif -%}
    {%- set cutoff = cxux_incremental_cutoff(incremental_column, where='_cxux_reasons is null') -%}
{%- endif -%}
{%- set future_text = 'is in the future (later than ' -%}

{%- set as_of = cxux_as_of() -%}
{%- set future_limit = dbt.dateadd('hour', var('cxux_future_tolerance_hours', 24) | int, as_of) | trim -%}
{%- set min_timestamp = var('cxux_min_timestamp', '2000-01-01') -%}

{%- set key_label = table_name ~ '.' ~ (primary_key | join('|')) -%}
{%- set raw_row_pairs = [] -%}
{%- for column in columns -%}
    {%- do raw_row_pairs.append((column.name, '_raw__' ~ column.name)) -%}
{%- endfor -%}
{%- set raw_key_parts = [] -%}
{%- for key in primary_key -%}
    {%- if not loop.first -%}{%- do raw_key_parts.append("'|'") -%}{%- endif -%}
    {%- do raw_key_parts.append("coalesce(cast(" ~ adapter.quote(key) ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
{%- endfor -%}
{%- set raw_key = raw_key_parts[0] if primary_key | length == 1 else dbt.concat(raw_key_parts) -%}

{%- set reasons = [] -%}
{%- for column in columns -%}
    {%- set meta = cxux_contract_meta(column) -%}
    {%- set name = column.name -%}
    {%- set label = table_name ~ '.' ~ name -%}
    {%- set raw_text = 'cast(_raw__' ~ name ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- set shown = _cxux_shown_value(raw_text, column.data_type) -%}
    {%- if meta.get('required') -%}
        {%- do reasons.append("case when _raw__" ~ name ~ " is null then '" ~ label ~ " is missing (required)' end") -%}
    {%- endif -%}
    {%- if column.data_type != 'string' -%}
        {%- do reasons.append("case when _raw__" ~ name ~ " is not null and " ~ name ~ " is null then "
            ~ _cxux_message(label, _cxux_shown_value(raw_text, 'string'), 'is not a valid ' ~ column.data_type) ~ " end") -%}
    {%- endif -%}
    {%- set accepted = cxux_accepted_values(table_name, name) -%}
    {%- if accepted -%}
        {%- set literals = [] -%}
        {%- for value in accepted -%}{%- do literals.append(_cxux_literal(value)) -%}{%- endfor -%}
        {%- do reasons.append("case when " ~ name ~ " not in (" ~ literals | join(', ') ~ ") then "
            ~ _cxux_message(label, shown, 'is not one of ' ~ accepted | join(', ')) ~ " end") -%}
    {%- endif -%}
    {%- if meta.get('min') is not none -%}
        {%- do reasons.append("case when " ~ name ~ " < " ~ meta.min ~ " then "
            ~ _cxux_message(label, shown, 'is below the minimum ' ~ meta.min) ~ " end") -%}
    {%- endif -%}
    {%- if meta.get('max') is not none -%}
        {%- do reasons.append("case when " ~ name ~ " > " ~ meta.max ~ " then "
            ~ _cxux_message(label, shown, 'is above the maximum ' ~ meta.max) ~ " end") -%}
    {%- endif -%}
    {%- if column.data_type == 'timestamp' -%}
        {%- do reasons.append("case when " ~ name ~ " < cast('" ~ min_timestamp ~ "' as " ~ dbt.type_timestamp() ~ ") then "
            ~ _cxux_message(label, shown, 'is before ' ~ min_timestamp) ~ " end") -%}
        {%- do reasons.append("case when " ~ name ~ " > " ~ future_limit ~ " then "
            ~ dbt.concat([_cxux_message(label, shown, future_text), 'cast(' ~ future_limit ~ ' as ' ~ dbt.type_string() ~ ')', "')'"]) ~ " end") -%}
    {%- endif -%}
    {%- if meta.get('references') -%}
        {%- set parent = meta.references.split('.')[0] -%}
        {#- a parent staging cannot see (its domain is off) cannot be checked: the key is
            kept as given -#}
        {%- if cxux_raw_table_available(parent) -%}
        {%- do reasons.append("case when " ~ name ~ " is not null and _parent__" ~ name ~ " is null then "
            ~ _cxux_message(label, shown, 'has no accepted ' ~ parent ~ ' row') ~ " end") -%}
        {%- endif -%}
    {%- endif -%}
{%- endfor -%}
{%- for check in checks -%}
    {%- if check.get('column') -%}
        {%- set check_column = table.columns[check.column] -%}
        {%- set shown = _cxux_shown_value('cast(_raw__' ~ check.column ~ ' as ' ~ dbt.type_string() ~ ')', check_column.data_type) -%}
        {%- set message = _cxux_message(table_name ~ '.' ~ check.column, shown, check.reason) -%}
    {%- else -%}
        {%- set message = _cxux_literal(table_name ~ ': ' ~ check.reason) -%}
    {%- endif -%}
    {%- do reasons.append("case when (" ~ check.fail_when ~ ") then " ~ message ~ " end") -%}
{%- endfor -%}
{%- set shown_key = _cxux_shown_value('_cxux_row_id', 'string') -%}
{%- set superseded -%}
    {%- if version_column -%}
        when {{ version_column }} < _cxux_latest_version
            or ({{ version_column }} is null and _cxux_latest_version is not null)
            then {{ _cxux_message(key_label, shown_key, 'is superseded by a later version (' ~ version_column ~ ')') }}
    {%- endif -%}
{%- endset -%}
{%- do reasons.append(
    "case when _cxux_duplicate_rank > 1 then case " ~ superseded
    ~ " when _cxux_row_fingerprint = _cxux_kept_fingerprint then "
    ~ _cxux_message(key_label, shown_key, 'is an exact duplicate of a kept row')
    ~ " else " ~ _cxux_message(key_label, shown_key, 'has a kept copy with different values'
        ~ (' and the same ' ~ version_column if version_column else ' (no version_column to tell the latest)'))
    ~ " end end") -%}

with
{%- if cutoff %}

{%- set incremental_typed = cxux_try_cast(adapter.quote(incremental_column), cxux_contract_type(table.columns[incremental_column].data_type)) %}

keys_to_refresh as (

    {#- 1. rows loaded in the lookback window, or not placeable in time #}
    select {{ raw_key }} as refresh_row_id
    from {{ cxux_raw_relation(table_name) }}
    where {{ incremental_typed }} >= {{ cutoff }}
        or {{ incremental_typed }} is null

    union

    {#- 2. quarantined rows whose verdict can change #}
    select _cxux_row_id as refresh_row_id
    from {{ this }}
    where _cxux_reasons like {{ _cxux_literal('%' ~ future_text ~ '%') }}
    {%- for column in columns if cxux_contract_meta(column).get('references') %}
        or _cxux_reasons like {{ _cxux_literal('%' ~ table_name ~ '.' ~ column.name ~ ': %has no accepted ' ~ cxux_contract_meta(column).references.split('.')[0] ~ ' row%') }}
    {%- endfor %}
    {%- for column in columns if cxux_contract_meta(column).get('references') %}
    {%- set parent, parent_column = cxux_contract_meta(column).references.split('.') %}

    union

    {#- 3. accepted rows whose {{ parent }} row is no longer accepted #}
    select stored._cxux_row_id as refresh_row_id
    from {{ this }} as stored
    left join {{ ref('stg_raw__' ~ parent) }} as parent_rows
        on stored.{{ column.name }} = parent_rows.{{ parent_column }}
    where stored._cxux_reasons is null
        and stored.{{ column.name }} is not null
        and parent_rows.{{ parent_column }} is null
    {%- endfor %}

),
{%- endif %}

{#- single_rows and copies both read flagged: the chain source -> typed -> joined ->
    flagged is inlined (computed twice from scans) rather than materialized, which for
    100M raw events spilled over 50 GB (macros/cross_db/cxux_inline_cte.sql) #}
source as {{ cxux_inline_cte() }} (

    select * from {{ cxux_raw_relation(table_name) }}
    {%- if cutoff %}
    where {{ raw_key }} in (select refresh_row_id from keys_to_refresh)
    {%- endif %}

),

typed as {{ cxux_inline_cte() }} (

    select
        {%- for column in columns %}
        {{ cxux_mapped_value(table_name, column.name, cxux_try_cast(adapter.quote(column.name), cxux_contract_type(column.data_type))) }} as {{ column.name }},
        {{ adapter.quote(column.name) }} as _raw__{{ column.name }},
        {%- endfor %}
        {%- for name in passthrough %}
        {{ adapter.quote(name) }} as {{ name }},
        {%- endfor %}
        {{ raw_key }} as _cxux_row_id
    from source

),
{% for column in columns %}
{%- set meta = cxux_contract_meta(column) -%}
{%- if meta.get('references') -%}
{%- set parent, parent_column = meta.references.split('.') %}

parent_{{ column.name }} as (

    {#- the parent's accepted rows: stg_raw__<parent> has one row per key (tested),
        so this join cannot multiply rows #}
    select
        {{ parent_column }} as parent_key
        {%- for extra in parent_columns.get(column.name, []) %},
        {{ extra }} as {{ column.name }}__{{ extra }}
        {%- endfor %}
    from {{ ref('stg_raw__' ~ parent) }}

),
{%- endif -%}
{%- endfor %}

joined as {{ cxux_inline_cte() }} (

    select
        typed.*
        {%- for column in columns -%}
        {%- if cxux_contract_meta(column).get('references') %},
        parent_{{ column.name }}.parent_key as _parent__{{ column.name }}
        {%- for extra in parent_columns.get(column.name, []) %},
        parent_{{ column.name }}.{{ column.name }}__{{ extra }}
        {%- endfor -%}
        {%- endif -%}
        {%- endfor %}
    from typed
    {%- for column in columns -%}
    {%- if cxux_contract_meta(column).get('references') %}
    left join parent_{{ column.name }}
        on typed.{{ column.name }} = parent_{{ column.name }}.parent_key
    {%- endif -%}
    {%- endfor %}

),

repeated_keys as (

    {#- keys with more than one raw row; usually few, so only their rows are ranked
        (a window over every row would sort the whole table) #}
    {#- reads the source again rather than `typed`: a second reference would make
        some engines materialise the whole typed table; this scan reads key columns only #}
    select
        {{ raw_key }} as repeated_row_id
        {%- if version_column %},
        max({{ cxux_try_cast(adapter.quote(version_column), cxux_contract_type(table.columns[version_column].data_type)) }})
            as _cxux_latest_version
        {%- endif %}
    from {{ cxux_raw_relation(table_name) }}
    {%- if cutoff %}
    where {{ raw_key }} in (select refresh_row_id from keys_to_refresh)
    {%- endif %}
    group by {{ raw_key }}
    having count(*) > 1

),

flagged as {{ cxux_inline_cte() }} (

    select
        joined.*,
        repeated_keys.repeated_row_id is not null as _cxux_has_copies
        {%- if version_column %},
        repeated_keys._cxux_latest_version
        {%- endif %}
    from joined
    left join repeated_keys
        on joined._cxux_row_id = repeated_keys.repeated_row_id

),

single_rows as (

    select
        flagged.*,
        cast(null as {{ dbt.type_string() }}) as _cxux_row_fingerprint,
        cast(1 as {{ dbt.type_bigint() }}) as _cxux_duplicate_rank,
        cast(null as {{ dbt.type_string() }}) as _cxux_kept_fingerprint
    from flagged
    where not _cxux_has_copies

),

copies as (

    {#- the JSON text of the row breaks ties between copies and tells exact
        duplicates apart #}
    select
        flagged.*,
        {{ cxux_row_to_json(raw_row_pairs) }} as _cxux_row_fingerprint
    from flagged
    where _cxux_has_copies

),

copies_ranked as (

    select
        copies.*,
        cast(row_number() over (
            partition by _cxux_row_id
            order by {% if version_column %}{{ version_column }} desc nulls last, {% endif %}_cxux_row_fingerprint
        ) as {{ dbt.type_bigint() }}) as _cxux_duplicate_rank,
        first_value(_cxux_row_fingerprint) over (
            partition by _cxux_row_id
            order by {% if version_column %}{{ version_column }} desc nulls last, {% endif %}_cxux_row_fingerprint
        ) as _cxux_kept_fingerprint
    from copies

),

ranked as (

    select * from single_rows
    union all
    select * from copies_ranked

),

checked as (

    select
        ranked.*,
        {{ cxux_concat_ws('; ', reasons) }} as _cxux_all_reasons
    from ranked

),

final as (

    select
        {%- for column in columns %}
        {{ column.name }},
        {%- endfor %}
        {%- for name in passthrough %}
        {{ name }},
        {%- endfor %}
        _cxux_row_id,
        _cxux_duplicate_rank,
        nullif(_cxux_all_reasons, '') as _cxux_reasons,
        case
            when nullif(_cxux_all_reasons, '') is not null then {{ cxux_row_to_json(raw_row_pairs) }}
        end as _cxux_raw_row
    from checked

)

select * from final
{%- endif -%}
{%- endmacro %}


{#- A raw value as shown in a reason: strings quoted, numbers and timestamps bare. -#}
{% macro _cxux_shown_value(text_expression, data_type) -%}
    {%- if data_type == 'string' -%}
        {{ return(dbt.concat(["''''", text_expression, "''''"])) }}
    {%- else -%}
        {{ return(text_expression) }}
    {%- endif -%}
{%- endmacro %}


{#- "<label>: <value> <text>" as a SQL string expression. -#}
{% macro _cxux_message(label, shown_value, text) -%}
    {{ return(dbt.concat([_cxux_literal(label ~ ': '), shown_value, _cxux_literal(' ' ~ text)])) }}
{%- endmacro %}


{#- A SQL string literal (quotes doubled). -#}
{% macro _cxux_literal(text) -%}
    {{ return("'" ~ (text | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}
