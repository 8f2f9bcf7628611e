with

validated as (

    select * from {{ ref('base_raw__page_views__validated') }}

),

final as (

    select
        page_view_id,
        user_id,
        anonymous_id,
        session_id,
        occurred_at,
        received_at,
        platform,
        device_type,
        page_path,
        {#- web vitals are null when var cxux_using_web_vitals is false -#}
        {%- set web_vitals = cxux_domain_enabled('web_vitals') %}
        {%- for vital in ['lcp_ms', 'inp_ms', 'cls', 'fcp_ms', 'ttfb_ms'] %}
        {% if web_vitals %}{{ vital }}{% else %}cast(null as {{ cxux_type_double() }}) as {{ vital }}{% endif %}{{ ',' if not loop.last }}
        {%- endfor %}
        {{ cxux_passthrough('page_views') }}
    from validated
    where _cxux_reasons is null

)

select * from final
