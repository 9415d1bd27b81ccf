"""Benchmark: peak memory of one pass against the number of new items (it should stay flat).

  python benchmarks/pass_memory.py --items 100 2000

Each size runs `monitor run --no-prefect` in its own process on a feed of N corpus pages served from
127.0.0.1 (MONITOR_ALLOW_PRIVATE_ADDRESSES=true, MONITOR_MAX_NEW_PER_FEED=N so every item is taken),
and reports the process's peak RSS (its analysis workers are counted separately by the OS: the
figure is the largest of the parent and any one child). Pages go through in batches of `batch_size`,
so only one batch is held at a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, PageSite

MEASURE = """
import resource, sys
from monitor.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"RSS {own / 1024:.0f} {children / 1024:.0f}", file=sys.stderr)
"""


def one_pass(items: int, batch_size: int) -> tuple[float, float, float]:
    site = PageSite(items)
    work = Path(tempfile.mkdtemp(prefix="bench-mem-"))
    try:
        seeds = work / "seeds"
        seeds.mkdir()
        shutil.copy(ROOT / "seeds" / "topic.toml", seeds / "topic.toml")
        env = dict(
            os.environ,
            MONITOR_ALLOW_PRIVATE_ADDRESSES="true",
            MONITOR_MAX_NEW_PER_FEED=str(items),
            MONITOR_BATCH_SIZE=str(batch_size),
        )
        cmd = [sys.executable, "-c", MEASURE, "run", "--no-prefect", "--db", str(work / "w.duckdb")]
        cmd += ["--seeds", str(seeds), "--feed", site.feed_url]
        started = time.monotonic()
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        elapsed = time.monotonic() - started
        line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("RSS ")), None)
        if line is None:
            raise SystemExit(f"pass failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        own, children = (float(x) for x in line.split()[1:])
        return own, children, elapsed
    finally:
        site.close()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, nargs="+", default=[100, 2000])
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()
    print("| new items | peak RSS of the pass (MB) | largest analysis worker (MB) | seconds |")
    print("|---|---|---|---|")
    for n in args.items:
        own, children, elapsed = one_pass(n, args.batch_size)
        print(f"| {n} | {own:.0f} | {children:.0f} | {elapsed:.0f} |", flush=True)


if __name__ == "__main__":
    main()
