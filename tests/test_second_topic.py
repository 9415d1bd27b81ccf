"""Generality: the same pipeline, given another story's profile and articles, finds that story's
contradictions and stays silent on its look-alikes. Nothing in the code knows either story."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, Story, publish

from monitor.pipeline import run_pass
from monitor.settings import load_settings

DATA = Path(__file__).parent / "data" / "second_topic"
SEED = "seed:spill_report.txt"


@pytest.fixture
def spill_run(site, tmp_path):
    items = json.loads((DATA / "articles.json").read_text())
    stories = [Story(a["path"], a["title"], a["published"], a["paragraphs"], a["outlet"]) for a in items]
    ids = {site.url(a["path"]): a["id"] for a in items}
    ids[SEED] = "seed"
    feed = publish(site, stories)
    settings = load_settings(None, db=tmp_path / "spill.duckdb", seeds=DATA / "seeds", feeds=[feed])
    run_pass(settings)
    con = duckdb.connect(str(settings.db), read_only=True)
    yield con, ids
    con.close()


def test_finds_the_contradictions_and_nothing_else(spill_run):
    con, ids = spill_run
    found = con.execute("SELECT kind, article_url, prior_url FROM alerts").fetchall()
    alerts = {(ids[a], ids[p], k) for k, a, p in found}
    assert alerts == {
        ("T01", "seed", "figure"),  # 30,000 litres against the company's 12,000
        ("T04", "seed", "position"),  # the governor supports closing the plant; she opposed it
        ("T06", "T05", "event"),  # the fine dated March 9 against March 6
        ("T10", "T01", "figure"),  # "no more than 12,500 litres" against 30,000
    }


def test_copies_topics_and_extended_units(spill_run):
    con, ids = spill_run
    found = con.execute("SELECT url, on_topic, duplicate_of FROM articles").fetchall()
    articles = {ids[u]: (t, d) for u, t, d in found}
    assert articles["T02"] == (True, next(u for u, i in ids.items() if i == "T01"))
    assert articles["T09"][0] is False  # football in the same town
    assert all(on for i, (on, _) in articles.items() if i != "T09")
    # units the profile added to the lexicon: litres and parts per million
    sql = "SELECT metric, unit FROM figures WHERE article_url = ? AND metric_known"
    units = dict(con.execute(sql, [SEED]).fetchall())
    assert units["volume spilled"] == "litres" and units["solvent concentration"] == "ppm"


def test_no_story_words_in_the_code():
    """Neither story's names appear in the library: domain knowledge lives in topic.toml."""
    words = ["colombia", "petro", "bogot", "coca", "cocaine", "varen", "northvale", "treasury", "decertif"]
    for path in (ROOT / "monitor").rglob("*.py"):
        text = path.read_text().lower()
        assert not [w for w in words if w in text], path
    lexicon = (ROOT / "monitor" / "lexicon.toml").read_text().lower()
    assert not [w for w in words if w in lexicon]
