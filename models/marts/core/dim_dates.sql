{#- One row per calendar day over the data range. Weeks start on Monday. -#}
with int_dates_spined as (

    select * from {{ ref('int_dates_spined') }}

),

truncated as (

    select
        date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start
    from int_dates_spined

),

final as (

    select
        date_day,
        week_start,
        month_start,
        quarter_start,
        year_start,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year_number,
        cast(extract(quarter from date_day) as {{ dbt.type_int() }}) as quarter_number,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month_number,
        cast(extract(day from date_day) as {{ dbt.type_int() }}) as day_of_month,
        -- ISO day of week (Monday = 1), derived from the Monday week start so it is
        -- the same on every engine (their day-of-week functions disagree).
        cast({{ dbt.datediff('week_start', 'date_day', 'day') }} + 1 as {{ dbt.type_int() }}) as day_of_week,
        {{ dbt.datediff('week_start', 'date_day', 'day') }} >= 5 as is_weekend,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as week_end,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date) as month_end
    from truncated

)

select * from final
