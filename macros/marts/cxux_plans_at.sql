{#- The subscription plan in force at each row's instant, as a select of (key_column,
    plan) with at most one row per key. rows_relation is a CTE of the calling model with
    key_column, account_column and instant_column; the calling model also has an import
    CTE named int_subscription_states_ranged. In force at t: valid_from <= t < valid_to
    (open while valid_to is null); a cancel state holds no plan. With several
    subscriptions the highest MRR wins, then the latest state. Rows without a plan get no
    row: callers coalesce to 'no_subscription'. (fct_customer_months uses the month's plan,
    int_customer_months_classified.) -#}
{% macro cxux_plans_at(rows_relation, key_column, account_column, instant_column) -%}
    select
        {{ key_column }},
        plan
    from (
        select
            plan_rows.{{ key_column }},
            states.plan,
            row_number() over (
                partition by plan_rows.{{ key_column }}
                order by states.mrr_after desc, states.valid_from desc, states.subscription_event_id desc
            ) as plan_rank
        from {{ rows_relation }} as plan_rows
        inner join int_subscription_states_ranged as states
            on plan_rows.{{ account_column }} = states.account_id
            and states.event_type <> 'cancel'
            and states.valid_from <= plan_rows.{{ instant_column }}
            and (states.valid_to is null or states.valid_to > plan_rows.{{ instant_column }})
    ) as ranked_plans
    where plan_rank = 1
{%- endmacro %}
