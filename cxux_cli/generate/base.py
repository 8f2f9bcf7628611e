"""Shared pieces: the time window, seeded random streams, weighted sampling.

Times are int64 microseconds since the Unix epoch (UTC) inside the generator;
DuckDB turns them into timestamps with make_timestamp() when writing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

US_PER_S = 1_000_000
US_PER_MIN = 60 * US_PER_S
US_PER_H = 60 * US_PER_MIN
US_PER_DAY = 24 * US_PER_H

STREAMS = {  # one independent random stream per generation step
    "accounts": 1, "users": 2, "subscriptions": 3, "orders": 4, "tickets": 5, "surveys": 6,
    "reviews": 7, "incident": 8, "usage": 100,
}


def rng_for(seed: int, step: str, chunk: int = 0) -> np.random.Generator:
    """A random stream that depends only on (seed, step, chunk): steps do not disturb each other."""
    return np.random.default_rng([seed, STREAMS[step], chunk])


def to_us(value: dt.date | dt.datetime) -> int:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return int((value - dt.datetime(1970, 1, 1)).total_seconds()) * US_PER_S


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def choice(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    """n codes drawn with the given (not necessarily normalised) weights."""
    weights = np.asarray(weights, dtype=float)
    cumulative = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(weights) - 1)


def lognormal(rng: np.random.Generator, median, sigma, n: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(n))


@dataclass
class Timeline:
    """The 24 months ending at as_of: [start, end) with end = as_of 00:00 UTC."""

    as_of: dt.date
    start_date: dt.date = field(init=False)
    start: int = field(init=False)
    end: int = field(init=False)
    days: int = field(init=False)
    incident_start: int = field(init=False)
    incident_end: int = field(init=False)
    incident_month: dt.date = field(init=False)

    def __post_init__(self):
        from cxux_cli.generate.params import INCIDENT

        self.start_date = add_months(self.as_of, -24)
        self.start = to_us(self.start_date)
        self.end = to_us(self.as_of)
        self.days = (self.as_of - self.start_date).days
        month = add_months(self.as_of.replace(day=1), -INCIDENT["months_before_as_of"])
        self.incident_month = month
        self.incident_start = to_us(month)
        self.incident_end = to_us(add_months(month, 1))
        day_dates = [self.start_date + dt.timedelta(days=i) for i in range(self.days)]
        weekday = np.array([d.weekday() for d in day_dates])
        month_of = np.array([d.month for d in day_dates])
        day_of = np.array([d.day for d in day_dates])
        trend = 1.0 + 0.6 * np.arange(self.days) / self.days  # the business grows
        december = np.where(month_of == 12, np.where(day_of <= 24, 1.8, 1.2), 1.0)
        black_friday = np.where((month_of == 11) & (day_of >= 24), 1.5, 1.0)
        weekend = weekday >= 5
        # Shopping: weekends a little busier, a December peak, Black Friday week.
        self.shopping_weights = trend * np.where(weekend, 1.15, 1.0) * december * black_friday
        # Business product use: quiet weekends, quiet between Christmas and New Year.
        holidays = np.where((month_of == 12) & (day_of >= 24), 0.4, 1.0)
        self.work_weights = trend * np.where(weekend, 0.3, 1.0) * holidays
        # Consumer product use: weekends busier, a December peak.
        self.leisure_weights = trend * np.where(weekend, 1.3, 1.0) * np.where(month_of == 12, 1.3, 1.0)
        self.month_starts = [to_us(add_months(self.start_date.replace(day=1), k)) for k in range(26)]

    def weight_between(self, weights: np.ndarray, lo, hi) -> np.ndarray:
        """Integral of the daily weights over [lo, hi), in days of average weight."""
        cumulative = np.concatenate([[0.0], np.cumsum(weights / weights.mean())])

        def position(t):
            x = np.clip((np.asarray(t) - self.start) / US_PER_DAY, 0, self.days - 1e-9)
            day = np.floor(x).astype(np.int64)
            return cumulative[day] + (weights[day] / weights.mean()) * (x - day)

        return np.maximum(position(hi) - position(lo), 0.0)

    def sample_times(self, rng, weights: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """One time per row in [lo, hi) (microseconds), day chosen by the daily weights.

        Inverse CDF over the cumulative daily weights (uniform within a day), so
        seasonality holds inside every row's own window.
        """
        lo = np.asarray(lo, dtype=np.int64)
        hi = np.maximum(np.asarray(hi, dtype=np.int64), lo + 1)
        cumulative = np.concatenate([[0.0], np.cumsum(weights)])

        def position(t):
            x = (t - self.start) / US_PER_DAY
            x = np.clip(x, 0, self.days - 1e-9)
            day = np.floor(x).astype(np.int64)
            return cumulative[day] + weights[day] * (x - day)

        a, b = position(lo), position(hi)
        target = a + rng.random(len(lo)) * (b - a)
        day = np.clip(np.searchsorted(cumulative, target, side="right") - 1, 0, self.days - 1)
        frac = (target - cumulative[day]) / weights[day]
        t = self.start + ((day + frac) * US_PER_DAY).astype(np.int64)
        return np.clip(t, lo, hi - 1)

    def with_time_of_day(self, rng, t: np.ndarray, local_hour_mean, shift_hours, sd=3.0):
        """Move each time to a realistic hour of its day (local peak shifted to UTC)."""
        day_start = (t // US_PER_DAY) * US_PER_DAY
        hours = (np.asarray(local_hour_mean) + shift_hours + sd * rng.standard_normal(len(t))) % 24
        return day_start + (hours * US_PER_H).astype(np.int64)
