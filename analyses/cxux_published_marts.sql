{#- Never run. It names the schema `cxux build` publishes the marts to on PostgreSQL and
    Spark: dbt gives it a schema with the same naming as every other node (the host's, in
    a host project), and the Python tools read that name from the manifest
    (cxux_cli/relations.py published_marts_schema). -#}
{{ config(schema='marts') }}
select 1 as cxux_published_marts
