{#- A host model feeding cxux's users (var cxux_users_relation), with a column of ours
    passed through to cxux's mart (var cxux_passthrough_columns). -#}
select
    *,
    case when is_account_owner then 'owner_seat' else 'member_seat' end as seat_kind
from {{ source('cxux_demo', 'users') }}
