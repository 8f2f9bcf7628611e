"""Benchmark `cxux load` on a large synthetic events.csv (a script, not a test).

    python bench/load_bench.py --rows 2000000

Writes the file (and a gzipped copy) to a temporary folder, times a clean load,
then plants bad values at known rows and checks that the reported physical line
numbers are right even when DuckDB reads the file in parallel (this is where a
wrong row order would show).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import tempfile
import time
from pathlib import Path

HEADER = (
    "event_id,user_id,anonymous_id,session_id,event_name,occurred_at,received_at,"
    "platform,page_path,feature,task_name,task_attempt_id,error_code\n"
)


def write_events(path: Path, rows: int, bad_rows: set[int]) -> None:
    """Every 1000th row has a quoted comment-like page_path spanning two lines."""
    with path.open("w") as handle:
        handle.write(HEADER)
        for i in range(rows):
            ts = "yesterday" if i in bad_rows else f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
            page = '"/search?q=a\nb"' if i % 1000 == 0 else "/home"
            handle.write(
                f"e{i},u{i % 5000},anon{i % 7000},s{i // 10},click,{ts},"
                f"2024-03-01T00:00:00Z,web,{page},,,,\n"
            )


def physical_line(row: int) -> int:
    """Header is line 1; every 1000th row (0, 1000, ...) takes two lines."""
    return 2 + row + (row + 999) // 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()

    from cxux_cli.load import LoadError, load_directory
    from cxux_cli.project import Project

    work = Path(tempfile.mkdtemp(prefix="cxux-load-bench-"))
    os.environ["CXUX_DUCKDB_PATH"] = str(work / "cxux.duckdb")
    project = Project.resolve(str(Path(__file__).resolve().parents[1]))
    try:
        good = work / "good"
        good.mkdir()
        write_events(good / "events.csv", args.rows, set())
        size_mb = (good / "events.csv").stat().st_size / 1e6
        started = time.perf_counter()
        report = load_directory(project, good)
        elapsed = time.perf_counter() - started
        print(f"csv: {args.rows} rows, {size_mb:.0f} MB in {elapsed:.1f} s ({report.tables[0]})")

        gz = work / "gz"
        gz.mkdir()
        with (good / "events.csv").open("rb") as src, gzip.open(gz / "events.csv.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        started = time.perf_counter()
        load_directory(project, gz, mode="append")
        print(f"csv.gz append: {time.perf_counter() - started:.1f} s")

        bad = work / "bad"
        bad.mkdir()
        planted = sorted({args.rows // 3, args.rows // 2, args.rows - 1})
        write_events(bad / "events.csv", args.rows, set(planted))
        started = time.perf_counter()
        try:
            load_directory(project, bad)
            raise SystemExit("FAIL: the bad file loaded")
        except LoadError as error:
            print(f"bad file rejected in {time.perf_counter() - started:.1f} s")
            got = [p.line for p in error.problems]
            want = [physical_line(row) for row in planted]
            assert got == want, f"line numbers {got} != expected {want}"
            print(f"line numbers ok: {got}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
