with

validated as (

    select * from {{ ref('base_raw__survey_item_answers__validated') }}

),

final as (

    select
        response_id,
        item_number,
        answer
    from validated
    where _cxux_reasons is null

)

select * from final
