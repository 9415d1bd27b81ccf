"""`monitor serve` against a real `prefect server` on 127.0.0.1: schedules, event triggers, artifacts."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from conftest import ROOT, publish
from test_pipeline import AID_HIGH, AID_LOW


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, and everything it started."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, (home / "server.log").read_text()[-3000:]
        time.sleep(0.5)
    else:
        pytest.fail("prefect server did not answer within 90 s")
    yield api
    _stop(proc)
    log.close()


def _flow_runs(api: str, deployment: str) -> list[dict]:
    deployments = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
    ids = [d["id"] for d in deployments if d["name"] == deployment]
    if not ids:
        return []
    body = {"deployments": {"id": {"any_": ids}}}
    return list(httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json())


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


def _completed(api: str, deployment: str) -> int:
    return sum(r["state_type"] == "COMPLETED" for r in _flow_runs(api, deployment))


@contextlib.contextmanager
def _served(api: str, tmp_path: Path, seeds: Path, feed: str, webhook) -> Iterator[Path]:
    """`monitor serve` against the module's server, polling `feed` every 10 s, notifying `webhook`;
    yields the warehouse, stopped at the end. Deployments keep their names from test to test: count runs
    against a baseline."""
    env = dict(
        os.environ,
        PREFECT_API_URL=api,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        MONITOR_NOTIFY_URLS=f'["{webhook.apprise_url}"]',
    )
    db = tmp_path / "w.duckdb"
    cmd = [sys.executable, "-m", "monitor.cli", "serve", "--db", str(db), "--seeds", str(seeds), "--feed", feed]
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [*cmd, "--interval", "10"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield db
    finally:
        _stop(proc)
        log.close()


@pytest.mark.slow
def test_served_schedule_runs_passes_and_alert_event_triggers_delivery(
    prefect_server, site, webhook, tmp_path: Path, seeds_dir: Path
):
    feed = publish(site, [AID_HIGH, AID_LOW])
    polls, delivers = _completed(prefect_server, "poll"), _completed(prefect_server, "deliver")
    with _served(prefect_server, tmp_path, seeds_dir, feed, webhook):
        # the interval schedule produces passes ...
        _wait(lambda: _completed(prefect_server, "poll") >= polls + 2, 240, "two scheduled passes")
        # ... the first raised an alert, whose event triggered the deliver deployment, which sent it
        _wait(lambda: len(webhook.received) >= 1, 120, "the alert delivered by the triggered deployment")
        _wait(lambda: _completed(prefect_server, "deliver") >= delivers + 1, 60, "a completed deliver run")
        assert len(webhook.received) == 1
        message = str(webhook.received[0]["message"])
        assert "$410 million" in message and "$600 million" in message
        # every pass publishes a markdown artifact with its counts
        artifacts = httpx.post(f"{prefect_server}/artifacts/filter", json={}, timeout=10).json()
        summaries = [a for a in artifacts if a.get("key") == "monitor-pass"]
        assert summaries and "articles new" in summaries[0]["data"]


@pytest.mark.slow
def test_served_passes_send_feed_notices_without_an_alert(
    prefect_server, site, webhook, tmp_path: Path, seeds_dir: Path
):
    """The poll deployment never delivers; feed-health notices used to go out only when an alert triggered
    the deliver deployment, so a feed answering 404 was logged as failing pass after pass and nobody told."""
    feed = site.url("/gone.xml")  # not served: 404
    with _served(prefect_server, tmp_path, seeds_dir, feed, webhook) as db:
        _wait(lambda: webhook.received, 240, "the feed-health notice")
        _wait(lambda: site.hits.get("/gone.xml", 0) >= 2, 120, "a second scheduled pass")
    titles = [m["title"] for m in webhook.received]
    assert titles == [f"[monitor] feed failing: {feed}"]  # one notice per change of state, not one per pass
    assert "404" in str(webhook.received[0]["message"])
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM alerts").fetchone() == (0,)
    finally:
        con.close()
