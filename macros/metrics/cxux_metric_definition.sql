{#- Reading a normalized definition from the generated registry.

    cxux_metric_registry() (macros/generated/, written by `cxux metrics compile`)
    returns a list of dicts, each with every key of the normalized definition
    (cxux_cli/metrics/spec.py NORMALIZED_KEYS; docs/metrics_spec.md, "The registry"):
    `cxux metrics validate` has checked them and filled every default, so the
    macros read the keys directly (definition['cut']) and never guess a key's
    other name or a default of their own. -#}

{#- In a host project, `cxux metrics compile` writes cxux_host_metric_registry(): cxux's
    definitions with the host's targets, owners and metrics of its own
    (README, "Use cxux in your dbt project"); it stands in for the package's registry. -#}
{% macro cxux_metric_registry_or_empty() -%}
    {%- if context.get('cxux_host_metric_registry') is not none -%}
        {%- set base = context.get('cxux_host_metric_registry_base') -%}
        {%- set merged_with = base() if base is not none else none -%}
        {%- set installed = context['cxux_metric_registry_version']() -%}
        {%- if merged_with != installed -%}
            {{ exceptions.raise_compiler_error("cxux: your project's metric registry (macros/cxux_metrics/) was compiled against other cxux metric definitions than the installed cxux has (" ~ merged_with ~ " vs " ~ installed ~ "): run `cxux metrics compile` in your project") }}
        {%- endif -%}
        {{ return(context['cxux_host_metric_registry']() or []) }}
    {%- endif -%}
    {%- if context.get('cxux_metric_registry') is not none -%}
        {{ return(context['cxux_metric_registry']() or []) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}

{#- The host's own metrics: they have no model of their own (a package cannot add models
    to its host), metric_values computes them. -#}
{% macro cxux_host_metric_names_or_empty() -%}
    {%- if context.get('cxux_host_metric_names') is not none -%}
        {{ return(context['cxux_host_metric_names']() or []) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}

{% macro cxux_metric_definition(name) -%}
    {%- for definition in cxux_metric_registry_or_empty() -%}
        {%- if definition['name'] == name -%}
            {{ return(definition) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("cxux: metric '" ~ name ~ "' is not in cxux_metric_registry(); run `cxux metrics compile`") }}
{%- endmacro %}

{#- dimension_value of a slice whose dimension is NULL: one owner,
    spec.NULL_DIMENSION_VALUE, written into the generated registry. -#}
{% macro cxux_metric_null_value() -%}
    {%- if context.get('cxux_metric_null_dimension_value') is not none -%}
        {{ return(context['cxux_metric_null_dimension_value']()) }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error("cxux: cxux_metric_null_dimension_value() is missing from macros/generated/; run `cxux metrics compile`") }}
{%- endmacro %}

{#- A dimension's slice value: the value as text, NULL as the NULL slice. -#}
{% macro cxux_metric_slice_value(expression) -%}
    coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '{{ cxux_metric_null_value() }}')
{%- endmacro %}

{#- Dimensions as a list of {name, expression}: each is a column of the model. -#}
{% macro cxux_metric_dimensions(definition) -%}
    {%- set dimensions = [] -%}
    {%- for name in definition['dimensions'] -%}
        {%- do dimensions.append({'name': name, 'expression': name}) -%}
    {%- endfor -%}
    {{ return(dimensions) }}
{%- endmacro %}

{% macro cxux_metric_grains(definition) -%}
    {{ return(definition['grains']) }}
{%- endmacro %}

{#- Declared crossings as lists of dimension names, each sorted alphabetically
    (dimension_name of a crossed slice = the names joined by '|'). -#}
{% macro cxux_metric_crossings(definition) -%}
    {%- set crossings = [] -%}
    {%- for crossing in definition['crossings'] -%}
        {%- do crossings.append(crossing | sort) -%}
    {%- endfor -%}
    {{ return(crossings) }}
{%- endmacro %}

{#- The slice names a metric produces besides 'total': each dimension, then each
    crossing as its names joined by '|'. -#}
{% macro cxux_metric_slice_names(definition) -%}
    {%- set names = [] -%}
    {%- for dimension in cxux_metric_dimensions(definition) -%}
        {%- do names.append(dimension['name']) -%}
    {%- endfor -%}
    {%- for crossing in cxux_metric_crossings(definition) -%}
        {%- do names.append(crossing | join('|')) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
