{#- The customer attributes every customer-grain fact carries (denormalised from
    dim_customers so metrics can slice without joins). `relation` is the alias of
    dim_customers in the calling query; account_id is selected by the caller. -#}
{% macro cxux_customer_attributes(relation) -%}
        {{ relation }}.account_type,
        {{ relation }}.segment,
        {{ relation }}.region,
        {{ relation }}.acquisition_channel,
        {{ relation }}.acquisition_cohort,
        {{ relation }}.relationship_type
{%- endmacro %}

{#- The attributes user-grain facts carry: the user's account and that customer's
    attributes. region is the user's own (from their country), else the customer's;
    users with no account get relationship_type no_paying_customer. -#}
{% macro cxux_user_customer_attributes(users_relation, customers_relation) -%}
        {{ users_relation }}.account_id,
        {{ customers_relation }}.account_type,
        {{ customers_relation }}.segment,
        coalesce({{ users_relation }}.region, {{ customers_relation }}.region) as region,
        {{ customers_relation }}.acquisition_channel,
        {{ customers_relation }}.acquisition_cohort,
        coalesce({{ users_relation }}.relationship_type, 'no_paying_customer') as relationship_type
{%- endmacro %}
