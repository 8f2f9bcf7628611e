{#-
    Incremental builds of the large usage models (rules: docs/incremental.md).

    Each incremental model reprocesses, by its unique key, every row that a daily load
    can have changed, and recomputes those keys from all of their input rows:
      1. rows received in the lookback window: received_at >= (the latest received_at
         already in the model) - var cxux_lookback_days (default 3), so events that
         arrive late are still counted;
      2. anonymous rows of anonymous_ids whose stitched user may have changed: ids whose
         winning sighting (int_identities_stitched.first_sighting_received_at) arrived in
         the window, e.g. a visitor who signed in today;
      3. rows of users whose denormalised user/customer attributes changed in the
         dimensions (stored values compared with dim_users / dim_customers).
    `dbt build --full-refresh` rebuilds everything.
-#}

{#- incremental everywhere but Spark: dbt-spark's delete+insert does not exist and its
    merge needs Delta; there the models stay full tables (docs/engines.md). -#}
{% macro cxux_incremental_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

{#- The lookback cutoff as a SQL timestamp literal, or none on a full build (first run,
    --full-refresh, or an empty model): then the model selects everything.
    `where` limits the rows whose latest value counts (e.g. accepted rows only, so a
    quarantined timestamp in the future does not move the window). -#}
{% macro cxux_incremental_cutoff(column_name, where=none) -%}
    {#- unit tests build the model from fixtures: always the full branch -#}
    {%- if not execute or model.resource_type != 'model' or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query('select max(' ~ column_name ~ ') from ' ~ this ~ (' where ' ~ where if where else '')) -%}
    {%- set latest = result.columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if latest is string -%}
        {%- set latest = modules.datetime.datetime.fromisoformat(latest[:26]) -%}
    {%- endif -%}
    {%- set cutoff = latest - modules.datetime.timedelta(days=var('cxux_lookback_days', 3) | int) -%}
    {{ return("cast('" ~ cutoff.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}

{#- anonymous_ids whose stitched user may have changed since `cutoff` (rule 2); the
    calling model has an import CTE named int_identities_stitched. -#}
{% macro cxux_restitched_anonymous_ids(cutoff) -%}
    select anonymous_id
    from int_identities_stitched
    where first_sighting_received_at >= {{ cutoff }}
{%- endmacro %}

{#- Rows of a stitched usage relation (alias `rows_alias`) that rules 1 and 2 select. -#}
{% macro cxux_changed_usage_rows_condition(rows_alias, cutoff) -%}
    ({{ rows_alias }}.received_at >= {{ cutoff }}
        or ({{ rows_alias }}.tracked_user_id is null
            and {{ rows_alias }}.anonymous_id in ({{ cxux_restitched_anonymous_ids(cutoff) }})))
{%- endmacro %}

{#- user_ids whose stored attributes in {{ this }} differ from the dimensions (rule 3).
    comparisons: [(stored column, current expression over dim_users / dim_customers)];
    the calling model has import CTEs named dim_users and dim_customers. -#}
{% macro cxux_users_with_changed_attributes(comparisons, extra_stored_columns=[]) -%}
    {%- set stored_columns = [] -%}
    {%- for stored_column, _ in comparisons -%}{%- do stored_columns.append(stored_column) -%}{%- endfor -%}
    select distinct stored.user_id
    from (
        select distinct user_id, {{ (stored_columns + extra_stored_columns) | unique | join(', ') }}
        from {{ this }}
        where user_id is not null
    ) as stored
    left join dim_users
        on stored.user_id = dim_users.user_id
    left join dim_customers
        on dim_users.account_id = dim_customers.account_id
    where
    {%- for stored_column, current in comparisons %}
        {{ 'or ' if not loop.first }}{{ cxux_is_distinct_from('stored.' ~ stored_column, current) }}
    {%- endfor %}
{%- endmacro %}

{% macro cxux_is_distinct_from(left, right) -%}
    {{ return(adapter.dispatch('cxux_is_distinct_from', 'cxux')(left, right)) }}
{%- endmacro %}

{% macro default__cxux_is_distinct_from(left, right) -%}
    ({{ left }} is distinct from {{ right }})
{%- endmacro %}

{% macro spark__cxux_is_distinct_from(left, right) -%}
    (not ({{ left }} <=> {{ right }}))
{%- endmacro %}

{#- Task attempts whose row can have changed since `cutoff`: attempts with a task event
    selected by rules 1-2, and attempts in a session with such an error event (their
    error_count). The calling model has an import CTE named int_events_stitched. -#}
{% macro cxux_task_attempts_to_refresh(cutoff) -%}
    select task_attempt_id
    from int_events_stitched as changed
    where task_attempt_id is not null
        and event_name in ('task_started', 'task_completed', 'task_failed', 'task_abandoned')
        and {{ cxux_changed_usage_rows_condition('changed', cutoff) }}

    union

    select task_events.task_attempt_id
    from int_events_stitched as task_events
    where task_events.task_attempt_id is not null
        and task_events.event_name in ('task_started', 'task_completed', 'task_failed', 'task_abandoned')
        and task_events.session_id in (
            select changed.session_id
            from int_events_stitched as changed
            where changed.event_name = 'error'
                and {{ cxux_changed_usage_rows_condition('changed', cutoff) }}
        )
{%- endmacro %}
