{{ config(materialized='table') }}

-- Every raw products row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.

{{ cxux_validate_raw_table('products') }}
