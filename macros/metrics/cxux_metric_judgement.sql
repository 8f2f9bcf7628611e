{#- Target in force, sample sufficiency and status: the same for every type. -#}

{#- Target entries as a list of {from (date string or none), value}. Accepts a number,
    a list of {from, value} (also `target` for value), or a mapping date -> value. -#}
{% macro cxux_metric_targets(definition) -%}
    {%- set raw = definition.get('target') if definition.get('target') is not none else definition.get('targets') -%}
    {%- set entries = [] -%}
    {%- if raw is none -%}
    {%- elif raw is number -%}
        {%- do entries.append({'from': none, 'value': raw}) -%}
    {%- elif raw is mapping and (raw.get('value') is not none) -%}
        {%- do entries.append({'from': raw.get('from'), 'value': raw['value']}) -%}
    {%- elif raw is mapping -%}
        {%- for key, value in raw.items() -%}
            {%- do entries.append({'from': key, 'value': value}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- for item in raw -%}
            {%- if item is number -%}
                {%- do entries.append({'from': none, 'value': item}) -%}
            {%- else -%}
                {%- do entries.append({'from': item.get('from') or item.get('since') or item.get('valid_from'),
                                       'value': item.get('value') if item.get('value') is not none else item.get('target')}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(entries) }}
{%- endmacro %}

{#- The target in force at period_start: the entry with the latest `from` on or
    before period_start (an entry without `from` applies from the beginning). -#}
{% macro cxux_metric_target_in_force(definition, period_start='period_start') -%}
    {%- set entries = cxux_metric_targets(definition) -%}
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

{#- Status (docs/metrics_spec.md), in this order:
      1. insufficient_sample when min_sample is set and sample_size < min_sample;
      2. with thresholds: critical when beyond critical (below it for
         higher_is_better, above it for lower_is_better), else warning when beyond
         warning, else on_track;
      3. without thresholds but with a target in force: on_track when the value
         meets it (>= for higher, <= for lower), else warning;
      4. no_target when there is neither (or the value is null). -#}
{% macro cxux_metric_status(definition, value='value', target='target', is_sufficient='is_sample_sufficient') -%}
    {%- set thresholds = definition.get('thresholds') or {} -%}
    {%- set higher = (definition.get('direction') or 'higher_is_better') == 'higher_is_better' -%}
    {%- set warning = cxux_double(thresholds['warning']) if thresholds.get('warning') is not none else target -%}
    {%- set critical = thresholds.get('critical') -%}
    {%- set cmp = '>=' if higher else '<=' -%}
    case
        when not {{ is_sufficient }} then 'insufficient_sample'
        when {{ value }} is null or {{ warning }} is null then 'no_target'
        {%- if critical is not none %}
        when not ({{ value }} {{ cmp }} {{ cxux_double(critical) }}) then 'critical'
        {%- endif %}
        when {{ value }} {{ cmp }} {{ warning }} then 'on_track'
        else 'warning'
    end
{%- endmacro %}

{#- Final select shared by every type. Expects a relation `computed` with grain,
    period_start, dimension_name, dimension_value, value, numerator, denominator,
    sample_size, ci_lower, ci_upper, ci_method; adds the judgement columns and
    casts everything to the metric_values contract. checksum: also keep
    source_checksum (incremental metric models, docs/incremental.md). -#}
{% macro cxux_metric_finalize(definition, computed='computed', checksum=false) -%}
    {%- set grains = cxux_metric_grains(definition) -%}
    {%- set min_sample = cxux_metric_param(definition, 'min_sample') -%}
    {%- set confidence = cxux_metric_param(definition, 'confidence', 0.95) -%}
    {%- set digits = var('cxux_metric_round_digits', none) -%}
    {%- set type_double = cxux_type_double() -%}
    {%- set type_string = dbt.type_string() -%}
with_judgement as (
    select
        *,
        {{ cxux_metric_target_in_force(definition, 'period_start') }} as target,
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
        {{ cxux_period_end_by_grain('grain', 'period_start', grains) }} as period_end,
        cast(dimension_name as {{ type_string }}) as dimension_name,
        cast(dimension_value as {{ type_string }}) as dimension_value,
        {%- for column in ['value', 'numerator', 'denominator'] %}
        {{ cxux_metric_round('cast(' ~ column ~ ' as ' ~ type_double ~ ')', digits) }} as {{ column }},
        {%- endfor %}
        cast(sample_size as {{ dbt.type_bigint() }}) as sample_size,
        {{ cxux_metric_round('cast(ci_lower as ' ~ type_double ~ ')', digits) }} as ci_lower,
        {{ cxux_metric_round('cast(ci_upper as ' ~ type_double ~ ')', digits) }} as ci_upper,
        cast(ci_method as {{ type_string }}) as ci_method,
        cast({{ confidence }} as {{ type_double }}) as confidence,
        cast({{ min_sample if min_sample is not none else 'null' }} as {{ dbt.type_bigint() }}) as min_sample,
        is_sample_sufficient,
        target,
        cast({{ cxux_metric_status(definition) }} as {{ type_string }}) as status,
        cast('{{ definition.get('direction') or 'higher_is_better' }}' as {{ type_string }}) as direction,
        cast({{ "'" ~ definition.get('unit') ~ "'" if definition.get('unit') else 'null' }} as {{ type_string }}) as unit
        {%- if checksum %},
        cast(source_checksum as {{ dbt.type_bigint() }}) as source_checksum
        {%- endif %}
    from with_judgement
)

select * from final
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
