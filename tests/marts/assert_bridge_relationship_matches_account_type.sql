-- The bridge's relationship type follows the paying customer's type: business ->
-- business_seat, household -> household, individual -> self_purchase (owner) or household
-- (someone else on the account), no account -> no_paying_customer.
select
    bridge.user_id,
    bridge.account_id,
    bridge.relationship_type,
    customers.account_type
from {{ ref('bridge_customer_users') }} as bridge
left join {{ ref('dim_customers') }} as customers
    on bridge.account_id = customers.account_id
where not (
    (bridge.account_id is null and bridge.relationship_type = 'no_paying_customer')
    or (customers.account_type = 'business' and bridge.relationship_type = 'business_seat')
    or (customers.account_type = 'household' and bridge.relationship_type = 'household')
    or (customers.account_type = 'individual' and bridge.is_account_owner
        and bridge.relationship_type = 'self_purchase')
    or (customers.account_type = 'individual' and not bridge.is_account_owner
        and bridge.relationship_type = 'household')
)
