"""Crash safety: `monitor run` killed with SIGKILL at 20 random moments, then one clean run, leaves the
warehouse equal to that of an uninterrupted run, and no alert is delivered twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Story, publish

YEARS = [2021, 2022, 2023, 2024]
OUTLETS = ["Alpha News", "Beta Post", "Gamma Daily", "Delta Wire", "Epsilon Times"]


def corpus(n: int = 32) -> list[Story]:
    """On-topic articles whose figures, positions and events partly disagree, in a fixed random order."""
    rng = random.Random(20251123)
    stories = []
    for i in range(n):
        year = rng.choice(YEARS)
        aid = rng.choice([380, 390, 410, 450, 520])
        area = rng.choice([204, 230, 253, 253, 253])
        stance = rng.choice(["supports", "rejects"])
        day = rng.choice([20, 22, 24])
        stories.append(
            Story(
                f"/news/{i:02d}.html",
                f"Report {i}: aid and coca in {year}",
                f"2025-10-{1 + i % 28:02d}T{8 + i % 10:02d}:00:00Z",
                [
                    f"BOGOTA - Colombia received ${aid} million in U.S. assistance in {year}, "
                    f"officials said in report {i}.",
                    f"UN data put coca cultivation at {area},000 hectares in {year}, according to analyst number {i}.",
                    f"Petro said he {stance} forced eradication of coca, speaking to reporters in town {i}.",
                    f"The Treasury Department sanctioned Interior Minister Armando Benedetti on September {day}.",
                ],
                outlet=OUTLETS[i % len(OUTLETS)],
            )
        )
    return stories


SNAPSHOT = {
    "articles": "SELECT url, title, on_topic, topic_score, duplicate_of, content_hash FROM articles",
    "figures": "SELECT figure_id, article_url, subject, metric, kind, period, value, unit FROM figures",
    "positions": "SELECT position_id, article_url, actor, topic, stance, is_change FROM positions",
    "events": "SELECT event_id, actor, action, target, event_date, first_seen_url FROM events",
    "event_mentions": "SELECT event_id, article_url, event_date, evidence FROM event_mentions",
    "alerts": "SELECT alert_id, kind, article_url, prior_url, summary, new_evidence, prior_evidence FROM alerts",
    "article_bands": "SELECT band_key, url FROM article_bands",
    "pending": "SELECT alert_id FROM alerts WHERE notified_at IS NULL",
    "deliveries": "SELECT alert_id, target_hash FROM alert_deliveries",
}


def snapshot(db: Path) -> dict[str, Counter[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: Counter(con.execute(sql).fetchall()) for name, sql in SNAPSHOT.items()}
    finally:
        con.close()


def command(db: Path, seeds: Path, feed: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "monitor.cli",
        "run",
        "--no-prefect",
        "--db",
        str(db),
        "--seeds",
        str(seeds),
        "--feed",
        feed,
    ]


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(site, webhook, tmp_path, seeds_dir):
    feed = publish(site, corpus())
    env = dict(os.environ, MONITOR_NOTIFY_URLS=f'["{webhook.apprise_url}"]', MONITOR_NOTIFY_BACKOFF="0")

    reference = tmp_path / "reference.duckdb"
    started = time.monotonic()
    subprocess.run(command(reference, seeds_dir, feed), check=True, env=env, cwd=ROOT, capture_output=True)
    duration = time.monotonic() - started
    expected = snapshot(reference)
    assert sum(expected["articles"].values()) == 2 + 32
    assert sum(expected["alerts"].values()) > 5
    reference_deliveries = Counter(webhook.received_ids())
    assert all(n == 1 for n in reference_deliveries.values())
    webhook.received.clear()

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random(7)
    kills = 0
    for _ in range(20):
        proc = subprocess.Popen(
            command(crashed, seeds_dir, feed), env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, duration))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 10  # most runs were really cut short
    subprocess.run(command(crashed, seeds_dir, feed), check=True, env=env, cwd=ROOT, capture_output=True)

    assert snapshot(crashed) == expected
    delivered = Counter(webhook.received_ids())
    assert set(delivered) == set(reference_deliveries)  # every alert delivered ...
    assert all(n == 1 for n in delivered.values()), delivered  # ... exactly once
