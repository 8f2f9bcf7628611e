"""Customers, users, products, subscriptions and orders (vectorised numpy)."""

from __future__ import annotations

import numpy as np

from cxux_cli.generate import params as P
from cxux_cli.generate.base import US_PER_DAY, US_PER_H, US_PER_MIN, US_PER_S, choice, rng_for
from cxux_cli.generate.writer import fmt_id, lookup, nullable

INDIVIDUAL, HOUSEHOLD, BUSINESS = 0, 1, 2
COUNTRY_CODES = [c for c, _, _ in P.COUNTRIES]
COUNTRY_REGION = np.array([P.REGIONS.index(r) for _, r, _ in P.COUNTRIES])
EUROPE = P.REGIONS.index(P.INCIDENT["region"])


def region_shift(region: np.ndarray) -> np.ndarray:
    shifts = np.array([P.REGION_UTC_SHIFT[r] for r in P.REGIONS] + [0])
    return shifts[np.where(region < 0, len(P.REGIONS), region)]


def make_accounts(ctx) -> dict:
    rng, tl = rng_for(ctx.seed, "accounts"), ctx.timeline
    n = max(20, round(P.ACCOUNTS_PER_SCALE * ctx.scale))
    kind = choice(rng, n, P.ACCOUNT_TYPE_WEIGHTS)
    business = kind == BUSINESS
    segment = np.where(business, choice(rng, n, P.BUSINESS_SEGMENT_WEIGHTS), 0)
    country = choice(rng, n, [w for _, _, w in P.COUNTRIES])
    no_country = rng.random(n) < P.NULL_COUNTRY_SHARE
    region = np.where(no_country, -1, COUNTRY_REGION[country])
    channel = np.where(
        business,
        choice(rng, n, P.CHANNEL_WEIGHTS["business"]),
        choice(rng, n, P.CHANNEL_WEIGHTS["consumer"]),
    )
    # A launch cohort (customers moved over when the product launched) gives the first
    # months a customer base; the rest arrive with the seasonal, growing shopping calendar.
    launch = rng.random(n) < P.LAUNCH_COHORT_SHARE
    lo = np.full(n, tl.start)
    hi = np.where(launch, tl.start + P.LAUNCH_COHORT_DAYS * US_PER_DAY, tl.end - 3 * US_PER_DAY)
    created = tl.sample_times(rng, tl.shopping_weights, lo, hi)
    created = tl.with_time_of_day(rng, created, 14, region_shift(region), sd=3.5)
    created = np.clip(created, tl.start, tl.end - 3 * US_PER_DAY)
    updated = created + US_PER_MIN + ((tl.end - created - 2 * US_PER_MIN) * rng.random(n)).astype(np.int64)
    first = rng.integers(0, len(P.FIRST_NAMES), n)
    last = rng.integers(0, len(P.LAST_NAMES), n)
    company = rng.integers(0, len(P.COMPANY_WORDS), n)
    suffix = rng.integers(0, len(P.COMPANY_SUFFIXES), n)
    ids = np.arange(1, n + 1)
    data = {
        "id": ids, "kind": kind, "segment": segment, "country": nullable(country, no_country),
        "channel": channel, "created_at": created, "updated_at": updated,
        "first": first, "last": last, "company": company, "suffix": suffix,
    }
    first_sql, last_sql = lookup(P.FIRST_NAMES, "first"), lookup(P.LAST_NAMES, "last")
    company_sql = lookup(P.COMPANY_WORDS, "company")
    exprs = {
        "account_id": fmt_id("acc", "id"),
        "account_type": lookup(P.ACCOUNT_TYPES, "kind"),
        "account_name": f"""case kind
            when 0 then {first_sql} || ' ' || {last_sql}
            when 1 then 'The ' || {last_sql} || ' household'
            else {company_sql} || ' ' || {lookup(P.COMPANY_SUFFIXES, 'suffix')} end""",
        "email": f"""case when kind = 2
            then 'billing@' || lower(replace({company_sql}, ' ', '')) || id || '.example.com'
            else lower({first_sql} || '.' || {last_sql}) || id || '@example.com' end""",
        "segment": lookup(P.SEGMENTS, "segment"),
        "country_code": lookup(COUNTRY_CODES, "country"),
        "acquisition_channel": lookup(P.CHANNELS, "channel"),
    }
    ctx.write("accounts", data, exprs)
    return {"n": n, "kind": kind, "segment": segment, "region": region, "country": country,
            "no_country": no_country, "created": created, "first": first, "last": last}


def make_users(ctx, acc: dict) -> dict:
    rng, tl = rng_for(ctx.seed, "users"), ctx.timeline
    n_acc, kind, segment = acc["n"], acc["kind"], acc["segment"]
    children = np.where(kind == HOUSEHOLD, rng.integers(1, 4, n_acc), 0)
    counts = np.ones(n_acc, dtype=np.int64)
    counts += np.where(kind == INDIVIDUAL, rng.random(n_acc) < 0.12, 0)
    counts += np.where(kind == HOUSEHOLD, children + (rng.random(n_acc) < 0.3), 0)
    for seg, (low, high) in P.BUSINESS_USERS.items():
        mask = (kind == BUSINESS) & (segment == P.SEGMENTS.index(seg))
        counts[mask] = rng.integers(low, high + 1, mask.sum())
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    n_paid = int(counts.sum())
    account = np.repeat(np.arange(n_acc), counts)
    j = np.arange(n_paid) - np.repeat(offsets, counts)
    akind = kind[account]
    role = np.full(n_paid, P.ROLES.index("member"))
    role[akind == INDIVIDUAL] = P.ROLES.index("guest")
    role[(akind == HOUSEHOLD) & (j <= children[account])] = P.ROLES.index("child")
    biz_draw = rng.random(n_paid)
    role[(akind == BUSINESS) & (biz_draw < 0.12)] = P.ROLES.index("admin")
    role[(akind == BUSINESS) & (biz_draw > 0.95)] = P.ROLES.index("guest")
    role[j == 0] = P.ROLES.index("owner")
    created = acc["created"][account]
    later = created + 10 * US_PER_MIN + (
        (tl.end - created - 2 * US_PER_H) * 0.7 * rng.random(n_paid) ** 2).astype(np.int64)
    signup = np.where(j == 0, created + rng.integers(60, 600, n_paid) * US_PER_S, later)

    n_free = round(P.FREE_USERS_PER_ACCOUNT * n_acc)
    free_signup = tl.sample_times(rng, tl.leisure_weights, np.full(n_free, tl.start),
                                  np.full(n_free, tl.end - US_PER_DAY))
    free_country = choice(rng, n_free, [w for _, _, w in P.COUNTRIES])
    free_no_country = rng.random(n_free) < P.NULL_COUNTRY_SHARE

    n = n_paid + n_free
    account_all = np.concatenate([account, np.full(n_free, -1)])
    role_all = np.concatenate([role, np.full(n_free, P.ROLES.index("member"))])
    signup_all = np.concatenate([signup, free_signup])
    country = np.concatenate([acc["country"][account], free_country])
    no_country = np.concatenate([acc["no_country"][account], free_no_country])
    region = np.where(no_country, -1, COUNTRY_REGION[country])
    updated = signup_all + US_PER_MIN + (
        (tl.end - signup_all - 2 * US_PER_MIN) * rng.random(n)).astype(np.int64)
    first = rng.integers(0, len(P.FIRST_NAMES), n)
    first[:n_paid] = np.where((j == 0) & (akind != BUSINESS), acc["first"][account], first[:n_paid])
    last = rng.integers(0, len(P.LAST_NAMES), n)
    last[:n_paid] = np.where(akind != BUSINESS, acc["last"][account], last[:n_paid])
    is_owner = np.concatenate([j == 0, np.zeros(n_free, dtype=bool)])
    # Who they are for product use: business staff, consumers, children, free users.
    user_kind = np.full(n, "consumer", dtype=object)
    user_kind[:n_paid][akind == BUSINESS] = "business"
    user_kind[role_all == P.ROLES.index("child")] = "child"
    user_kind[n_paid:] = "free"
    ids = np.arange(1, n + 1)
    data = {
        "id": ids, "account": nullable(account_all + 1, account_all < 0), "role": role_all,
        "is_account_owner": is_owner, "signup_at": signup_all, "updated_at": updated,
        "country": nullable(country, no_country), "first": first, "last": last,
    }
    exprs = {
        "user_id": fmt_id("usr", "id"),
        "account_id": fmt_id("acc", "account"),
        "email": f"lower({lookup(P.FIRST_NAMES, 'first')} || '.' || {lookup(P.LAST_NAMES, 'last')})"
                 " || '.' || id || '@example.org'",
        "role": lookup(P.ROLES, "role"),
        "country_code": lookup(COUNTRY_CODES, "country"),
    }
    ctx.write("users", data, exprs)
    return {"n": n, "account": account_all, "role": role_all, "signup": signup_all,
            "region": region, "kind": user_kind, "offsets": offsets, "counts": counts,
            "is_owner": is_owner}


def make_products(ctx) -> dict:
    tl = ctx.timeline
    n = len(P.PRODUCTS)
    data = {
        "id": np.array([p[0] for p in P.PRODUCTS]),
        "product_name": np.array([p[1] for p in P.PRODUCTS]),
        "category": np.array([p[2] for p in P.PRODUCTS]),
        "is_subscription": np.array([p[3] for p in P.PRODUCTS]),
        "list_price": np.array([p[4] for p in P.PRODUCTS], dtype=np.int64),
        "launched_at": tl.start - (200 + 15 * np.arange(n)) * US_PER_DAY,
    }
    ctx.write("products", data, {"product_id": fmt_id("prd", "id", 4), "currency": "'USD'"})
    return {"price": {p[0]: p[4] for p in P.PRODUCTS}}


def _plan_mrr(plan: np.ndarray, seats: np.ndarray) -> np.ndarray:
    price = np.zeros(40, dtype=np.int64)
    for p in P.PRODUCTS:
        price[p[0]] = p[4]
    per_seat = np.isin(plan, list(P.PER_SEAT_PLANS))
    return np.where(per_seat, price[plan] * seats, price[plan])


def make_subscriptions(ctx, acc: dict, users: dict, traits: dict) -> dict:
    """Subscription histories, simulated event slot by event slot for all subscriptions at once.

    The incident's use by affected users is planned between the base histories and the
    incident cancels (traits["incident"]), so the cancels follow the accounts' own exposure."""
    from cxux_cli.generate import incident

    rng, tl = rng_for(ctx.seed, "subscriptions"), ctx.timeline
    kind = acc["kind"]
    share = np.array([P.SUBSCRIBER_SHARE[k] for k in P.ACCOUNT_TYPES])[kind]
    subscribed = rng.random(acc["n"]) < share
    start = acc["created"] + US_PER_H + (rng.exponential(2.0, acc["n"]) * US_PER_DAY).astype(np.int64)
    subscribed &= start < tl.end - US_PER_H
    sub_acc = np.flatnonzero(subscribed)
    n = len(sub_acc)
    skind = kind[sub_acc]
    tiers = np.zeros(n, dtype=np.int64)
    tiers[skind == INDIVIDUAL] = choice(rng, int((skind == INDIVIDUAL).sum()), [0.6, 0.3, 0.1])
    tiers[skind == HOUSEHOLD] = choice(rng, int((skind == HOUSEHOLD).sum()), [0.75, 0.25])
    seg = acc["segment"][sub_acc]
    for s, weights in ((1, [0.6, 0.35, 0.05]), (2, [0.3, 0.5, 0.2]), (3, [0.1, 0.4, 0.5])):
        mask = (skind == BUSINESS) & (seg == s)
        tiers[mask] = choice(rng, int(mask.sum()), weights)
    max_tier = np.array([2, 1, 2])[skind]
    plan_table = np.full((3, 3), -1)
    for k, name in enumerate(P.ACCOUNT_TYPES):
        plan_table[k, : len(P.PLAN_TIERS[name])] = P.PLAN_TIERS[name]
    n_users = users["counts"][sub_acc]
    seats = np.where(skind == BUSINESS, n_users + rng.integers(0, np.maximum(2, n_users // 5)),
                     np.where(skind == HOUSEHOLD, n_users, 1))
    consumer = skind != BUSINESS
    reason_codes = np.where(consumer, choice(rng, n, P.CANCEL_REASON_WEIGHTS["consumer"]),
                            choice(rng, n, P.CANCEL_REASON_WEIGHTS["business"]))

    rows = {"sub": [], "type": [], "t": [], "tier": [], "seats": [], "reason": []}

    def emit(mask, event_type, t, tier, seat, reason):
        rows["sub"].append(np.flatnonzero(mask))
        rows["type"].append(np.full(mask.sum(), event_type))
        rows["t"].append(t[mask])
        rows["tier"].append(tier[mask])
        rows["seats"].append(seat[mask])
        rows["reason"].append(reason[mask] if isinstance(reason, np.ndarray) else np.full(mask.sum(), reason))

    t = start[sub_acc].copy()
    emit(np.ones(n, dtype=bool), "start", t, tiers, seats, -1)
    active = np.ones(n, dtype=bool)
    alive = np.ones(n, dtype=bool)
    # event probabilities per slot while active: cancel, upgrade, downgrade, seat_change
    probs = np.array([[0.20, 0.18, 0.10, 0.0], [0.15, 0.15, 0.08, 0.12], [0.07, 0.12, 0.06, 0.55]])[skind]
    mean_gap = np.where(consumer, 120.0, 75.0)
    for _ in range(14):
        gap = np.where(active, rng.exponential(mean_gap), rng.exponential(150.0, n))
        t = t + (gap * US_PER_DAY).astype(np.int64)
        ok = alive & (t < tl.end - US_PER_H)
        alive &= ok
        u = rng.random(n)
        cum = np.cumsum(probs, axis=1)
        is_cancel = ok & active & (u < cum[:, 0])
        is_up = ok & active & (u >= cum[:, 0]) & (u < cum[:, 1]) & (tiers < max_tier)
        is_down = ok & active & (u >= cum[:, 1]) & (u < cum[:, 2]) & (tiers > 0)
        is_seat = ok & active & (u >= cum[:, 2]) & (u < cum[:, 3])
        is_react = ok & ~active & (u < 0.3)
        alive &= active | is_react  # a cancelled subscription that does not come back ends
        tiers = tiers + is_up - is_down
        grow = rng.random(n) < 0.75
        delta = np.where(grow, rng.integers(1, np.maximum(2, seats // 4 + 1)),
                         -rng.integers(1, np.maximum(2, seats // 6 + 1)))
        seats = np.where(is_seat, np.maximum(1, seats + delta), seats)
        emit(is_cancel, "cancel", t, tiers, seats, reason_codes)
        emit(is_up, "upgrade", t, tiers, seats, -1)
        emit(is_down, "downgrade", t, tiers, seats, -1)
        emit(is_seat, "seat_change", t, tiers, seats, -1)
        emit(is_react, "reactivate", t, tiers, seats, -1)
        active = (active & ~is_cancel) | is_react
        reason_codes = np.where(
            consumer, choice(rng, n, P.CANCEL_REASON_WEIGHTS["consumer"]),
            choice(rng, n, P.CANCEL_REASON_WEIGHTS["business"]))

    ev = {k: np.concatenate(v) for k, v in rows.items()}
    order = np.lexsort((ev["t"], ev["sub"]))
    ev = {k: v[order] for k, v in ev.items()}
    base_end = _ended_at(ev, sub_acc, acc["n"])
    traits["incident"] = incident.plan_incident_usage(ctx, users, traits, acc["n"], base_end)
    exposed_at = traits["incident"]["account_exposed_at"][sub_acc]
    ev, churned = _plant_incident_cancels(ctx, rng, ev, exposed_at, n)

    order = np.lexsort((ev["sub"], ev["t"]))
    ev = {k: v[order] for k, v in ev.items()}
    plan = plan_table[skind[ev["sub"]], ev["tier"]]
    is_cancel = ev["type"] == "cancel"
    mrr = np.where(is_cancel, 0, _plan_mrr(plan, ev["seats"]))
    types = ["start", "upgrade", "downgrade", "seat_change", "cancel", "reactivate"]
    type_code = np.searchsorted(np.array(sorted(types)), ev["type"])
    data = {
        "id": np.arange(1, len(plan) + 1), "sub": sub_acc[ev["sub"]] + 1,
        "account": sub_acc[ev["sub"]] + 1, "plan": plan, "type": type_code,
        "occurred_at": ev["t"], "seats_after": ev["seats"], "mrr_after": mrr,
        "reason": nullable(np.maximum(ev["reason"], 0), ~is_cancel),
    }
    ctx.write("subscription_events", data, {
        "subscription_event_id": fmt_id("se", "id"),
        "subscription_id": fmt_id("sub", "sub"),
        "account_id": fmt_id("acc", "account"),
        "product_id": fmt_id("prd", "plan", 4),
        "event_type": lookup(sorted(types), "type"),
        "currency": "'USD'",
        "cancel_reason": lookup(P.CANCEL_REASONS, "reason"),
    })
    ended_at = _ended_at(ev, sub_acc, acc["n"])
    by_sub = np.lexsort((ev["t"], ev["sub"]))
    last_rows = by_sub[np.r_[np.flatnonzero(np.diff(ev["sub"][by_sub]) != 0), len(plan) - 1]]
    plan_now = np.full(acc["n"], -1)
    plan_now[sub_acc[ev["sub"][last_rows]]] = plan[last_rows]
    return {"subscribed": subscribed, "ended_at": ended_at, "incident_churned": churned,
            "plan": plan_now, "incident": traits["incident"]}


def _ended_at(ev: dict, sub_acc: np.ndarray, n_accounts: int) -> np.ndarray:
    """When each account's subscription finally ended (no reactivation after), else never."""
    by_sub = np.lexsort((ev["t"], ev["sub"]))
    last_rows = by_sub[np.r_[np.flatnonzero(np.diff(ev["sub"][by_sub]) != 0), len(by_sub) - 1]]
    ended_at = np.full(n_accounts, np.iinfo(np.int64).max)
    final_cancel = ev["type"][last_rows] == "cancel"
    ended_at[sub_acc[ev["sub"][last_rows][final_cancel]]] = ev["t"][last_rows][final_cancel]
    return ended_at


def _plant_incident_cancels(ctx, rng, ev: dict, exposed_at: np.ndarray, n: int):
    """Exposed subscribers (a user of the account had a failed or abandoned task attempt
    during the incident) still active a few days after their first such attempt cancel
    with reason ux_issues (probability INCIDENT['exposed_cancel_probability']); later
    events vanish. Unexposed subscribers keep the base rate."""
    tl, inc = ctx.timeline, P.INCIDENT
    exposed = exposed_at < np.iinfo(np.int64).max
    low, high = inc["cancel_delay_days"]
    delay = (rng.uniform(low, high, n) * US_PER_DAY).astype(np.int64)
    tc = np.where(exposed, exposed_at, tl.end) + np.where(exposed, delay, 0)
    before = ev["t"] < tc[ev["sub"]]
    count_before = np.bincount(ev["sub"][before], minlength=n)
    first_row = np.searchsorted(ev["sub"], np.arange(n))
    last_row = first_row + count_before - 1
    has_before = count_before > 0
    last_type = np.where(has_before, ev["type"][np.maximum(last_row, 0)], "cancel")
    active_at = has_before & (last_type != "cancel")
    chosen = exposed & active_at & (rng.random(n) < inc["exposed_cancel_probability"])
    chosen &= tc < tl.end - US_PER_H
    keep = ~(chosen[ev["sub"]] & ~before)
    subs = np.flatnonzero(chosen)
    tier = ev["tier"][last_row[subs]]
    seats = ev["seats"][last_row[subs]]
    react_t = tc[subs] + (rng.uniform(45, 120, len(subs)) * US_PER_DAY).astype(np.int64)
    react = (rng.random(len(subs)) < 0.15) & (react_t < tl.end - US_PER_H)
    add = {
        "sub": np.concatenate([subs, subs[react]]),
        "type": np.concatenate([np.full(len(subs), "cancel"), np.full(react.sum(), "reactivate")]),
        "t": np.concatenate([tc[subs], react_t[react]]),
        "tier": np.concatenate([tier, tier[react]]),
        "seats": np.concatenate([seats, seats[react]]),
        "reason": np.concatenate([np.full(len(subs), P.CANCEL_REASONS.index("ux_issues")),
                                  np.full(react.sum(), -1)]),
    }
    out = {k: np.concatenate([ev[k][keep], add[k].astype(ev[k].dtype)]) for k in ev}
    return out, int(chosen.sum())


def make_orders(ctx, acc: dict, users: dict, subs: dict) -> dict:
    rng, tl = rng_for(ctx.seed, "orders"), ctx.timeline
    n_acc, kind = acc["n"], acc["kind"]
    mean = np.array([2.4, 3.2, 4.5])[kind]
    lam = rng.gamma(0.8, (mean - 1) / 0.8)
    n_orders = 1 + rng.poisson(lam)
    n_orders[subs["subscribed"] & (rng.random(n_acc) < 0.2)] = 0
    account = np.repeat(np.arange(n_acc), n_orders)
    n = len(account)
    business = kind[account] == BUSINESS
    lo = acc["created"][account] + 10 * US_PER_MIN
    t = tl.sample_times(rng, tl.shopping_weights, lo, np.full(n, tl.end - 2 * US_PER_MIN))
    t = tl.with_time_of_day(rng, t, 14, region_shift(acc["region"][account]), sd=3.5)
    t = np.clip(t, lo, tl.end - 2 * US_PER_MIN)
    order = np.lexsort((account, t))
    account, t, business = account[order], t[order], business[order]
    channel = np.where(business, choice(rng, n, P.ORDER_CHANNEL_WEIGHTS["business"]),
                       choice(rng, n, P.ORDER_CHANNEL_WEIGHTS["consumer"]))
    age_days = (tl.end - t) / US_PER_DAY
    statuses = ["placed", "paid", "shipped", "delivered", "cancelled", "returned"]
    u = rng.random(n)
    status = np.select(
        [age_days < 1, age_days < 4, u < 0.04, (u < 0.075) & (age_days >= 10)],
        [np.where(u < 0.5, 0, 1), np.select([u < 0.2, u < 0.9], [1, 2], 4), 4, 5],
        default=3,
    )
    delay_hours = np.select(
        [status == 0, status == 1, status == 2, status == 3, status == 4],
        [rng.uniform(0.02, 0.5, n), rng.uniform(0.1, 1, n), rng.uniform(24, 72, n),
         rng.uniform(48, 144, n), rng.uniform(1, 48, n)],
        default=rng.uniform(240, 720, n),
    )
    updated = t + (delay_hours * US_PER_H).astype(np.int64)
    # A status change due after as_of has not happened yet: the last update falls before it.
    pending = updated >= tl.end
    updated = np.where(pending, t + ((tl.end - t) * rng.uniform(0.3, 0.95, n)).astype(np.int64), updated)
    updated = np.maximum(updated, t + 3 * US_PER_S)
    owner = users["offsets"][account]
    pick = owner + (rng.random(n) * users["counts"][account]).astype(np.int64)
    pick = np.where(users["signup"][pick] < t, pick, owner)
    placed_by = np.where(business & (rng.random(n) < 0.4), pick, owner)
    offline = np.isin(channel, [2, 3, 4])
    no_placer = offline & (rng.random(n) < 0.5)

    # Items: mostly from the buyer's preferred category, some cross-category.
    n_items = np.minimum(1 + rng.poisson(0.6, n), 6)
    line_order = np.repeat(np.arange(n), n_items)
    m = len(line_order)
    preferred = choice(rng, n_acc, P.ORDER_CATEGORY_WEIGHTS)[account[line_order]]
    category = np.where(rng.random(m) < P.PREFERRED_CATEGORY_SHARE, preferred,
                        choice(rng, m, P.ORDER_CATEGORY_WEIGHTS))
    by_category = [[p[0] for p in P.PRODUCTS if p[2] == c] for c in P.ORDER_CATEGORIES]
    sizes = np.array([len(x) for x in by_category])
    table = np.full((len(by_category), sizes.max()), -1)
    for k, ids in enumerate(by_category):
        table[k, : len(ids)] = ids
    product = table[category, (rng.random(m) * sizes[category]).astype(np.int64)]
    list_price = np.zeros(40, dtype=np.int64)
    for p in P.PRODUCTS:
        list_price[p[0]] = p[4]
    line_business = business[line_order]
    quantity = np.where(line_business, 1 + rng.poisson(1.5, m), choice(rng, m, [0.85, 0.10, 0.05]) + 1)
    unit = list_price[product]
    unit = np.where(rng.random(m) < 0.08, (unit * 0.9).astype(np.int64), unit)
    month = np.array(t[line_order], dtype="datetime64[us]").astype("datetime64[M]").astype(int) % 12 + 1
    december = month == 12
    discounted = rng.random(m) < np.where(december, 0.35, 0.15)
    discount = np.where(discounted, (quantity * unit * rng.uniform(0.05, 0.25, m)).astype(np.int64), 0)
    line_total = quantity * unit - discount
    order_total = np.bincount(line_order, weights=line_total, minlength=n).round().astype(np.int64)
    discount_total = np.bincount(line_order, weights=discount, minlength=n).round().astype(np.int64)
    ids = np.arange(1, n + 1)
    ctx.write("orders", {
        "id": ids, "account": account + 1, "placer": nullable(placed_by + 1, no_placer),
        "ordered_at": t, "channel": channel, "status": status, "order_total": order_total,
        "discount_total": discount_total, "updated_at": updated,
    }, {
        "order_id": fmt_id("ord", "id"), "account_id": fmt_id("acc", "account"),
        "placed_by_user_id": fmt_id("usr", "placer"), "channel": lookup(P.ORDER_CHANNELS, "channel"),
        "status": lookup(statuses, "status"), "currency": "'USD'",
    })
    ctx.write("order_items", {
        "id": np.arange(1, m + 1), "order": line_order + 1, "product": product,
        "quantity": quantity, "unit_price": unit, "discount": discount,
    }, {
        "order_item_id": fmt_id("oi", "id"), "order_id": fmt_id("ord", "order"),
        "product_id": fmt_id("prd", "product", 4),
    })
    first_product = product[np.searchsorted(line_order, np.arange(n))]
    return {"n": n, "account": account, "t": t, "status": status, "updated": updated,
            "placer": np.where(no_placer, -1, placed_by), "first_product": first_product}
