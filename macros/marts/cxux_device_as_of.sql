{#- The user's primary device as of a day, from int_user_devices_ranged (its rules:
    the model's header; why: DECISIONLOG, "Usage facts carry the device as of the day").

    cxux_device_range_condition: the join condition that picks the range of `ranges`
    in force on `day` for `user_id` (the first range also covers earlier days). -#}
{% macro cxux_device_range_condition(ranges, user_id, day) -%}
    {#- open ends as sentinel dates, not `is null or`: plain comparisons keep this an
        equality hash join with range checks (an `or` in a left join's condition does
        not) #}
    {{ ranges }}.user_id = {{ user_id }}
        and coalesce({{ ranges }}.valid_from, cast('1900-01-01' as date)) <= {{ day }}
        and {{ day }} < coalesce({{ ranges }}.valid_to, cast('9999-12-31' as date))
{%- endmacro %}

{#- Incremental facts: the keys of stored rows whose device_type is no longer the
    device as of their day (a late or re-stitched page view changed the user's counts).
    Only those rows are rebuilt, not the user's whole history; the calling model has
    an import CTE named int_user_devices_ranged; `stored_day` is the row's day, an
    expression over the stored row (alias `stored`). -#}
{% macro cxux_rows_with_changed_device(key_columns, stored_day) -%}
    select
        {%- for key in key_columns %}
        stored.{{ key }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored
    left join int_user_devices_ranged as devices
        on {{ cxux_device_range_condition('devices', 'stored.user_id', stored_day) }}
    where stored.user_id is not null
        and {{ cxux_is_distinct_from('stored.device_type', 'devices.device_type') }}
{%- endmacro %}
