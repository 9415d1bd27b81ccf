"""Crash safety: `monitor run` killed with SIGKILL at 20 random moments, then one clean run, leaves the
warehouse equal to that of an uninterrupted run, and no alert is delivered twice. A run killed under
Prefect (SIGTERM or SIGKILL) leaves no process behind, and one stopped by SIGTERM says so."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Response, Story, publish, render_page

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


# ---------------------------------------------------------------- nothing outlives a killed run


def _started_by_run(prefect_home: Path) -> dict[int, str]:
    """Processes whose environment names this PREFECT_HOME: the run under test and everything it started
    (forked or executed), wherever they were reparented. Zombies have no environment left and do not count."""
    needle = f"PREFECT_HOME={prefect_home}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours
            continue
        if needle in environ:
            found[int(entry.name)] = cmdline.strip()
    return found


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            kids.append(int(entry.name))
    return kids


def _poll(condition, seconds: float, what: str):
    """Wait, polling, until `condition()` is truthy; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _prefect_run(tmp_path: Path, seeds: Path, feed: str) -> tuple[subprocess.Popen[bytes], Path]:
    """`monitor run` under Prefect's local mode, with a PREFECT_HOME of its own that marks its processes.
    Its output goes to files (out.txt, err.txt): a process it leaves behind would hold pipes open."""
    home = tmp_path / "prefect-home"
    env = dict(
        os.environ,
        PREFECT_HOME=str(home),
        MONITOR_READ_TIMEOUT="120",
        MONITOR_FETCH_DEADLINE="120",
        MONITOR_EXTRACT_WORKERS="2",
    )
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "monitor.cli", "run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds)]
    with (tmp_path / "out.txt").open("wb") as out, (tmp_path / "err.txt").open("wb") as err:
        proc = subprocess.Popen([*cmd, "--feed", feed], env=env, cwd=ROOT, stdout=out, stderr=err)
    return proc, home


def _nothing_left(home: Path) -> None:
    """Wait (polling, up to 30 s) for every process of the run to end; end any left, and fail naming them."""
    deadline = time.monotonic() + 30
    while (left := _started_by_run(home)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the run ended: {left}"


def test_sigterm_ends_the_run_its_server_and_its_flow_run_with_one_line(site, tmp_path, seeds_dir):
    """`timeout` or a service manager stops a pass with SIGTERM: the flow run is not left Running, the
    temporary Prefect server goes with the pass, and the user reads one line saying what happened."""
    release = threading.Event()
    story = corpus(1)[0]

    def stalled(handler) -> Response:
        release.wait(120)
        return Response(body=render_page(story))

    feed = publish(site, [story])
    site.routes[story.path] = stalled  # the pass is inside its flow run, fetching, when it is stopped
    proc, home = _prefect_run(tmp_path, seeds_dir, feed)
    try:
        _poll(lambda: site.hits.get(story.path) or proc.poll() is not None, 180, "the pass to fetch the page")
        assert proc.poll() is None, (tmp_path / "err.txt").read_text()[-3000:]
        assert len(_started_by_run(home)) >= 2  # the pass and the Prefect server it started
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        release.set()
    _nothing_left(home)
    err = (tmp_path / "err.txt").read_text()
    assert proc.returncode == 143, err[-3000:]
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-3000:]
    assert "stopped by SIGTERM" in lines[0] and "Traceback" not in err
    con = sqlite3.connect(home / "prefect.db")
    try:
        states = [row[0] for row in con.execute("SELECT state_type FROM flow_run")]
    finally:
        con.close()
    assert states == ["CRASHED"]


def test_sigkill_leaves_no_server_and_no_worker_behind(site, tmp_path, seeds_dir):
    """SIGKILL gives the pass no chance to clean up: its Prefect server and its analysis workers must notice
    that it is gone and end by themselves."""
    feed = publish(site, corpus(32))
    proc, home = _prefect_run(tmp_path, seeds_dir, feed)
    try:
        run_cmd = None

        def analysing() -> bool:
            nonlocal run_cmd
            if proc.poll() is not None:
                pytest.fail(
                    f"the pass ended before its analysis was seen: {(tmp_path / 'err.txt').read_text()[-3000:]}"
                )
            procs = _started_by_run(home)
            run_cmd = procs.get(proc.pid)
            # the analysis workers are forks of the pass: same command line, the pass as parent
            return sum(procs.get(kid) == run_cmd for kid in _children(proc.pid)) >= 1

        _poll(analysing, 300, "the pass's analysis workers")
        assert len(_started_by_run(home)) >= 3  # the pass, its Prefect server, a worker at least
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    _nothing_left(home)
