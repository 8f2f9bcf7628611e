{#- Reading JSON held in a text column, the same on DuckDB, PostgreSQL and Spark: the wide
    layout of Snowplow's events (docs/adapters/snowplow.md) keeps entities and
    self-describing events as JSON, which a text copy of the table holds as text. One job per
    macro: is the text a JSON object; a top-level key of an object; one row per element of
    an array. Keys are plain names (letters, digits, underscores), checked when compiling.

    Text that is not JSON reads as absent (false, null, no rows), not as a failed build, with
    one exception: PostgreSQL (before 16) cannot test whether a text parses without failing
    the query, so there a text is checked by its shape only: it must start with { (an
    object) or [ (an array) and end with } or ], white space aside. Truncated text and plain
    words read as absent there too; text of that shape that still does not parse
    (`{"lcp": fast}`) stops the build with PostgreSQL's "invalid input syntax for type
    json". -#}

{% macro cxux_json_key(key) -%}
    {%- if key is not string or not key or not (key | replace('_', '')).isalnum() -%}
        {{ exceptions.raise_compiler_error("cxux JSON macros: key " ~ key
            ~ " must be a plain name (letters, digits, underscores)") }}
    {%- endif -%}
    {{ return(key) }}
{%- endmacro %}


{#- True when the text holds a JSON object; false for another JSON value (an array, a string)
    or text that is not JSON; null for null. -#}
{% macro cxux_is_json_object(json_text) -%}
    {{ return(adapter.dispatch('cxux_is_json_object', 'cxux')(json_text)) }}
{%- endmacro %}

{% macro default__cxux_is_json_object(json_text) -%}
    (case
        when {{ json_text }} is null then null
        when json_valid({{ json_text }}) then json_type({{ json_text }}) = 'OBJECT'
        else false
    end)
{%- endmacro %}

{% macro postgres__cxux_is_json_object(json_text) -%}
    ({{ json_text }} ~ '^\s*\{.*\}\s*$')
{%- endmacro %}

{#- get_json_object gives null for text that does not parse; the first character tells an
    object from an array -#}
{% macro spark__cxux_is_json_object(json_text) -%}
    (case
        when {{ json_text }} is null then null
        when left(ltrim({{ json_text }}), 1) = '{' and get_json_object({{ json_text }}, '$') is not null then true
        else false
    end)
{%- endmacro %}


{#- The value of a top-level key of a JSON object as text (a number as its digits): null when
    the key is absent or null, or the text is not a JSON object. -#}
{% macro cxux_json_value(json_text, key) -%}
    {{ return(adapter.dispatch('cxux_json_value', 'cxux')(json_text, cxux_json_key(key))) }}
{%- endmacro %}

{% macro default__cxux_json_value(json_text, key) -%}
    (case when {{ cxux_is_json_object(json_text) }} then json_extract_string({{ json_text }}, '$.{{ key }}') end)
{%- endmacro %}

{% macro postgres__cxux_json_value(json_text, key) -%}
    (case when {{ cxux_is_json_object(json_text) }} then cast({{ json_text }} as json) ->> '{{ key }}' end)
{%- endmacro %}

{% macro spark__cxux_json_value(json_text, key) -%}
    (case when {{ cxux_is_json_object(json_text) }} then get_json_object({{ json_text }}, '$.{{ key }}') end)
{%- endmacro %}


{#- One row per element of a JSON array: the element's `key` as text (null when the element
    lacks it). A set-returning expression: use it alone as a select item, `{{ ... }} as id`;
    a row whose text is null, an empty array, another JSON value or not JSON gives no row. -#}
{% macro cxux_unnest_json_array(json_text, key) -%}
    {{ return(adapter.dispatch('cxux_unnest_json_array', 'cxux')(json_text, cxux_json_key(key))) }}
{%- endmacro %}

{#- each element, then its key: '$[*].key' alone would skip the elements without the key -#}
{% macro default__cxux_unnest_json_array(json_text, key) -%}
    unnest(case when json_valid({{ json_text }}) then
        case when json_type({{ json_text }}) = 'ARRAY' then
            list_transform(json_extract({{ json_text }}, '$[*]'), lambda element: json_extract_string(element, '$.{{ key }}'))
        end
    end)
{%- endmacro %}

{% macro postgres__cxux_unnest_json_array(json_text, key) -%}
    json_array_elements(case when {{ json_text }} ~ '^\s*\[.*\]\s*$' then cast({{ json_text }} as json) end) ->> '{{ key }}'
{%- endmacro %}

{#- from_json reads a lone object as an array of one: only text starting with [ is read -#}
{% macro spark__cxux_unnest_json_array(json_text, key) -%}
    explode(case when left(ltrim({{ json_text }}), 1) = '[' then
        from_json({{ json_text }}, 'array<struct<{{ key }}:string>>').{{ key }}
    end)
{%- endmacro %}
