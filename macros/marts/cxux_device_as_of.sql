{#- The user's primary device as of a day, from int_user_devices_ranged (its rules:
    the model's header; why: DECISIONLOG, "Usage facts carry the device as of the day").

    cxux_device_range_condition: the join condition that picks the range of `ranges`
    in force on `day` for `user_id` (the first range also covers earlier days). -#}
{% macro cxux_device_range_condition(ranges, user_id, day) -%}
    {{ ranges }}.user_id = {{ user_id }}
        and ({{ ranges }}.valid_from is null or {{ ranges }}.valid_from <= {{ day }})
        and ({{ ranges }}.valid_to is null or {{ day }} < {{ ranges }}.valid_to)
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
