{#- Target in force, sample sufficiency and status: the same for every type. -#}

{#- The target in force at period_start: the entry with the latest `from` on or
    before period_start (an entry without `from` applies from the beginning).
    definition['target'] is the normalized list of {from, value}, sorted by from. -#}
{% macro cxux_metric_target_in_force(definition, period_start='period_start') -%}
    {%- set entries = definition['target'] -%}
    {%- set dated = entries | rejectattr('from', 'none') | sort(attribute='from', reverse=true) -%}
    {%- set undated = entries | selectattr('from', 'none') | list -%}
    {%- set fallback = cxux_double(undated[0]['value']) if undated else 'cast(null as ' ~ cxux_type_double() ~ ')' -%}
    {%- if dated | length == 0 -%}
        {{ fallback }}
    {%- else -%}
        case
            {%- for entry in dated %}
            when {{ period_start }} >= cast('{{ entry['from'] }}' as date) then {{ cxux_double(entry['value']) }}
            {%- endfor %}
            else {{ fallback }}
        end
    {%- endif -%}
{%- endmacro %}

{#- Status (docs/metrics_spec.md, "Targets, thresholds and status"), in this order:
      1. insufficient_sample when sample_size < min_sample;
      2. no_target when the value is null, or there is neither a target in force
         nor thresholds;
      3. critical when beyond the critical threshold (below it for
         higher_is_better, above it for lower_is_better; on it is not beyond);
      4. warning when beyond the warning threshold;
      5. on_target when the value meets the target in force (>= for higher, <= for
         lower); off_target when it misses it (not beyond the warning threshold);
      6. no_target when only thresholds are declared and neither is crossed.
    A value is therefore never on_target unless it meets its target. -#}
{% macro cxux_metric_status(definition, value='value', target='target', warning='warning_threshold', critical='critical_threshold', is_sufficient='is_sample_sufficient') -%}
    {%- set cmp = '>=' if definition['direction'] == 'higher_is_better' else '<=' -%}
    case
        when not {{ is_sufficient }} then 'insufficient_sample'
        when {{ value }} is null then 'no_target'
        when {{ critical }} is not null and not ({{ value }} {{ cmp }} {{ critical }}) then 'critical'
        when {{ warning }} is not null and not ({{ value }} {{ cmp }} {{ warning }}) then 'warning'
        when {{ target }} is not null and {{ value }} {{ cmp }} {{ target }} then 'on_target'
        when {{ target }} is not null then 'off_target'
        else 'no_target'
    end
{%- endmacro %}


{#- Final select shared by every type. Expects a relation `computed` with grain,
    period_start, dimension_name, dimension_value, value, numerator, denominator,
    sample_size, ci_lower, ci_upper, ci_method; adds the judgement columns (target,
    thresholds, status, is_complete_period) and casts everything to the
    metric_values contract (models/marts/metrics/_metrics__models.yml). checksum: also keep
    source_checksum (incremental metric models, docs/incremental.md). -#}
{% macro cxux_metric_finalize(definition, computed='computed', checksum=false) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set min_sample = definition['min_sample'] -%}
    {%- set thresholds = definition['thresholds'] -%}
    {%- set digits = var('cxux_metric_round_digits', none) -%}
    {%- set type_double = cxux_type_double() -%}
    {%- set type_string = dbt.type_string() -%}
with_judgement as (

    select
        *,
        {{ cxux_metric_period_end_by_grain(grains) }} as period_end_date,
        {{ cxux_metric_target_in_force(definition, 'period_start') }} as target,
        cast({{ thresholds['warning'] if thresholds else 'null' }} as {{ type_double }}) as warning_threshold,
        cast({{ thresholds['critical'] if thresholds else 'null' }} as {{ type_double }}) as critical_threshold,
        {%- if min_sample is not none %}
        coalesce(sample_size, 0) >= {{ min_sample }} as is_sample_sufficient
        {%- else %}
        true as is_sample_sufficient
        {%- endif %}
    from {{ computed }}

),

final as (

    select
        cast('{{ definition['name'] }}' as {{ type_string }}) as metric_name,
        cast(grain as {{ type_string }}) as grain,
        cast(period_start as date) as period_start,
        period_end_date as period_end,
        cast(dimension_name as {{ type_string }}) as dimension_name,
        cast(dimension_value as {{ type_string }}) as dimension_value,
        {%- for column in ['value', 'numerator', 'denominator'] %}
        {{ cxux_metric_round('cast(' ~ column ~ ' as ' ~ type_double ~ ')', digits) }} as {{ column }},
        {%- endfor %}
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size,
        {{ cxux_metric_round('cast(ci_lower as ' ~ type_double ~ ')', digits) }} as ci_lower,
        {{ cxux_metric_round('cast(ci_upper as ' ~ type_double ~ ')', digits) }} as ci_upper,
        cast(ci_method as {{ type_string }}) as ci_method,
        cast({{ definition['confidence'] }} as {{ type_double }}) as confidence,
        cast({{ min_sample if min_sample is not none else 'null' }} as {{ dbt.type_bigint() }}) as min_sample,
        is_sample_sufficient,
        {#- complete when its exclusive end is on or before the build's as-of (cxux_as_of): at
            as-of 2026-12-06 November (ends 2026-12-01) is complete, December is not.
            Incremental metric models rebuild the periods stored as incomplete on every
            run, so a period turns complete once it is over. #}
        cast(cast(period_end_date as {{ dbt.type_timestamp() }}) <= {{ cxux_as_of() }} as {{ dbt.type_boolean() }}) as is_complete_period,
        cast(target as {{ type_double }}) as target,
        warning_threshold,
        critical_threshold,
        cast({{ cxux_metric_status(definition) }} as {{ type_string }}) as status,
        cast('{{ definition['direction'] }}' as {{ type_string }}) as direction,
        cast('{{ definition['unit'] }}' as {{ type_string }}) as unit
        {%- if checksum %},
        cast(source_checksum as {{ dbt.type_bigint() }}) as source_checksum
        {%- endif %}
    from with_judgement

)

select * from final
{%- endmacro %}

{#- The exclusive end of each row's period, as a date (rows carry grain and period_start). -#}
{% macro cxux_metric_period_end_by_grain(grains) -%}
    cast({{ cxux_period_end_by_grain('grain', 'period_start', grains) }} as date)
{%- endmacro %}

{#- Rounding is off in production (var unset). Unit tests set the var
    cxux_metric_round_digits so irrational results (intervals, means of logs) can be
    compared with hand-computed decimals: dbt unit tests compare exactly. -#}
{% macro cxux_metric_round(expression, digits) -%}
    {%- if digits is none -%}
        {{ expression }}
    {%- else -%}
        {{ adapter.dispatch('cxux_metric_round', 'cxux')(expression, digits) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__cxux_metric_round(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro postgres__cxux_metric_round(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}
