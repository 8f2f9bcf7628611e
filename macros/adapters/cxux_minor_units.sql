{#- An amount in a currency's minor unit (what Stripe's API and its loaders store:
    `unit_amount`, `amount_off`) in major units. Most currencies have 100 minor units;
    Stripe's zero-decimal currencies (JPY, KRW, ...) are stored in major units already,
    and its three-decimal ones (BHD, JOD, KWD, OMR, TND) in thousandths
    (https://docs.stripe.com/currencies, "Zero-decimal currencies" and "Three-decimal
    currencies"). Its special cases HUF, ISK and TWD stay two-decimal in the API (whole
    units are charged as multiples of 100), so they divide by 100 like the rest.
    `currency`: an ISO 4217 code in any case. -#}
{% macro cxux_minor_to_major_units(amount, currency) -%}
    ({{ amount }} / case
        when upper({{ currency }}) in ('BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA',
            'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') then 1.0
        when upper({{ currency }}) in ('BHD', 'JOD', 'KWD', 'OMR', 'TND') then 1000.0
        else 100.0
    end)
{%- endmacro %}
