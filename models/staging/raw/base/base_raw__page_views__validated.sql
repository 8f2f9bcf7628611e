{{ config(materialized='table') }}

-- Every raw page_views row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__users') }}

{{ cxux_validate_raw_table('page_views') }}
