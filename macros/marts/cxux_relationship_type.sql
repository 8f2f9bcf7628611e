{#- How a user relates to the customer who pays (bridge_customer_users):
    self_purchase   an individual account and its owner user (buys for themself)
    household       a household account, or a non-owner user of an individual account
                    (someone using what another person pays for)
    business_seat   a business account (a company buying seats for its staff)
    no_paying_customer  a user with no account -#}
{% macro cxux_relationship_type(account_id, account_type, is_account_owner) -%}
    case
        when {{ account_id }} is null or {{ account_type }} is null then 'no_paying_customer'
        when {{ account_type }} = 'business' then 'business_seat'
        when {{ account_type }} = 'household' then 'household'
        when {{ account_type }} = 'individual' and {{ is_account_owner }} then 'self_purchase'
        else 'household'
    end
{%- endmacro %}

{#- The customer-level relationship type (what kind of payer this is). -#}
{% macro cxux_customer_relationship_type(account_type) -%}
    case {{ account_type }}
        when 'individual' then 'self_purchase'
        when 'household' then 'household'
        when 'business' then 'business_seat'
    end
{%- endmacro %}
