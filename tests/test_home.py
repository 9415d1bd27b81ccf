"""Where the monitor keeps its files (issue #10): default paths are relative to one home — MONITOR_HOME,
else the config file's folder, else the current folder — so every command finds the same warehouse from
any folder; paths on the command line are relative to the current folder, paths in a config file to
that file's folder; the shipped seeds are found from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SEEDS, publish
from test_pipeline import AID_HIGH, AID_LOW, rows

from monitor.settings import load_settings

WAREHOUSE = Path("warehouse") / "monitor.duckdb"


def _monitor(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `monitor` command, run from `cwd` as a user would, with no home or config of ours."""
    environ = {k: v for k, v in os.environ.items() if k not in ("MONITOR_HOME", "MONITOR_CONFIG", "PREFECT_API_URL")}
    environ.update(COLUMNS="300", **env)
    cmd = [sys.executable, "-m", "monitor.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=environ, cwd=cwd)


def _folders(tmp_path: Path, *names: str) -> list[Path]:
    made = [tmp_path / name for name in names]
    for folder in made:
        folder.mkdir()
    return made


def test_monitor_home_holds_the_warehouse_and_its_lock_whatever_the_current_folder(site, webhook, tmp_path):
    home, elsewhere, third = _folders(tmp_path, "home", "elsewhere", "third")
    feed = publish(site, [AID_HIGH, AID_LOW])
    hook = f'["{webhook.apprise_url}"]'
    proc = _monitor(elsewhere, "run", "--no-prefect", "--feed", feed, MONITOR_HOME=str(home), MONITOR_NOTIFY_URLS=hook)
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = home / WAREHOUSE
    assert f"warehouse {db}\n" in proc.stdout  # the summary says where the data went
    assert (home / "warehouse" / "monitor.duckdb.deliver.lock").exists() and len(webhook.received) == 1
    assert list(elsewhere.iterdir()) == []  # nothing written where the command happened to run
    # the home has no seeds/: the shipped seeds were read
    assert rows(db, "SELECT count(*) FROM articles WHERE source = 'seed'") == [(len(list(SEEDS.glob("*.txt"))),)]

    found = _monitor(third, "alerts", MONITOR_HOME=str(home))
    assert found.returncode == 0, found.stderr
    assert "$410 million" in found.stdout and "$600 million" in found.stdout

    lost = _monitor(third, "alerts")  # no home: the current folder, which holds no warehouse
    assert lost.returncode == 1
    assert f"warehouse {third / WAREHOUSE} does not exist" in lost.stderr
    assert "--db PATH or MONITOR_HOME" in lost.stderr and "Traceback" not in lost.stderr


def test_a_config_file_elsewhere_is_the_home_and_anchors_its_own_relative_paths(tmp_path, seeds_dir):
    conf, elsewhere, third = _folders(tmp_path, "conf", "elsewhere", "third")
    (conf / "monitor.toml").write_text('seeds = "../seeds"\n')  # tmp_path/seeds, from the file's folder
    elsewhere = elsewhere / "deeper"
    elsewhere.mkdir()
    proc = _monitor(elsewhere, "run", "--no-prefect", "--config", "../../conf/monitor.toml")  # from the current folder
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = conf / WAREHOUSE
    assert f"warehouse {db}\n" in proc.stdout
    assert rows(db, "SELECT count(*) FROM articles") == [(len(list(seeds_dir.glob("*.txt"))),)]
    assert list(elsewhere.iterdir()) == []

    query = _monitor(
        third, "sql", "--format", "csv", "SELECT count(*) AS n FROM articles", MONITOR_CONFIG=str(conf / "monitor.toml")
    )
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines() == ["n", str(len(list(seeds_dir.glob("*.txt"))))]


def test_where_each_kind_of_path_is_relative_to(tmp_path, monkeypatch):
    """Written in the config file: its folder. Given as an option or a MONITOR_* variable: the current
    folder. Left to its default: MONITOR_HOME, else the config file's folder, else the current folder."""
    conf, here, home = _folders(tmp_path, "conf", "here", "home")
    config = conf / "monitor.toml"
    config.write_text('db = "data/w.duckdb"\ntopic_file = "profiles/topic.toml"\n')
    monkeypatch.chdir(here)
    monkeypatch.delenv("MONITOR_HOME", raising=False)
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)
    monkeypatch.delenv("MONITOR_DB", raising=False)

    settings = load_settings(config)
    assert settings.db == conf / "data" / "w.duckdb" and settings.topic_path == conf / "profiles" / "topic.toml"
    assert load_settings(config, db=Path("mine.duckdb")).db == here / "mine.duckdb"
    assert load_settings(None).db == here / WAREHOUSE

    (home / "seeds").mkdir()
    monkeypatch.setenv("MONITOR_HOME", str(home))
    settings = load_settings(config)
    assert settings.db == conf / "data" / "w.duckdb"  # written in the file: still the file's folder
    assert settings.seeds == home / "seeds"  # a default: the home, which has seeds of its own
    assert load_settings(None).db == home / WAREHOUSE
    monkeypatch.setenv("MONITOR_DB", "from-env.duckdb")
    assert load_settings(None).db == here / "from-env.duckdb"


def test_the_readme_first_command_finds_the_shipped_seeds(tmp_path, monkeypatch):
    """`.venv/bin/monitor run` from the project root reads seeds/ and writes warehouse/ there; from any
    other folder it still finds the shipped seeds (the warehouse goes to that folder)."""
    monkeypatch.delenv("MONITOR_HOME", raising=False)
    monkeypatch.delenv("MONITOR_SEEDS", raising=False)
    monkeypatch.chdir(ROOT)
    settings = load_settings(None)
    assert settings.seeds == ROOT / "seeds" and settings.db == ROOT / WAREHOUSE

    [elsewhere] = _folders(tmp_path, "elsewhere")
    proc = _monitor(elsewhere, "run", "--no-prefect")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert rows(elsewhere / WAREHOUSE, "SELECT count(*) FROM articles") == [(len(list(SEEDS.glob("*.txt"))),)]


def test_a_missing_topic_profile_names_its_absolute_path_and_how_to_point_elsewhere(tmp_path):
    [elsewhere] = _folders(tmp_path, "elsewhere")
    shutil.copytree(SEEDS, elsewhere / "seeds")
    (elsewhere / "seeds" / "topic.toml").unlink()
    proc = _monitor(elsewhere, "run", "--no-prefect", "--db", "w.duckdb")
    assert proc.returncode == 1
    assert f"topic profile {elsewhere / 'seeds' / 'topic.toml'} does not exist" in proc.stderr
    assert "--seeds" in proc.stderr and "MONITOR_HOME" in proc.stderr
