{{ config(
    materialized=cxux_incremental_materialization(),
    unique_key='page_view_id',
    incremental_strategy='delete+insert',
) }}

{#- Page views attributed to the stitched user; incremental on received_at
    (macros/incremental/cxux_stitched_usage_rows.sql). #}
{{ cxux_stitched_usage_rows(
    'stg_raw__page_views', 'page_view_id',
    ['session_id', 'platform', 'device_type', 'page_path',
     'lcp_ms', 'inp_ms', 'cls', 'fcp_ms', 'ttfb_ms'] + cxux_passthrough_column_names('page_views')) }}
