{#- Metric models that follow a fact's change feed (docs/incremental.md, "Metric models
    that follow a change feed").

    A metric on a fact with a change feed (cxux_change_feed.sql) recomputes, on an
    incremental run, only the slices (grain, period, dimension value) whose rows the run
    changed, from the fact, and leaves every other slice as it is. Which slices: the
    feed's signed rows are counted per grain, period, slice and the columns the metric
    reads; a slice changed where a count is not zero. A restated page view (-1 in its
    old slice, +1 in its new one) nets to zero in its day, device and platform, and
    changes only the slices it left and joined. Unchanged rows rewritten by the fact's
    lookback are not in the feed at all. Exact by construction: a changed slice is
    computed from all of its rows, as a full build would.

    The model's pre-hook (cxux_metric_feed_sync) writes <metric model>__recompute, in
    the intermediate schema: the slices to recompute in this run, plus one marker row
    (grain null; dimension_name = the definition's hash, dimension_value = the feed run
    the model reflects), and deletes those slices from the model (a slice whose rows
    all left is then gone). Modes, from the marker and the feed's:
      apply    the feed's previous run is the one the model reflects: the slices the
               feed changed;
      none     the model already reflects the feed's run (the fact did not run);
      rebuild  anything else (first build, full refresh, a changed definition, a fact
               built in full, a missed or failed run of the fact): every slice.
    In every mode the periods stored as incomplete are recomputed too (their status
    and completeness move with the as-of). On Spark the models are tables: no feed. -#}

{#- True when the model being built follows a feed: an incremental metric model that
    `cxux metrics compile` marked (meta cxux_metric_feed; compiler.follows_feed), outside
    unit tests (which build from fixture rows). -#}
{% macro cxux_metric_follows_feed() -%}
    {{ return(config.get('materialized') == 'incremental'
              and (config.get('meta') or {}).get('cxux_metric_feed', false)
              and model.resource_type == 'model') }}
{%- endmacro %}

{% macro cxux_metric_recompute_relation() -%}
    {%- set schema = generate_schema_name('intermediate', model) | trim -%}
    {{ return(api.Relation.create(database=this.database, schema=schema,
                                  identifier=this.identifier ~ '__recompute', type='table')) }}
{%- endmacro %}

{#- The fact columns whose change can change a slice's value: every column the
    definition reads, but the time and the dimension columns when nothing else reads them
    (they place a row in its period and slice, which the grouping already tells; so a
    restated row that only moves region nets to zero in its device's slices). Leaving in
    a column that does not matter costs a slice recomputed for nothing, never a wrong value. -#}
{% macro cxux_metric_read_columns(definition) -%}
    {%- set placing = [definition['time']] -%}
    {%- for dimension in cxux_metric_dimensions(definition) -%}{%- do placing.append(dimension['expression']) -%}{%- endfor -%}
    {%- set other_expressions = tojson([definition['measure'], definition['filter'], definition['condition'],
                                         definition['numerator'], definition['denominator']]) -%}
    {%- set read = [] -%}
    {%- for column in definition['columns'] -%}
        {%- if column not in placing or column in other_expressions -%}{%- do read.append(column) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(read) }}
{%- endmacro %}

{#- The slices (grain, period_start, dimension_name, dimension_value) of `source`: all of
    them (read_columns empty, row_weight 1), or, with the feed's sign as row_weight, those
    whose rows changed: where some combination of the read columns nets to non-zero. -#}
{% macro cxux_metric_feed_slices(definition, source, read_columns=[], row_weight='1', where=none) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set dimensions = cxux_metric_dimensions(definition) -%}
    {%- set crossings = cxux_metric_crossings(definition) -%}
    {%- set columns = [] -%}
    {%- for column in read_columns -%}{%- do columns.append(('read__' ~ column, column)) -%}{%- endfor -%}
    select distinct grain, period_start, dimension_name, dimension_value
    from (
        select
            {{ cxux_metric_grouped_period(grains) }}
            {{ cxux_metric_slice_columns(dimensions, crossings) }}
            sum(row_weight) as net_rows
        from ({{ cxux_metric_filtered(definition, columns, source, row_weight, where) }}) as filtered
        group by grouping sets (
            {{ cxux_metric_grouping_sets(grains, dimensions, crossings, columns | map(attribute=0) | list) | join(',\n            ') }}
        )
    ) as counted
    where net_rows <> 0
{%- endmacro %}

{#- The pre-hook: which slices this run recomputes (see the top of this file). -#}
{% macro cxux_metric_feed_sync(name) -%}
    {%- if not execute or not cxux_metric_follows_feed() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set definition = cxux_metric_definition(name) -%}
    {%- set definition_hash = local_md5(tojson(definition, sort_keys=true)) -%}
    {%- set recompute = cxux_metric_recompute_relation() -%}
    {%- set fact = ref(definition['model']) -%}
    {%- set feed_relation = cxux_change_feed_relation(fact) -%}
    {%- set feed = cxux_change_feed_marker(feed_relation) -%}
    {%- set incremental = load_relation(this) is not none and not should_full_refresh() -%}
    {%- set applied = none -%}
    {%- set stored_hash = none -%}
    {%- if cxux_relation_exists(recompute) -%}
        {%- set markers = run_query('select dimension_name, dimension_value from ' ~ recompute ~ ' where grain is null').rows -%}
        {%- if markers | length == 1 -%}
            {%- set stored_hash = markers[0][0] -%}
            {%- set applied = markers[0][1] -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not incremental or stored_hash != definition_hash or feed is none or applied is none -%}
        {%- set mode = 'rebuild' -%}
    {%- elif feed['run'] == applied -%}
        {%- set mode = 'none' -%}
    {%- elif feed['complete'] and feed['previous'] == applied -%}
        {%- set mode = 'apply' -%}
    {%- else -%}
        {%- set mode = 'rebuild' -%}
    {%- endif -%}
    {%- set slice = ['grain', 'period_start', 'dimension_name', 'dimension_value'] -%}
    {%- do log('cxux: ' ~ this.identifier ~ ' follows the feed: ' ~ mode, info=false) -%}
    {%- do adapter.create_schema(recompute) %}
    drop table if exists {{ recompute }};
    create table {{ recompute }} as
    {%- if not incremental %}
    {#- a full build computes every slice by itself: the marker only #}
    select {% for column in slice %}cast(null as {{ dbt.type_string() if column != 'period_start' else 'date' }}) as {{ column }}{{ ', ' if not loop.last }}{% endfor %}
    where 1 = 0
    {%- else %}
    select {{ slice | join(', ') }}
    from ({{ cxux_metric_feed_slices(definition, fact) if mode == 'rebuild'
             else cxux_metric_feed_slices(definition, feed_relation, cxux_metric_read_columns(definition), '_cxux_sign', '_cxux_sign <> 0') if mode == 'apply'
             else 'select ' ~ slice | join(', ') ~ ' from ' ~ this ~ ' where 1 = 0' }}) as changed
    union
    select {{ slice | join(', ') }}
    from {{ this }}
    where not is_complete_period
    {%- endif %};
    insert into {{ recompute }} ({{ slice | join(', ') }})
    values (null, null, '{{ definition_hash }}', {{ "'" ~ feed['run'] ~ "'" if feed else 'null' }});
    {%- if incremental %}
    {#- recomputed slices are inserted again; one whose rows all left stays deleted #}
    delete from {{ this }}{% if mode != 'rebuild' %} as stored
    where exists (
        select 1
        from {{ recompute }} as recomputed
        where {% for column in slice %}recomputed.{{ column }} = stored.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
    ){% endif %};
    {%- endif %}
{%- endmacro %}
