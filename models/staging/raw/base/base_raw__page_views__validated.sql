{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='_cxux_row_id',
    incremental_strategy='delete+insert',
) }}

-- Every raw page_views row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__users') }}

{#- Incremental on received_at: only the keys a load can have changed are validated
    again (macros/staging/cxux_validate_raw_table.sql, docs/incremental.md). #}
{{ cxux_validate_raw_table('page_views', incremental_column='received_at') }}
