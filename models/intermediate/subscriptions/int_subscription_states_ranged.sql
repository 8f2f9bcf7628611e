{#- One row per subscription event with the interval during which its state holds:
    [valid_from, valid_to), valid_to = the next event of the same subscription
    (null while current). Events at the same instant are ordered by id. -#}
with stg_raw__subscription_events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

final as (

    select
        subscription_event_id,
        subscription_id,
        account_id,
        product_id,
        event_type,
        cancel_reason,
        currency,
        coalesce(seats_after, 0) as seats_after,
        mrr_after,
        occurred_at as valid_from,
        lead(occurred_at) over (
            partition by subscription_id
            order by occurred_at, subscription_event_id
        ) as valid_to
    from stg_raw__subscription_events

)

select * from final
