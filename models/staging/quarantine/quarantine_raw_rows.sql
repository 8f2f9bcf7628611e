{{ config(materialized='table', schema='quarantine') }}

{{ cxux_assert_raw_table_names() }}

with

{% for table_name in cxux_raw_table_names() %}
{{ table_name }}_rejected as (

    select
        '{{ table_name }}' as table_name,
        _cxux_row_id as row_id,
        _cxux_duplicate_rank as duplicate_rank,
        _cxux_reasons as reasons,
        _cxux_raw_row as raw_row
    from {{ ref('base_raw__' ~ table_name ~ '__validated') }}
    where _cxux_reasons is not null

),
{% endfor %}

unioned as (

    {% for table_name in cxux_raw_table_names() %}
    select * from {{ table_name }}_rejected
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.concat(['table_name', "'|'", 'row_id', "'|'", 'cast(duplicate_rank as ' ~ dbt.type_string() ~ ')']) }}
            as quarantined_row_id,
        table_name,
        row_id,
        duplicate_rank,
        reasons,
        raw_row
    from unioned

)

select * from final
