{{ config(materialized='table') }}

-- Every raw ticket_events row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__support_tickets') }}

{{ cxux_validate_raw_table('ticket_events') }}
