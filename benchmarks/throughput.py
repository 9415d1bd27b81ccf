"""Benchmarks 1 and 2: pages per second of `monitor run` against a bare pass, and Prefect's overhead.

  python benchmarks/throughput.py --pages 1000 --runs 3

The bare pass is the floor: feedparser, a bounded concurrent fetch with httpx, trafilatura.extract on
every core, nothing stored. `monitor run` does all that plus topic, copies, claims and DuckDB, under
Prefect (start-up included) and with --no-prefect (the same stages called directly).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import feedparser
import httpx
import trafilatura
from common import ROOT, PageSite, median, timed


def _extract(html: bytes) -> int:
    return len(trafilatura.extract(html) or "")


async def _fetch_all(urls: list[str], limit: int) -> list[bytes]:
    semaphore = asyncio.Semaphore(limit)
    async with httpx.AsyncClient(timeout=30) as client:

        async def one(url: str) -> bytes:
            async with semaphore:
                return (await client.get(url)).content

        return await asyncio.gather(*(one(u) for u in urls))


def bare_pass(feed_url: str) -> int:
    feed = feedparser.parse(httpx.get(feed_url, timeout=30).content)
    pages = asyncio.run(_fetch_all([e.link for e in feed.entries], 8))
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return sum(pool.map(_extract, pages, chunksize=8))


def monitor_pass(feed_url: str, prefect: bool, api_url: str | None = None) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    seeds = work / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "topic.toml", seeds / "topic.toml")  # no seed documents: pages only
    cmd = [
        sys.executable,
        "-m",
        "monitor.cli",
        "run",
        "--db",
        str(work / "w.duckdb"),
        "--seeds",
        str(seeds),
        "--feed",
        feed_url,
    ] + ([] if prefect else ["--no-prefect"])
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    shutil.rmtree(work)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--api-url", help="also time the flow against this running Prefect server (no local start-up)")
    args = ap.parse_args()
    site = PageSite(args.pages)
    try:
        bare = median(timed(lambda: bare_pass(site.feed_url), args.runs))
        direct = median(timed(lambda: monitor_pass(site.feed_url, prefect=False), args.runs))
        flow = median(timed(lambda: monitor_pass(site.feed_url, prefect=True), args.runs))
        served = (
            median(timed(lambda: monitor_pass(site.feed_url, prefect=True, api_url=args.api_url), args.runs))
            if args.api_url
            else None
        )
    finally:
        site.close()
    n = args.pages
    print(f"pages {n}, runs {args.runs}, cores {os.cpu_count()} (medians)")
    print(f"bare pass (feedparser + fetch + trafilatura.extract): {bare:6.1f} s  {n / bare:6.1f} pages/s")
    print(
        f"monitor run --no-prefect:                             {direct:6.1f} s  {n / direct:6.1f} pages/s"
        f"  {bare / direct:.2f}x bare"
    )
    print(
        f"monitor run (Prefect flow, start-up included):        {flow:6.1f} s  {n / flow:6.1f} pages/s"
        f"  {bare / flow:.2f}x bare"
    )
    print(f"orchestration overhead (Prefect local mode vs direct): {100 * (flow - direct) / direct:+.0f} %")
    if served is not None:
        print(
            f"monitor run against a running Prefect server:         {served:6.1f} s  {n / served:6.1f} pages/s"
            f"  {bare / served:.2f}x bare"
        )
        print(f"orchestration overhead (Prefect server vs direct):    {100 * (served - direct) / direct:+.0f} %")


if __name__ == "__main__":
    main()
