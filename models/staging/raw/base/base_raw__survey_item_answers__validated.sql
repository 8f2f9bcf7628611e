{{ config(materialized='table') }}

-- Every raw survey_item_answers row, typed and checked against the contract; see macros/staging/cxux_validate_raw_table.sql.
-- depends_on: {{ ref('stg_raw__survey_responses') }}

{#- The contract's min/max bound items and answers over both instruments; an item
    must also fit the instrument of its (accepted) parent response. -#}
{%- set instrument_checks = [
    {
        'column': 'response_id',
        'fail_when': "response_id__survey_type not in ('sus', 'umux_lite')",
        'reason': 'is not a sus or umux_lite response (only those have items)',
    },
    {
        'column': 'item_number',
        'fail_when': "response_id__survey_type = 'sus' and item_number not between 1 and 10",
        'reason': 'is not a SUS item (1-10)',
    },
    {
        'column': 'item_number',
        'fail_when': "response_id__survey_type = 'umux_lite' and item_number not between 1 and 2",
        'reason': 'is not a UMUX-Lite item (1-2)',
    },
    {
        'column': 'answer',
        'fail_when': "response_id__survey_type = 'sus' and answer not between 1 and 5",
        'reason': 'is outside the SUS answer scale 1-5',
    },
    {
        'column': 'answer',
        'fail_when': "response_id__survey_type = 'umux_lite' and answer not between 1 and 7",
        'reason': 'is outside the UMUX-Lite answer scale 1-7',
    },
] %}

{{ cxux_validate_raw_table(
    'survey_item_answers',
    parent_columns={'response_id': ['survey_type']},
    cross_table_checks=instrument_checks,
) }}
