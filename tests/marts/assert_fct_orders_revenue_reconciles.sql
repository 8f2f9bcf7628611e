-- Customer lifetime revenue equals the completed orders' totals, and the customer-month
-- fact carries the same revenue (no order lost or double counted across the marts).
with orders as (

    select coalesce(sum(order_total), 0) as revenue
    from {{ ref('fct_orders') }}
    where is_completed

),

customers as (

    select coalesce(sum(lifetime_revenue), 0) as revenue
    from {{ ref('dim_customers') }}

),

customer_months as (

    select coalesce(sum(revenue), 0) as revenue
    from {{ ref('fct_customer_months') }}

)

select
    orders.revenue as order_revenue,
    customers.revenue as customer_revenue,
    customer_months.revenue as customer_month_revenue
from orders
cross join customers
cross join customer_months
where abs(orders.revenue - customers.revenue) > 0.005
    or abs(orders.revenue - customer_months.revenue) > 0.005
