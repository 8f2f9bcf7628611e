"""Product usage: sessions, page views with web vitals, and tracked events.

The big tables are generated one calendar month at a time (a chunk), each
chunk from its own random stream, so memory stays bounded and volume scales
linearly; ids continue across chunks.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np

from cxux_cli.generate import incident
from cxux_cli.generate import params as P
from cxux_cli.generate.base import US_PER_DAY, US_PER_H, US_PER_S, choice, rng_for
from cxux_cli.generate.entities import EUROPE, region_shift
from cxux_cli.generate.writer import fmt_id, lookup, nullable

log = logging.getLogger(__name__)
ALL_PATHS = P.PAGE_PATHS + [p for p in P.MARKETING_PATHS if p not in P.PAGE_PATHS]
PATH_WEIGHTS = [0.22, 0.12, 0.1, 0.08, 0.07, 0.04, 0.04, 0.03, 0.04, 0.07, 0.06, 0.03, 0.04, 0.03,
                0.03]
MARKETING_CODES = [ALL_PATHS.index(p) for p in P.MARKETING_PATHS]
KIND_CODES = {"business": 0, "consumer": 1, "child": 2, "free": 3}
MAX_SCALE_PER_CHUNK = 10  # about 0.4M events per chunk: a few hundred MB of arrays
LIFETIME_DAYS = {"business": 700.0, "consumer": 420.0, "child": 300.0, "free": 120.0}


def user_traits(ctx, users: dict) -> dict:
    """Per-user platform, devices, activity level and when their own use would end
    (users["life_end"]; `user_ends` then cuts it at the account's final cancel)."""
    rng, tl = rng_for(ctx.seed, "usage", 0), ctx.timeline
    n = users["n"]
    kind = np.array([KIND_CODES[k] for k in users["kind"]])
    platform = choice(rng, n, P.PLATFORM_WEIGHTS)
    second = np.where(rng.random(n) < 0.3, choice(rng, n, P.PLATFORM_WEIGHTS), -1)
    second = np.where(second == platform, -1, second)
    rate = np.array([P.SESSION_RATE[k] for k in KIND_CODES])[kind]
    rate = rate * np.exp(0.8 * rng.standard_normal(n) - 0.32)  # lognormal, mean 1
    life = np.array([LIFETIME_DAYS[k] for k in KIND_CODES])[kind]
    users["life_end"] = users["signup"] + (rng.exponential(life) * US_PER_DAY).astype(np.int64) + US_PER_DAY
    n_visitors = round(P.VISITORS_PER_USER * n)
    visitor_first = tl.sample_times(rng, tl.leisure_weights, np.full(n_visitors, tl.start),
                                    np.full(n_visitors, tl.end - US_PER_H))
    return {"kind": kind, "platform": platform, "second": second, "rate": rate,
            "visitor_first": visitor_first}


def user_ends(ctx, users: dict, acc: dict) -> None:
    """users["end"]: own lifetime, or 14 days after the account's final cancel if earlier."""
    paid = users["account"] >= 0
    account_end = np.where(paid, acc["ended_at"][np.maximum(users["account"], 0)], np.iinfo(np.int64).max)
    end = np.minimum(users["life_end"], np.where(account_end < np.iinfo(np.int64).max - US_PER_DAY * 30,
                                                 account_end + 14 * US_PER_DAY, account_end))
    users["end"] = np.minimum(end, ctx.timeline.end)


def _devices(rng, platform):
    weights = np.array([P.DEVICE_WEIGHTS[p] for p in P.PLATFORMS])
    cum = np.cumsum(weights[platform], axis=1)
    return np.minimum((rng.random(len(platform))[:, None] > cum).sum(axis=1), 2)


def _within(starts_count: np.ndarray):
    """For groups of the given sizes: (group index, position in group) of every member."""
    group = np.repeat(np.arange(len(starts_count)), starts_count)
    first = np.concatenate([[0], np.cumsum(starts_count)[:-1]])
    return group, np.arange(len(group)) - first[group], first


def make_usage(ctx, users: dict, traits: dict) -> dict:
    tl = ctx.timeline
    counters = {"session": 0, "page_view": 0, "event": 0, "attempt": 0}
    totals = {"page_views": 0, "events": 0}
    months = [m for m in tl.month_starts if m < tl.end]
    bounds = [(max(a, tl.start), min(b, tl.end)) for a, b in zip(months, tl.month_starts[1:])]
    bounds = [(a, b) for a, b in bounds if a < b]
    # Memory per chunk grows with the scale: above MAX_SCALE_PER_CHUNK a month is split
    # into equal parts, each with its own random stream (scales up to it are unchanged).
    parts = max(1, math.ceil(ctx.scale / MAX_SCALE_PER_CHUNK))
    if parts > 1:
        bounds = [(a + (b - a) * i // parts, a + (b - a) * (i + 1) // parts, month * 1000 + i)
                  for month, (a, b) in enumerate(bounds, start=1) for i in range(parts)]
    else:
        bounds = [(a, b, month) for month, (a, b) in enumerate(bounds, start=1)]
    started = time.monotonic()
    for step, (ms, me, chunk) in enumerate(bounds, start=1):
        pv, ev = _chunk(ctx, users, traits, chunk, ms, me, counters)
        totals["page_views"] += pv
        totals["events"] += ev
        log.info("usage chunk %d/%d: %d page views, %d events (%d events so far, %.0fs)",
                 step, len(bounds), pv, ev, totals["events"], time.monotonic() - started)
    return totals


def _chunk(ctx, users, traits, chunk, ms, me, counters):
    rng, tl, inc = rng_for(ctx.seed, "usage", chunk), ctx.timeline, P.INCIDENT
    n_users = users["n"]
    business = traits["kind"] == 0
    # Signed-in sessions of users active in this month, seasonal by work or leisure calendar.
    lo = np.maximum(ms, users["signup"])
    hi = np.minimum(me, users["end"])
    expected = np.where(business, tl.weight_between(tl.work_weights, lo, np.maximum(lo, hi)),
                        tl.weight_between(tl.leisure_weights, lo, np.maximum(lo, hi)))
    # Affected users' use during the incident was planned up front (incident.py): replay it.
    in_incident = (ms >= tl.incident_start) & (me <= tl.incident_end)
    planned = in_incident & (users["region"] == EUROPE)
    count = rng.poisson(traits["rate"] * expected * (hi > lo) * ~planned)
    s_user = np.repeat(np.arange(n_users), count)
    s_lo, s_hi = lo[s_user], hi[s_user]
    t_work = tl.sample_times(rng, tl.work_weights, s_lo, s_hi)
    t_leisure = tl.sample_times(rng, tl.leisure_weights, s_lo, s_hi)
    s_business = business[s_user]
    t = np.where(s_business, t_work, t_leisure)
    local_hour = np.where(s_business, 13.0, np.where(traits["kind"][s_user] == 2, 17.0, 19.5))
    t = tl.with_time_of_day(rng, t, local_hour, region_shift(users["region"][s_user]), sd=3.0)
    t = np.clip(t, s_lo, s_hi - 1)
    p_user, p_t, p_tasks, p_outcome = incident.sessions_in(traits["incident"], users, ms, me)
    n_ordinary = len(s_user)
    s_user, t = np.concatenate([s_user, p_user]), np.concatenate([t, p_t])
    k = len(s_user)
    use_second = (traits["second"][s_user] >= 0) & (rng.random(k) < 0.25)
    platform = np.where(use_second, traits["second"][s_user], traits["platform"][s_user])
    anon = np.where(use_second, n_users + s_user, s_user) + 1

    # Anonymous sessions before sign-up (same device as later signed-in use: identity stitching).
    new = np.flatnonzero((users["signup"] >= ms) & (users["signup"] < me) & (rng.random(n_users) < 0.4))
    n_pre = rng.integers(1, 4, len(new))
    pre_user = np.repeat(new, n_pre)
    pre_t = users["signup"][pre_user] - (rng.uniform(10 / 1440, 14, len(pre_user)) * US_PER_DAY).astype(np.int64)
    ok = pre_t >= tl.start
    pre_user, pre_t = pre_user[ok], pre_t[ok]
    # Visitors who never sign up.
    vis = np.flatnonzero((traits["visitor_first"] >= ms) & (traits["visitor_first"] < me))
    n_vis_sessions = 1 + (rng.random(len(vis)) < 0.3)
    vis_id = np.repeat(vis, n_vis_sessions)
    _, vis_j, _ = _within(n_vis_sessions)
    vis_t = traits["visitor_first"][vis_id] + np.where(
        vis_j > 0, (rng.uniform(1, 20, len(vis_id)) * US_PER_DAY).astype(np.int64), 0)

    sess = {
        "user": np.concatenate([s_user, np.full(len(pre_user), -1), np.full(len(vis_id), -1)]),
        "owner": np.concatenate([s_user, pre_user, np.full(len(vis_id), -1)]),
        "anon": np.concatenate([anon, pre_user + 1, 2 * n_users + vis_id + 1]),
        "platform": np.concatenate([platform, traits["platform"][pre_user],
                                    choice(rng, len(vis_id), [0.8, 0.08, 0.08, 0.04])]),
        "t": np.concatenate([t, pre_t, vis_t]),
    }
    n_s = len(sess["t"])
    signed_in = sess["user"] >= 0
    sess["device"] = _devices(rng, sess["platform"])
    # the planned sessions (signed in, affected, in the incident month) are the hit ones
    hit = np.zeros(n_s, dtype=bool)
    hit[n_ordinary:k] = True
    late = np.isin(sess["platform"], [1, 2]) & (rng.random(n_s) < P.LATE_SESSION_SHARE_MOBILE)
    delay = np.where(late, US_PER_H + (rng.exponential(1.5, n_s) * US_PER_DAY).astype(np.int64), 0)
    session_id = counters["session"] + np.arange(1, n_s + 1)
    counters["session"] += n_s

    # Page views: a short walk through pages, 2 s + exponential gaps of 45 s.
    n_pv = np.minimum(np.where(signed_in, rng.geometric(1 / 3, n_s), rng.geometric(1 / 2.2, n_s)), 25)
    ps, pj, pfirst = _within(n_pv)
    m = len(ps)
    gap = np.where(pj > 0, (2 + rng.exponential(45, m)) * US_PER_S, 0).astype(np.int64)
    cum = np.cumsum(gap)
    pv_t = sess["t"][ps] + cum - cum[pfirst[ps]]
    app_path = choice(rng, m, PATH_WEIGHTS)
    app_path = np.where(pj == 0, 0, app_path)
    path = np.where(signed_in[ps], app_path,
                    np.array(MARKETING_CODES)[rng.integers(0, len(MARKETING_CODES), m)])
    device = sess["device"][ps]
    web = sess["platform"][ps] == 0
    z = rng.standard_normal(m)
    med = {key: np.array(val)[device] for key, val in P.VITALS_MEDIAN.items()}
    sig = P.VITALS_SIGMA
    ttfb = med["ttfb_ms"] * np.exp(sig["ttfb_ms"] * (0.8 * z + 0.6 * rng.standard_normal(m)))
    lcp = med["lcp_ms"] * np.exp(sig["lcp_ms"] * (0.8 * z + 0.6 * rng.standard_normal(m)))
    inp = med["inp_ms"] * np.exp(sig["inp_ms"] * rng.standard_normal(m))
    cls = np.where(rng.random(m) < 0.35, 0.0, med["cls"] * np.exp(sig["cls"] * rng.standard_normal(m)))
    pv_hit = hit[ps]
    ttfb = ttfb * np.where(pv_hit, inc["ttfb_multiplier"], 1.0)
    lcp = lcp * np.where(pv_hit, inc["lcp_multiplier"], 1.0)
    inp = inp * np.where(pv_hit, inc["inp_multiplier"], 1.0)
    cls = cls * np.where(pv_hit, inc["cls_multiplier"], 1.0)
    lcp = np.maximum(lcp, ttfb * 1.25)
    fcp_share = rng.uniform(0.45, 0.9, m)
    fcp = (ttfb + (lcp - ttfb) * fcp_share) * np.where(pv_hit, inc["fcp_multiplier"] / inc["lcp_multiplier"], 1.0)
    fcp = np.clip(fcp, ttfb, lcp)
    no_paint = web & (rng.random(m) < 0.03)
    no_inp = ~web | (rng.random(m) < 0.25)
    latency = np.where(late[ps], delay[ps], (rng.uniform(0.3, 4, m) * US_PER_S).astype(np.int64))
    pv_received = pv_t + latency
    pv_ok = pv_received < tl.end  # not received by as_of: not in the export yet
    sel = np.flatnonzero(pv_ok)
    pv_ids = counters["page_view"] + np.arange(1, len(sel) + 1)
    counters["page_view"] += len(sel)
    ctx.write("page_views", {
        "id": pv_ids, "user": nullable(sess["user"][ps][sel] + 1, ~signed_in[ps][sel]),
        "anon": sess["anon"][ps][sel], "session": session_id[ps][sel],
        "occurred_at": pv_t[sel], "received_at": pv_received[sel],
        "platform": sess["platform"][ps][sel], "device": device[sel], "path": path[sel],
        "lcp_ms": nullable(np.round(lcp[sel]), no_paint[sel]),
        "inp_ms": nullable(np.round(inp[sel]), no_inp[sel]),
        "cls": nullable(np.round(cls[sel], 4), ~web[sel]),
        "fcp_ms": nullable(np.round(fcp[sel]), no_paint[sel]),
        "ttfb_ms": np.round(ttfb[sel]),
    }, {
        "page_view_id": "printf('pv_%010d', id)", "user_id": fmt_id("usr", "user"),
        "anonymous_id": "printf('anon_%08d', anon)", "session_id": "printf('ses_%09d', session)",
        "platform": lookup(P.PLATFORMS, "platform"), "device_type": lookup(P.DEVICE_TYPES, "device"),
        "page_path": lookup(ALL_PATHS, "path"),
    })

    # Events placed on page views of their session.
    def on_page(session_idx):
        j = (rng.random(len(session_idx)) * n_pv[session_idx]).astype(np.int64)
        g = pfirst[session_idx] + j
        return pv_t[g] + (rng.uniform(1, 30, len(g)) * US_PER_S).astype(np.int64), path[g]

    parts = []

    def add(name, s_idx, times, paths, feature=None, task=None, attempt=None, error=None):
        k2 = len(s_idx)
        none = np.full(k2, -1)
        parts.append({"name": np.full(k2, P.EVENT_NAMES.index(name)), "s": s_idx, "t": times,
                      "path": paths, "feature": none if feature is None else feature,
                      "task": none if task is None else task,
                      "attempt": none if attempt is None else attempt,
                      "error": none if error is None else error})

    login = np.flatnonzero(signed_in & (rng.random(n_s) < 0.6))
    add("login", login, sess["t"][login] + 2 * US_PER_S, path[pfirst[login]])
    clicks = np.repeat(np.arange(n_s), rng.binomial(n_pv, np.where(signed_in, 0.7, 0.5)))
    add("click", clicks, *on_page(clicks))
    feats = np.repeat(np.arange(n_s), np.where(signed_in, rng.poisson(0.6, n_s), 0))
    add("feature_used", feats, *on_page(feats), feature=choice(rng, len(feats), P.FEATURE_WEIGHTS))
    p_task = np.where(business[np.maximum(sess["owner"], 0)], 0.5, 0.35)
    n_task = np.where(signed_in, (rng.random(n_s) < p_task).astype(int) + (rng.random(n_s) < p_task * 0.2), 0)
    n_task[n_ordinary:k] = p_tasks
    a_s = np.repeat(np.arange(n_s), n_task)
    na = len(a_s)
    a_start, a_path = on_page(a_s)
    a_hit = hit[a_s]
    outcome = choice(rng, na, P.TASK_OUTCOMES_BASE)
    outcome[a_hit] = p_outcome  # attempts are in session order, as planned
    duration = np.array([75.0, 110.0, 140.0, 60.0])[outcome] * np.exp(0.6 * rng.standard_normal(na))
    duration = (duration * np.where(a_hit, 1.4, 1.0) * US_PER_S).astype(np.int64)
    task = choice(rng, na, P.TASK_WEIGHTS)
    attempt = counters["attempt"] + np.arange(1, na + 1)
    counters["attempt"] += na
    add("task_started", a_s, a_start, a_path, task=task, attempt=attempt)
    outcome_names = ["task_completed", "task_failed", "task_abandoned"]
    for code, name in enumerate(outcome_names):
        w = np.flatnonzero(outcome == code)
        add(name, a_s[w], a_start[w] + duration[w], a_path[w], task=task[w], attempt=attempt[w])
    n_err = np.select(
        [outcome == 1, outcome == 0, outcome == 2],
        [np.where(a_hit, inc["failure_error_events"], 1 + (rng.random(na) < 0.5)),
         (rng.random(na) < 0.05).astype(int), (rng.random(na) < 0.25).astype(int)],
        default=(rng.random(na) < 0.1).astype(int))
    e_a = np.repeat(np.arange(na), n_err)
    e_t = a_start[e_a] + (rng.uniform(0.05, 0.95, len(e_a)) * duration[e_a]).astype(np.int64)
    e_code = np.where(a_hit[e_a] & (rng.random(len(e_a)) < 0.6), 0,
                      choice(rng, len(e_a), [0.2, 0.3, 0.2, 0.2, 0.1]))
    # Errors carry the attempt they happened in (tracker context), so they can be counted per attempt.
    add("error", a_s[e_a], e_t, a_path[e_a], task=task[e_a], attempt=attempt[e_a], error=e_code)

    e = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    order = np.lexsort((e["name"], e["s"], e["t"]))
    e = {key: v[order] for key, v in e.items()}
    s = e["s"]
    latency = np.where(late[s], delay[s], (rng.uniform(0.3, 4, len(s)) * US_PER_S).astype(np.int64))
    e_ok = e["t"] + latency < tl.end  # not received by as_of: not in the export yet
    e = {key: v[e_ok] for key, v in e.items()}
    latency = latency[e_ok]
    s = e["s"]
    n_e = len(s)
    ev_ids = counters["event"] + np.arange(1, n_e + 1)
    counters["event"] += n_e
    ctx.write("events", {
        "id": ev_ids, "user": nullable(sess["user"][s] + 1, ~signed_in[s]), "anon": sess["anon"][s],
        "session": session_id[s], "name": e["name"], "occurred_at": e["t"],
        "received_at": e["t"] + latency,
        "platform": sess["platform"][s], "path": e["path"],
        "feature": nullable(np.maximum(e["feature"], 0), e["feature"] < 0),
        "task": nullable(np.maximum(e["task"], 0), e["task"] < 0),
        "attempt": nullable(e["attempt"], e["attempt"] < 0),
        "error": nullable(np.maximum(e["error"], 0), e["error"] < 0),
    }, {
        "event_id": "printf('ev_%010d', id)", "user_id": fmt_id("usr", "user"),
        "anonymous_id": "printf('anon_%08d', anon)", "session_id": "printf('ses_%09d', session)",
        "event_name": lookup(P.EVENT_NAMES, "name"), "platform": lookup(P.PLATFORMS, "platform"),
        "page_path": lookup(ALL_PATHS, "path"), "feature": lookup(P.FEATURES, "feature"),
        "task_name": lookup(P.TASKS, "task"), "task_attempt_id": "printf('att_%09d', attempt)",
        "error_code": lookup(P.ERROR_CODES, "error"),
    })
    return len(sel), n_e
