{#- A Stripe price's unit amount in minor units, exactly: unit_amount_decimal (a decimal
    string, up to 12 decimal places) where the loader landed it, else unit_amount. Stripe
    leaves unit_amount null when the amount has a fraction of a minor unit (0.5 cents per
    API call), so reading unit_amount alone would price such a price at nothing.
    `price`: the price relation's alias. -#}
{% macro cxux_stripe_unit_amount(price) -%}
    coalesce(cast({{ price }}.unit_amount_decimal as decimal(38, 12)), {{ price }}.unit_amount)
{%- endmacro %}

{#- The units a Stripe price bills for a quantity: the quantity, or for a price with
    transform_quantity (a package price: 10.00 per 5 seats) the quantity divided by
    transform_quantity_divide_by and rounded as transform_quantity_round says (up or down;
    up when the loader left it null, as Stripe requires it with divide_by). -#}
{% macro cxux_stripe_billed_units(price, quantity) -%}
    case
        when {{ price }}.transform_quantity_divide_by > 0 then
            case when lower({{ price }}.transform_quantity_round) = 'down'
                then floor(cast({{ quantity }} as decimal(38, 6)) / {{ price }}.transform_quantity_divide_by)
                else ceil(cast({{ quantity }} as decimal(38, 6)) / {{ price }}.transform_quantity_divide_by)
            end
        else {{ quantity }}
    end
{%- endmacro %}
