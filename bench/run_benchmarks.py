"""Build and query benchmarks at several scales, measured against the physical limit.

A script, not a test: run it and read the numbers (README "Performance").

    python bench/run_benchmarks.py --scales 1 5 20 [--workdir /tmp/cxux_bench]

For each scale, in one run on this machine:
  1. `cxux generate --scale S` (as of --as-of); the page views and events received on
     the last day are held back in another schema, to be loaded later as "one more day";
  2. scan limit: one read of every raw table, every column (count(*) and a hash of all
     columns), in a fresh DuckDB process, as the floor any build must pay;
  3. full `dbt build` (models, data tests, unit tests) and, from run_results.json, the
     time in models / data tests / unit tests;
  4. the held-back day is appended; incremental `dbt build --selector daily` (the daily
     load of the README: the same models and data tests, without the unit tests);
  5. `cxux metrics query nps --grain month` (process start included, median of 5) and
     `cxux metrics list` start-up;
peak memory (max RSS of the process tree, from /usr/bin/time -v) of each.
Results go to bench/results/benchmarks_<timestamp>.json and .md with the machine's
description. Targets (issue 19): full build <= 100x the scan limit at the largest
scale, incremental <= 10% of a full build, metric query < 0.5 s, nothing worse than
linear; misses are flagged in the table, with the dbt nodes each build ran (at small
scales their fixed cost dominates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
BIG_TABLES = ("page_views", "events")
SCAN_SCRIPT = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("set enable_progress_bar = false")
tables = [r[0] for r in con.execute(
    "select table_name from duckdb_tables() where schema_name = 'raw' order by 1").fetchall()]
started = time.perf_counter()
rows = 0
for table in tables:
    columns = [r[0] for r in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = ?",
        [table]).fetchall()]
    hashed = ", ".join('"' + c + '"' for c in columns)
    rows += con.execute(f'select count(*), bit_xor(hash({hashed})) from raw."{table}"').fetchone()[0]
print(time.perf_counter() - started, rows)
"""


def timed(cmd: list[str], env: dict, log: Path) -> dict:
    """Run cmd under /usr/bin/time -v: wall seconds, peak RSS (MB), exit code."""
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, cwd=REPO, stdout=out,
                              stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - started
    text = log.read_text()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
            "exit_code": proc.returncode, "log": str(log)}


def run_results_breakdown(target: Path) -> dict:
    results = json.loads((target / "run_results.json").read_text())["results"]
    out: dict[str, dict] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        entry = out.setdefault(kind, {"nodes": 0, "seconds": 0.0})
        entry["nodes"] += 1
        entry["seconds"] = round(entry["seconds"] + result["execution_time"], 2)
    out["failed"] = [r["unique_id"].split(".")[2] for r in results if r["status"] in ("error", "fail")]
    for kind, key, count in (("model", "slowest_models", 8), ("test", "slowest_tests", 5)):
        nodes = sorted((r for r in results if r["unique_id"].startswith(kind + ".")),
                       key=lambda r: -r["execution_time"])
        out[key] = [[r["unique_id"].split(".")[2], round(r["execution_time"], 2)] for r in nodes[:count]]
    return out


def machine() -> dict:
    import duckdb

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    dbt_version = subprocess.run([str(VENV_BIN / "dbt"), "--version"], capture_output=True,
                                 text=True).stdout
    return {
        "nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
        "python": platform.python_version(), "duckdb": duckdb.__version__,
        "dbt": " ".join(re.findall(r"(?:installed|duckdb):\s+(\S+)", dbt_version)) or dbt_version[:80],
        "platform": platform.platform(),
    }


def bench_scale(scale: float, args, workdir: Path) -> dict:
    import duckdb

    tag = f"s{scale:g}"
    db = workdir / f"{tag}.duckdb"
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ, CXUX_PROJECT_DIR=str(REPO), CXUX_DUCKDB_PATH=str(db),
               CXUX_PUBLISHED_PATH=str(workdir / f"{tag}_published.duckdb"),
               DBT_TARGET_PATH=str(workdir / f"{tag}_target"), DBT_LOG_PATH=str(workdir / "logs"),
               CXUX_DUCKDB_MEMORY_LIMIT=args.memory_limit, CXUX_DUCKDB_THREADS=str(args.threads),
               CXUX_DBT_THREADS=str(args.dbt_threads),
               CXUX_DUCKDB_TEMP_DIR=str(workdir / f"{tag}.spill"))
    result: dict = {"scale": scale}
    if args.raw_from:  # raw data generated earlier with the same scale, seed and as-of
        print(f"[{tag}] copy raw data from {args.raw_from}", file=sys.stderr, flush=True)
        shutil.copyfile(args.raw_from, db)
        result["generate"] = {"seconds": None, "peak_rss_mb": None, "exit_code": 0,
                              "reused_from": str(args.raw_from)}
    else:
        print(f"[{tag}] generate", file=sys.stderr, flush=True)
        result["generate"] = timed([str(VENV_BIN / "cxux"), "generate", "--scale", str(scale), "--seed",
                                    str(args.seed), "--as-of", args.as_of], env, workdir / f"{tag}_generate.log")
    load_day = (dt.date.fromisoformat(args.as_of) - dt.timedelta(days=1)).isoformat()
    with duckdb.connect(str(db)) as con:
        con.execute("create schema if not exists bench_holdback")
        for table in BIG_TABLES:
            con.execute(f"create or replace table bench_holdback.{table} as "
                        f"select * from raw.{table} where received_at >= '{load_day}'")
            con.execute(f"delete from raw.{table} where received_at >= '{load_day}'")
        result["raw_rows"] = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                              for (t,) in con.execute("select table_name from duckdb_tables() "
                                                      "where schema_name = 'raw'").fetchall()}
        result["appended_rows"] = {t: con.execute(f"select count(*) from bench_holdback.{t}").fetchone()[0]
                                   for t in BIG_TABLES}
    result["raw_mb"] = round(db.stat().st_size / 1e6, 1)  # the generated file: raw tables
    print(f"[{tag}] scan limit", file=sys.stderr, flush=True)
    scans = []
    for _ in range(2):  # the first read may come from disk, the second from the page cache
        out = subprocess.run([sys.executable, "-c", SCAN_SCRIPT, str(db)], capture_output=True,
                             text=True, check=True).stdout.split()
        scans.append(float(out[0]))
    result["scan_limit_seconds"] = round(min(scans), 3)
    result["scan_first_seconds"] = round(scans[0], 3)

    dbt = [str(VENV_BIN / "dbt"), "build", "--profiles-dir", str(REPO), "--vars",
           f"{{cxux_as_of: '{args.as_of}'}}", *args.dbt_args]
    target = Path(env["DBT_TARGET_PATH"])
    print(f"[{tag}] full build", file=sys.stderr, flush=True)
    result["full_build"] = timed([*dbt, "--full-refresh"], env, workdir / f"{tag}_full.log")
    result["full_build"]["breakdown"] = run_results_breakdown(target)
    with duckdb.connect(str(db)) as con:
        for table in BIG_TABLES:
            con.execute(f"insert into raw.{table} select * from bench_holdback.{table}")
    print(f"[{tag}] incremental build", file=sys.stderr, flush=True)
    # what a daily load runs (README): the unit tests check fixed fixtures, not the data
    result["incremental_build"] = timed([*dbt, "--selector", "daily"], env, workdir / f"{tag}_incremental.log")
    result["incremental_build"]["breakdown"] = run_results_breakdown(target)

    print(f"[{tag}] metric commands", file=sys.stderr, flush=True)
    cxux = str(VENV_BIN / "cxux")
    for name, cmd in (("metrics_query", [cxux, "metrics", "query", "nps", "--grain", "month",
                                             "--from", "warehouse"]),
                      ("metrics_list", [cxux, "metrics", "list"])):
        runs = [timed(cmd, env, workdir / f"{tag}_{name}.log") for _ in range(5)]
        result[name] = {"seconds_median": round(statistics.median(r["seconds"] for r in runs), 3),
                        "peak_rss_mb": max(r["peak_rss_mb"] or 0 for r in runs),
                        "exit_code": max(r["exit_code"] for r in runs)}
    full, inc = result["full_build"]["seconds"], result["incremental_build"]["seconds"]
    models = result["full_build"]["breakdown"].get("model", {}).get("seconds", 0.0)
    result["ratios"] = {
        "full_build_over_scan": round(full / result["scan_limit_seconds"], 1),
        "model_time_over_scan": round(models / result["scan_limit_seconds"], 1),
        "incremental_over_full": round(inc / full, 3),
    }
    if not args.keep:
        shutil.rmtree(workdir / f"{tag}.spill", ignore_errors=True)
    return result


def generated(run: dict) -> str:
    if run.get("reused_from"):
        return "generated earlier"
    return f"{run['seconds']} ({run['peak_rss_mb']})"


def run_cell(run: dict) -> str:
    """Seconds (peak MB), flagged when the run failed: its time is not a result."""
    failed = run.get("breakdown", {}).get("failed") or []
    flag = f" **FAILED** (exit {run['exit_code']}{': ' + ', '.join(failed) if failed else ''})" if run["exit_code"] else ""
    return f"{run['seconds']} ({run['peak_rss_mb']}){flag}"


def ratio_cell(run: dict, ratio: float, met: bool) -> str:
    """A ratio against its target, or no result when the run it measures failed."""
    if run["exit_code"]:
        return "no result (failed)"
    return f"{ratio}" + ("" if met else " **(miss)**")


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"# cxux benchmarks ({report['started_at']})", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, {m['platform']}; "
        f"Python {m['python']}, DuckDB {m['duckdb']}, dbt {m['dbt']}. "
        f"DuckDB memory_limit {report['settings']['memory_limit']}, threads {report['settings']['threads']}; "
        f"dbt threads {report['settings'].get('dbt_threads', report['settings']['threads'])}.",
        "",
        "| scale | events | raw file MB | generate s (peak MB) | scan limit s | full build s (peak MB) "
        "| models / tests / unit tests s | nodes | full / scan | incremental s (peak MB) | incr. / full "
        "| metrics query s (MB) | metrics list s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        b = r["full_build"]["breakdown"]
        part = " / ".join(str(b.get(k, {}).get("seconds", 0)) for k in ("model", "test", "unit_test"))
        nodes = " / ".join(str(b.get(k, {}).get("nodes", 0)) for k in ("model", "test", "unit_test"))
        incremental_nodes = sum(v["nodes"] for v in r["incremental_build"]["breakdown"].values()
                                if isinstance(v, dict))
        ratio = r["ratios"]

        def flag(ok):
            return "" if ok else " **(miss)**"

        events = r["raw_rows"].get("events", 0) + r["appended_rows"]["events"]
        lines.append(
            f"| {r['scale']:g} | {events:,} | {r['raw_mb']} "
            f"| {generated(r['generate'])} | {r['scan_limit_seconds']} "
            f"| {run_cell(r['full_build'])} | {part} | {nodes} (daily {incremental_nodes}) "
            f"| {ratio_cell(r['full_build'], ratio['full_build_over_scan'], ratio['full_build_over_scan'] <= 100)} "
            f"| {run_cell(r['incremental_build'])} "
            f"| {ratio_cell(r['incremental_build'], ratio['incremental_over_full'], ratio['incremental_over_full'] <= 0.1)} "
            f"| {r['metrics_query']['seconds_median']}{flag(r['metrics_query']['seconds_median'] < 0.5)} "
            f"({r['metrics_query']['peak_rss_mb']}) | {r['metrics_list']['seconds_median']} |")
    for run, title in (("full_build", "the full build"), ("incremental_build", "the incremental run")):
        lines += ["", f"Slowest models of {title}:", ""]
        for r in report["results"]:
            breakdown = r[run]["breakdown"]
            slow = ", ".join(f"{n} {s}s" for n, s in breakdown["slowest_models"])
            tests = ", ".join(f"{n} {s}s" for n, s in breakdown.get("slowest_tests", []))
            lines.append(f"- scale {r['scale']:g}: {slow}" + (f"; slowest tests: {tests}" if tests else ""))
    if len(report["results"]) > 1:
        first, last = report["results"][0], report["results"][-1]
        growth = last["raw_mb"] / first["raw_mb"] if first["raw_mb"] else float("nan")
        lines += ["", f"Growth from scale {first['scale']:g} to {last['scale']:g}: data x{growth:.1f}, "
                  f"full build x{last['full_build']['seconds'] / first['full_build']['seconds']:.1f}, "
                  f"model time x{last['full_build']['breakdown']['model']['seconds'] / first['full_build']['breakdown']['model']['seconds']:.1f}, "
                  f"incremental x{last['incremental_build']['seconds'] / first['incremental_build']['seconds']:.1f}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", nargs="+", type=float, default=[1, 5])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", default="2026-11-01")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cxux_bench"))
    parser.add_argument("--memory-limit", default=os.environ.get("CXUX_DUCKDB_MEMORY_LIMIT", "8GB"))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("CXUX_DUCKDB_THREADS", "2")),
                        help="DuckDB worker threads")
    parser.add_argument("--dbt-threads", type=int, default=None,
                        help="models dbt builds at once (default: --threads)")
    parser.add_argument("--keep", action="store_true", help="keep spill directories")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--raw-from", type=Path,
                        help="copy this DuckDB file (made by `cxux generate` with the same scale, seed "
                             "and as-of) instead of generating; one scale only")
    parser.add_argument("dbt_args", nargs="*", help="extra dbt build arguments, after --")
    args = parser.parse_args()
    args.dbt_threads = args.dbt_threads or args.threads
    if args.raw_from and len(args.scales) != 1:
        parser.error("--raw-from needs exactly one --scales value")
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {"started_at": started, "machine": machine(),
              "settings": {"memory_limit": args.memory_limit, "threads": args.threads,
                           "dbt_threads": args.dbt_threads,
                           "as_of": args.as_of, "seed": args.seed, "dbt_args": args.dbt_args},
              "results": []}
    for scale in args.scales:
        report["results"].append(bench_scale(scale, args, args.workdir))
        (args.out / f"benchmarks_{started}.json").write_text(json.dumps(report, indent=2))
        (args.out / f"benchmarks_{started}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
