{#- The metric definitions' parameters, for every consumer outside metric_values
    (facts' flags, experience marts): one owner per formula (issue 17, DESIGN.md
    "One meaning per number"). A steward's edit to metrics/**/*.yml, compiled by
    `cxux metrics compile` into cxux_metric_registry(), moves these consumers and
    metric_values together.

    The registry holds *normalised* definitions (cxux_cli/metrics/validate.py fills
    every default: promoter_min 9, detractor_max 6, interval, confidence ...), so the
    keys are read directly; a key that is missing means a stale registry, an error.

    Parameters used here, by metric:
      nps      promoter_min, detractor_max, scale, filter, time, interval, confidence
      csat     cut, scale, filter, target
      ces      cut, scale, filter, target
      lcp_p75  percentile, method, filter, time, measure -#}

{#- The normalised definition of `name`; `type` checks it is still of the type the
    consumer's SQL is written for (a steward who turns nps into an average must see
    which consumer breaks), `fact` that it is still computed on the fact the
    consumer reads. -#}
{% macro experience_metric(name, type, fact=none) -%}
    {%- set definition = cxux_metric_definition(name) -%}
    {%- if definition['type'] != type -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ name ~ "' (" ~ definition.get('source_file') ~ ") is of type " ~ definition['type'] ~ ", but " ~ model.name ~ " reads it as a " ~ type ~ " metric (macros/experience/experience_metric_parameters.sql)") }}
    {%- endif -%}
    {%- if fact is not none and definition.get('model') != fact -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ name ~ "' (" ~ definition.get('source_file') ~ ") is computed on " ~ definition.get('model') ~ ", but " ~ model.name ~ " computes it on " ~ fact ~ "; change both or neither") }}
    {%- endif -%}
    {{ return(definition) }}
{%- endmacro %}

{#- One key of a normalised definition; missing or null = a stale registry. -#}
{% macro experience_metric_parameter(definition, key) -%}
    {%- if definition.get(key) is none -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "' (" ~ definition.get('source_file') ~ ") has no `" ~ key ~ "` in cxux_metric_registry(), which " ~ model.name ~ " needs; run `cxux metrics compile`") }}
    {%- endif -%}
    {{ return(definition[key]) }}
{%- endmacro %}

{#- The definition's answer scale as {'min', 'max'} (normalised: a [min, max] list). -#}
{% macro experience_metric_scale(definition) -%}
    {%- set scale = experience_metric_parameter(definition, 'scale') -%}
    {{ return({'min': scale[0], 'max': scale[1]}) }}
{%- endmacro %}

{#- NPS classification of one answer, as SQL booleans over `score` (null when the
    answer is null or off the definition's scale, as cxux_metric_nps leaves such an
    answer out of n):
      promoter: score >= promoter_min; detractor: score <= detractor_max;
      passive: in between. -#}
{% macro experience_nps_classes(score, name='nps') -%}
    {%- set definition = experience_metric(name, 'nps') -%}
    {%- set scale = experience_metric_scale(definition) -%}
    {%- set promoter_min = experience_metric_parameter(definition, 'promoter_min') -%}
    {%- set detractor_max = experience_metric_parameter(definition, 'detractor_max') -%}
    {%- set on_scale = score ~ ' >= ' ~ scale['min'] ~ ' and ' ~ score ~ ' <= ' ~ scale['max'] -%}
    {{ return({
        'promoter': 'case when ' ~ on_scale ~ ' then ' ~ score ~ ' >= ' ~ promoter_min ~ ' end',
        'detractor': 'case when ' ~ on_scale ~ ' then ' ~ score ~ ' <= ' ~ detractor_max ~ ' end',
        'passive': 'case when ' ~ on_scale ~ ' then ' ~ score ~ ' > ' ~ detractor_max ~ ' and ' ~ score ~ ' < ' ~ promoter_min ~ ' end',
    }) }}
{%- endmacro %}

{#- Top box of one answer as a SQL boolean over `score`: score >= the definition's
    `cut`; null when the answer is null or off its scale (cxux_metric_top_box does
    not count such an answer). -#}
{% macro experience_top_box(score, name) -%}
    {%- set definition = experience_metric(name, 'top_box') -%}
    {%- set scale = experience_metric_scale(definition) -%}
    {%- set cut = experience_metric_parameter(definition, 'cut') -%}
    {{ return('case when ' ~ score ~ ' >= ' ~ scale['min'] ~ ' and ' ~ score ~ ' <= ' ~ scale['max'] ~ ' then ' ~ score ~ ' >= ' ~ cut ~ ' end') }}
{%- endmacro %}

{#- The definition's row filter as a SQL condition (always true when it has none):
    the same rows metric_values counts, e.g. nps's one answer per respondent per
    survey wave (is_latest_in_wave). -#}
{% macro experience_metric_filter(definition) -%}
    {{ return('(' ~ definition['filter'] ~ ')' if definition.get('filter') else '(1 = 1)') }}
{%- endmacro %}

{#- The target in force now: the entry with the latest `from` (normalised: a list
    of {from, value}, from null = since always). Used where a consumer has no period
    to date the target by (mart_customer_journey's is_headline_good). -#}
{% macro experience_metric_current_target(definition) -%}
    {%- set targets = definition.get('target') or [] -%}
    {%- if targets | length == 0 -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "' (" ~ definition.get('source_file') ~ ") has no target, which " ~ model.name ~ " needs") }}
    {%- endif -%}
    {%- set dated = targets | selectattr('from') | sort(attribute='from') | list -%}
    {{ return((dated | last)['value'] if dated else (targets | last)['value']) }}
{%- endmacro %}

{#- The percentile a percentile metric computes: {'fraction', 'method'}. -#}
{% macro experience_percentile(name) -%}
    {%- set definition = experience_metric(name, 'percentile') -%}
    {{ return({'fraction': experience_metric_parameter(definition, 'percentile'),
               'method': experience_metric_parameter(definition, 'method')}) }}
{%- endmacro %}
