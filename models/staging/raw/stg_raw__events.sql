with

validated as (

    select * from {{ ref('base_raw__events__validated') }}

),

final as (

    select
        event_id,
        user_id,
        anonymous_id,
        session_id,
        event_name,
        occurred_at,
        received_at,
        platform,
        page_path,
        feature,
        task_name,
        task_attempt_id,
        error_code
    from validated
    where _cxux_reasons is null

)

select * from final
