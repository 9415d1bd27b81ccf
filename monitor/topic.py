"""Is an article about the story? A score against the profile's anchors (who/where) and themes (what)."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.profile import TopicProfile


@dataclass(frozen=True)
class TopicScore:
    score: float
    anchors: tuple[str, ...]
    themes: tuple[str, ...]
    on_topic: bool


def score_topic(profile: TopicProfile, title: str | None, text: str) -> TopicScore:
    """Weights of the distinct anchor and theme terms found; the title's terms count double.

    Both kinds are required: an article on the city's coffee exports names an anchor but no theme; one on
    another country's drug seizures names themes but no anchor.
    """
    story = profile.story
    weights = {**story.anchors, **story.themes}
    found: dict[str, float] = {}
    for part, factor in ((text, 1.0), (title or "", 2.0)):
        for index in (profile.anchor_index, profile.theme_index):
            for m in index.find(part):
                found[m.key] = max(found.get(m.key, 0.0), weights[m.key] * factor)
    anchors = tuple(sorted(k for k in found if k in story.anchors))
    themes = tuple(sorted(k for k in found if k in story.themes and k not in story.anchors))
    score = round(sum(found.values()), 2)
    on_topic = (
        len(anchors) >= story.min_anchor_hits and len(themes) >= story.min_theme_hits and score >= story.min_score
    )
    return TopicScore(score, anchors, themes, on_topic)
