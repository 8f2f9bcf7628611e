"""The planted UX incident, decided per user and per account before usage is generated.

Who meets the incident is decided here, at entity level, so that the churn it causes
can depend on it without reading usage back: the product use of affected users
(users in the incident region) during the incident month is drawn here -- their
sessions, task attempts and attempt outcomes -- and `usage._chunk` replays these
sessions instead of drawing its own for those users in that month. An account is
*exposed* when one of its users had a failed or abandoned task attempt during the
incident; only exposed subscribers get the extra incident cancels
(`entities._plant_incident_cancels`), the others keep the base rate.

Memory is linear in the affected users' sessions of one month (a small part of usage).
"""

from __future__ import annotations

import numpy as np

from cxux_cli.generate import params as P
from cxux_cli.generate.base import US_PER_DAY, choice, rng_for
from cxux_cli.generate.entities import EUROPE, region_shift

NEVER = np.iinfo(np.int64).max
FAILED, ABANDONED = 1, 2  # outcome codes, in the order of P.TASK_OUTCOMES_*


def _within(sizes: np.ndarray):
    group = np.repeat(np.arange(len(sizes)), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return group, np.arange(len(group)) - first[group], first


def plan_incident_usage(ctx, users: dict, traits: dict, n_accounts: int,
                        base_account_end: np.ndarray) -> dict:
    """Sessions of affected users in the incident month, with their task attempts.

    base_account_end: when each account's subscription ends before the incident cancels
    are planted (they can only end it earlier, so no planned session is missed; sessions
    after a user's final end are dropped when usage replays them)."""
    rng, tl = rng_for(ctx.seed, "incident"), ctx.timeline
    n = users["n"]
    business = traits["kind"] == 0
    account = users["account"]
    paid = account >= 0
    acc_end = np.where(paid, base_account_end[np.maximum(account, 0)], NEVER)
    end = np.minimum(users["life_end"], np.where(acc_end < NEVER - 30 * US_PER_DAY,
                                                 acc_end + 14 * US_PER_DAY, acc_end))
    lo = np.maximum(tl.incident_start, users["signup"])
    hi = np.minimum(np.minimum(tl.incident_end, tl.end), end)
    affected = (users["region"] == EUROPE) & (hi > lo)
    lo, hi = np.where(affected, lo, 0), np.where(affected, hi, 0)
    expected = np.where(business, tl.weight_between(tl.work_weights, lo, np.maximum(lo, hi)),
                        tl.weight_between(tl.leisure_weights, lo, np.maximum(lo, hi)))
    # the same session process as usage._chunk (rate x calendar weight)
    count = rng.poisson(traits["rate"] * expected * affected)
    s_user = np.repeat(np.arange(n), count)
    s_lo, s_hi = lo[s_user], hi[s_user]
    s_business = business[s_user]
    t = np.where(s_business, tl.sample_times(rng, tl.work_weights, s_lo, s_hi),
                 tl.sample_times(rng, tl.leisure_weights, s_lo, s_hi))
    local_hour = np.where(s_business, 13.0, np.where(traits["kind"][s_user] == 2, 17.0, 19.5))
    t = tl.with_time_of_day(rng, t, local_hour, region_shift(users["region"][s_user]), sd=3.0)
    t = np.clip(t, s_lo, s_hi - 1)
    order = np.lexsort((s_user, t))
    s_user, t = s_user[order], t[order]
    p_task = np.where(business[s_user], 0.5, 0.35)
    n_task = (rng.random(len(t)) < p_task).astype(np.int64) + (rng.random(len(t)) < p_task * 0.2)
    a_session, _, a_first = _within(n_task)
    outcome = choice(rng, len(a_session), P.TASK_OUTCOMES_INCIDENT)
    # Exposure: the first failed or abandoned attempt of each user, then of each account.
    bad = (outcome == FAILED) | (outcome == ABANDONED)
    user_exposed_at = np.full(n, NEVER)
    np.minimum.at(user_exposed_at, s_user[a_session[bad]], t[a_session[bad]])
    account_exposed_at = np.full(n_accounts, NEVER)
    exposed_paid = paid & (user_exposed_at < NEVER)
    np.minimum.at(account_exposed_at, account[exposed_paid], user_exposed_at[exposed_paid])
    return {"user": s_user, "t": t, "n_task": n_task, "a_first": a_first, "outcome": outcome,
            "account_exposed_at": account_exposed_at,
            "exposed_accounts": int((account_exposed_at < NEVER).sum())}


def sessions_in(plan: dict, users: dict, ms: int, me: int) -> tuple[np.ndarray, ...]:
    """The planned sessions of one usage chunk [ms, me) that the users live to have:
    (user, time, attempts per session) and the outcomes of those attempts, in order."""
    keep = np.flatnonzero((plan["t"] >= ms) & (plan["t"] < me)
                          & (plan["t"] < users["end"][plan["user"]]))
    n_task = plan["n_task"][keep]
    group, j, _ = _within(n_task)
    outcome = plan["outcome"][plan["a_first"][keep][group] + j]
    return plan["user"][keep], plan["t"][keep], n_task, outcome
