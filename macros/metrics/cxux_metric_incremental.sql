{#- Incremental metric models (docs/incremental.md, "Metric models").

    `cxux metrics compile` makes the aggregating metrics on the large usage facts
    incremental (delete+insert on grain and period_start). Each row keeps
    source_checksum: the sum of its source rows' checksums (cxux_row_checksum over
    every column the metric reads: periods, dimensions, measures, and the hash of
    the definition, so a changed definition rebuilds every period). An incremental
    run compares each period's checksum (on its total row) with the source's and
    rebuilds only the periods that differ or are new, so late rows, re-stitched
    identities and changed attributes are all caught, whatever their age. -#}

{% macro cxux_metric_is_incremental_model() -%}
    {{ return(config.get('materialized') == 'incremental') }}
{%- endmacro %}

{#- True on an incremental run of an incremental metric model whose stored table
    already has source_checksum (else every period is rebuilt). -#}
{% macro cxux_metric_incremental_run() -%}
    {%- if not execute or model.resource_type != 'model' or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return('source_checksum' in names) }}
{%- endmacro %}

{#- A row checksum in [0, 2^31): a hash of the expressions (nulls included),
    summed per period to detect a change. Any well-mixed hash will do; each engine
    uses its fast native one. -#}
{% macro cxux_row_checksum(expressions) -%}
    {{ return(adapter.dispatch('cxux_row_checksum', 'cxux')(expressions)) }}
{%- endmacro %}

{% macro default__cxux_row_checksum(expressions) -%}
    cast(hash({{ expressions | join(', ') }}) % 2147483647 as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro postgres__cxux_row_checksum(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as text), '\\N')") -%}
    {%- endfor -%}
    cast(('x' || substr(md5(concat_ws('|', {{ parts | join(', ') }})), 1, 7))::bit(28)::integer as bigint)
{%- endmacro %}

{% macro spark__cxux_row_checksum(expressions) -%}
    pmod(xxhash64({{ expressions | join(', ') }}), 2147483647)
{%- endmacro %}
