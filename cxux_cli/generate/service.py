"""Help-desk tickets and their events, surveys and public reviews."""

from __future__ import annotations

import itertools

import numpy as np

from cxux_cli.generate import params as P
from cxux_cli.generate.base import (
    US_PER_DAY,
    US_PER_H,
    US_PER_MIN,
    US_PER_S,
    choice,
    lognormal,
    rng_for,
)
from cxux_cli.generate.entities import BUSINESS, EUROPE, region_shift
from cxux_cli.generate.writer import fmt_id, lookup, nullable

NEVER = np.iinfo(np.int64).max
TICKET_STATUSES = ["new", "open", "pending", "solved", "closed"]


def make_tickets(ctx, acc: dict, users: dict, subs: dict) -> dict:
    rng, tl, inc = rng_for(ctx.seed, "tickets"), ctx.timeline, P.INCIDENT
    n_acc = acc["n"]
    business = acc["kind"] == BUSINESS
    span_end = np.minimum(subs["ended_at"], tl.end - 2 * US_PER_DAY) + np.where(
        subs["ended_at"] < tl.end, 30 * US_PER_DAY, 0)
    span_end = np.minimum(span_end, tl.end - US_PER_H)
    span_start = acc["created"] + US_PER_H
    years = np.maximum(span_end - span_start, 0) / (365 * US_PER_DAY)
    rate = np.where(business, 1.5 + 0.08 * users["counts"], 0.7)
    n_per = rng.poisson(rate * years)
    account = np.repeat(np.arange(n_acc), n_per)
    t = tl.sample_times(rng, tl.shopping_weights, span_start[account], span_end[account])
    t = tl.with_time_of_day(rng, t, 12, region_shift(acc["region"][account]), sd=3.0)
    t = np.clip(t, span_start[account], span_end[account])
    category = np.where(business[account],
                        choice(rng, len(account), P.TICKET_CATEGORY_WEIGHTS["business"]),
                        choice(rng, len(account), P.TICKET_CATEGORY_WEIGHTS["consumer"]))
    incident = np.zeros(len(account), dtype=bool)

    # The planted incident: affected accounts file one extra bug ticket in the incident month.
    affected = ((acc["region"] == EUROPE) & (acc["created"] < tl.incident_start)
                & (subs["ended_at"] > tl.incident_start)
                & (rng.random(n_acc) < inc["extra_bug_ticket_probability"]))
    extra_acc = np.flatnonzero(affected)
    extra_t = tl.incident_start + (rng.random(len(extra_acc))
                                   * (tl.incident_end - tl.incident_start)).astype(np.int64)
    keep = extra_t < tl.end - US_PER_H
    extra_acc, extra_t = extra_acc[keep], extra_t[keep]
    account = np.concatenate([account, extra_acc])
    t = np.concatenate([t, extra_t])
    category = np.concatenate([category, np.full(len(extra_acc), P.TICKET_CATEGORIES.index("bug"))])
    incident = np.concatenate([incident, np.ones(len(extra_acc), dtype=bool)])

    owner = users["offsets"][account]
    pick = owner + (rng.random(len(account)) * users["counts"][account]).astype(np.int64)
    requester = np.where(users["signup"][pick] < t, pick, owner)

    # Free users (no paying customer) and unknown senders.
    free = np.flatnonzero(users["account"] < 0)
    free = free[rng.random(len(free)) < 0.04]
    free_t = users["signup"][free] + (rng.exponential(30, len(free)) * US_PER_DAY).astype(np.int64)
    free = free[free_t < tl.end - US_PER_H]
    free_t = free_t[free_t < tl.end - US_PER_H]
    n_unknown = max(1, round(0.015 * len(account)))
    unknown_t = tl.sample_times(rng, tl.shopping_weights, np.full(n_unknown, tl.start),
                                np.full(n_unknown, tl.end - US_PER_H))
    n_free, n = len(free), len(account) + len(free) + n_unknown
    account = np.concatenate([account, np.full(n_free + n_unknown, -1)])
    requester = np.concatenate([requester, free, np.full(n_unknown, -1)])
    t = np.concatenate([t, free_t, unknown_t])
    category = np.concatenate([category, choice(rng, n_free + n_unknown,
                                                P.TICKET_CATEGORY_WEIGHTS["consumer"])])
    incident = np.concatenate([incident, np.zeros(n_free + n_unknown, dtype=bool)])
    order = np.lexsort((account, t))
    account, requester, t, category, incident = (
        account[order], requester[order], t[order], category[order], incident[order])

    channel = choice(rng, n, P.TICKET_CHANNEL_WEIGHTS)
    channel[n - n_unknown:] = 0
    priority = choice(rng, n, P.PRIORITY_WEIGHTS)
    priority[incident & (rng.random(n) < 0.5)] = P.PRIORITIES.index("high")
    reply_median = np.array([P.REPLY_MEDIAN_MINUTES[c] for c in P.TICKET_CHANNELS])[channel]
    reply_median = reply_median * np.where(priority == 3, 0.3, 1.0)

    def minutes(median, sigma=1.0):
        return (lognormal(rng, median, sigma, n) * US_PER_MIN).astype(np.int64) + 30 * US_PER_S

    u = rng.random(n)
    never = u < P.NEVER_SOLVED_SHARE
    one_touch = ~never & (rng.random(n) < P.ONE_TOUCH_SHARE)
    multi = ~never & ~one_touch
    replied_never = never & (rng.random(n) < 0.7)
    note = multi & (rng.random(n) < 0.3)
    reopen = ~never & (rng.random(n) < P.REOPEN_SHARE)
    r1 = t + minutes(reply_median)
    q1 = r1 + minutes(360)
    r2 = q1 + minutes(180)
    solve1 = np.where(one_touch, r1 + 30 * US_PER_S, r2 + 30 * US_PER_S)
    o = solve1 + np.minimum(minutes(36 * 60, 0.8), int(3.5 * US_PER_DAY))
    r3 = o + minutes(120)
    final_solve = np.where(reopen, r3 + 30 * US_PER_S, solve1)
    always = np.ones(n, dtype=bool)
    # (time, author, event_type, is_public, new_status, present); authors agent/requester/system
    slots = [
        (t, 1, 0, True, -1, always),
        (r1, 0, 0, True, -1, ~never | replied_never),
        (r1 + 20 * US_PER_S, 0, 1, False, 2, multi | replied_never),
        (r1 + 30 * US_PER_S, 0, 1, False, 3, one_touch),
        (q1, 1, 0, True, -1, multi),
        (q1 + US_PER_S, 2, 1, False, 1, multi),
        (q1 + (r2 - q1) // 2, 0, 0, False, -1, note),
        (r2, 0, 0, True, -1, multi),
        (r2 + 30 * US_PER_S, 0, 1, False, 3, multi),
        (o, 1, 0, True, -1, reopen),
        (o + US_PER_S, 2, 1, False, 1, reopen),
        (r3, 0, 0, True, -1, reopen),
        (r3 + 30 * US_PER_S, 0, 1, False, 3, reopen),
        (final_solve + 4 * US_PER_DAY, 2, 1, False, 4, ~never),
    ]
    status = np.zeros(n, dtype=np.int64)
    updated = t.copy()
    first_solve = np.full(n, NEVER)
    cols = {"ticket": [], "t": [], "author": [], "type": [], "public": [], "new_status": []}
    for time, author, event_type, public, new_status, present in slots:
        kept = present & (time < tl.end - US_PER_S)
        if event_type == 1:
            status = np.where(kept, new_status, status)
        if new_status == 3:
            first_solve = np.where(kept, np.minimum(first_solve, time), first_solve)
        updated = np.where(kept, np.maximum(updated, time), updated)
        idx = np.flatnonzero(kept)
        cols["ticket"].append(idx)
        cols["t"].append(time[idx])
        cols["author"].append(np.full(len(idx), author))
        cols["type"].append(np.full(len(idx), event_type))
        cols["public"].append(np.full(len(idx), public))
        cols["new_status"].append(np.full(len(idx), new_status))
    ev = {k: np.concatenate(v) for k, v in cols.items()}
    ev_order = np.lexsort((ev["ticket"], ev["t"]))
    ev = {k: v[ev_order] for k, v in ev.items()}
    ids = np.arange(1, n + 1)
    ctx.write("support_tickets", {
        "id": ids, "account": nullable(account + 1, account < 0),
        "requester": nullable(requester + 1, requester < 0), "channel": channel,
        "category": category, "priority": priority, "created_at": t, "status": status,
        "updated_at": updated,
    }, {
        "ticket_id": fmt_id("tkt", "id"), "account_id": fmt_id("acc", "account"),
        "requester_user_id": fmt_id("usr", "requester"),
        "channel": lookup(P.TICKET_CHANNELS, "channel"),
        "category": lookup(P.TICKET_CATEGORIES, "category"),
        "priority": lookup(P.PRIORITIES, "priority"), "status": lookup(TICKET_STATUSES, "status"),
    })
    ctx.write("ticket_events", {
        "id": np.arange(1, len(ev["t"]) + 1), "ticket": ev["ticket"] + 1, "author": ev["author"],
        "type": ev["type"], "is_public": ev["public"],
        "new_status": nullable(np.maximum(ev["new_status"], 0), ev["new_status"] < 0),
        "occurred_at": ev["t"],
    }, {
        "ticket_event_id": fmt_id("te", "id"), "ticket_id": fmt_id("tkt", "ticket"),
        "event_type": lookup(["comment", "status_change"], "type"),
        "author_type": lookup(["agent", "requester", "system"], "author"),
        "new_status": lookup(TICKET_STATUSES, "new_status"),
    })
    solved_at = np.where(first_solve < NEVER, final_solve, NEVER)
    return {"n": n, "account": account, "requester": requester, "solved_at": solved_at,
            "bad_experience": reopen | ((final_solve - t) > 2 * US_PER_DAY) | incident}


POSITIVE = ["Great experience, thank you!", "Fast and easy.", "Love the new dashboard.",
            "Support was very helpful.", "Everything just works."]
NEUTRAL = ["It is ok.", "Does the job, a bit pricey.", "Fine, but search could be better.",
           "Average experience."]
NEGATIVE = ["Pages load very slowly.", "The export keeps failing.", "Too expensive for what it does.",
            "Had to contact support twice.", "Checkout crashed on my phone."]
PII_COMMENTS = ["Please call me back on +1 555 010 4477.", "Email me at sam.jones@example.net about this.",
                "My number is +44 20 7946 0958, the app is broken.",
                "Write to maria.lopez@example.net, thanks!"]
COMMENTS = POSITIVE + NEUTRAL + NEGATIVE + PII_COMMENTS
SURVEY_TYPES = ["nps", "csat", "ces", "sus", "umux_lite", "in_app_rating"]
TOUCHPOINTS = ["relationship", "post_purchase", "post_support", "onboarding", "in_product"]
SURVEY_PREFIX = {  # (type, touchpoint) -> survey id prefix
    (0, 0): "nps-relationship", (1, 1): "csat-post-purchase", (1, 2): "csat-post-support",
    (2, 2): "ces-post-support", (1, 3): "csat-onboarding", (3, 4): "sus-in-product",
    (4, 4): "umux-lite-in-product", (5, 4): "in-app-rating",
}


def _scores(rng, n, dist, offset=1):
    return choice(rng, n, dist) + offset


def make_surveys(ctx, acc, users, orders, tickets, traits) -> None:
    rng, tl, inc = rng_for(ctx.seed, "surveys"), ctx.timeline, P.INCIDENT
    parts = []  # dicts: type, touch, user, account, order, ticket, t, score, wave, latent

    def add(stype, touch, user, account, t, score, order=None, ticket=None, wave=None, latent=None):
        k = len(t)
        parts.append({
            "type": np.full(k, stype), "touch": np.full(k, touch), "user": user, "account": account,
            "order": np.full(k, -1) if order is None else order,
            "ticket": np.full(k, -1) if ticket is None else ticket, "t": t,
            "score": np.full(k, -1) if score is None else score,
            "wave": np.full(k, -1) if wave is None else wave,
            "latent": np.full(k, np.nan) if latent is None else latent,
        })

    after_incident = tl.incident_end + 31 * US_PER_DAY
    # Relationship NPS: every month a 6% sample of live customers (owner or another user answers).
    for ms, me in zip(tl.month_starts[:-1], tl.month_starts[1:]):
        lo_m, hi_m = max(ms, tl.start), min(me, tl.end)
        if lo_m >= hi_m:
            continue
        lo = np.maximum(lo_m, acc["created"] + US_PER_DAY)
        t = lo + (rng.random(acc["n"]) * np.maximum(hi_m - lo, 0)).astype(np.int64)
        ok = (lo < hi_m) & (t < acc["ended_at"]) & (rng.random(acc["n"]) < 0.06)
        a = np.flatnonzero(ok)
        t = t[a]
        owner = users["offsets"][a]
        pick = owner + (rng.random(len(a)) * users["counts"][a]).astype(np.int64)
        pick = np.where(users["signup"][pick] < t, pick, owner)
        second = (acc["kind"][a] == BUSINESS) & (rng.random(len(a)) < 0.3) & (pick != owner)
        user = np.concatenate([owner, pick[second]])
        a = np.concatenate([a, a[second]])
        t = np.concatenate([t, t[second] + US_PER_H])
        t = np.minimum(t, hi_m - US_PER_S)
        mu = np.array([8.2, 7.8, 7.5, 7.3])[acc["segment"][a]]
        hit = (acc["region"][a] == EUROPE) & (t >= tl.incident_start) & (t < after_incident)
        mu = mu + np.where(hit, inc["nps_shift"], 0) - np.where(
            acc["ended_at"][a] - t < 90 * US_PER_DAY, 1.5, 0)
        score = np.clip(np.round(mu + 2.2 * rng.standard_normal(len(a))), 0, 10).astype(np.int64)
        add(0, 0, user, a, t, score, wave=np.full(len(a), ms))

    # Post-purchase CSAT on delivered or returned orders.
    o = np.flatnonzero(np.isin(orders["status"], [3, 5]) & (rng.random(orders["n"]) < 0.18))
    t = orders["updated"][o] + (rng.uniform(1, 120, len(o)) * US_PER_H).astype(np.int64)
    o, t = o[t < tl.end], t[t < tl.end]
    returned = orders["status"][o] == 5
    score = np.where(returned, _scores(rng, len(o), [0.35, 0.3, 0.2, 0.1, 0.05]),
                     _scores(rng, len(o), [0.03, 0.04, 0.1, 0.3, 0.53]))
    add(1, 1, orders["placer"][o], orders["account"][o], t, score, order=o)

    # Post-support CSAT and CES on solved tickets.
    for stype, share, good, bad in (
        (1, 0.30, [0.05, 0.05, 0.1, 0.3, 0.5], [0.15, 0.15, 0.2, 0.25, 0.25]),
        (2, 0.15, [0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3], [0.1, 0.12, 0.15, 0.2, 0.18, 0.15, 0.1]),
    ):
        k = np.flatnonzero((tickets["solved_at"] < NEVER) & (rng.random(tickets["n"]) < share))
        t = tickets["solved_at"][k] + (rng.uniform(0.2, 48, len(k)) * US_PER_H).astype(np.int64)
        k, t = k[t < tl.end], t[t < tl.end]
        score = np.where(tickets["bad_experience"][k], _scores(rng, len(k), bad),
                         _scores(rng, len(k), good))
        add(stype, 2, tickets["requester"][k], tickets["account"][k], t, score, ticket=k)

    # Onboarding CSAT a few days after signup (paying customers' users).
    u = np.flatnonzero((users["account"] >= 0) & (rng.random(users["n"]) < 0.10))
    t = users["signup"][u] + (rng.uniform(3, 10, len(u)) * US_PER_DAY).astype(np.int64)
    u, t = u[t < np.minimum(tl.end, users["end"][u])], t[t < np.minimum(tl.end, users["end"][u])]
    add(1, 3, u, users["account"][u], t, _scores(rng, len(u), [0.04, 0.06, 0.15, 0.35, 0.4]))

    # In-product SUS, UMUX-Lite and in-app ratings, in quarterly waves of active users.
    quarters = tl.month_starts[::3]
    for qs, qe in itertools.pairwise(quarters):
        for stype, share in ((3, 0.03), (4, 0.03), (5, 0.04)):
            lo = np.maximum(np.maximum(qs, tl.start), users["signup"] + US_PER_DAY)
            hi = np.minimum(np.minimum(qe, tl.end), users["end"])
            t = lo + (rng.random(users["n"]) * np.maximum(hi - lo, 0)).astype(np.int64)
            ok = (lo < hi) & (rng.random(users["n"]) < share)
            if stype == 5:
                ok &= np.isin(traits["platform"], [1, 2])
            u = np.flatnonzero(ok)
            t = t[u]
            hit = (users["region"][u] == EUROPE) & (t >= tl.incident_start) & (t < after_incident)
            if stype == 5:
                score = np.where(hit, _scores(rng, len(u), [0.3, 0.2, 0.2, 0.15, 0.15]),
                                 _scores(rng, len(u), [0.06, 0.06, 0.13, 0.3, 0.45]))
                add(5, 4, u, users["account"][u], t, score, wave=np.full(len(u), qs))
            else:
                latent = 3.9 + 0.6 * rng.standard_normal(len(u)) + np.where(hit, inc["sus_shift"], 0)
                add(stype, 4, u, users["account"][u], t, None, wave=np.full(len(u), qs), latent=latent)

    s = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.lexsort((s["user"], s["t"]))
    s = {k: v[order] for k, v in s.items()}
    n = len(s["t"])
    sentiment = np.select(
        [s["type"] == 0, np.isin(s["type"], [1, 5]), s["type"] == 2],
        [np.digitize(s["score"], [7, 9]), np.digitize(s["score"], [3, 4]),
         np.digitize(s["score"], [4, 6])],
        default=np.digitize(np.nan_to_num(s["latent"], nan=3.0), [3.0, 3.8]),
    )  # 0 negative, 1 neutral, 2 positive
    has_comment = rng.random(n) < 0.25
    pii = has_comment & (rng.random(n) < 0.08)
    offsets = np.array([len(POSITIVE) + len(NEUTRAL), len(POSITIVE), 0])
    sizes = np.array([len(NEGATIVE), len(NEUTRAL), len(POSITIVE)])
    comment = offsets[sentiment] + (rng.random(n) * sizes[sentiment]).astype(np.int64)
    comment = np.where(pii, len(COMMENTS) - len(PII_COMMENTS)
                       + rng.integers(0, len(PII_COMMENTS), n), comment)
    keys = sorted(SURVEY_PREFIX)
    key_code = np.searchsorted(np.array([a * 10 + b for a, b in keys]), s["type"] * 10 + s["touch"])
    ids = np.arange(1, n + 1)
    ctx.write("survey_responses", {
        "id": ids, "key": key_code, "wave": nullable(s["wave"], s["wave"] < 0),
        "type": s["type"], "touch": s["touch"],
        "user": nullable(s["user"] + 1, s["user"] < 0),
        "account": nullable(s["account"] + 1, s["account"] < 0),
        "order": nullable(s["order"] + 1, s["order"] < 0),
        "ticket": nullable(s["ticket"] + 1, s["ticket"] < 0),
        "responded_at": s["t"], "score": nullable(s["score"], s["score"] < 0),
        "comment": nullable(comment, ~has_comment),
    }, {
        "response_id": fmt_id("rsp", "id"),
        "survey_id": f"{lookup([SURVEY_PREFIX[k] for k in keys], 'key')}"
                     " || coalesce(strftime(make_timestamp(wave), '-%Y-%m'), '')",
        "survey_type": lookup(SURVEY_TYPES, "type"), "touchpoint": lookup(TOUCHPOINTS, "touch"),
        "respondent_user_id": fmt_id("usr", "user"), "account_id": fmt_id("acc", "account"),
        "related_order_id": fmt_id("ord", "order"), "related_ticket_id": fmt_id("tkt", "ticket"),
        "comment": lookup(COMMENTS, "comment"),
    })
    # Item answers: SUS odd items agree with the latent ease, even items disagree; UMUX-Lite 1-7.
    multi = np.flatnonzero(np.isin(s["type"], [3, 4]))
    n_items = np.where(s["type"][multi] == 3, 10, 2)
    resp = np.repeat(multi, n_items)
    item = np.arange(len(resp)) - np.repeat(np.concatenate([[0], np.cumsum(n_items)[:-1]]), n_items) + 1
    latent = s["latent"][resp]
    noise = 0.7 * rng.standard_normal(len(resp))
    sus = s["type"][resp] == 3
    sus_answer = np.where(item % 2 == 1, latent + noise, 6 - latent + noise)
    umux_answer = 1 + (latent - 1) * 1.5 + noise
    answer = np.where(sus, np.clip(np.round(sus_answer), 1, 5), np.clip(np.round(umux_answer), 1, 7))
    ctx.write("survey_item_answers", {
        "response": resp + 1, "item_number": item, "answer": answer.astype(np.int64),
    }, {"response_id": fmt_id("rsp", "response")})


def make_reviews(ctx, acc, users, orders, subs, traits) -> None:
    rng, tl = rng_for(ctx.seed, "reviews"), ctx.timeline
    o = np.flatnonzero(np.isin(orders["status"], [3, 5]) & (rng.random(orders["n"]) < 0.12))
    t = orders["updated"][o] + (rng.uniform(2, 20, len(o)) * US_PER_DAY).astype(np.int64)
    o, t = o[t < tl.end], t[t < tl.end]
    returned = orders["status"][o] == 5
    rating = np.where(returned, _scores(rng, len(o), [0.45, 0.3, 0.15, 0.05, 0.05]),
                      _scores(rng, len(o), [0.06, 0.05, 0.1, 0.3, 0.49]))
    part_orders = {"account": orders["account"][o], "product": orders["first_product"][o],
                   "platform": choice(rng, len(o), [0.5, 0, 0, 0.25, 0.25]),
                   "rating": rating, "verified": np.ones(len(o), dtype=bool), "t": t}

    # App-store reviews from mobile users, about the plan they are on.
    u = np.flatnonzero(np.isin(traits["platform"], [1, 2]) & (rng.random(users["n"]) < 0.05))
    t = users["signup"][u] + (rng.uniform(7, 200, len(u)) * US_PER_DAY).astype(np.int64)
    ok = t < np.minimum(tl.end, users["end"][u])
    u, t = u[ok], t[ok]
    account = users["account"][u]
    plan = np.where(account >= 0, subs["plan"][np.maximum(account, 0)], -1)
    plan = np.where(plan > 0, plan, P.FREE_PLAN)
    hit = (users["region"][u] == EUROPE) & (t >= tl.incident_start) & (t < tl.incident_end)
    rating = np.where(hit, _scores(rng, len(u), [0.3, 0.2, 0.2, 0.15, 0.15]),
                      _scores(rng, len(u), [0.1, 0.07, 0.13, 0.3, 0.4]))
    part_app = {"account": account, "product": plan,
                "platform": np.where(traits["platform"][u] == 1, 1, 2), "rating": rating,
                "verified": np.zeros(len(u), dtype=bool), "t": t}

    # Unmatched reviews from people who are not (known) customers.
    k = max(1, round(0.02 * acc["n"]))
    part_anon = {"account": np.full(k, -1), "product": rng.integers(1, 20, k),
                 "platform": choice(rng, k, [0, 0, 0, 0.5, 0.5]),
                 "rating": _scores(rng, k, [0.2, 0.1, 0.15, 0.25, 0.3]),
                 "verified": np.zeros(k, dtype=bool),
                 "t": tl.sample_times(rng, tl.shopping_weights, np.full(k, tl.start),
                                      np.full(k, tl.end - US_PER_H))}
    r = {key: np.concatenate([p[key] for p in (part_orders, part_app, part_anon)])
         for key in part_orders}
    order = np.lexsort((r["product"], r["t"]))
    r = {key: v[order] for key, v in r.items()}
    ctx.write("reviews", {
        "id": np.arange(1, len(r["t"]) + 1), "account": nullable(r["account"] + 1, r["account"] < 0),
        "product": r["product"], "platform": r["platform"], "rating": r["rating"],
        "is_verified_purchase": r["verified"], "posted_at": r["t"],
    }, {
        "review_id": fmt_id("rev", "id"), "account_id": fmt_id("acc", "account"),
        "product_id": fmt_id("prd", "product", 4),
        "platform": lookup(["site", "app_store", "play_store", "google", "trustpilot"], "platform"),
    })
