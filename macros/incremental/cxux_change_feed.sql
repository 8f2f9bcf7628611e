{#- Change feeds of the big usage facts (docs/incremental.md, "Change feeds").

    A fact with incremental_strategy='cxux_changes' keeps, beside itself, a feed of what
    its last run changed: the old version of every row the run replaced (_cxux_sign -1)
    and the new version (+1), rows the run rewrote unchanged left out. Its consumers, the
    metric models on the fact (cxux_metric_feed.sql), read from it which slices changed
    and recompute only those.

    The feed is the table <fact>__changes in the intermediate schema (not in the marts:
    BI tools and the publish step never see it). It holds one run only, and one marker
    row (_cxux_sign 0, every fact column null) that says which run that is:
      _cxux_feed_run      the dbt invocation that last built the fact;
      _cxux_previous_run  the invocation before it (null: none known);
      _cxux_feed_complete true when the feed holds exactly what that run changed.
    A consumer that reflects _cxux_previous_run applies the feed; any other state (a
    missed run, a full refresh, a first build, a failed run) makes it recompute
    everything. On Spark the facts are tables and there is no feed. -#}

{% macro cxux_change_feed_relation(relation) -%}
    {#- the intermediate schema as the project (or the host) names it -#}
    {%- set schema = generate_schema_name('intermediate', model) | trim -%}
    {{ return(api.Relation.create(database=relation.database, schema=schema,
                                  identifier=relation.identifier ~ '__changes', type='table')) }}
{%- endmacro %}

{#- Whether a table exists, asked of the database: the feed and the metric state are
    created by hooks and strategies, which dbt's relation cache does not see. -#}
{% macro cxux_relation_exists(relation) -%}
    {#- not get_columns_in_relation: on DuckDB a missing table rolls the transaction back -#}
    {%- set found = run_query("select count(*) from information_schema.tables where table_catalog = '"
        ~ relation.database ~ "' and table_schema = '" ~ relation.schema ~ "' and table_name = '"
        ~ relation.identifier ~ "'").columns[0].values()[0] -%}
    {{ return(found | int > 0) }}
{%- endmacro %}

{#- The feed's marker {run, previous, complete}, or none when there is no feed. -#}
{% macro cxux_change_feed_marker(feed) -%}
    {%- if not cxux_relation_exists(feed) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set rows = run_query('select _cxux_feed_run, _cxux_previous_run, _cxux_feed_complete from '
                             ~ feed ~ ' where _cxux_sign = 0').rows -%}
    {%- if rows | length != 1 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'run': rows[0][0], 'previous': rows[0][1], 'complete': rows[0][2] in [true, 'true', 1]}) }}
{%- endmacro %}

{#- Pre-hook of a fact with a feed, on every build (full or incremental): the feed now
    speaks of this invocation and is incomplete. Only the cxux_changes strategy (an
    incremental run) completes it; a full build leaves it incomplete, so its consumers
    rebuild. The change rows of the previous run go. -#}
{% macro cxux_change_feed_begin() -%}
    {%- if not execute or config.get('materialized') != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set feed = cxux_change_feed_relation(this) -%}
    {%- if not cxux_relation_exists(feed) -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ feed }} where _cxux_sign <> 0;
    update {{ feed }}
    set _cxux_previous_run = _cxux_feed_run,
        _cxux_feed_run = '{{ invocation_id }}',
        _cxux_feed_complete = false
    where _cxux_sign = 0
{%- endmacro %}

{#- Post-hook: a fact built in full (first build, full refresh) where no feed exists yet
    gets one holding only its marker: this run, incomplete. Its consumers rebuild in this
    run and record it, so the next incremental run's feed can be applied. -#}
{% macro cxux_change_feed_end() -%}
    {%- if not execute or config.get('materialized') != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set feed = cxux_change_feed_relation(this) -%}
    {%- if cxux_relation_exists(feed) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='quoted') | list -%}
    {%- do adapter.create_schema(feed) -%}
    create table {{ feed }} as
    {{ cxux_change_feed_marker_row(this, columns,
        "cast('" ~ invocation_id ~ "' as " ~ dbt.type_string() ~ ") as _cxux_feed_run, "
        ~ "cast(null as " ~ dbt.type_string() ~ ") as _cxux_previous_run, false as _cxux_feed_complete") }}
{%- endmacro %}

{#- The marker row: every fact column null, typed like the fact's. -#}
{% macro cxux_change_feed_marker_row(fact, columns, run_columns) -%}
    select {% for column in columns %}marker_columns.{{ column }}, {% endfor %}0 as _cxux_sign, {{ run_columns }}
    from (select 1 as cxux_marker) as marker_row
    left join {{ fact }} as marker_columns on 1 = 0
{%- endmacro %}

{#- The strategy: delete+insert on the unique key, after writing the feed. Old rows of
    the keys the run rebuilds minus the rebuilt rows (EXCEPT ALL: nulls compare equal)
    are -1, the rebuilt rows minus the old ones +1, so rows rewritten unchanged (most of
    the lookback window) are not in the feed. -#}
{% macro get_incremental_cxux_changes_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set temp = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set key = '(' ~ keys | join(', ') ~ ')' -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | list -%}
    {%- set column_list = columns | join(', ') -%}
    {%- set feed = cxux_change_feed_relation(target) -%}
    {%- set marker = cxux_change_feed_marker(feed) -%}
    {#- the pre-hook moved this run into the marker; no marker: nothing before is known -#}
    {%- set previous = marker['previous'] if marker and marker['run'] == invocation_id else none -%}
    {#- the old versions, read from the fact once (both differences use them) -#}
    {%- set replaced = api.Relation.create(identifier=target.identifier ~ '__replaced', type='table') -%}
    {%- set old_rows = 'select ' ~ column_list ~ ' from ' ~ replaced -%}
    {%- set new_rows = 'select ' ~ column_list ~ ' from ' ~ temp -%}
    {%- set run_columns -%}
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as _cxux_feed_run,
        cast({{ "'" ~ previous ~ "'" if previous else 'null' }} as {{ dbt.type_string() }}) as _cxux_previous_run,
        true as _cxux_feed_complete
    {%- endset -%}
    {%- do adapter.create_schema(feed) -%}
    {%- call statement('cxux_change_feed') -%}
        drop table if exists {{ replaced }};
        create temporary table {{ replaced }} as
        select {{ column_list }} from {{ target }}
        where {{ key }} in (select {{ keys | join(', ') }} from {{ temp }});
        drop table if exists {{ feed }};
        create table {{ feed }} as
        select removed.*, -1 as _cxux_sign, {{ run_columns }}
        from ({{ old_rows }} except all {{ new_rows }}) as removed
        union all
        select added.*, 1 as _cxux_sign, {{ run_columns }}
        from ({{ new_rows }} except all {{ old_rows }}) as added
        union all
        {#- the marker: one row, every fact column null and typed like the fact's #}
        {{ cxux_change_feed_marker_row(target, columns, run_columns) }};
        drop table {{ replaced }}
    {%- endcall -%}
    {{ return(get_incremental_delete_insert_sql(arg_dict)) }}
{%- endmacro %}
