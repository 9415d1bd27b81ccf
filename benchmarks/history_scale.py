"""Benchmarks 3 and 4: the cost of a new batch must not grow with the history stored.

  python benchmarks/history_scale.py --sizes 1000 100000 1000000 --runs 3

3. Warehouses pre-filled (synthetic) with 1k, 100k and 1M stored claims; time to store and compare a
   batch of 100 new on-topic articles whose claims hit the same subjects, metrics and periods.
4. Copies: deciding whether a new article copies one of N stored articles (LSH band lookup).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import ROOT, median

from monitor.dedup import BANDS, fingerprint
from monitor.models import Article, EventMention, Figure, Position
from monitor.profile import load_profile
from monitor.warehouse import Warehouse, connect, migrate

PROFILE = load_profile(ROOT / "seeds" / "topic.toml")
METRICS = [m.name for m in PROFILE.metrics]
SUBJECTS = [a.name for a in PROFILE.actors if a.kind in ("government", "place")]
ACTORS = [a.name for a in PROFILE.actors]
TOPICS = [t.name for t in PROFILE.topics]
ACTIONS = [a.name for a in PROFILE.actions]


def prefill(db: Path, claims: int, articles: int) -> None:
    """Synthetic history that agrees with itself: `claims` figures, a quarter as many positions, a twentieth
    as many events. New batches disagree with it now and then, as real news does (a few alerts per batch)."""
    con = connect(db)
    migrate(con)
    con.execute(f"""
        INSERT INTO articles
        SELECT 'http://h/' || i, 'title ' || i, 'outlet ' || (i % 40), TIMESTAMP '2020-01-01' + INTERVAL (i % 2000) DAY,
               now(), 'feed', NULL, md5(i::VARCHAR), true, 9.0, NULL, NULL, NULL, 'text ' || i
        FROM range({articles}) t(i)""")
    con.execute(f"""
        INSERT INTO article_bands
        SELECT (hash(i * 131 + b) >> 1)::BIGINT, 'http://h/' || i
        FROM range({articles}) t(i), range({BANDS}) s(b)""")
    sep = "chr(31)"
    con.execute(
        f"""
        INSERT INTO figures
        SELECT *, subject || {sep} || metric || {sep} || period || {sep} || kind || {sep} || unit FROM (
            SELECT 'f' || i AS id, 'http://h/' || (i % {articles}), (?)[1 + i % {len(SUBJECTS)}] AS subject,
                   (?)[1 + (i // 7) % {len(METRICS)}] AS metric, true, 'level' AS kind,
                   (2000 + i % 26)::VARCHAR AS period, 1000, 990, 1010, 'USD' AS unit,
                   'exact', '$' || i, 'sentence ' || i, TIMESTAMP '2020-01-01' + INTERVAL (i % 2000) DAY,
                   'outlet', false
            FROM range({claims}) t(i))""",
        [SUBJECTS, METRICS],
    )
    con.execute(
        f"""
        INSERT INTO positions
        SELECT *, actor || {sep} || topic FROM (
            SELECT 'p' || i, 'http://h/' || (i % {articles}), (?)[1 + i % {len(ACTORS)}] AS actor,
                   (?)[1 + (i // 3) % {len(TOPICS)}] AS topic,
                   'support', false, false, 'sentence ' || i,
                   TIMESTAMP '2020-01-01' + INTERVAL (i % 2000) DAY, 'outlet', false
            FROM range({max(1, claims // 4)}) t(i))""",
        [ACTORS, TOPICS],
    )
    events = max(1, claims // 20)
    con.execute(
        f"""
        INSERT INTO events
        SELECT *, action || {sep} || target FROM (
            SELECT 'e' || i, (?)[1 + i % {len(ACTORS)}], (?)[1 + i % {len(ACTIONS)}] AS action,
                   (?)[1 + (i // 11) % {len(ACTORS)}] AS target, DATE '2020-01-01' + INTERVAL (i % 2000) DAY,
                   'http://h/' || (i % {articles}), TIMESTAMP '2020-01-01' + INTERVAL (i % 2000) DAY
            FROM range({events}) t(i))""",
        [ACTORS, ACTIONS, ACTORS],
    )
    con.execute(f"""
        INSERT INTO event_mentions
        SELECT 'e' || i, 'http://h/' || (i % {articles}), NULL, DATE '2020-01-01' + INTERVAL (i % 2000) DAY,
               'sentence ' || i, TIMESTAMP '2020-01-01' + INTERVAL (i % 2000) DAY, 'outlet', false
        FROM range({events}) t(i)""")
    con.execute("CHECKPOINT")
    con.close()


def new_batch(n: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        published = now + timedelta(minutes=i)
        text = f"Synthetic report {seed}-{i} " + " ".join(f"w{rng.randrange(100_000)}" for _ in range(200))
        figures = [
            Figure(
                subject=rng.choice(SUBJECTS),
                metric=rng.choice(METRICS),
                metric_known=True,
                kind="level",
                period=str(2000 + rng.randrange(26)),
                value=v,
                low=v - 5,
                high=v + 5,
                unit="USD",
                qualifier="exact",
                raw=f"${v}",
                evidence=f"It was ${v} in report {i}.",
            )
            for v in (1000 if rng.random() > 0.05 else 5000 for _ in range(5))  # one figure in 20 disagrees
        ]
        positions = [
            Position(
                actor=rng.choice(ACTORS),
                topic=rng.choice(TOPICS),
                stance="support" if rng.random() > 0.05 else "oppose",
                evidence=f"Position {i}.",
            )
        ]
        events = [
            EventMention(
                actor=rng.choice(ACTORS),
                action=rng.choice(ACTIONS),
                target=rng.choice(ACTORS),
                event_date=(published - timedelta(days=rng.randrange(5))).date(),
                evidence=f"Event {i}.",
            )
        ]
        out.append(
            Article(
                url=f"http://new/{seed}/{i}",
                source="feed",
                title=f"new {i}",
                outlet="Bench",
                published_at=published,
                fetched_at=published,
                text=text,
                content_hash=f"{seed}-{i}",
                on_topic=True,
                topic_score=9.0,
                figures=figures,
                positions=positions,
                events=events,
            )
        )
    return out


def bench_claims(size: int, runs: int, work: Path) -> tuple[float, float]:
    db = work / f"claims-{size}.duckdb"
    prefill(db, size, max(1, size // 5))
    times, peak = [], 0.0
    for run in range(runs):
        batch = new_batch(100, seed=run)
        prints = [(a, fingerprint(a.text)) for a in batch]
        tracemalloc.start()
        t0 = time.perf_counter()
        with Warehouse.open(db, PROFILE) as wh:
            wh.store_articles(prints)
        times.append(time.perf_counter() - t0)
        peak = max(peak, tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return median(times), peak


def bench_copies(size: int, runs: int, work: Path) -> float:
    db = work / f"copies-{size}.duckdb"
    prefill(db, 0, size)
    batch = new_batch(runs * 20, seed=99)
    times = []
    with Warehouse.open(db, PROFILE) as wh:
        for article in batch:
            fp = fingerprint(article.text)
            t0 = time.perf_counter()
            wh._find_copy(article, fp)  # the lookup alone: is this a near-copy of a stored article?
            times.append(time.perf_counter() - t0)
    return median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None, help="folder for the warehouses (a few GB at 1M)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    print(f"cores {os.cpu_count()}, runs {args.runs} (medians)")
    base = None
    for size in args.sizes:
        seconds, peak = bench_claims(size, args.runs, work)
        base = base or seconds
        print(
            f"history {size:>9,} claims: batch of 100 articles stored+compared in {seconds:6.3f} s "
            f"({seconds / base:.2f}x smallest), traced peak {peak:6.1f} MB"
        )
    for size in args.sizes:
        ms = bench_copies(size, args.runs, work)
        print(f"copies among {size:>9,} stored articles: lookup {ms:6.2f} ms (median)")


if __name__ == "__main__":
    main()
