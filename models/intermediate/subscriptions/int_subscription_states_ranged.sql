{#- One row per subscription event with the interval during which its state holds:
    [valid_from, valid_to), valid_to = the next event of the same subscription
    (null while current). Events at the same instant are ordered by id.
    plan: the name of the product (plan) after the event (its id when the product has no
    name); a cancel state keeps the cancelled plan, but no plan is in force in it. -#}
with stg_raw__subscription_events as (

    select * from {{ ref('stg_raw__subscription_events') }}

),

stg_raw__products as (

    select * from {{ ref('stg_raw__products') }}

),

final as (

    select
        events.subscription_event_id,
        events.subscription_id,
        events.account_id,
        events.product_id,
        coalesce(stg_raw__products.product_name, events.product_id) as plan,
        events.event_type,
        events.cancel_reason,
        events.currency,
        coalesce(events.seats_after, 0) as seats_after,
        events.mrr_after,
        events.occurred_at as valid_from,
        lead(events.occurred_at) over (
            partition by events.subscription_id
            order by events.occurred_at, events.subscription_event_id
        ) as valid_to
    from stg_raw__subscription_events as events
    left join stg_raw__products
        on events.product_id = stg_raw__products.product_id

)

select * from final
