"""Per-stage quality of claim reading, against claims annotated as facts (tests/data/annotations).

For each set, every article's text is read from ../shared (never copied here), its claims extracted as
the pipeline does, and compared with the annotated facts:
- figures: recall of values (the number was read at all), then among the annotated figures of profile
  metrics: recall of complete readings with the right metric, kind, period and subject, and the precision
  of complete readings (a complete figure that matches no annotated figure on value, metric and period is
  a wrong one: it could raise a wrong alert);
- positions: complete readings against annotated (actor, topic, stance);
- events: complete mentions against annotated (action, date) with a compatible actor and target.
Run `python tests/stage_quality.py` for the table in the README.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ANNOTATIONS = ROOT / "tests" / "data" / "annotations"
SETS = {
    "dev2": (SHARED / "eval" / "dev2" / "articles.jsonl", ANNOTATIONS / "dev2_claims.json", "articles"),
    "real-dev": (SHARED / "eval" / "real-dev" / "articles.jsonl", ANNOTATIONS / "real_dev_claims.json", "pages"),
}


def _ratio(hit: int, total: int) -> float:
    return round(hit / total, 3) if total else 1.0


def _same_value(a: float, b: float) -> bool:
    return abs(abs(a) - abs(b)) <= 0.005 * max(abs(a), abs(b), 1e-9)


def _actors_match(profile: Any, got: str | None, want: str | None) -> bool:
    """The same actor, or an actor and its own government ("Trump" for "United States"); an unread actor
    matches nothing."""
    from monitor.contradict import actors_compatible

    return got is not None and want is not None and actors_compatible(profile, got, want)


def score(name: str) -> dict[str, dict[str, float]]:
    from monitor.extract import ClaimExtractor
    from monitor.profile import load_profile

    corpus, annotations, key = SETS[name]
    profile = load_profile(ROOT / "seeds" / "topic.toml")
    extractor = ClaimExtractor(profile)
    gold = json.loads(annotations.read_text())[key]
    counts = dict.fromkeys(
        [
            "fig_gold", "fig_value", "fig_known", "fig_complete_right", "fig_complete", "fig_complete_wrong",
            "pos_gold", "pos_found", "pos_complete", "pos_complete_wrong",
            "ev_gold", "ev_found", "ev_complete", "ev_complete_wrong",
        ],
        0,
    )  # fmt: skip
    for line in corpus.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        facts = gold.get(article["id"])
        if not facts or article.get("on_topic") is False:
            continue
        claims = extractor.extract(article["text"], date.fromisoformat(article["published"][:10]))
        _score_figures(facts["figures"], claims.figures, counts)
        _score_positions(profile, facts["positions"], claims.positions, counts)
        _score_events(profile, facts["events"], claims.events, counts)
    c = counts
    return {
        "figures": {
            "value_recall": _ratio(c["fig_value"], c["fig_gold"]),
            "complete_recall": _ratio(c["fig_complete_right"], c["fig_known"]),
            "complete_precision": _ratio(c["fig_complete"] - c["fig_complete_wrong"], c["fig_complete"]),
            "annotated": c["fig_gold"],
            "complete": c["fig_complete"],
        },
        "positions": {
            "complete_recall": _ratio(c["pos_found"], c["pos_gold"]),
            "complete_precision": _ratio(c["pos_complete"] - c["pos_complete_wrong"], c["pos_complete"]),
            "annotated": c["pos_gold"],
            "complete": c["pos_complete"],
        },
        "events": {
            "complete_recall": _ratio(c["ev_found"], c["ev_gold"]),
            "complete_precision": _ratio(c["ev_complete"] - c["ev_complete_wrong"], c["ev_complete"]),
            "annotated": c["ev_gold"],
            "complete": c["ev_complete"],
        },
    }


def _score_figures(gold: list[dict[str, Any]], got: list[Any], c: dict[str, int]) -> None:
    gold = [g for g in gold if g["unit"] != "acres"]
    for g in gold:
        c["fig_gold"] += 1
        c["fig_value"] += any(_same_value(f.value, g["value"]) for f in got)
        if g["metric"] == "other" or g.get("scope") == "part":
            continue
        c["fig_known"] += 1
        c["fig_complete_right"] += any(
            f.complete
            and _same_value(f.value, g["value"])
            and f.metric == g["metric"]
            and f.kind == g["kind"]
            and (f.period or None) == g["period"]
            and f.subject == g["subject"]
            for f in got
        )
    for f in got:
        if not f.complete:
            continue
        c["fig_complete"] += 1
        right = any(
            _same_value(f.value, g["value"]) and f.metric == g["metric"] and (f.period or None) == g["period"]
            for g in gold
        )
        c["fig_complete_wrong"] += not right


def _score_positions(profile: Any, gold: list[dict[str, Any]], got: list[Any], c: dict[str, int]) -> None:
    gold = [g for g in gold if g["topic"] != "other" and g["actor"] != "other"]
    for g in gold:
        c["pos_gold"] += 1
        c["pos_found"] += any(
            p.complete
            and p.topic == g["topic"]
            and p.stance == g["stance"]
            and _actors_match(profile, p.actor, g["actor"])
            for p in got
        )
    for p in got:
        if not p.complete:
            continue
        c["pos_complete"] += 1
        c["pos_complete_wrong"] += not any(
            p.topic == g["topic"] and p.stance == g["stance"] and _actors_match(profile, p.actor, g["actor"])
            for g in gold
        )


def _score_events(profile: Any, gold: list[dict[str, Any]], got: list[Any], c: dict[str, int]) -> None:
    dated = [g for g in gold if g["action"] != "other" and g.get("date") and not g.get("past_occurrence")]
    for g in dated:
        c["ev_gold"] += 1
        c["ev_found"] += any(
            e.complete and e.action == g["action"] and str(e.event_date) == g["date"] and _target_fits(profile, e, g)
            for e in got
        )
    for e in got:
        if not e.complete:
            continue
        c["ev_complete"] += 1
        c["ev_complete_wrong"] += not any(
            e.action == g["action"]
            and str(e.event_date) == g.get("date")
            and _actors_match(profile, e.actor, g["actor"])
            and _target_fits(profile, e, g)
            for g in gold
        )


def _target_fits(profile: Any, event: Any, fact: dict[str, Any]) -> bool:
    """The annotated target, when the fact names one (a boat strike's boat is no actor)."""
    return fact.get("target") is None or _actors_match(profile, event.target, fact["target"])


def main() -> int:
    print("| set | stage | annotated | complete readings | recall (complete, right) | precision (complete) |")
    print("|---|---|---|---|---|---|")
    for name in SETS:
        result = score(name)
        for stage, s in result.items():
            extra = f" (values read: {s['value_recall']})" if "value_recall" in s else ""
            print(
                f"| {name} | {stage} | {s['annotated']} | {s['complete']} | {s['complete_recall']}{extra} "
                f"| {s['complete_precision']} |"
            )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
