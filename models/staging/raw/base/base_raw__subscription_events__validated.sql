{{ config(materialized='table') }}

-- Every raw subscription_events row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__accounts') }}
-- depends_on: {{ ref('stg_raw__products') }}

{{ cxux_validate_raw_table('subscription_events') }}
