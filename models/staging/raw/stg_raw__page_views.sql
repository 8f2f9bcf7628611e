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
        lcp_ms,
        inp_ms,
        cls,
        fcp_ms,
        ttfb_ms
    from validated
    where _cxux_reasons is null

)

select * from final
