{{ config(materialized='table', schema='quarantine') }}

{#- Counts raw rows straight from the source (not through the validation models) so
    a row lost or duplicated between raw and staging shows up here. -#}

with

quarantine_raw_rows as (

    select * from {{ ref('quarantine_raw_rows') }}

),

{% for table_name in cxux_raw_table_names() %}
{{ table_name }}_counts as (

    select
        '{{ table_name }}' as table_name,
        (select count(*) from {{ cxux_raw_relation(table_name) }}) as raw_rows,
        (select count(*) from {{ ref('stg_raw__' ~ table_name) }}) as staged_rows

),
{% endfor %}

counts as (

    {% for table_name in cxux_raw_table_names() %}
    select * from {{ table_name }}_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quarantined as (

    select
        table_name,
        count(*) as quarantined_rows
    from quarantine_raw_rows
    group by table_name

),

final as (

    select
        counts.table_name,
        counts.raw_rows,
        counts.staged_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        counts.staged_rows + coalesce(quarantined.quarantined_rows, 0) = counts.raw_rows as is_reconciled
    from counts
    left join quarantined
        on counts.table_name = quarantined.table_name

)

select * from final
