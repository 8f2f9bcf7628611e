{#- Body of int_page_views_stitched and int_events_stitched: the staged rows of
    `staged_model` attributed to the stitched user (the tracked user_id when present,
    otherwise the user the anonymous_id belongs to in int_identities_stitched).
    Columns: key_column, user_id, tracked_user_id, anonymous_id, the `columns` as staged,
    is_stitched, occurred_at, received_at.
    Incremental: rows received in the lookback window, and the anonymous rows of
    anonymous_ids whose user may have changed (rules 1-2 in cxux_incremental.sql). -#}
{% macro cxux_stitched_usage_rows(staged_model, key_column, columns) -%}
{%- set cutoff = cxux_incremental_cutoff('received_at') %}
with {{ staged_model }} as {{ cxux_inline_cte() }} (

    select * from {{ ref(staged_model) }}

),

int_identities_stitched as {{ cxux_inline_cte() }} (

    select * from {{ ref('int_identities_stitched') }}

),

final as (

    select
        {{ staged_model }}.{{ key_column }},
        coalesce({{ staged_model }}.user_id, int_identities_stitched.user_id) as user_id,
        {{ staged_model }}.user_id as tracked_user_id,
        {{ staged_model }}.anonymous_id,
        {%- for column in columns %}
        {{ staged_model }}.{{ column }},
        {%- endfor %}
        {{ staged_model }}.user_id is null
            and int_identities_stitched.user_id is not null as is_stitched,
        {{ staged_model }}.occurred_at,
        {{ staged_model }}.received_at
    from {{ staged_model }}
    left join int_identities_stitched
        on {{ staged_model }}.anonymous_id = int_identities_stitched.anonymous_id
    {%- if cutoff %}
    where {{ staged_model }}.received_at >= {{ cutoff }}
        or ({{ staged_model }}.user_id is null
            and {{ staged_model }}.anonymous_id in ({{ cxux_restitched_anonymous_ids(cutoff) }}))
    {%- endif %}

)

select * from final
{%- endmacro %}
