{#- Mapping rules of the commerce adapters (Shopify, Stripe): models/adapters/shopify/,
    models/adapters/stripe/, docs/adapters/shopify.md and docs/adapters/stripe.md. Each rule
    is one macro so the unit tests and the docs name one place. -#}

{#- Shopify source_name -> contract channel. Var cxux_shopify_channels maps source names
    (merged over the defaults); any other value, an app id included, and null become var
    cxux_shopify_other_channel (default 'partner': a sales-channel app such as a marketplace). -#}
{% macro cxux_shopify_channel(source_name) -%}
    {%- set channels = {'web': 'web', 'pos': 'store', 'shopify_draft_order': 'phone',
                        'iphone': 'app', 'android': 'app'} -%}
    {%- do channels.update(var('cxux_shopify_channels', {})) -%}
    case lower(trim({{ source_name }}))
    {%- for name, channel in channels.items() %}
        when '{{ name }}' then '{{ channel }}'
    {%- endfor %}
        else '{{ var('cxux_shopify_other_channel', 'partner') }}'
    end
{%- endmacro %}

{#- Shopify order -> contract status, first rule that holds:
      cancelled_at set                          cancelled
      financial_status refunded                 returned (refunded in full)
      financial_status voided or expired        cancelled (no money was ever taken)
      fulfillment_status fulfilled or partial   shipped
      financial_status paid, partially_refunded paid
      pending, authorized, partially_paid, null placed
    any other financial_status passes through lowercased, so staging quarantines it with
    the reason "status ... is not one of ...". Shopify's order has no delivery state:
    'delivered' is never produced. -#}
{% macro cxux_shopify_order_status(cancelled_at, financial_status, fulfillment_status) -%}
    case
        when {{ cancelled_at }} is not null then 'cancelled'
        when lower({{ financial_status }}) = 'refunded' then 'returned'
        when lower({{ financial_status }}) in ('voided', 'expired') then 'cancelled'
        when lower({{ fulfillment_status }}) in ('fulfilled', 'partial') then 'shipped'
        when lower({{ financial_status }}) in ('paid', 'partially_refunded') then 'paid'
        when {{ financial_status }} is null
            or lower({{ financial_status }}) in ('pending', 'authorized', 'partially_paid')
            then 'placed'
        else lower({{ financial_status }})
    end
{%- endmacro %}

{#- The text value of one top-level key of a JSON object held as text (Stripe's metadata);
    null when the key is absent. -#}
{% macro cxux_json_text(json_column, key) -%}
    {{ return(adapter.dispatch('cxux_json_text', 'cxux')(json_column, key)) }}
{%- endmacro %}

{% macro default__cxux_json_text(json_column, key) -%}
    json_extract_string({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__cxux_json_text(json_column, key) -%}
    (cast({{ json_column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__cxux_json_text(json_column, key) -%}
    get_json_object({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{#- A recurring amount billed every `interval_count` `interval`s (Stripe's recurring
    interval: day, week, month, year) as an amount per month:
      month  amount / n             year  amount / (12 n)
      week   amount x 52 / (12 n)   day   amount x 365 / (12 n)
    n = interval_count (null = 1). Any other interval gives null (staging then rejects
    mrr_after as required). Computed in double; the caller rounds once, at the end. -#}
{% macro cxux_monthly_amount(amount, interval, interval_count) -%}
    (cast({{ amount }} as {{ cxux_type_double() }})
        * case lower({{ interval }})
            when 'month' then 1.0
            when 'year' then 1.0 / 12
            when 'week' then 52.0 / 12
            when 'day' then 365.0 / 12
        end
        / coalesce(nullif({{ interval_count }}, 0), 1))
{%- endmacro %}

{#- Stripe cancellation_details -> contract cancel_reason. The customer's own answer
    (feedback) wins; without one, a cancellation Stripe made for an unpaid or disputed
    payment is 'other' (involuntary churn has no contract reason of its own); a cancellation
    requested without feedback is null (churn_reasons slices it as "(not set)"). Var
    cxux_stripe_cancel_reasons remaps feedback values (merged over the defaults). -#}
{% macro cxux_stripe_cancel_reason(feedback, reason) -%}
    {%- set reasons = {'too_expensive': 'price', 'missing_features': 'product_fit',
                       'unused': 'product_fit', 'low_quality': 'product_fit',
                       'too_complex': 'ux_issues', 'customer_service': 'support',
                       'switched_service': 'competitor', 'other': 'other'} -%}
    {%- do reasons.update(var('cxux_stripe_cancel_reasons', {})) -%}
    case
    {%- for value, reason_out in reasons.items() %}
        when lower({{ feedback }}) = '{{ value }}' then '{{ reason_out }}'
    {%- endfor %}
        when {{ feedback }} is not null then 'other'
        when lower({{ reason }}) in ('payment_failed', 'payment_disputed') then 'other'
    end
{%- endmacro %}

{#- SQL (a select, for a CTE): Shopify's refunded order lines (order_line_refund of every
    refund) summed by `group_by` (a column of order_line_refund or refund, e.g.
    'refund.order_id' or 'order_line_refund.order_line_id'); `sums` maps each output column
    to the order_line_refund column it sums (nulls as 0). Read by cxux_shopify__orders
    (refunded subtotal per order) and cxux_shopify__order_items (refunded units per line). -#}
{% macro cxux_shopify_refunded(group_by, sums) -%}
    select
        {{ group_by }},
        {%- for output, column in sums.items() %}
        sum(coalesce(order_line_refund.{{ column }}, 0)) as {{ output }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source('cxux_shopify', 'order_line_refund') }} as order_line_refund
    inner join {{ source('cxux_shopify', 'refund') }} as refund
        on order_line_refund.refund_id = refund.id
    group by {{ group_by }}
{%- endmacro %}
