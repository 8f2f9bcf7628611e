{#- Stripe subscriptions as the raw contract's `subscription_events`: one row per instant
    at which a subscription's state (cxux_stripe__subscription_states) changed, classified
    against its previous state, first rule that holds:
      paying now, never paying before               start
      paying now, not paying just before            reactivate (back from paused or unpaid)
      paying, price of the main item changed        upgrade if MRR >= before, else downgrade
      paying, same price, seats changed             seat_change
      paying, same price and seats, MRR up / down   upgrade / downgrade (a discount began/ended)
      not paying now, paying just before            cancel (mrr 0, seats 0; the plan left)
    Instants where none holds (a renewal, a version with nothing new) give no event. MRR is
    compared in cents (rounded in the states model). cancel_reason only on a cancel whose
    not-paying spell ends the subscription (macro cxux_stripe_cancel_reason): an unpaid spell
    that is then canceled takes the cancellation's reason; a pause or unpaid spell that
    pays again is a cancel without reason. A customer's new
    subscription after an old one ended is that subscription's start (cxux's customer months
    count it as a reactivation of the customer). ids are prefixed 'stripe:'. -#}
with states as (

    select * from {{ ref('cxux_stripe__subscription_states') }}

),

crosswalk as (

    select * from {{ ref('cxux_identity_crosswalk') }}

),

compared as (

    select
        *,
        mrr as mrr_rounded,
        lag(status_group) over (partition by subscription_id order by state_at) as previous_group,
        lag(mrr) over (partition by subscription_id order by state_at) as previous_mrr,
        lag(seats) over (partition by subscription_id order by state_at) as previous_seats,
        lag(product_price_id) over (partition by subscription_id order by state_at) as previous_price_id,
        lag(currency) over (partition by subscription_id order by state_at) as previous_currency,
        max(case when status_group = 'paying' then 1 else 0 end) over (
            partition by subscription_id
            order by state_at
            rows between unbounded preceding and 1 preceding
        ) as was_paying_before,
        -- a spell: a paying state and the not-paying states after it, up to the next paying one
        sum(case when status_group = 'paying' then 1 else 0 end) over (
            partition by subscription_id
            order by state_at
            rows between unbounded preceding and current row
        ) as spell_number
    from states

),

spells as (

    select
        *,
        -- the reason the spell's cancellation gave, when the spell ends the subscription: an
        -- unpaid (or paused) spell that is then canceled churned for that reason
        max(case when status_group = 'ended' then cancel_reason end) over (
            partition by subscription_id, spell_number
        ) as spell_cancel_reason
    from compared

),

classified as (

    select
        *,
        case
            when status_group = 'paying' and coalesce(was_paying_before, 0) = 0 then 'start'
            when status_group = 'paying' and previous_group <> 'paying' then 'reactivate'
            when status_group = 'paying' and coalesce(product_price_id, '') <> coalesce(previous_price_id, '')
                then case when mrr_rounded >= previous_mrr then 'upgrade' else 'downgrade' end
            when status_group = 'paying' and seats <> previous_seats then 'seat_change'
            when status_group = 'paying' and mrr_rounded > previous_mrr then 'upgrade'
            when status_group = 'paying' and mrr_rounded < previous_mrr then 'downgrade'
            when status_group <> 'paying' and previous_group = 'paying' then 'cancel'
        end as event_type
    from spells

),

final as (

    select
        {{ dbt.concat(["'stripe:'", 'classified.subscription_id', "':'",
                       'cast(row_number() over (partition by classified.subscription_id order by classified.state_at) as '
                       ~ dbt.type_string() ~ ')']) }} as subscription_event_id,
        {{ dbt.concat(["'stripe:'", 'classified.subscription_id']) }} as subscription_id,
        cast(crosswalk.account_id as {{ dbt.type_string() }}) as account_id,
        {{ dbt.concat(["'stripe:'",
                       "case when classified.event_type = 'cancel' then classified.previous_price_id"
                       ~ " else classified.product_price_id end"]) }} as product_id,
        cast(classified.event_type as {{ dbt.type_string() }}) as event_type,
        cast(classified.state_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(case when classified.event_type = 'cancel' then 0 else classified.seats end
            as {{ dbt.type_bigint() }}) as seats_after,
        cast(case when classified.event_type = 'cancel' then 0 else classified.mrr_rounded end
            as decimal(18, 2)) as mrr_after,
        cast(coalesce(classified.currency, classified.previous_currency) as {{ dbt.type_string() }}) as currency,
        cast(case when classified.event_type = 'cancel' then classified.spell_cancel_reason end
            as {{ dbt.type_string() }}) as cancel_reason
    from classified
    left join crosswalk
        on crosswalk.source_system = 'stripe'
        and crosswalk.entity = 'account'
        and crosswalk.native_id = classified.customer_id
    where classified.event_type is not null

)

select * from final
