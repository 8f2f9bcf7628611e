{#- Helper of the Stripe adapter: the state of each subscription at every instant something
    about it may have changed, one row per subscription and instant (docs/adapters/stripe.md).

    Status (subscription_history versions) in four groups:
      paying       active, past_due
      not_started  trialing, incomplete (no revenue yet)
      paused       paused, unpaid (no revenue while it lasts)
      ended        canceled, incomplete_expired
    A version holds from: ended_at (else canceled_at) for an ended version; trial_end for the
    first paying version after a trial; else _fivetran_start. A subscription whose first
    version is paying, unpaid or ended was paying from coalesce(trial_end, start_date): a
    synthetic paying version is added there (loaders without history give one version),
    unless it never paid: incomplete_expired, paused (Stripe pauses only a trial that ended
    without a payment method) or canceled before its trial ended.

    Items (invoice lines of type subscription, not the negative "unused time" prorations):
    each subscription item bills a price and a quantity from the line's period_start until
    its next line, or until the subscription's next regular billing of a licensed price
    that does not bill it (the item was removed: an add-on taken off stops counting).
    Item amount per billing interval: per_unit prices unit amount x billed units (the unit
    amount is unit_amount_decimal where landed, exact to fractions of a cent; the billed
    units are the quantity, or for a package price with transform_quantity the quantity
    divided by divide_by and rounded up or down; seats stay the quantity); tiered prices
    (billing_scheme tiered) by their rows in `tier`, each holding the units above the previous
    tier's up_to up to its own (null = no end): volume = the one tier the whole quantity falls
    in, flat_amount + quantity x unit_amount; graduated = every tier the quantity reaches,
    flat_amount + the units in it x unit_amount (the first tier counts even at quantity 0).
    Item MRR = that amount in major units (cxux_minor_to_major_units: / 100, but JPY and the
    other zero-decimal currencies as is) per month (macro cxux_monthly_amount: yearly / 12,
    weekly x 52 / 12, daily x 365 / 12, all / interval_count); metered and one-time prices
    give 0 and no seats.

    Discounts (discount + coupon, forever and repeating; once is not recurring): in force
    from start until end. A subscription's own discounts override its customer's: a discount
    on the customer (customer_id, no subscription, invoice or invoice item) applies to each of
    the customer's subscriptions while that subscription has none of its own in force (Stripe:
    a subscription's discount overrides a customer-wide one). mrr = gross x (1 - percent_off
    / 100) - amount_off (in major units, the subscription's currency) per month (by the
    subscription's billing interval: Stripe takes it off each of the subscription's bills),
    floored at 0, and 0 unless paying.
    product_price_id = the price of the item with the highest MRR (ties: price id). mrr is
    rounded to cents (once, here). -#}
with subscription_history as (

    select * from {{ source('cxux_stripe', 'subscription_history') }}

),

invoice_line_item as (

    select * from {{ source('cxux_stripe', 'invoice_line_item') }}

),

price as (

    select * from {{ source('cxux_stripe', 'price') }}

),

tier as (

{%- if var('cxux_stripe_using_price_tiers', true) | as_bool %}
    select * from {{ source('cxux_stripe', 'tier') }}
{%- else %}
    -- no tier table landed (var cxux_stripe_using_price_tiers: false): no tiers, so a
    -- tiered price has no amount (docs/adapters/stripe.md)
    select
        cast(null as {{ dbt.type_string() }}) as price_id,
        cast(null as {{ dbt.type_int() }}) as up_to,
        cast(null as {{ dbt.type_int() }}) as unit_amount,
        cast(null as {{ dbt.type_int() }}) as flat_amount
    where 1 = 0
{%- endif %}

),

discount as (

    select * from {{ source('cxux_stripe', 'discount') }}

),

coupon as (

    select * from {{ source('cxux_stripe', 'coupon') }}

),

versions_grouped as (

    select
        id as subscription_id,
        customer_id,
        _fivetran_start,
        start_date,
        trial_end,
        ended_at,
        canceled_at,
        cancellation_details_reason,
        cancellation_details_feedback,
        lower(status) as stripe_status,
        case
            when lower(status) in ('active', 'past_due') then 'paying'
            when lower(status) in ('trialing', 'incomplete') then 'not_started'
            when lower(status) in ('paused', 'unpaid') then 'paused'
            when lower(status) in ('canceled', 'incomplete_expired') then 'ended'
        end as status_group,
        row_number() over (partition by id order by _fivetran_start) as version_number
    from subscription_history

),

versions_sequenced as (

    select
        *,
        lag(status_group) over (partition by subscription_id order by _fivetran_start) as previous_group
    from versions_grouped

),

versions as (

    select
        subscription_id,
        customer_id,
        status_group,
        case
            when status_group = 'ended' then coalesce(ended_at, canceled_at, _fivetran_start)
            when status_group = 'paying' and previous_group = 'not_started'
                then coalesce(trial_end, _fivetran_start)
            else _fivetran_start
        end as valid_from,
        version_number * 2 as sequence_number,
        cancellation_details_reason,
        cancellation_details_feedback
    from versions_sequenced

    union all

    -- the start of a subscription first seen already paying (or past it)
    select
        subscription_id,
        customer_id,
        'paying' as status_group,
        coalesce(trial_end, start_date) as valid_from,
        1 as sequence_number,
        cast(null as {{ dbt.type_string() }}) as cancellation_details_reason,
        cast(null as {{ dbt.type_string() }}) as cancellation_details_feedback
    from versions_sequenced
    where version_number = 1
        and status_group in ('paying', 'paused', 'ended')
        and coalesce(trial_end, start_date) is not null
        -- never paid: incomplete_expired (the first payment failed), paused (Stripe pauses
        -- only a trial that ended without a payment method), canceled during its trial
        and stripe_status not in ('incomplete_expired', 'paused')
        and not (stripe_status = 'canceled' and trial_end is not null
                 and coalesce(ended_at, canceled_at) <= trial_end)

),

item_lines as (

    select
        subscription_id,
        coalesce(subscription_item_id, price_id, plan_id) as item_key,
        coalesce(price_id, plan_id) as price_id,
        quantity,
        period_start as valid_from,
        row_number() over (
            partition by subscription_id, coalesce(subscription_item_id, price_id, plan_id), period_start
            order by coalesce(amount, 0) desc, id desc
        ) as duplicate_rank,
        coalesce(proration, false) as is_proration
    from invoice_line_item
    where lower(type) = 'subscription'
        and subscription_id is not null
        and (not coalesce(proration, false) or coalesce(amount, 0) >= 0)

),

-- A regular (not proration) billing of a licensed price bills every licensed item the
-- subscription still has; metered items are billed in arrears, a period behind, so they
-- do not say which items are left.
billing_timeline as (

    select
        item_lines.subscription_id,
        item_lines.item_key,
        item_lines.valid_from,
        1 as kind_order
    from item_lines
    where item_lines.duplicate_rank = 1

    union all

    select distinct
        item_lines.subscription_id,
        cast(null as {{ dbt.type_string() }}) as item_key,
        item_lines.valid_from,
        0 as kind_order
    from item_lines
    left join price
        on item_lines.price_id = price.id
    where item_lines.duplicate_rank = 1
        and not item_lines.is_proration
        and coalesce(lower(price.recurring_usage_type), 'licensed') <> 'metered'

),

-- for each item line, the subscription's first regular billing after it: an item not
-- billed there was removed then (a removed add-on stops counting)
item_next_billing as (

    select
        subscription_id,
        item_key,
        valid_from,
        min(case when kind_order = 0 then valid_from end) over (
            partition by subscription_id
            order by valid_from, kind_order
            rows between 1 following and unbounded following
        ) as next_billing_at
    from billing_timeline

),

-- a tiered price's tiers in order (up_to ascending, the tier without an end last), each
-- with the quantity it starts above: the previous tier's up_to (0 for the first)
tiers_ordered as (

    select
        price_id,
        up_to,
        unit_amount,
        flat_amount,
        coalesce(lag(up_to) over (
            partition by price_id
            order by case when up_to is null then 1 else 0 end, up_to
        ), 0) as starts_above,
        row_number() over (
            partition by price_id
            order by case when up_to is null then 1 else 0 end, up_to
        ) as tier_number
    from tier

),

tiered_quantities as (

    select distinct
        item_lines.price_id,
        coalesce(item_lines.quantity, 1) as quantity,
        lower(price.tiers_mode) as tiers_mode
    from item_lines
    inner join price
        on item_lines.price_id = price.id
    where lower(price.billing_scheme) = 'tiered'

),

-- each quantity billed at a tiered price, in minor units per billing interval:
--   volume     the one tier the whole quantity falls in: flat_amount + quantity x unit_amount
--   graduated  every tier the quantity reaches: flat_amount + the units in it x unit_amount
-- a tier the quantity does not reach gives 0; the first tier is reached even by quantity 0
tiered_amounts as (

    select
        tiered_quantities.price_id,
        tiered_quantities.quantity,
        sum(case
            when tiered_quantities.quantity <= tiers_ordered.starts_above and tiers_ordered.tier_number > 1
                then 0
            when tiered_quantities.tiers_mode = 'graduated'
                then coalesce(tiers_ordered.flat_amount, 0)
                    + cast(coalesce(tiers_ordered.unit_amount, 0) as {{ dbt.type_bigint() }})
                    * (least(tiered_quantities.quantity, coalesce(tiers_ordered.up_to, tiered_quantities.quantity))
                       - tiers_ordered.starts_above)
            when tiered_quantities.tiers_mode = 'volume'
                and (tiers_ordered.up_to is null or tiered_quantities.quantity <= tiers_ordered.up_to)
                then coalesce(tiers_ordered.flat_amount, 0)
                    + cast(coalesce(tiers_ordered.unit_amount, 0) as {{ dbt.type_bigint() }})
                    * tiered_quantities.quantity
            else 0
        end) as amount
    from tiered_quantities
    inner join tiers_ordered
        on tiered_quantities.price_id = tiers_ordered.price_id
    group by tiered_quantities.price_id, tiered_quantities.quantity

),

item_states as (

    select
        item_lines.subscription_id,
        item_lines.item_key,
        item_lines.price_id,
        item_lines.valid_from,
        -- least() skips nulls on every engine: the earlier of the two ends that exist
        least(
            lead(item_lines.valid_from) over (
                partition by item_lines.subscription_id, item_lines.item_key
                order by item_lines.valid_from
            ),
            item_next_billing.next_billing_at
        ) as valid_to,
        {#- the item's amount per billing interval in minor units: tiered from its tiers, else
            the unit amount x quantity (in decimal: exact for fractions of a cent, and cents x
            seats can pass an integer's range) -#}
        {%- set interval_amount -%}
            case when lower(price.billing_scheme) = 'tiered' then tiered_amounts.amount
                else {{ cxux_stripe_unit_amount('price') }}
                    * {{ cxux_stripe_billed_units('price', 'coalesce(item_lines.quantity, 1)') }} end
        {%- endset %}
        case
            when lower(price.recurring_usage_type) = 'metered' or price.recurring_interval is null then 0
            else {{ cxux_monthly_amount(cxux_minor_to_major_units(interval_amount, 'price.currency'),
                                        'price.recurring_interval', 'price.recurring_interval_count') }}
        end as item_mrr,
        case
            when lower(price.recurring_usage_type) = 'metered' or price.recurring_interval is null then 0
            else coalesce(item_lines.quantity, 1)
        end as seats,
        lower(price.recurring_interval) as billing_interval,
        price.recurring_interval_count as billing_interval_count,
        upper(price.currency) as currency
    from item_lines
    left join price
        on item_lines.price_id = price.id
    left join tiered_amounts
        on item_lines.price_id = tiered_amounts.price_id
        and coalesce(item_lines.quantity, 1) = tiered_amounts.quantity
    left join item_next_billing
        on item_lines.subscription_id = item_next_billing.subscription_id
        and item_lines.item_key = item_next_billing.item_key
        and item_lines.valid_from = item_next_billing.valid_from
    where item_lines.duplicate_rank = 1

),

recurring_discounts as (

    select
        discount.subscription_id,
        discount.customer_id,
        discount.invoice_id,
        discount.invoice_item_id,
        discount.{{ adapter.quote('start') }} as valid_from,
        discount.{{ adapter.quote('end') }} as valid_to,
        coupon.percent_off,
        coupon.amount_off
    from discount
    inner join coupon
        on discount.coupon_id = coupon.id
    where lower(coalesce(coupon.duration, 'forever')) <> 'once'

),

-- the customer of each subscription (Stripe never moves a subscription to another customer)
subscription_customers as (

    select distinct
        subscription_id,
        customer_id
    from versions_grouped

),

-- each subscription's discount windows with their precedence: its own (1), then its
-- customer's (2), which apply to each of the customer's subscriptions
discount_windows as (

    select
        subscription_id,
        1 as precedence,
        valid_from,
        valid_to,
        percent_off,
        amount_off
    from recurring_discounts
    where subscription_id is not null

    union all

    select
        subscription_customers.subscription_id,
        2 as precedence,
        recurring_discounts.valid_from,
        recurring_discounts.valid_to,
        recurring_discounts.percent_off,
        recurring_discounts.amount_off
    from recurring_discounts
    inner join subscription_customers
        on recurring_discounts.customer_id = subscription_customers.customer_id
    where recurring_discounts.subscription_id is null
        and recurring_discounts.invoice_id is null
        and recurring_discounts.invoice_item_id is null

),

instants as (

    select subscription_id, valid_from as state_at from versions where valid_from is not null
    union
    select subscription_id, valid_from as state_at from item_states where valid_from is not null
    union
    select subscription_id, valid_from as state_at from discount_windows where valid_from is not null
    union
    select subscription_id, valid_to as state_at from discount_windows where valid_to is not null

),

status_ranked as (

    select
        instants.subscription_id,
        instants.state_at,
        versions.customer_id,
        versions.status_group,
        versions.cancellation_details_reason,
        versions.cancellation_details_feedback,
        row_number() over (
            partition by instants.subscription_id, instants.state_at
            order by versions.valid_from desc, versions.sequence_number desc
        ) as status_rank
    from instants
    inner join versions
        on instants.subscription_id = versions.subscription_id
        and versions.valid_from <= instants.state_at

),

items_in_force as (

    select
        instants.subscription_id,
        instants.state_at,
        item_states.price_id,
        item_states.item_mrr,
        item_states.seats,
        item_states.billing_interval,
        item_states.billing_interval_count,
        item_states.currency,
        row_number() over (
            partition by instants.subscription_id, instants.state_at
            order by item_states.item_mrr desc, item_states.price_id
        ) as item_rank
    from instants
    inner join item_states
        on instants.subscription_id = item_states.subscription_id
        and item_states.valid_from <= instants.state_at
        and (item_states.valid_to is null or item_states.valid_to > instants.state_at)

),

items_summed as (

    select
        subscription_id,
        state_at,
        sum(item_mrr) as gross_mrr,
        sum(seats) as seats,
        max(case when item_rank = 1 then price_id end) as product_price_id,
        max(case when item_rank = 1 then billing_interval end) as billing_interval,
        max(case when item_rank = 1 then billing_interval_count end) as billing_interval_count,
        max(case when item_rank = 1 then currency end) as currency
    from items_in_force
    group by subscription_id, state_at

),

discounts_applicable as (

    select
        instants.subscription_id,
        instants.state_at,
        discount_windows.precedence,
        discount_windows.percent_off,
        discount_windows.amount_off,
        -- a subscription's own discount in force overrides its customer's
        min(discount_windows.precedence) over (
            partition by instants.subscription_id, instants.state_at
        ) as applied_precedence
    from instants
    inner join discount_windows
        on instants.subscription_id = discount_windows.subscription_id
        and discount_windows.valid_from <= instants.state_at
        and (discount_windows.valid_to is null or discount_windows.valid_to > instants.state_at)

),

discounts_in_force as (

    select
        subscription_id,
        state_at,
        max(coalesce(percent_off, 0)) as percent_off,
        sum(coalesce(amount_off, 0)) as amount_off
    from discounts_applicable
    where precedence = applied_precedence
    group by subscription_id, state_at

),

final as (

    select
        status_ranked.subscription_id,
        status_ranked.customer_id,
        status_ranked.state_at,
        status_ranked.status_group,
        items_summed.product_price_id,
        items_summed.currency,
        cast(case when status_ranked.status_group = 'paying' then coalesce(items_summed.seats, 0) else 0 end
            as {{ dbt.type_bigint() }}) as seats,
        coalesce(items_summed.gross_mrr, 0) as gross_mrr,
        {#- in decimal: percent_off is a double, and PostgreSQL has no round(double, digits) -#}
        round(cast(case
            when status_ranked.status_group = 'paying' then greatest(
                coalesce(items_summed.gross_mrr, 0)
                    * (1 - coalesce(discounts_in_force.percent_off, 0) / 100.0)
                    - coalesce({{ cxux_monthly_amount(cxux_minor_to_major_units('discounts_in_force.amount_off', 'items_summed.currency'),
                                                      'items_summed.billing_interval',
                                                      'items_summed.billing_interval_count') }}, 0),
                0)
            else 0
        end as decimal(38, 6)), 2) as mrr,
        case
            when status_ranked.status_group = 'ended'
                then {{ cxux_stripe_cancel_reason('status_ranked.cancellation_details_feedback',
                                                  'status_ranked.cancellation_details_reason') }}
        end as cancel_reason
    from status_ranked
    left join items_summed
        on status_ranked.subscription_id = items_summed.subscription_id
        and status_ranked.state_at = items_summed.state_at
    left join discounts_in_force
        on status_ranked.subscription_id = discounts_in_force.subscription_id
        and status_ranked.state_at = discounts_in_force.state_at
    where status_ranked.status_rank = 1

)

select * from final
