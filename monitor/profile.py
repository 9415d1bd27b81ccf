"""The topic profile (seeds/topic.toml) and the English lexicon (lexicon.toml), loaded and checked."""

from __future__ import annotations

import logging
import os
import tomllib
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.errors import ConfigError
from monitor.text import PhraseIndex

log = logging.getLogger(__name__)

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Actor(_Model):
    name: str
    kind: Literal["person", "government", "agency", "organisation", "place"]
    country: str | None = None
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)
    # An envoy: the government they are posted to ("its ambassador, John Smith" is recalled from there).
    posted_to: str | None = None
    # Adjectives that name the actor only as a modifier of what an action acts on ("American weapons" are
    # bought from the United States), never as a mention in running text ("the South American country").
    adjectives: list[str] = Field(default_factory=list)


class Metric(_Model):
    name: str
    units: list[str]
    phrasings: list[str]
    # Verb lemmas that measure it in the number's clause ("produce", "turn out": "turned out 1,700 tonnes").
    verbs: list[str] = Field(default_factory=list)
    subject: str | None = None
    counterparts: list[str] = Field(default_factory=list)
    counted: list[str] = Field(default_factory=list)
    # What a measure in its units is of ("tonnes of wheat", "hectares of wheat"): a measure of another
    # thing ("tonnes of flour", "hectares of forest") is not this metric. Empty: anything.
    goods: list[str] = Field(default_factory=list)
    # What the same words also measure that is not this metric ("barley exports" for wheat exports, "exports
    # of bran", "tonnes of flour"): named in the metric word's phrase or the unit's, they make it another measure.
    other_goods: list[str] = Field(default_factory=list)
    # A running tally (deaths so far, strikes so far): a later, higher figure with no period is an update.
    cumulative: bool = False
    # Figures of one happening (the volume of one spill) need no period; yearly measures do, or they are
    # not compared (which year's 10%?).
    needs_period: bool = True


class Topic(_Model):
    """A subject of positions: phrases that name it, and the doing of it (verb lemmas and their objects),
    so that "would not buy weapons" is a stance on buying weapons."""

    name: str
    phrasings: list[str]
    verbs: list[str] = Field(default_factory=list)
    objects: list[str] = Field(default_factory=list)
    # The actors the topic concerns ("weapons" of buying U.S. weapons are the United States'): the same words
    # said of another country or actor ("Israeli weapons", "sanctions on Venezuela") are another topic.
    about: list[str] = Field(default_factory=list)


class Action(_Model):
    """An event type, by the words that do it: verb and noun lemmas, and the objects it acts on."""

    name: str
    verbs: list[str] = Field(default_factory=list)  # "revoke", "strike"
    nouns: list[str] = Field(default_factory=list)  # "revocation", "strike"
    # When set, the verb or noun must act on one of these ("visa", "boat"); the target is its owner.
    objects: list[str] = Field(default_factory=list)
    # Verbs that do the action by putting the target somewhere ("added the minister to the sanctions list"):
    # they count only when the place after to / on / onto / in / into names one of `destinations`
    # (phrases); the target is their object.
    placing_verbs: list[str] = Field(default_factory=list)
    destinations: list[str] = Field(default_factory=list)
    # Verbs that do the action by finding something of the target ("determined that X had failed
    # demonstrably", "designated X as having failed demonstrably"): they count only when their complement
    # says one of `findings` (phrases); the target is the complement's subject, or the verb's object.
    finding_verbs: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)
    # Verbs that do the action only on a bare object, with no complement saying what it is designated as:
    # "OFAC designated Smith" sanctions him; "designated Ruritania a transit country" does not.
    bare_verbs: list[str] = Field(default_factory=list)
    # Verbs whose announced negation is the action ("would buy no more weapons" halts arms purchases),
    # with the objects they must take.
    undone_verbs: list[str] = Field(default_factory=list)
    undone_objects: list[str] = Field(default_factory=list)
    window_days: int = 14
    # Acts on an envoy's posting, not on the envoy's own country: recalling "its ambassador, John Smith"
    # acts on the government Smith is posted to; summoning him acts on the one he represents.
    on_posting: bool = False
    # Happens again and again (strikes on boats): another date is another event, never a conflict.
    recurring: bool = False


class SeedMeta(_Model):
    published: datetime | None = None
    title: str | None = None
    url: str | None = None


class Story(_Model):
    name: str
    default_subject: str
    min_anchor_hits: int = 1
    min_theme_hits: int = 1
    min_score: float = 3.0
    position_window_days: int = 21
    # Figures that name no period compare only with figures that name none either, reported this close.
    figure_window_days: int = 30
    anchors: dict[str, float]
    themes: dict[str, float]


class Unit(_Model):
    symbols: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    convert: dict[str, float] = Field(default_factory=dict)


class Lexicon(_Model):
    qualifiers: dict[str, list[str]]
    change: dict[str, list[str]]
    periods: dict[str, list[str]]
    stance: dict[str, list[str]]
    units: dict[str, Unit]
    multipliers: dict[str, float]
    count: dict[str, list[str]]
    grammar: dict[str, list[str]] = Field(default_factory=dict)

    def words(self, section: str, key: str) -> list[str]:
        table: dict[str, list[str]] = getattr(self, section)
        return table.get(key, [])


class TopicProfile(_Model):
    """Everything the monitor knows about one story, with phrase indexes built once."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    story: Story
    seeds: dict[str, SeedMeta] = Field(default_factory=dict)
    actors: list[Actor]
    metrics: list[Metric] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    lexicon: Lexicon

    def same_side(self, a: str, b: str) -> bool:
        """The same actor, or one is the other's government ("John Smith" and "Ruritania"); unknown
        names are on no one's side."""
        if a == b:
            return True
        actor_a, actor_b = self.actor_by_name.get(a), self.actor_by_name.get(b)
        if actor_a is None or actor_b is None:
            return False
        if actor_a.kind == "government" and actor_b.country == actor_a.name:
            return True
        return actor_b.kind == "government" and actor_a.country == actor_b.name

    def same_country(self, a: str, b: str) -> bool:
        """Two actors of one country (a government, its ministers and its president); unknown names only
        with themselves."""
        actor_a, actor_b = self.actor_by_name.get(a), self.actor_by_name.get(b)
        if actor_a is None or actor_b is None:
            return a == b
        country_a = actor_a.name if actor_a.kind == "government" else actor_a.country
        country_b = actor_b.name if actor_b.kind == "government" else actor_b.country
        return a == b or (country_a is not None and country_a == country_b)

    @cached_property
    def topic_by_name(self) -> dict[str, Topic]:
        return {t.name: t for t in self.topics}

    @cached_property
    def actor_by_adjective(self) -> dict[str, str]:
        return {adj.lower(): a.name for a in self.actors for adj in a.adjectives}

    @cached_property
    def actor_by_name(self) -> dict[str, Actor]:
        return {a.name: a for a in self.actors}

    @cached_property
    def metric_by_name(self) -> dict[str, Metric]:
        return {m.name: m for m in self.metrics}

    @cached_property
    def action_by_name(self) -> dict[str, Action]:
        return {a.name: a for a in self.actions}

    @cached_property
    def actor_index(self) -> PhraseIndex:
        return PhraseIndex((alias, a.name) for a in self.actors for alias in [a.name, *a.aliases])

    @cached_property
    def metric_index(self) -> PhraseIndex:
        return PhraseIndex((p, m.name) for m in self.metrics for p in m.phrasings)

    @cached_property
    def topic_index(self) -> PhraseIndex:
        return PhraseIndex((p, t.name) for t in self.topics for p in t.phrasings)

    @cached_property
    def anchor_index(self) -> PhraseIndex:
        return PhraseIndex((t, t) for t in self.story.anchors)

    @cached_property
    def theme_index(self) -> PhraseIndex:
        return PhraseIndex((t, t) for t in self.story.themes)

    def lexicon_index(self, section: str, key: str) -> PhraseIndex:
        cache: dict[tuple[str, str], PhraseIndex] = self.__dict__.setdefault("_lex_cache", {})
        if (section, key) not in cache:
            cache[(section, key)] = PhraseIndex((w, key) for w in self.lexicon.words(section, key))
        return cache[(section, key)]

    def seed_published(self, file_name: str) -> datetime | None:
        meta = self.seeds.get(file_name)
        if meta is None or meta.published is None:
            return None
        published = meta.published
        return published if published.tzinfo else published.replace(tzinfo=UTC)


def _merge_lexicon(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A profile's [lexicon] adds words to the base lists and units to the base table."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for section, table in extra.items():
        target = merged.setdefault(section, {})
        for key, value in table.items():
            if isinstance(value, list) and isinstance(target.get(key), list):
                target[key] = [*target[key], *value]
            else:
                target[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"topic profile {os.path.abspath(path)} does not exist; give the folder holding topic.toml with "
            "--seeds (or `seeds` in the config file), or set MONITOR_HOME to the folder that holds seeds/"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"topic profile {path} is not valid TOML: {exc}") from exc


def load_profile(path: Path) -> TopicProfile:
    """The topic profile at `path`, with the package lexicon extended by its [lexicon] table."""
    data = _read_toml(path)
    lexicon = _merge_lexicon(_read_toml(LEXICON_FILE), data.pop("lexicon", {}))
    try:
        profile = TopicProfile(**data, lexicon=Lexicon(**lexicon))
    except ValidationError as exc:
        raise ConfigError(f"topic profile {path} is invalid: {exc}") from exc
    known_units = set(profile.lexicon.units) | {"count"}
    for metric in profile.metrics:
        unknown = set(metric.units) - known_units
        if unknown:
            raise ConfigError(f"topic profile {path}: metric {metric.name!r} has unknown units {sorted(unknown)}")
    if profile.story.default_subject not in profile.actor_by_name:
        log.warning("default subject %r is not an actor of %s", profile.story.default_subject, path)
    return profile
