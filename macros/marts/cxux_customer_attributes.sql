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
    {%- for name, expression in cxux_user_customer_attribute_pairs(users_relation, customers_relation) %}
        {{ expression }} as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The same attributes as (column name, expression) pairs: incremental facts compare
    what they stored with the current dimensions (cxux_users_with_changed_attributes). -#}
{% macro cxux_user_customer_attribute_pairs(users_relation, customers_relation) -%}
    {{ return([
        ('account_id', users_relation ~ '.account_id'),
        ('account_type', customers_relation ~ '.account_type'),
        ('segment', customers_relation ~ '.segment'),
        ('region', 'coalesce(' ~ users_relation ~ '.region, ' ~ customers_relation ~ '.region)'),
        ('acquisition_channel', customers_relation ~ '.acquisition_channel'),
        ('acquisition_cohort', customers_relation ~ '.acquisition_cohort'),
        ('relationship_type', 'coalesce(' ~ users_relation ~ ".relationship_type, 'no_paying_customer')"),
    ]) }}
{%- endmacro %}
