{#-
    Data tests of the big incremental models check only the lookback window on
    incremental runs (docs/incremental.md, "Data tests").

    A model opts in with `config: meta: cxux_test_window: <column>` (a timestamp that
    grows with each load, e.g. received_at), or with
    `{column: <column>, latest_where: <condition>}` when only some rows may set the
    latest value (the validated raw tables: accepted rows only, so a quarantined
    timestamp in the future does not empty the window). Its generic data tests then
    see only the rows with <column> >= (latest <column>) - var cxux_lookback_days: the
    rows an incremental run rebuilt from the new load. Every row is checked on
    `--full-refresh` and with `--vars '{cxux_full_tests: true}'`.

    dbt wraps the tested model of every generic test in get_where_subquery (the `where`
    test config); this override adds the window to that filter. dbt's own `where`
    still works and is combined with `and`.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set window = cxux_test_window_condition(relation) -%}
    {%- if window -%}
        {%- do conditions.append(window) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}

{#- The window condition for the model a data test is attached to, or none (a full
    check): not declared, a full refresh, or var cxux_full_tests. -#}
{% macro cxux_test_window_condition(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or var('cxux_full_tests', false) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set attached = model.attached_node if model.resource_type == 'test' else none -%}
    {%- if not attached or attached not in graph.nodes -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set window = (graph.nodes[attached].config.meta or {}).get('cxux_test_window') -%}
    {%- if not window -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set column = window if window is string else window.column -%}
    {%- set latest_where = none if window is string else window.get('latest_where') -%}
    {%- set latest -%}
        (select max({{ column }}) from {{ relation }}{{ ' where ' ~ latest_where if latest_where }})
    {%- endset -%}
    {{ return(column ~ ' >= ' ~ dbt.dateadd('day', -(var('cxux_lookback_days', 3) | int), latest)) }}
{%- endmacro %}
