"""The `monitor` command as people use it: a real `monitor run` under Prefect, and the query commands."""

from __future__ import annotations

import json
import logging
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Response, publish, render_feed
from test_pipeline import AID_HIGH, AID_LOW, AID_LOW_COPY, OTHER_YEAR, counts, rows
from typer.testing import CliRunner

import monitor
from monitor.cli import app
from monitor.pipeline import run_pass
from monitor.warehouse import MIGRATIONS_DIR

runner = CliRunner()


def test_monitor_run_under_prefect_prints_alerts_with_both_sentences(site, tmp_path, seeds_dir):
    feed = publish(site, [AID_HIGH, AID_LOW])
    db = tmp_path / "w.duckdb"
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="200")
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "monitor.cli", "run", "--db", str(db), "--seeds", str(seeds_dir), "--feed", feed]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert re.search(r"articles new\s*│\s*4", out)
    assert "ALERT" in out and "$410 million" in out and "$600 million" in out
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert re.search(r"articles new\s*│\s*0", again.stdout)


@pytest.fixture
def filled_db(site, make_settings):
    settings = make_settings(feeds=[publish(site, [AID_HIGH, AID_LOW])])
    run_pass(settings)
    return settings.db


def test_sql_prints_a_table(filled_db):
    result = runner.invoke(app, ["sql", "--db", str(filled_db), "SELECT count(*) AS n FROM articles"])
    assert result.exit_code == 0, result.output
    assert "4" in result.output and "1 row(s)" in result.output


def test_sql_runs_the_example_queries(filled_db):
    for query in sorted((ROOT / "warehouse" / "queries").glob("*.sql")):
        result = runner.invoke(app, ["sql", "--db", str(filled_db), str(query)])
        assert result.exit_code == 0, (query.name, result.output)


def test_sql_is_read_only_and_errors_are_clear(filled_db, tmp_path):
    result = runner.invoke(app, ["sql", "--db", str(filled_db), "DELETE FROM articles"])
    assert result.exit_code == 1 and "read-only" in result.output.lower()
    result = runner.invoke(app, ["sql", "--db", str(filled_db), "SELEC nonsense"])
    assert result.exit_code == 1 and "query failed" in result.output
    result = runner.invoke(app, ["sql", "--db", str(tmp_path / "nope.duckdb"), "SELECT 1"])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_alerts_shows_both_sentences(filled_db):
    result = runner.invoke(app, ["alerts", "--db", str(filled_db)])
    assert result.exit_code == 0, result.output
    assert "$410 million" in result.output and "$600 million" in result.output and "pending" in result.output


def test_notify_test_says_which_url_failed_and_why(webhook):
    dead = "json://127.0.0.1:9/secret-token-123/hook"
    env = {"MONITOR_NOTIFY_URLS": f'["{webhook.apprise_url}", "{dead}"]'}
    result = runner.invoke(app, ["notify", "--test"], env=env)
    assert result.exit_code == 1
    assert "ok" in result.output and "FAIL" in result.output
    assert "json://127.0.0.1:9" in result.output
    assert "secret-token-123" not in result.output
    assert len(webhook.received) == 1


def test_config_file_and_environment_layer(tmp_path, monkeypatch):
    config = tmp_path / "monitor.toml"
    config.write_text('db = "from-file.duckdb"\nfeeds = ["http://127.0.0.1/a.xml"]\nlock_timeout = 5\n')
    monkeypatch.setenv("MONITOR_LOCK_TIMEOUT", "7")
    settings = monitor.load_settings(config, db=Path("from-cli.duckdb"))
    assert settings.db == Path.cwd() / "from-cli.duckdb"  # CLI beats file (and is relative to the current folder)
    assert settings.lock_timeout == 7  # environment beats file
    assert settings.feeds == ["http://127.0.0.1/a.xml"]  # file beats defaults
    with pytest.raises(monitor.ConfigError, match="does not exist"):
        monitor.load_settings(tmp_path / "missing.toml")
    config.write_text("fetch_concurrency = 'many'\n")
    with pytest.raises(monitor.ConfigError, match=r"monitor\.toml"):
        monitor.load_settings(config)


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"monitor {name}" in readme, name


def test_public_api_is_exactly_all():
    exported = {name for name in dir(monitor) if not name.startswith("_")}
    modules = {
        "cli",
        "address_guard",
        "export",
        "digest",
        "contradict",
        "dedup",
        "outbox",
        "feed_health",
        "errors",
        "lifeline",
        "masking",
        "extract",
        "models",
        "notify",
        "pipeline",
        "profile",
        "progress",
        "settings",
        "sources",
        "terminal",
        "text",
        "topic",
        "upkeep",
        "warehouse",
    }
    assert exported - modules == set(monitor.__all__)


def test_explain_shows_both_readings_and_why(filled_db):
    import duckdb

    con = duckdb.connect(str(filled_db), read_only=True)
    alert_id, explanation = con.execute("SELECT alert_id, explanation FROM alerts").fetchone()
    con.close()
    assert "same subject, metric, kind, period and unit" in explanation
    result = runner.invoke(app, ["explain", "--db", str(filled_db), alert_id[:8]])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "read as subject Colombia, metric U.S. assistance (level), period 2024" in out
    assert "$410 million" in out and "$600 million" in out
    assert "why the same thing:" in out and "intervals cannot overlap" in out
    missing = runner.invoke(app, ["explain", "--db", str(filled_db), "zzzz"])
    assert missing.exit_code == 1 and "no alert with id 'zzzz'" in missing.output


def test_first_day_mistakes_get_one_clear_line(tmp_path, seeds_dir):
    bad_toml = tmp_path / "monitor.toml"
    bad_toml.write_text('db = "x.duckdb"\nfeeds = [oops]\nlock_timeout = 5\n')
    result = runner.invoke(app, ["run", "--no-prefect", "--config", str(bad_toml)])
    assert result.exit_code == 2 and "monitor.toml is not valid TOML" in result.output and "line 2" in result.output
    assert "Traceback" not in result.output

    env = {"MONITOR_FEEDS": "https://example.org/feed.xml", "MONITOR_DB": str(tmp_path / "w.duckdb")}
    result = runner.invoke(app, ["run", "--no-prefect"], env=env)
    assert result.exit_code == 2 and "list settings are JSON lists, e.g. MONITOR_FEEDS=" in result.output

    result = runner.invoke(app, ["sql", "--db", str(tmp_path / "w.duckdb"), "queries/misspelt.sql"])
    assert result.exit_code == 2 and "SQL file queries/misspelt.sql not found" in result.output

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"monitor \d+\.\d+\.\d+\S*\n", result.output)


def test_a_pass_whose_every_feed_failed_exits_non_zero_and_prints_reasons_verbatim(site, tmp_path, seeds_dir):
    db = tmp_path / "w.duckdb"
    args = ["run", "--no-prefect", "--db", str(db), "--seeds", str(seeds_dir), "--feed", site.url("/[gone].xml")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert f"failed feed {site.url('/[gone].xml')}: HTTP 404" in result.output
    assert "every feed failed (1)" in result.output
    publish(site, [AID_HIGH])
    result = runner.invoke(app, [*args, "--feed", site.url("/feed.xml")])
    assert result.exit_code == 0, result.output  # one feed answered: the pass did its work


def test_pages_trafilatura_cannot_parse_are_recorded_without_its_error_lines_on_stderr(site, tmp_path, seeds_dir):
    """trafilatura logs a page it cannot parse as an ERROR ("empty HTML tree"); the monitor records the
    page as a failure of its own, so `monitor run` shows the user no alarm beside that record."""
    from conftest import Response, Story, render_feed

    stories = [Story(f"/{n}.html", n, "2025-09-20T10:00:00Z", []) for n in ("pdf", "empty")]
    site.routes["/pdf.html"] = Response(body=b"%PDF-1.4 binary")
    site.routes["/empty.html"] = Response(body=b"")
    site.routes["/feed.xml"] = Response(body=render_feed(site.base, stories), content_type="application/rss+xml")
    db = tmp_path / "w.duckdb"
    env = dict(os.environ, COLUMNS="200")
    cmd = [sys.executable, "-m", "monitor.cli", "run", "--no-prefect", "--db", str(db), "--seeds", str(seeds_dir)]
    proc = subprocess.run([*cmd, "--feed", site.url("/feed.xml")], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "trafilatura" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr[-3000:]
    assert "empty HTML tree" not in proc.stdout + proc.stderr
    for story in stories:
        assert f"failed extract {site.url(story.path)}: no article text found in the page" in proc.stdout
    failures = rows(db, "SELECT url, stage, reason FROM failures ORDER BY url")
    assert failures == [(site.url(s.path), "extract", "no article text found in the page") for s in stories[::-1]]


def test_feed_credentials_never_reach_the_output_the_logs_or_a_notice(site, webhook, tmp_path, seeds_dir, caplog):
    """Feed URLs with an API key or a password are shown masked in the summary, the log lines (httpx's
    too) and the feed-health notices; the warehouse keeps them exact, as the keys its rows are found by."""
    port = site.server.server_address[1]
    keyed = site.url("/feed.xml?api_key=SECRET123&lang=en")
    private = f"http://alice:PASSW0RD@127.0.0.1:{port}/private.xml"
    db = tmp_path / "w.duckdb"
    args = ["run", "--no-prefect", "--db", str(db), "--seeds", str(seeds_dir), "--feed", keyed, "--feed", private]
    env = {"MONITOR_NOTIFY_URLS": json.dumps([webhook.apprise_url]), "COLUMNS": "200"}
    with caplog.at_level(logging.DEBUG):
        result = runner.invoke(app, args, env=env)
    assert result.exit_code == 1 and "every feed failed (2)" in result.output, result.output
    notices = json.dumps(webhook.received)
    for secret in ("SECRET123", "PASSW0RD", "alice"):
        assert secret not in result.output and secret not in caplog.text and secret not in notices, secret
    assert f"failed feed {site.url('/feed.xml?api_key=***&lang=en')}: HTTP 404" in result.output
    assert f"failed feed http://***@127.0.0.1:{port}/private.xml: HTTP 404" in result.output
    assert "HTTP Request: GET" in caplog.text  # httpx's line is there, masked
    assert sorted(m["title"] for m in webhook.received) == [
        f"[monitor] feed failing: http://***@127.0.0.1:{port}/private.xml",
        f"[monitor] feed failing: {site.url('/feed.xml?api_key=***&lang=en')}",
    ]
    assert rows(db, "SELECT url FROM failures ORDER BY url") == [(keyed,), (private,)]
    assert rows(db, "SELECT count(*) FROM feed_status WHERE last_error LIKE '%SECRET123%'") == [(0,)]
    # the exact keys find the rows again: the feed answers, its failure is cleared, it is healthy again
    site.routes["/feed.xml?api_key=SECRET123&lang=en"] = Response(
        body=render_feed(site.base, []), content_type="application/rss+xml"
    )
    result = runner.invoke(app, args[:-2], env=env)
    assert result.exit_code == 0 and "SECRET123" not in result.output, result.output
    assert rows(db, "SELECT url FROM failures") == [(private,)]
    assert webhook.received[-1]["title"] == f"[monitor] feed healthy again: {site.url('/feed.xml?api_key=***&lang=en')}"
    assert "SECRET123" not in json.dumps(webhook.received)


def test_serve_without_a_prefect_server_refuses_and_says_how_to_start_one(tmp_path):
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "serve", "--db", str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "needs a Prefect server" in proc.stderr and "prefect server start" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_outlets_are_named_by_the_site_the_feed_or_the_seed(site, make_settings):
    from conftest import Response, render_feed

    page = (
        b"<html><head><title>T</title></head><body><article><p>"
        + b" ".join(AID_HIGH.paragraphs[0].encode() for _ in range(3))
        + b"</p></article></body></html>"
    )
    site.routes[AID_HIGH.path] = Response(body=page)
    feed = render_feed(site.base, [AID_HIGH]).replace(
        b"<title>t</title>", b"<title>Andes &amp; Caribbean Wire</title>", 1
    )
    site.routes["/feed.xml"] = Response(body=feed, content_type="application/rss+xml")
    settings = make_settings(feeds=[site.url("/feed.xml")])
    run_pass(settings)
    outlets = dict(rows(settings.db, "SELECT source, outlet FROM articles WHERE source = 'feed'"))
    assert outlets == {"feed": "Andes & Caribbean Wire"}  # no og:site_name: the feed's own title
    seeds = [r[0] for r in rows(settings.db, "SELECT outlet FROM articles WHERE source = 'seed'")]
    assert len(seeds) == 2 and all(o.startswith("seed document “") and ".txt" not in o for o in seeds)


def test_sql_prints_untrusted_text_verbatim(filled_db):
    query = "SELECT 'Petro said [sic] that' AS s, 'x [/i] y' AS t, [1, 2] AS l"
    result = runner.invoke(app, ["sql", "--db", str(filled_db), query])
    assert result.exit_code == 0, result.output
    assert "Petro said [sic] that" in result.output and "x [/i] y" in result.output and "[1, 2]" in result.output


def test_sql_shows_every_statements_result_and_exports_only_one(filled_db, tmp_path):
    query = "SELECT 'first; result' AS a; SELECT count(*) AS articles FROM articles"
    result = runner.invoke(app, ["sql", "--db", str(filled_db), query])
    assert result.exit_code == 0, result.output
    assert "first; result" in result.output and "articles" in result.output
    assert result.output.count("row(s)") == 2
    refused = runner.invoke(app, ["sql", "--db", str(filled_db), query, "--output", str(tmp_path / "x.csv")])
    assert refused.exit_code == 2 and "one query's result; this SQL has 2" in refused.output
    assert not (tmp_path / "x.csv").exists()


def test_sql_exports_in_every_format(filled_db, tmp_path):
    import csv
    import io
    import json

    import duckdb

    query = "SELECT url, outlet, published_at FROM articles ORDER BY url"
    expected = rows(filled_db, query)

    as_csv = runner.invoke(app, ["sql", "--db", str(filled_db), "--format", "csv", query])
    parsed = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert parsed[0] == ["url", "outlet", "published_at"] and [r[0] for r in parsed[1:]] == [r[0] for r in expected]

    as_json = json.loads(runner.invoke(app, ["sql", "--db", str(filled_db), "--format", "json", query]).stdout)
    assert [o["url"] for o in as_json] == [r[0] for r in expected]
    assert all(o["published_at"] is None or "T" in o["published_at"] for o in as_json)  # ISO 8601

    as_md = runner.invoke(app, ["sql", "--db", str(filled_db), "--format", "markdown", query]).stdout
    assert as_md.splitlines()[:2] == ["| url | outlet | published_at |", "|---|---|---|"]

    for suffix in (".parquet", ".csv", ".json"):
        target = tmp_path / f"articles{suffix}"
        result = runner.invoke(app, ["sql", "--db", str(filled_db), "--output", str(target), query])
        assert result.exit_code == 0, result.output
        assert f"wrote {len(expected)} row(s)" in result.output
        back = duckdb.connect().execute(f"SELECT url FROM '{target}' ORDER BY url").fetchall()
        assert [r[0] for r in back] == [r[0] for r in expected]

    result = runner.invoke(app, ["sql", "--db", str(filled_db), "--format", "xml", query])
    assert result.exit_code == 2 and "unknown format 'xml'" in result.output
    result = runner.invoke(app, ["sql", "--db", str(filled_db), "-o", str(tmp_path / "a.xlsx"), query])
    assert result.exit_code == 1 and "cannot tell the format" in result.output


# ---------------------------------------------------------------- a damaged warehouse, check and backup

HEADERS = 3 * 4096  # DuckDB's file header and two database headers; data blocks follow


def damaged_copies(db: Path, folder: Path) -> dict[str, Path]:
    """A real warehouse cut to half its size, a file of random bytes, and the warehouse with bytes
    overwritten in the block that holds the articles, among their rows (not in the block's unused tail)."""
    import duckdb

    folder.mkdir()
    truncated, noise, corrupt = folder / "truncated.duckdb", folder / "noise.duckdb", folder / "corrupt.duckdb"
    data = db.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    noise.write_bytes(random.Random(11).randbytes(300_000))
    con = duckdb.connect(str(db), read_only=True)
    (block_size,) = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
    (block,) = con.execute("SELECT min(block_id) FROM pragma_storage_info('articles') WHERE block_id >= 0").fetchone()
    con.close()
    at = HEADERS + block * block_size + 64
    corrupt.write_bytes(data[:at] + b"\xff" * 64 + data[at + 64 :])
    return {"truncated": truncated, "noise": noise, "corrupt": corrupt}


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_a_damaged_warehouse_ends_a_pass_in_one_line_naming_the_file_and_what_to_do(
    filled_db, site, seeds_dir, tmp_path
):
    copies = damaged_copies(filled_db, tmp_path / "damaged")
    feed = publish(site, [AID_HIGH, AID_LOW, AID_LOW_COPY, OTHER_YEAR])  # two new pages to store
    for name, db in copies.items():
        args = ["run", "--no-prefect", "--db", str(db), "--seeds", str(seeds_dir), "--feed", feed]
        line = _one_error_line(runner.invoke(app, args))
        assert line.startswith(f"error: warehouse {db} is damaged or not a DuckDB file ("), (name, line)
        assert line.endswith('restore it from a backup (README, "Backup and repair") or move it aside to start afresh')
    assert "is not a valid DuckDB database file" in line or "checksum" in line


def test_monitor_run_under_prefect_reports_a_damaged_warehouse_in_one_line(tmp_path, seeds_dir):
    db = tmp_path / "noise.duckdb"
    db.write_bytes(random.Random(3).randbytes(300_000))
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_HOME=str(tmp_path / "prefect"))
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-m", "monitor.cli", "run", "--db", str(db), "--seeds", str(seeds_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f'error: warehouse {db} is damaged or not a DuckDB file (IO Error: The file "{db}" exists, but it is '
        'not a valid DuckDB database file!): restore it from a backup (README, "Backup and repair") or move it '
        "aside to start afresh"
    ]


def test_check_reads_a_healthy_warehouse_and_prints_rows_per_table(filled_db, tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text(f"db = {str(filled_db)!r}\n")
    result = runner.invoke(app, ["check", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert re.search(r"articles\s*│\s*4 │", result.output) and re.search(
        rf"schema_migrations\s*│\s*{len(list(MIGRATIONS_DIR.glob('*.sql')))} │", result.output
    )
    assert "healthy: 11 tables read in full; views alerts_readable, original_articles; migrations 001_" in (
        " ".join(result.output.split())
    )


def test_check_names_each_problem_in_one_line(filled_db, tmp_path):
    import duckdb

    con = duckdb.connect(str(filled_db))
    con.execute("DROP VIEW alerts_readable")
    con.execute("DELETE FROM schema_migrations WHERE version = 3")
    con.close()
    result = runner.invoke(app, ["check", "--db", str(filled_db)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(("problem:", "what to do:"))]
    assert problems == [
        "problem: migration 003_failure_retries.sql is not applied",
        "problem: view alerts_readable is missing",
        "what to do: the next `monitor run` recreates missing views and applies missing migrations",
    ]


def test_check_reports_a_damaged_warehouse(filled_db, tmp_path):
    copies = damaged_copies(filled_db, tmp_path / "damaged")
    line = _one_error_line(runner.invoke(app, ["check", "--db", str(copies["noise"])]))
    assert line.startswith(f"error: warehouse {copies['noise']} is damaged or not a DuckDB file (")
    for name in ("truncated", "corrupt"):
        result = runner.invoke(app, ["check", "--db", str(copies[name])])
        assert result.exit_code == 1 and "Traceback" not in result.output, (name, result.output)
        problems = [line for line in result.output.splitlines() if line.startswith("problem:")]
        assert problems and all("cannot be read in full" in p or "fails" in p for p in problems), problems
        assert f"what to do: warehouse {copies[name]} is damaged: restore it from a backup" in result.output
    assert "problem: table articles cannot be read in full (Corrupt database file: computed checksum" in (result.output)


def test_a_query_failing_on_another_file_is_not_called_warehouse_damage(filled_db, tmp_path):
    import duckdb

    broken = tmp_path / "broken.parquet"
    duckdb.connect().execute(f"COPY (SELECT range AS n FROM range(10000)) TO '{broken}'")
    broken.write_bytes(broken.read_bytes()[:500])
    result = runner.invoke(app, ["sql", "--db", str(filled_db), f"SELECT count(*) FROM '{broken}'"])
    assert result.exit_code == 1 and "query failed" in result.output and "damaged" not in result.output


def test_backup_exports_every_table_and_import_restores_them(filled_db, tmp_path):
    import duckdb

    target = tmp_path / "backups" / "monday"
    result = runner.invoke(app, ["backup", str(target), "--db", str(filled_db)])
    assert result.exit_code == 0, result.output
    assert "backed up 11 tables" in result.output
    assert (target / "schema.sql").is_file() and (target / "articles.parquet").is_file()
    restored = tmp_path / "restored.duckdb"
    con = duckdb.connect(str(restored))
    con.execute(f"IMPORT DATABASE '{target}'")
    con.close()
    assert counts(restored) == counts(filled_db) and counts(restored)["articles"] == 4
    assert runner.invoke(app, ["check", "--db", str(restored)]).exit_code == 0

    line = _one_error_line(runner.invoke(app, ["backup", str(target), "--db", str(filled_db)]))
    assert line == f"error: backup folder {target} exists and is not empty: name a new folder"
    noise = tmp_path / "noise.duckdb"
    noise.write_bytes(random.Random(5).randbytes(300_000))
    _one_error_line(runner.invoke(app, ["backup", str(tmp_path / "other"), "--db", str(noise)]))
    assert not (tmp_path / "other").exists()


def test_git_ignores_every_file_a_pass_writes_beside_the_warehouse(tmp_path):
    """The warehouse, its WAL and the delivery lock a pass leaves in warehouse/ never show up as changes."""
    from monitor.outbox import delivery_lock

    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    db = ROOT / "warehouse" / "monitor.duckdb"
    written = [db, db.with_name(db.name + ".wal"), delivery_lock(db).path]
    for path in written:
        relative = str(path.relative_to(ROOT))
        result = subprocess.run(["git", "check-ignore", "-q", relative], cwd=ROOT, check=False)
        assert result.returncode == 0, f"{relative} is not ignored by .gitignore"
