{{ config(materialized='table') }}

-- Every raw survey_responses row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__users') }}
-- depends_on: {{ ref('stg_raw__accounts') }}
-- depends_on: {{ ref('stg_raw__orders') }}
-- depends_on: {{ ref('stg_raw__support_tickets') }}

{{ cxux_validate_raw_table('survey_responses') }}
