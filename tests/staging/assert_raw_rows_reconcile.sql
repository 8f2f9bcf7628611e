-- Fails (returns rows) for any raw table whose rows are not all either staged or quarantined.
-- Also covered by the accepted_values test on is_reconciled; this one names the numbers.
select
    table_name,
    raw_rows,
    staged_rows,
    quarantined_rows
from {{ ref('raw_row_reconciliation') }}
where not is_reconciled
