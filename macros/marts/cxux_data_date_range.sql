{#- First and last calendar day seen in the staged data, as scalar SQL expressions
    (used by dbt.date_spine, which evaluates them once at compile time).
    Empty data falls back to the current date so an empty build still works. -#}
{% macro cxux_data_timestamp_columns() -%}
    {{ return([
        ('stg_raw__accounts', 'created_at'),
        ('stg_raw__users', 'signup_at'),
        ('stg_raw__orders', 'ordered_at'),
        ('stg_raw__subscription_events', 'occurred_at'),
        ('stg_raw__support_tickets', 'created_at'),
        ('stg_raw__survey_responses', 'responded_at'),
        ('stg_raw__reviews', 'posted_at'),
        ('stg_raw__page_views', 'occurred_at'),
        ('stg_raw__events', 'occurred_at'),
    ]) }}
{%- endmacro %}

{% macro cxux_data_date_bound(aggregate) -%}
    (
        select coalesce(cast({{ aggregate }}(bound_at) as date), cast({{ dbt.current_timestamp() }} as date))
        from (
            {%- for model_name, column_name in cxux_data_timestamp_columns() %}
            select {{ aggregate }}({{ column_name }}) as bound_at from {{ ref(model_name) }}
            {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        ) as bounds
    )
{%- endmacro %}
