"""A user's first day (issue #10): mistakes in the settings are refused when they load, with one line that
says which value and why; a web page given as a feed is named as one; a busy warehouse says it waits."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from monitor.cli import app
from monitor.errors import ConfigError
from monitor.settings import load_settings

runner = CliRunner()


def _monitor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `monitor` command in a process of its own, as a user runs it."""
    environ = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="200", **env)
    environ.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "monitor.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=environ, cwd=ROOT)


# ---------------------------------------------------------------- notification URLs


def test_run_refuses_an_unknown_notification_scheme_in_one_line(tmp_path, seeds_dir):
    urls = '["json://127.0.0.1:9/hook", "foo://user:s3cret-pass@bar/s3cret-path"]'
    proc = _monitor("run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), MONITOR_NOTIFY_URLS=urls)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "notify_urls: URL 2 (foo://" in lines[0] and "unknown scheme foo://" in lines[0]
    assert "mailto://, json://, slack://" in lines[0]
    assert "s3cret" not in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not (tmp_path / "w.duckdb").exists()  # refused before any work


def test_a_valid_webhook_url_is_accepted(webhook, tmp_path, seeds_dir):
    env = {"MONITOR_NOTIFY_URLS": f'["json://127.0.0.1:{webhook.server.server_address[1]}/"]'}
    args = ["run", "--no-prefect", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("jsn://127.0.0.1/hook", "unknown scheme jsn://; did you mean json://?"),
        ("https://example.org/hook", "a webhook is json://"),
        ("json://", "not a valid JSON URL"),
        ("slack://tok3n-SECRET-987", "not a valid Slack URL"),
        ("hooks.example.org/x", "has no scheme://"),
    ],
)
def test_every_notification_setting_is_checked_and_secrets_stay_masked(url, expected):
    for setting in ("notify_urls", "feed_health_urls"):
        with pytest.raises(ConfigError) as caught:
            load_settings(None, **{setting: [url]})
        message = str(caught.value)
        assert f"invalid settings: {setting}: URL 1 " in message and expected in message, message
        assert "tok3n-SECRET" not in message and "\n" not in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no input in tracebacks


def test_native_service_urls_are_accepted():
    """apprise also reads services' own webhook addresses; the check must not refuse them."""
    slack = "https://hooks.slack.com/services/T1234567/B1234567/abcdefghijklmnopqrstuvwx"
    assert load_settings(None, notify_urls=[slack]).notify_urls[0].get_secret_value() == slack


# ---------------------------------------------------------------- feed URLs


def test_run_refuses_a_feed_url_without_a_scheme_at_once(tmp_path, seeds_dir):
    proc = _monitor(
        "run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), "--feed", "127.0.0.1:8000/f.xml"
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "'127.0.0.1:8000/f.xml' has no scheme" in proc.stderr
    assert "https://127.0.0.1:8000/f.xml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        ("example.org/feed.xml", "has no scheme: write it in full, e.g. https://example.org/feed.xml"),
        ("ftp://example.org/feed.xml", "has the scheme ftp://"),
        ("https:///feed.xml", "names no host"),
    ],
)
def test_feed_urls_are_checked_when_settings_load(feed, expected):
    with pytest.raises(ConfigError, match=expected):
        load_settings(None, feeds=["https://example.org/ok.xml", feed])


def test_a_misspelt_setting_is_named_with_its_likely_meaning(tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text('feedz = ["https://example.org/feed.xml"]\n')
    with pytest.raises(ConfigError, match="feedz: unknown setting; did you mean feeds"):
        load_settings(config)
