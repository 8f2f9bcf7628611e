{#- One row per support ticket with reply and resolution timings in calendar
    minutes (rules in int_tickets_timed) and the customer's attributes. The account
    is the ticket's, else the requester's; plan is that customer's plan in force when the
    ticket was created (cxux_plans_at). Business-minute times and SLA breaches are null
    unless a help desk adapter with schedules is on (int_tickets_timed). -#}
with int_tickets_timed as (

    select * from {{ ref('int_tickets_timed') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_customers as (

    select * from {{ ref('dim_customers') }}

),

int_subscription_states_ranged as (

    select * from {{ ref('int_subscription_states_ranged') }}

),

tickets as (

    select
        int_tickets_timed.*,
        coalesce(int_tickets_timed.account_id, dim_users.account_id) as resolved_account_id,
        dim_users.relationship_type as requester_relationship_type
    from int_tickets_timed
    left join dim_users
        on int_tickets_timed.requester_user_id = dim_users.user_id

),

ticket_plans as (

    {{ cxux_plans_at('tickets', 'ticket_id', 'resolved_account_id', 'created_at') }}

),

final as (

    select
        tickets.ticket_id,
        tickets.resolved_account_id as account_id,
        tickets.requester_user_id,
        tickets.channel,
        tickets.category,
        tickets.priority,
        tickets.status,
        dim_customers.account_type,
        dim_customers.segment,
        dim_customers.region,
        dim_customers.acquisition_channel,
        dim_customers.acquisition_cohort,
        coalesce(
            tickets.requester_relationship_type,
            dim_customers.relationship_type,
            'no_paying_customer'
        ) as relationship_type,
        coalesce(ticket_plans.plan, 'no_subscription') as plan,
        tickets.public_agent_comment_count,
        tickets.reopen_count,
        tickets.solve_count,
        tickets.first_reply_minutes,
        tickets.first_resolution_minutes,
        tickets.full_resolution_minutes,
        tickets.is_solved,
        tickets.is_reopened,
        tickets.is_one_touch,
        tickets.first_reply_business_minutes,
        tickets.first_resolution_business_minutes,
        tickets.full_resolution_business_minutes,
        tickets.is_first_reply_sla_breached,
        tickets.is_resolution_sla_breached,
        tickets.is_sla_breached,
        {{ cxux_to_date('tickets.created_at') }} as created_date,
        tickets.created_at,
        tickets.first_reply_at,
        tickets.first_solved_at,
        tickets.last_solved_at,
        tickets.updated_at
        {{ cxux_passthrough('support_tickets', 'tickets') }}
    from tickets
    left join dim_customers
        on tickets.resolved_account_id = dim_customers.account_id
    left join ticket_plans
        on tickets.ticket_id = ticket_plans.ticket_id

)

select * from final
