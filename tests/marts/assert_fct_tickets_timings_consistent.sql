-- Ticket timings agree with the flags: unsolved tickets have no full resolution time
-- (null, never zero), a solved ticket has one and it is not before the first resolution,
-- one-touch tickets are solved with exactly one public agent comment, and a first reply
-- time exists exactly when there is a public agent comment.
select *
from {{ ref('fct_tickets') }}
where (not is_solved and full_resolution_minutes is not null)
    or (is_solved and full_resolution_minutes is null)
    or full_resolution_minutes < first_resolution_minutes
    or (is_one_touch and (not is_solved or public_agent_comment_count <> 1))
    or ((public_agent_comment_count > 0) <> (first_reply_minutes is not null))
    or (is_reopened <> (reopen_count > 0))
