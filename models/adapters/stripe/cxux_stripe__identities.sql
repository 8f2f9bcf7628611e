{#- Stripe's customers as identity records (entity 'account'; Stripe bills customers and
    knows no product users), read by the identity crosswalk (models/adapters/identity/).
    external_id: the value of the metadata key named by var cxux_stripe_external_id_key
    (default null: none), the host's own customer id when the host stores it there. Deleted
    customers are kept: their subscriptions still happened. -#}
{%- set external_id_key = var('cxux_stripe_external_id_key', none) -%}

with customer as (

    select * from {{ source('cxux_stripe', 'customer') }}

),

final as (

    select
        {{- cxux_identity_record('stripe', 'account', {
            'native_id': 'id',
            'email': 'email',
            'external_id': cxux_json_text('metadata', external_id_key) if external_id_key else 'null',
            'display_name': 'name',
            'country_code': 'upper(address_country)',
            'created_at': 'created',
            'updated_at': 'created'}) }}
    from customer

)

select * from final
