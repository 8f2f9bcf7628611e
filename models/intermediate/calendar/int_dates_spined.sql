{#- One row per calendar day from the first to the last day seen in the data.
    dim_dates adds the attributes; monthly facts take their months from here. -#}
with spine as (

    {{ dbt.date_spine(
        'day',
        cxux_data_date_bound('min'),
        dbt.dateadd('day', 1, cxux_data_date_bound('max'))
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from spine
    where cast(date_day as date) <= {{ cxux_data_date_bound('max') }}

)

select * from final
