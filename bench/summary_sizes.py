"""How large exact metric summaries would be, and how much a daily run changes (issue 19).

A script, not a test: it prints figures and ratios for the design of delta-maintained
metric summaries (docs/incremental.md, "Toward summaries maintained by deltas"). Run it on
a warehouse that `bench/run_benchmarks.py` left after its daily run (the workdir's
s<scale>.duckdb), with the day that run loaded:

    python bench/summary_sizes.py /tmp/cxux_bench/s20.duckdb --load-day 2026-10-31

For a percentile metric (default lcp_p75, its grains, dimensions and filter read from
metrics/): the rows of a value histogram per day over the full cross of its dimensions
(the "day summary" weeks and months would be derived from), and per grain, period and
slice (what each value is computed from), each against the fact's rows; the distinct
values in one month's total slice (what recomputing one percentile reads). For the daily
run: the fact rows it added and those a first sign-in restated, and the months they fall in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]


def definition(name: str) -> dict:
    for path in sorted((REPO / "metrics").rglob("*.yml")):
        for metric in (yaml.safe_load(path.read_text()) or {}).get("metrics", []):
            if metric["name"] == name:
                return metric
    raise SystemExit(f"no metric {name} in metrics/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    parser.add_argument("--load-day", required=True, help="the day the daily run loaded (YYYY-MM-DD)")
    parser.add_argument("--metric", default="lcp_p75", help="a percentile or median metric on fct_page_views")
    args = parser.parse_args()
    metric = definition(args.metric)
    fact, measure, time = f"marts.{metric['model']}", metric["measure"], metric["time"]
    where = f"({metric['filter']})" if metric.get("filter") else "true"
    dimensions = metric.get("dimensions", [])
    con = duckdb.connect(str(args.database), read_only=True)

    def one(sql: str):
        return con.execute(sql).fetchone()

    rows = one(f"select count(*) from {fact} where {where}")[0]
    print(f"{args.metric}: {rows:,} rows of {fact}; grains {metric['grains']}, dimensions {dimensions}")
    day_cross = one(f"select count(*) from (select distinct cast({time} as date), "
                    f"{', '.join(dimensions + [measure])} from {fact} where {where})")[0]
    print(f"  day summary (day x every dimension x value): {day_cross:,} rows, "
          f"{day_cross / rows:.2f}x the fact")
    per_period = 0
    for grain in metric["grains"]:
        period = f"cast(date_trunc('{grain}', {time}) as date)"
        for slice_ in ["'total'", *dimensions]:
            per_period += one(f"select count(*) from (select distinct {period}, {slice_}, {measure} "
                              f"from {fact} where {where})")[0]
    print(f"  histograms per grain, period and slice: {per_period:,} rows, {per_period / rows:.2f}x the fact")
    largest, mean = one(f"select max(values_), avg(values_) from (select count(distinct {measure}) as values_ "
                        f"from {fact} where {where} group by date_trunc('month', {time}))")
    print(f"  distinct values in one month's total slice: largest {largest:,}, mean {mean:,.0f}")

    added = one(f"select count(*) from {fact} where {where} and received_at >= timestamp '{args.load_day}'")[0]
    restated, months = one(
        f"select count(*), count(distinct date_trunc('month', views.occurred_at)) "
        f"from intermediate.int_page_views_stitched as views "
        f"inner join intermediate.int_identities_stitched as identities using (anonymous_id) "
        f"where views.tracked_user_id is null and views.received_at < timestamp '{args.load_day}' "
        f"and identities.first_identified_at >= timestamp '{args.load_day}'")
    total = one("select count(*) from marts.fct_page_views")[0]
    print(f"daily run: {added:,} page views added (with {measure}), {restated:,} restated by first "
          f"sign-ins in {months} months: {(added + restated) / total:.4f} of the page views")


if __name__ == "__main__":
    main()
