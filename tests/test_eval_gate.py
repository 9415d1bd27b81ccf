"""Quality gate: the eval scores may never fall silently below their pinned floors.

Modelled on trafilatura's tests/eval_gate.py. Runs ../shared/eval/run_eval.py, which replays a corpus
as a live feed into `monitor run` (under Prefect) round by round, then scores the warehouse. Four corpora:
the shared dev sample, the shared dev2 (long articles written independently) and real-dev (32 real pages),
and the project's own holdout (other turns of the story, written apart from the dev sample).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SHARED

FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text())
EVAL = SHARED / "eval" / "run_eval.py"
CORPORA = {
    "dev": SHARED / "eval" / "dev",
    "dev2": SHARED / "eval" / "dev2",
    "real-dev": SHARED / "eval" / "real-dev",
    "holdout": ROOT / "tests" / "data" / "holdout",
}
_cache: dict[str, dict[str, Any]] = {}


def _get(result: dict[str, Any], dotted: str) -> float:
    value: Any = result
    for key in dotted.split("."):
        value = value[key]
    return float(len(value)) if isinstance(value, list) else float(value)


def scores(corpus: str, tmp: Path) -> dict[str, Any]:
    if corpus in _cache:
        return _cache[corpus]
    if not EVAL.exists():
        pytest.skip(f"{EVAL} not found: the shared folder must sit beside the project")
    out = tmp / f"{corpus}.json"
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    cmd = [
        sys.executable,
        str(EVAL),
        "--corpus",
        str(CORPORA[corpus]),
        "--json",
        str(out),
        "--cmd",
        f"{sys.executable} -m monitor.cli run",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=1800)
    # run_eval.py exits 1 even on success (it tests for the warehouse after deleting its work folder),
    # so success is read from its result: every round's exit code is in "failures".
    assert out.exists(), proc.stdout[-2000:] + proc.stderr[-3000:]
    _cache[corpus] = json.loads(out.read_text())
    return _cache[corpus]


CHECKS = [
    (corpus, measure, kind)
    for corpus, floors in FLOORS.items()
    if not corpus.startswith("_")
    for kind, table in (("floor", floors), ("ceiling", floors["ceilings"]))
    for measure in table
    if measure != "ceilings"
]


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "measure", "kind"), CHECKS)
def test_score_within_pinned_bound(tmp_path_factory, corpus, measure, kind):
    result = scores(corpus, tmp_path_factory.mktemp(corpus))
    bound = FLOORS[corpus][measure] if kind == "floor" else FLOORS[corpus]["ceilings"][measure]
    value = _get(result, measure)
    if kind == "floor":
        assert value >= bound, f"{corpus}: {measure} fell to {value} (floor {bound}): {json.dumps(result)[:3000]}"
    else:
        assert value <= bound, f"{corpus}: {measure} rose to {value} (ceiling {bound}): {json.dumps(result)[:3000]}"


@pytest.mark.slow
@pytest.mark.parametrize("corpus", [c for c in FLOORS if not c.startswith("_")])
def test_every_round_ok_and_every_article_stored(tmp_path_factory, corpus):
    result = scores(corpus, tmp_path_factory.mktemp(corpus))
    assert result["failures"] == []
    assert result["topic"]["missing_from_warehouse"] == []
