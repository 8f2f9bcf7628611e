{#- A host model that maps the host's orders onto cxux's raw contract (here: the demo
    orders as they are). cxux reads it through var cxux_orders_relation. -#}
select * from {{ source('cxux_demo', 'orders') }}
