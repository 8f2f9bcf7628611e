{#- Reading a normalized definition from the generated registry.

    cxux_metric_registry() (macros/generated/, written by `cxux metrics compile`)
    returns a list of dicts. Type parameters are read with cxux_metric_param, which
    looks at the top level, then under `params`/`parameters`, then under a key named
    after the type (e.g. `nps: {promoter_min: 9}`), so the SQL does not depend on
    where the compiler nests them. -#}

{% macro cxux_metric_registry_or_empty() -%}
    {%- if context.get('cxux_metric_registry') is not none -%}
        {{ return(context['cxux_metric_registry']() or []) }}
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

{#- First non-none value among `keys` (a string or a list of aliases). -#}
{% macro cxux_metric_param(definition, keys, default=none) -%}
    {%- set keys = [keys] if keys is string else keys -%}
    {%- set places = [definition] -%}
    {%- for nest in ['params', 'parameters', 'calculation', definition.get('type')] -%}
        {%- if nest and definition.get(nest) is mapping -%}
            {%- do places.append(definition[nest]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for place in places -%}
        {%- for key in keys -%}
            {%- if place.get(key) is not none -%}
                {{ return(place[key]) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(default) }}
{%- endmacro %}

{% macro cxux_metric_required(definition, keys) -%}
    {%- set value = cxux_metric_param(definition, keys) -%}
    {%- if value is none -%}
        {%- set keys = [keys] if keys is string else keys -%}
        {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "' of type " ~ definition['type'] ~ " needs `" ~ keys[0] ~ "`") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- Dimensions as a list of {name, expression}: a plain string is a column name. -#}
{% macro cxux_metric_dimensions(definition) -%}
    {%- set dimensions = [] -%}
    {%- for item in definition.get('dimensions') or [] -%}
        {%- if item is mapping -%}
            {%- do dimensions.append({'name': item['name'], 'expression': item.get('expression') or item.get('column') or item['name']}) -%}
        {%- else -%}
            {%- do dimensions.append({'name': item, 'expression': item}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dimensions) }}
{%- endmacro %}

{% macro cxux_metric_grains(definition) -%}
    {%- set grains = definition.get('grains') or ['month'] -%}
    {%- for grain in grains -%}
        {%- if grain not in ['day', 'week', 'month', 'quarter', 'year'] -%}
            {{ exceptions.raise_compiler_error("cxux: metric '" ~ definition['name'] ~ "': unknown grain '" ~ grain ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(grains) }}
{%- endmacro %}

{#- Declared crossings as lists of dimension names, each sorted alphabetically
    (dimension_name of a crossed slice = the names joined by '|'). -#}
{% macro cxux_metric_crossings(definition) -%}
    {%- set crossings = [] -%}
    {%- for crossing in definition.get('crossings') or [] -%}
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
