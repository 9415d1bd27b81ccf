"""The digest: what a window of time brought, to read at a glance or to send.

New alerts (both sentences, both sources, how each claim was read), new figures by metric, the feeds that
fail or bring nothing, and the pages that failed or were given up. The warehouse is opened read-only, as
`monitor sql` opens it: a digest never blocks a pass for longer than its reading, and writes nothing.
Untrusted text (sentences, titles, URLs) goes into markdown as it is and into HTML escaped; URLs are shown
without credentials (monitor.masking), as everywhere else.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from monitor import notify
from monitor.contradict import Reading, read_explanation
from monitor.errors import ConfigError, NotifyError
from monitor.feed_health import state_of
from monitor.masking import safe_text, safe_url
from monitor.pipeline import given_up
from monitor.settings import Settings
from monitor.warehouse import FailureState, Warehouse, utcnow

Format = Literal["markdown", "html"]
FORMATS: tuple[Format, ...] = ("markdown", "html")

_WINDOW = re.compile(r"\s*(\d+)\s*([mhd])\s*")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_window(text: str) -> timedelta:
    """A window written as a whole number of minutes, hours or days: 90m, 24h, 7d."""
    m = _WINDOW.fullmatch(text)
    if m is None or int(m.group(1)) == 0:
        raise ConfigError(f"window {text!r} is not a number of minutes, hours or days, e.g. 90m, 24h or 7d")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


@dataclass(frozen=True)
class Source:
    """One side of an alert: the article (URL as stored) and the sentence the claim was read from."""

    url: str
    outlet: str | None
    published: datetime | None
    title: str | None
    sentence: str
    reading: str


@dataclass(frozen=True)
class AlertItem:
    alert_id: str
    kind: str
    summary: str
    confidence: float
    created_at: datetime
    new: Source
    stored: Source
    why: str


@dataclass(frozen=True)
class FigureItem:
    metric: str
    value: float
    unit: str
    kind: str
    subject: str
    period: str | None
    raw: str
    gaps: str
    url: str
    outlet: str | None
    published: datetime | None


@dataclass(frozen=True)
class FeedItem:
    """A feed that is failing (since its first failed poll in a row) or stale (nothing new for too long)."""

    url: str
    state: str
    since: datetime | None
    failed_polls: int
    last_ok: datetime | None
    last_new: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class FailureItem:
    url: str
    stage: str
    reason: str
    attempts: int
    first_at: datetime
    last_at: datetime
    given_up: bool


@dataclass
class Digest:
    since: datetime  # naive UTC, as the warehouse stores times
    until: datetime
    articles: int = 0
    on_topic: int = 0
    near_copies: int = 0
    alerts: list[AlertItem] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    feeds_polled: int = 0
    last_polled: datetime | None = None
    feed_polls_failed: int = 0  # feeds whose last failed poll is in the window
    feeds: list[FeedItem] = field(default_factory=list)
    failures: list[FailureItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing was stored, raised or failed in the window (a feed poll that failed is a failure too)."""
        return not (self.articles or self.alerts or self.failures or self.feed_polls_failed)

    def figures_by_metric(self) -> dict[str, list[FigureItem]]:
        groups: dict[str, list[FigureItem]] = {}
        for f in self.figures:
            groups.setdefault(f.metric, []).append(f)
        return groups

    def headline(self) -> str:
        """One line: the window and what it brought."""
        window = f"{_when(self.since)} – {_when(self.until)}"
        if self.empty:
            last = _when(self.last_polled)
            return f"Nothing new from {window}: no article stored, no alert, no failure (last poll {last})."
        failing = sum(f.state == "failing" for f in self.feeds)
        copies = _count(self.near_copies, "near-copy")
        parts = [
            _count(self.articles, "article") + f" new ({self.on_topic} on topic, {copies})",
            _count(len(self.alerts), "alert"),
            _count(len(self.figures), "figure"),
            _count(failing, "feed") + " failing",
            _count(len(self.failures), "page") + " failed or skipped",
        ]
        return f"{window}: " + "; ".join(parts) + "."


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


def _day(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "undated"


def _number(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:,.6g}"


# ---------------------------------------------------------------- reading the warehouse


def build(settings: Settings, window: timedelta, now: datetime | None = None) -> Digest:
    """The digest of the `window` before `now` (naive UTC), read from the warehouse opened read-only."""
    until = now or utcnow()
    digest = Digest(since=until - window, until=until)
    with Warehouse.open(settings.db, read_only=True, lock_timeout=settings.lock_timeout) as wh:
        _, rows = wh.query(
            "SELECT count(*), count(*) FILTER (WHERE on_topic), count(*) FILTER (WHERE duplicate_of IS NOT NULL) "
            "FROM articles WHERE fetched_at >= ?",
            [digest.since],
        )
        digest.articles, digest.on_topic, digest.near_copies = rows[0]
        digest.alerts = _alerts(wh, digest.since)
        digest.figures = _figures(wh, digest.since)
        digest.feeds_polled, digest.feeds = _feeds(wh, settings)
        _, rows = wh.query(
            "SELECT (SELECT max(last_polled_at) FROM feed_status), "
            "(SELECT count(*) FROM failures WHERE stage = 'feed' AND last_at >= ?)",
            [digest.since],
        )
        digest.last_polled, digest.feed_polls_failed = rows[0]
        digest.failures = _failures(wh, settings, digest.since, until)
    return digest


def _alerts(wh: Warehouse, since: datetime) -> list[AlertItem]:
    _, rows = wh.query(
        """SELECT a.alert_id, a.kind, a.summary, a.confidence, a.created_at, a.explanation,
                  a.article_url, n.outlet, n.published_at, n.title, a.new_evidence,
                  a.prior_url, p.outlet, p.published_at, p.title, a.prior_evidence
           FROM alerts a LEFT JOIN articles n ON n.url = a.article_url LEFT JOIN articles p ON p.url = a.prior_url
           WHERE a.created_at >= ? ORDER BY a.created_at, a.alert_id""",
        [since],
    )
    items = []
    for row in rows:
        aid, kind, summary, confidence, created, explanation = row[:6]
        new_url, new_outlet, new_published, new_title, new_sentence = row[6:11]
        url, outlet, published, title, sentence = row[11:]
        reading: Reading = read_explanation(explanation)
        new = Source(new_url, new_outlet, new_published, new_title, new_sentence, reading.new)
        stored = Source(url, outlet, published, title, sentence, reading.stored)
        items.append(AlertItem(aid, kind, summary, confidence, created, new, stored, reading.why))
    return items


def _figures(wh: Warehouse, since: datetime) -> list[FigureItem]:
    """Figures of the articles stored in the window whose metric the profile names; a near-copy's figures
    are its original's, so they are left out."""
    _, rows = wh.query(
        """SELECT f.metric, f.value, f.unit, f.kind, f.subject, f.period, f.raw, f.gaps,
                  f.article_url, a.outlet, a.published_at
           FROM figures f JOIN articles a ON a.url = f.article_url
           WHERE a.fetched_at >= ? AND f.metric_known AND NOT f.is_copy
           ORDER BY f.metric, f.subject, f.kind, f.period NULLS LAST, a.published_at NULLS LAST, f.figure_id""",
        [since],
    )
    return [FigureItem(*row) for row in rows]


def _feeds(wh: Warehouse, settings: Settings) -> tuple[int, list[FeedItem]]:
    """How many feeds were ever polled, and those failing or stale now (feed_health decides which)."""
    _, rows = wh.query(
        """SELECT s.feed_url, f.first_at, s.consecutive_errors, s.last_ok_at, s.last_new_at, s.last_error
           FROM feed_status s LEFT JOIN failures f ON f.url = s.feed_url AND f.stage = 'feed'
           ORDER BY s.feed_url"""
    )
    now = utcnow()
    items = []
    for feed, first_failed, polls, last_ok, last_new, error in rows:
        state = state_of(polls, last_new, last_ok, now, settings.feed_stale_after)
        if state is None:
            continue
        since = first_failed if state == "failing" else (last_new or last_ok)
        items.append(FeedItem(feed, state, since, polls, last_ok, last_new, error))
    return len(rows), items


def _failures(wh: Warehouse, settings: Settings, since: datetime, now: datetime) -> list[FailureItem]:
    """Pages (not feeds: those are under feed health) that failed in the window, and whether they are given up."""
    _, rows = wh.query(
        "SELECT url, stage, reason, attempts, first_at, last_at, transient FROM failures "
        "WHERE last_at >= ? AND stage <> 'feed' ORDER BY last_at, url",
        [since],
    )
    items = []
    for url, stage, reason, attempts, first_at, last_at, transient in rows:
        state = FailureState(attempts, transient, first_at, last_at, stage)
        items.append(FailureItem(url, stage, reason, attempts, first_at, last_at, given_up(state, settings, now)))
    return items


# ---------------------------------------------------------------- markdown and HTML


def render(digest: Digest, fmt: Format) -> str:
    """The digest as markdown (text as stored, for a terminal, a file or a message) or as an HTML page."""
    if fmt == "html":
        return to_html(digest)
    if fmt == "markdown":
        return to_markdown(digest)
    raise ConfigError(f"unknown digest format {fmt!r}; use one of {', '.join(FORMATS)}")


def _source_line(s: Source) -> str:
    title = f" “{s.title}”" if s.title else ""
    return f"{s.outlet or 'unknown outlet'}, {_day(s.published)}{title} — {safe_url(s.url)}"


def _figure_line(f: FigureItem) -> str:
    change = " (change)" if f.kind == "change" else ""
    gaps = f"; read without: {f.gaps}" if f.gaps else ""
    return (
        f"{_number(f.value)} {f.unit}{change} — {f.subject}, {f.period or 'no period'} (“{f.raw}”{gaps}) — "
        f"{f.outlet or 'unknown outlet'}, {_day(f.published)}, {safe_url(f.url)}"
    )


def _feed_line(f: FeedItem) -> str:
    if f.state == "failing":
        error = safe_text(f.last_error or "no reason recorded")
        return (
            f"failing since {_when(f.since)} ({_count(f.failed_polls, 'poll')} in a row; last worked "
            f"{_when(f.last_ok)}): {safe_url(f.url)} — {error}"
        )
    return f"stale: nothing new since {_when(f.since)}: {safe_url(f.url)}"


def _failure_line(f: FailureItem) -> str:
    outcome = "given up, skipped from now on" if f.given_up else "tried again on a later pass"
    return (
        f"{f.stage} {safe_url(f.url)} — {safe_text(f.reason)} ({_count(f.attempts, 'attempt')}, "
        f"first {_when(f.first_at)}, last {_when(f.last_at)}; {outcome})"
    )


def _feeds_summary(d: Digest) -> str:
    healthy = d.feeds_polled - len(d.feeds)
    if not d.feeds_polled:
        return "No feed polled yet."
    return f"{healthy} of {_count(d.feeds_polled, 'feed')} polled healthy."


def to_markdown(d: Digest) -> str:
    if d.empty:
        return d.headline() + "\n"
    out = ["# Monitor digest", "", d.headline(), ""]
    out += [f"## Alerts ({len(d.alerts)})", ""]
    for a in d.alerts:
        out += [
            f"### {a.summary}",
            "",
            f"{a.kind} alert {a.alert_id}, confidence {a.confidence:.2f}, raised {_when(a.created_at)}",
            "",
            f"- new: {_source_line(a.new)}",
            f"  - sentence: “{a.new.sentence}”",
            f"  - read as: {a.new.reading}",
            f"- stored: {_source_line(a.stored)}",
            f"  - sentence: “{a.stored.sentence}”",
            f"  - read as: {a.stored.reading}",
            f"- why the same thing: {a.why}",
            "",
        ]
    if not d.alerts:
        out += ["No new alert.", ""]
    out += [f"## Figures ({len(d.figures)})", ""]
    for metric, figures in d.figures_by_metric().items():
        out += [f"### {metric}", "", *(f"- {_figure_line(f)}" for f in figures), ""]
    if not d.figures:
        out += ["No new figure.", ""]
    out += ["## Feeds", "", _feeds_summary(d), ""]
    if d.feeds:
        out += [*(f"- {_feed_line(f)}" for f in d.feeds), ""]
    out += [f"## Failed or skipped pages ({len(d.failures)})", ""]
    out += [f"- {_failure_line(f)}" for f in d.failures] or ["None."]
    return "\n".join(out) + "\n"


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str) -> str:
    """A URL without credentials, linked only when it is a web address (never javascript: and the like)."""
    shown = safe_url(url)
    if re.match(r"https?://", shown, re.IGNORECASE):
        return f'<a href="{_h(shown)}" rel="noopener noreferrer">{_h(shown)}</a>'
    return _h(shown)


def _html_source(label: str, s: Source) -> str:
    title = f" “{_h(s.title)}”" if s.title else ""
    return (
        f"<li><b>{label}</b>: {_h(s.outlet or 'unknown outlet')}, {_h(_day(s.published))}{title} — {_link(s.url)}"
        f"<ul><li>sentence: <q>{_h(s.sentence)}</q></li><li>read as: {_h(s.reading)}</li></ul></li>"
    )


def to_html(d: Digest) -> str:
    head = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"><title>Monitor digest</title></head><body>\n'
    )
    if d.empty:
        return f"{head}<p>{_h(d.headline())}</p>\n</body></html>\n"
    out = [head, "<h1>Monitor digest</h1>", f"<p>{_h(d.headline())}</p>", f"<h2>Alerts ({len(d.alerts)})</h2>"]
    for a in d.alerts:
        out += [
            f"<h3>{_h(a.summary)}</h3>",
            f"<p>{_h(a.kind)} alert {_h(a.alert_id)}, confidence {a.confidence:.2f}, "
            f"raised {_h(_when(a.created_at))}</p>",
            "<ul>",
            _html_source("new", a.new),
            _html_source("stored", a.stored),
            f"<li><b>why the same thing</b>: {_h(a.why)}</li>",
            "</ul>",
        ]
    if not d.alerts:
        out.append("<p>No new alert.</p>")
    out.append(f"<h2>Figures ({len(d.figures)})</h2>")
    columns = ("value", "unit", "subject", "period", "as written", "source")
    for metric, figures in d.figures_by_metric().items():
        out += [f"<h3>{_h(metric)}</h3>", "<table>", "<tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>"]
        for f in figures:
            cells = [
                _h(_number(f.value)),
                _h(f.unit + (" (change)" if f.kind == "change" else "")),
                _h(f.subject),
                _h(f.period or "no period"),
                _h(f.raw) + (f" (read without: {_h(f.gaps)})" if f.gaps else ""),
                f"{_h(f.outlet or 'unknown outlet')}, {_h(_day(f.published))}, {_link(f.url)}",
            ]
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        out.append("</table>")
    if not d.figures:
        out.append("<p>No new figure.</p>")
    out += ["<h2>Feeds</h2>", f"<p>{_h(_feeds_summary(d))}</p>"]
    if d.feeds:
        out += ["<ul>", *(f"<li>{_feed_html(f)}</li>" for f in d.feeds), "</ul>"]
    out.append(f"<h2>Failed or skipped pages ({len(d.failures)})</h2>")
    if d.failures:
        out += ["<ul>", *(f"<li>{_failure_html(f)}</li>" for f in d.failures), "</ul>"]
    else:
        out.append("<p>None.</p>")
    return "\n".join(out) + "\n</body></html>\n"


def _feed_html(f: FeedItem) -> str:
    return _with_link(_feed_line(f), f.url)


def _failure_html(f: FailureItem) -> str:
    return _with_link(_failure_line(f), f.url)


def _with_link(line: str, url: str) -> str:
    """An escaped line whose (masked) URL is a link: the line is built once, for both formats."""
    shown = safe_url(url)
    before, found, after = line.partition(shown)
    return _h(before) + (_link(url) if found else "") + _h(after)


# ---------------------------------------------------------------- sending


@dataclass
class Sent:
    sent: int = 0
    errors: list[str] = field(default_factory=list)


def send(digest: Digest, settings: Settings, *, send_empty: bool = False) -> Sent:
    """Send the markdown digest to every notification URL, each message within `notify_timeout` (the
    alerts' sending path); a window with nothing new is sent only with `send_empty`. Errors name each URL
    masked; one failing URL does not keep the digest from the others."""
    result = Sent()
    urls = [u.get_secret_value() for u in settings.notify_urls]
    if not urls or (digest.empty and not send_empty):
        return result
    title = f"[monitor] digest {_when(digest.since)} – {_when(digest.until)}"
    body = to_markdown(digest)
    with notify.Sender(settings.notify_timeout) as sender:
        for url in urls:
            try:
                sender.send(url, title, body)
            except NotifyError as exc:
                result.errors.append(str(exc))
                continue
            result.sent += 1
    return result
