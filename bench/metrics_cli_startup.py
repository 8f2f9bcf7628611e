"""Start-up time of the `cxux metrics` commands that only read definitions or marts.

A script, not a test: run it and read the numbers.

    python bench/metrics_cli_startup.py [--runs 5]

For each command it reports the median wall time of a fresh interpreter and
whether dbt or Great Expectations got imported (they must not be), and lists
the slowest imports of `cxux metrics list` from `python -X importtime`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = [
    ["metrics", "list"],
    ["metrics", "list", "--format", "json"],
    ["metrics", "show", "nps", "--no-compile"],
    ["metrics", "validate"],
    ["metrics", "query", "nps", "--grain", "month"],
]
PROBE = (
    "import sys\n"
    "from cxux_cli.cli import main\n"
    "main({args!r})\n"
    "heavy = sorted({{m.split('.')[0] for m in sys.modules}} & "
    "{{'dbt', 'great_expectations', 'pandas'}})\n"
    "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
)


def time_command(args: list[str], runs: int) -> tuple[float, str]:
    times = []
    heavy = ""
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], cwd=REPO,
                                capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        for line in result.stderr.splitlines():
            if line.startswith("HEAVY="):
                heavy = line.removeprefix("HEAVY=")
    return statistics.median(times), heavy


def slowest_imports(limit: int = 10) -> list[tuple[int, str]]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "cxux_cli.cli",
                             "metrics", "list"], cwd=REPO, capture_output=True, text=True,
                            check=False)
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
    return sorted(rows, reverse=True)[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(f"{'command':45} {'median s':>9}  heavy imports")
    for args in COMMANDS:
        seconds, heavy = time_command(args, options.runs)
        print(f"{'cxux ' + ' '.join(args):45} {seconds:9.3f}  {heavy or 'none'}")
    print("\nslowest cumulative imports of `cxux metrics list` (microseconds):")
    for micros, module in slowest_imports():
        print(f"  {micros:>9}  {module}")


if __name__ == "__main__":
    main()
