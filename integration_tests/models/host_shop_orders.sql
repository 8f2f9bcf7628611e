{#- A host model on the host's own `raw` source: it keeps working beside cxux. -#}
select * from {{ source('raw', 'orders') }}
