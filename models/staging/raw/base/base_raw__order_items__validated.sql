{{ config(materialized='table') }}

-- Every raw order_items row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__orders') }}
-- depends_on: {{ ref('stg_raw__products') }}

{{ cxux_validate_raw_table('order_items') }}
