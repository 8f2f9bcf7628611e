{{ config(materialized='table') }}

-- Every raw users row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__accounts') }}

{{ cxux_validate_raw_table('users') }}
