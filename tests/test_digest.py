"""`monitor digest` and the scheduled digest, on warehouses filled by real passes (feeds and pages on
127.0.0.1, a real DuckDB file) and sent to a real webhook receiver."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Story, publish
from test_pipeline import AID_HIGH, AID_LOW, AID_LOW_COPY, rows
from typer.testing import CliRunner

from monitor.cli import app
from monitor.contradict import read_explanation
from monitor.pipeline import run_pass

runner = CliRunner()

MISSING = Story("/gone/page.html", "A page that is gone", "2025-10-02T10:00:00Z", ["Nothing here."])
HOSTILE_TITLE = "<script>alert('title')</script> [bold]loud[/bold] :smile:"
HOSTILE_HIGH = Story(
    "/h/high.html",
    HOSTILE_TITLE,
    "2025-10-01T10:00:00Z",
    [
        "BOGOTA - Colombia received $600 million in U.S. security assistance in 2024, according to the "
        "<b>State</b> Department [red]x[/red].",
        "The money pays for helicopters, training and crop substitution programs.",
    ],
    outlet="Alpha <i>News</i>",
)
HOSTILE_LOW = Story(
    "/h/low.html",
    "Budget papers & <img src=x onerror=alert(1)>",
    "2025-10-03T10:00:00Z",
    [
        "WASHINGTON - U.S. assistance to Colombia amounted to $410 million in 2024, budget <documents> show.",
        "Lawmakers from both parties have asked for a review of counternarcotics programs with Bogotá.",
    ],
    outlet="Beta Post",
)


def _shift(db: Path, days: int) -> None:
    """Move everything the passes wrote `days` into the past, as if they had run then."""
    con = duckdb.connect(str(db))
    try:
        con.execute(f"UPDATE articles SET fetched_at = fetched_at - INTERVAL {days} DAY")
        con.execute(f"UPDATE alerts SET created_at = created_at - INTERVAL {days} DAY")
        con.execute(
            f"UPDATE failures SET first_at = first_at - INTERVAL {days} DAY, last_at = last_at - INTERVAL {days} DAY"
        )
        con.execute(f"UPDATE feed_status SET last_polled_at = last_polled_at - INTERVAL {days} DAY")
    finally:
        con.close()


@pytest.fixture
def passed(site, make_settings):
    """A pass over a feed with a contradiction, a near-copy and a page that is gone, and a feed with an API
    key that fails; pages are given up after one failed attempt."""
    feed = publish(site, [AID_HIGH, AID_LOW, AID_LOW_COPY, MISSING])
    del site.routes[MISSING.path]
    keyed = site.url("/keyed.xml?api_key=SECRET123&lang=en")
    settings = make_settings(feeds=[feed, keyed], max_fetch_attempts=1)
    run_pass(settings)
    return site, settings


def test_digest_lists_alerts_as_explained_figures_by_metric_failing_feeds_and_skipped_pages(passed):
    site, settings = passed
    # the digest's own settings say when a page is given up (the pass ran with max_fetch_attempts=1)
    result = runner.invoke(app, ["digest", "--db", str(settings.db)], env={"MONITOR_MAX_FETCH_ATTEMPTS": "1"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 alert;" in out and "1 feed failing" in out and "1 page failed or skipped" in out
    # the alert: both sentences, both sources, and the reading `monitor explain` lays out
    ((alert_id, explanation, new_sentence, stored_sentence),) = rows(
        settings.db, "SELECT alert_id, explanation, new_evidence, prior_evidence FROM alerts"
    )
    reading = read_explanation(explanation)
    explained = runner.invoke(app, ["explain", "--db", str(settings.db), alert_id])
    laid_out = " ".join(explained.output.split())
    assert f"read as {reading.new} sentence" in laid_out and f"read as {reading.stored} sentence" in laid_out
    assert f"- new: Beta Post, 2025-10-03 “{AID_LOW.title}” — {site.url(AID_LOW.path)}" in out
    assert f"- stored: Alpha News, 2025-10-01 “{AID_HIGH.title}” — {site.url(AID_HIGH.path)}" in out
    assert "U.S. assistance to Colombia amounted to $410 million in 2024" in new_sentence
    assert "Colombia received $600 million in U.S. security assistance in 2024" in stored_sentence
    assert f"  - sentence: “{new_sentence}”\n" in out and f"  - sentence: “{stored_sentence}”\n" in out
    assert f"  - read as: {reading.new}\n" in out and f"  - read as: {reading.stored}\n" in out
    assert "read as: subject Colombia, metric U.S. assistance (level), period 2024" in out
    assert f"- why the same thing: {reading.why}\n" in out and "intervals cannot overlap" in out
    # figures grouped under their metric, the near-copy's repeat left out
    figures = out.split("## Figures (4)\n", 1)[1].split("## Feeds", 1)[0]
    assert figures.startswith("\n### U.S. assistance\n\n- 391,000,000 USD — Colombia, 2022")  # the seed's
    assert "### coca cultivation area\n\n- 13 percent (change) — Colombia, no period" in figures
    assert (
        f"- 600,000,000 USD — Colombia, 2024 (“$600 million”) — Alpha News, 2025-10-01, {site.url(AID_HIGH.path)}"
        in figures
    )
    assert (
        f"- 410,000,000 USD — Colombia, 2024 (“$410 million”) — Beta Post, 2025-10-03, {site.url(AID_LOW.path)}"
        in figures
    )
    assert AID_LOW_COPY.path not in figures and "5 articles new (5 on topic, 1 near-copy)" in out
    # the failing feed, masked, since its first failed poll, with its error; the page given up
    assert "failing since 20" in out and f"{site.url('/keyed.xml?api_key=***&lang=en')} — HTTP 404" in out
    assert "SECRET123" not in out
    assert f"- fetch {site.url(MISSING.path)} — HTTP 404" in out and "given up, skipped from now on" in out


def test_digest_window_and_a_window_with_nothing_new(passed):
    _, settings = passed
    _shift(settings.db, 3)
    quiet = runner.invoke(app, ["digest", "--db", str(settings.db), "--since", "24h"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output.count("\n") == 1 and quiet.output.startswith("Nothing new from ")
    assert "no article stored, no alert, no failure (last poll 20" in quiet.output
    week = runner.invoke(app, ["digest", "--db", str(settings.db), "--since", "7d"])
    assert "1 alert;" in week.output and "## Figures (4)" in week.output
    assert "Nothing new" in runner.invoke(app, ["digest", "--db", str(settings.db), "--since", "90m"]).output
    bad = runner.invoke(app, ["digest", "--db", str(settings.db), "--since", "3x"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1
    assert "digest_since: window '3x' is not a number of minutes, hours or days" in bad.output


def test_untrusted_text_is_escaped_in_html_and_verbatim_in_markdown(site, make_settings, seeds_dir, tmp_path):
    feed = publish(site, [HOSTILE_HIGH, HOSTILE_LOW])
    settings = make_settings(feeds=[feed])
    run_pass(settings)
    assert rows(settings.db, "SELECT count(*) FROM alerts") == [(1,)]
    page = tmp_path / "digest.html"
    result = runner.invoke(app, ["digest", "--db", str(settings.db), "--output", str(page)])
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for raw in ("<script>", "<img", "<documents>", "<b>State</b>", "<i>News</i>"):
        assert raw not in text, raw
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; [bold]loud[/bold] :smile:" in text
    assert "Budget papers &amp; &lt;img src=x onerror=alert(1)&gt;" in text
    assert "budget &lt;documents&gt; show." in text and "Alpha &lt;i&gt;News&lt;/i&gt;" in text
    assert f'<a href="{site.url(HOSTILE_LOW.path)}" rel="noopener noreferrer">' in text
    assert 'href="seed:' not in text and "seed:" in text  # seed documents are named, never linked
    markdown = runner.invoke(app, ["digest", "--db", str(settings.db)]).output
    assert f"“{HOSTILE_TITLE}”" in markdown  # no markup, no emoji code, no escaping applied to data
    assert "“Budget papers & <img src=x onerror=alert(1)>”" in markdown
    assert "budget <documents> show." in markdown and "Alpha <i>News</i>" in markdown


def test_digest_reads_the_warehouse_read_only(passed):
    """Another process holds the file read-only, which a read-write open would wait for in vain; the
    digest reads beside it, and the file is left as it was, byte for byte."""
    _, settings = passed
    before = hashlib.sha256(settings.db.read_bytes()).hexdigest()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('held', flush=True); "
            "time.sleep(120)",
            str(settings.db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        env = dict(os.environ, MONITOR_LOCK_TIMEOUT="1")
        proc = subprocess.run(
            [sys.executable, "-m", "monitor.cli", "digest", "--db", str(settings.db)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=ROOT,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "1 alert;" in proc.stdout
        with pytest.raises(duckdb.IOException, match="lock"):  # a writer cannot open it: the holder is real
            duckdb.connect(str(settings.db))
    finally:
        holder.kill()
        holder.wait()
    assert hashlib.sha256(settings.db.read_bytes()).hexdigest() == before


def test_send_delivers_the_digest_and_an_empty_window_only_when_asked(passed, webhook):
    _, settings = passed
    dead = "json://127.0.0.1:9/secret-token-123/hook"
    env = {"MONITOR_NOTIFY_URLS": json.dumps([webhook.apprise_url, dead]), "MONITOR_NOTIFY_TIMEOUT": "5"}
    sent = runner.invoke(app, ["digest", "--db", str(settings.db), "--send"], env=env)
    assert sent.exit_code == 1, sent.output  # one URL refused it
    assert "sent the digest to 1 of 2 URL(s)" in sent.output
    assert "not sent: json://127.0.0.1:9/…" in sent.output and "secret-token-123" not in sent.output
    assert len(webhook.received) == 1
    message = webhook.received[0]
    assert str(message["title"]).startswith("[monitor] digest ")
    body = str(message["message"])
    ((new_sentence, stored_sentence),) = rows(settings.db, "SELECT new_evidence, prior_evidence FROM alerts")
    assert f"“{new_sentence}”" in body and f"“{stored_sentence}”" in body and "### U.S. assistance" in body
    assert "api_key=***" in body and "SECRET123" not in json.dumps(webhook.received)

    _shift(settings.db, 3)
    env["MONITOR_NOTIFY_URLS"] = json.dumps([webhook.apprise_url])
    quiet = runner.invoke(app, ["digest", "--db", str(settings.db), "--send"], env=env)
    assert quiet.exit_code == 0 and "nothing new: not sent" in quiet.output
    assert len(webhook.received) == 1
    forced = runner.invoke(app, ["digest", "--db", str(settings.db), "--send", "--send-empty"], env=env)
    assert forced.exit_code == 0 and "sent the digest to 1 of 1 URL(s)" in forced.output
    assert len(webhook.received) == 2
    assert str(webhook.received[1]["message"]).strip().startswith("Nothing new from ")
    missing = runner.invoke(app, ["digest", "--db", str(settings.db), "--send"], env={"MONITOR_NOTIFY_URLS": "[]"})
    assert missing.exit_code == 2 and "no notification URLs configured" in missing.output


def test_html_digest_links_feeds_and_pages_without_their_credentials(passed):
    site, settings = passed
    result = runner.invoke(app, ["digest", "--db", str(settings.db), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = result.output
    masked = site.url("/keyed.xml?api_key=***&amp;lang=en")
    assert f'<a href="{masked}" rel="noopener noreferrer">{masked}</a> — HTTP 404' in page
    assert f'fetch <a href="{site.url(MISSING.path)}"' in page and "<h3>U.S. assistance</h3>" in page
    assert "SECRET123" not in page
    unknown = runner.invoke(app, ["digest", "--db", str(settings.db), "--format", "pdf"])
    assert unknown.exit_code == 2 and "unknown format 'pdf'; use one of markdown, html" in unknown.output


def test_a_digest_cron_adds_a_deployment_on_that_schedule(make_settings):
    from flows.deployments import build_deployments

    settings = make_settings(
        digest_cron="0 7 * * *", digest_timezone="Europe/Paris", notify_urls=["json://127.0.0.1:9/x"]
    )
    deployments = {d.name: d for d in build_deployments(settings, {"db": str(settings.db)}, None)}
    assert set(deployments) == {"poll", "deliver", "digest"}
    digest = deployments["digest"]
    assert str(digest.entrypoint).endswith("flows/digest_flow.py:send_digest")
    assert digest.flow_name == "monitor-digest"
    ((schedule,),) = [[s.schedule for s in digest.schedules]]
    assert (schedule.cron, schedule.timezone) == ("0 7 * * *", "Europe/Paris")
    assert "127.0.0.1:9" not in json.dumps(digest.parameters)  # notification URLs are read by the flow itself
    without = build_deployments(make_settings(), {}, None)
    assert [d.name for d in without] == ["poll", "deliver"]


def test_a_bad_digest_cron_is_refused_in_one_line_naming_it(tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "w.duckdb"), "--digest", "0 7 * *"])
    assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
    assert "digest_cron: '0 7 * *' is not a cron expression" in result.output
    zone = runner.invoke(app, ["serve", "--digest", "0 7 * * *"], env={"MONITOR_DIGEST_TIMEZONE": "Mars/Base"})
    assert zone.exit_code == 2 and "digest_timezone: unknown timezone 'Mars/Base'" in zone.output


def test_the_digest_flow_delivers_the_digest(passed, webhook, tmp_path):
    """The scheduled flow, called directly under Prefect (its local mode: no server to start)."""
    site, settings = passed
    env = dict(
        os.environ,
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        MONITOR_NOTIFY_URLS=json.dumps([webhook.apprise_url]),
    )
    env.pop("PREFECT_API_URL", None)
    overrides = {"db": str(settings.db), "digest_since": "7d"}
    code = (
        "import json, sys; from flows.digest_flow import send_digest; "
        "print(json.dumps(send_digest(overrides=json.loads(sys.argv[1]))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(overrides)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {"empty": False, "alerts": 1, "figures": 4, "sent": 1}
    assert len(webhook.received) == 1
    body = str(webhook.received[0]["message"])
    assert "## Alerts (1)" in body and "- why the same thing:" in body and site.url(AID_LOW.path) in body
    assert "SECRET123" not in body
