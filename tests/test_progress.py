"""What a pass shows while it runs and when it ends (issue #10): -v logs one line per stage from our own
loggers, not Prefect's or httpx's requests; a terminal gets a progress display, a pipe (cron, tests) none;
the summary says where the data went and what was skipped or failed and why; Prefect's usage-data
notice never shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

from conftest import Response, Story, publish
from rich.console import Console
from test_pipeline import AID_HIGH, AID_LOW
from typer.testing import CliRunner

from monitor import pipeline, progress
from monitor.cli import app
from monitor.pipeline import run_pass
from monitor.progress import Stage, reporting
from monitor.terminal import ProgressDisplay

runner = CliRunner()
GONE = Story("/c/gone.html", "Gone", "2025-10-02T10:00:00Z", [])
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TF_BUILD", "CI_NAME")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "MONITOR_HOME", "MONITOR_CONFIG")}
    env.update(COLUMNS="300", **extra)
    return env


def _monitor(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "monitor.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=_env(**env), cwd=cwd)


def _on_a_terminal(cwd: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """`monitor` with its stderr on a pseudo-terminal (stdout a pipe): exit code, stdout, the terminal's text."""
    master, slave = os.openpty()
    cmd = [sys.executable, "-m", "monitor.cli", *args]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, text=True, env=_env(**env), cwd=cwd
    )
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the process closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode("utf-8", "replace")


def _plain(text: str) -> str:
    """Terminal output without its colours and cursor moves."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def _published(site) -> str:  # type: ignore[no-untyped-def]
    """Two pages that contradict each other and one that is gone (404)."""
    feed = publish(site, [AID_HIGH, AID_LOW, GONE])
    site.routes.pop(GONE.path)
    return feed


def test_verbose_run_logs_each_stage_not_http_requests_and_the_summary_says_where_and_why(
    site, webhook, tmp_path, seeds_dir
):
    feed = _published(site)
    args = ["run", "--no-prefect", "--db", "data/w.duckdb", "--seeds", str(seeds_dir), "--feed", feed]
    hook = f'["{webhook.apprise_url}"]'
    proc = _monitor(tmp_path, "-v", *args, MONITOR_NOTIFY_URLS=hook)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = proc.stderr
    assert f"INFO monitor.pipeline: seeds {seeds_dir}: 2 documents, 2 new" in log
    assert f"INFO monitor.pipeline: feed {feed}: 3 items, 3 new" in log
    assert f"page {site.url(AID_HIGH.path)} fetched: " in log
    assert f"page {site.url(GONE.path)} failed: HTTP 404" in log
    assert f"article {site.url(AID_LOW.path)} stored: on topic, 1 figure, 0 positions, 0 events" in log
    assert re.search(r"alert \w{20} raised: Figure conflict", log)
    assert "INFO monitor.outbox: delivery: 1 alert(s) notified, 0 failed" in log
    assert "HTTP Request" not in log and "httpx" not in log, log
    assert "\x1b[" not in log and "pages fetched" not in log  # not a terminal: no progress display

    db = tmp_path / "data" / "w.duckdb"
    assert f"\nwarehouse {db}\n" in proc.stdout  # absolute, though given relative to the current folder
    assert f"failed fetch {site.url(GONE.path)}: HTTP 404" in proc.stdout

    again = _monitor(tmp_path, "-vv", *args)  # -vv: the libraries' own lines too
    assert again.returncode == 0, again.stderr[-3000:]
    assert f'INFO httpx: HTTP Request: GET {feed} "HTTP/1.1 200 OK"' in again.stderr
    # the two seeds and two pages are stored; the gone page is tried again (a 404: up to max_fetch_attempts)
    assert "skipped 4: 4 already in the warehouse" in again.stdout, again.stdout


def test_verbose_run_under_prefect_shows_our_stages_and_none_of_prefects_requests(site, tmp_path, seeds_dir):
    feed = publish(site, [AID_HIGH, AID_LOW])
    db = tmp_path / "w.duckdb"
    proc = _monitor(tmp_path, "-v", "run", "--db", str(db), "--seeds", str(seeds_dir), "--feed", feed)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"INFO monitor.pipeline: feed {feed}: 2 items, 2 new" in proc.stderr
    assert f"article {site.url(AID_HIGH.path)} stored: on topic" in proc.stderr
    assert "HTTP Request" not in proc.stderr and "/api/" not in proc.stderr, proc.stderr
    assert f"\nwarehouse {db}\n" in proc.stdout and "ALERT" in proc.stdout


def test_skipped_pages_are_counted_by_reason(site, make_settings):
    feed = publish(site, [AID_HIGH, AID_LOW, GONE])
    site.routes[GONE.path] = Response(503, b"busy", "text/plain")
    settings = make_settings(feeds=[feed], retry_delay=3600.0)
    run_pass(settings)
    summary = run_pass(settings)
    assert summary.skipped_why == {pipeline.KNOWN: 4, pipeline.WAITING: 1} and summary.articles_skipped == 5
    site.routes[GONE.path] = Response(404, b"gone", "text/plain")
    given_up = make_settings(feeds=[feed], retry_delay=0.0, max_fetch_attempts=2)
    run_pass(given_up)  # the second attempt: a 404
    assert run_pass(given_up).skipped_why == {pipeline.KNOWN: 4, pipeline.GIVEN_UP: 1}


def test_the_summary_names_items_left_for_the_next_pass(site, tmp_path, seeds_dir):
    feed = publish(site, [AID_HIGH, AID_LOW])
    args = ["run", "--no-prefect", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), "--feed", feed]
    result = runner.invoke(app, args, env={"MONITOR_MAX_NEW_PER_FEED": "1", "COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "left for the next pass 1: more new items in a feed than max_new_per_feed" in result.output


def test_the_progress_display_draws_a_bar_per_stage_as_the_pipeline_counts():
    out = StringIO()
    console = Console(force_terminal=True, file=out, width=100)
    with ProgressDisplay(console, waiting="starting Prefect") as display, reporting(display):
        progress.expect(Stage.FEEDS, 2)
        progress.advance(Stage.FEEDS, 2)
        progress.expect(Stage.FETCHED, 3)
        progress.advance(Stage.FETCHED)
        progress.expect(Stage.EXTRACTED, 5)
        progress.expect(Stage.STORED, 5)
    text = _plain(out.getvalue())
    bar = "[━╸╺]+ "
    assert re.search(f"feeds read +{bar}2/2", text) and re.search(f"pages fetched +{bar}1/3", text), text
    assert re.search(f"extracted +{bar}0/5", text) and re.search(f"stored +{bar}0/5", text), text
    assert "starting Prefect" in text
    progress.advance(Stage.FETCHED)  # outside the block: counted nowhere
    assert _plain(out.getvalue()) == text


def test_a_run_on_a_terminal_shows_the_progress_and_prefects_notice_never_shows(site, tmp_path, seeds_dir):
    feed = publish(site, [AID_HIGH, AID_LOW])
    args = ["run", "--no-prefect", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), "--feed", feed]
    code, out, terminal = _on_a_terminal(tmp_path, *args, TERM="xterm")
    terminal = _plain(terminal)
    assert code == 0, terminal[-3000:]
    assert re.search(r"pages fetched\s+━+ 2/2", terminal) and re.search(r"stored\s+━+ 4/4", terminal), terminal
    assert "articles new" in out and "━" not in out  # the display is on stderr only

    # Prefect shows a usage-data notice the first time it is imported on a terminal (a new PREFECT_HOME)
    env = {"TERM": "xterm", "PREFECT_HOME": str(tmp_path / "prefect"), **{name: "" for name in CI_VARIABLES}}
    code, _, terminal = _on_a_terminal(tmp_path, "serve", "--db", str(tmp_path / "w.duckdb"), **env)
    assert code == 2 and "needs a Prefect server" in terminal, terminal
    assert "anonymous usage data" not in terminal and "telemetry" not in terminal, terminal
