"""One monitoring pass as plain functions: plan, fetch, analyse, store, then deliver (monitor.outbox).

The Prefect flow (flows/monitor_flow.py) calls these same stages as tasks; `run_pass` chains them
without Prefect, for tests, benchmarks and `monitor run --no-prefect`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from monitor import lifeline, progress
from monitor.dedup import fingerprint, signature
from monitor.errors import MonitorError, SourceError
from monitor.extract import ClaimExtractor, extract_page
from monitor.feed_health import report_feed_health
from monitor.masking import safe_text, safe_url
from monitor.models import Article, Document, Failure, PassSummary
from monitor.outbox import deliver_detached
from monitor.profile import TopicProfile, load_profile
from monitor.progress import Stage
from monitor.settings import Settings
from monitor.sources import FeedEntry, fetch_page, gather_bounded, make_client, read_feed, read_seeds
from monitor.text import content_hash
from monitor.topic import score_topic
from monitor.warehouse import FailureState, Warehouse, utcnow

log = logging.getLogger(__name__)

PARALLEL_EXTRACT_MIN = 16  # below this many pages a process pool costs more than it saves

# why a document or feed entry was not taken this pass (the summary prints them)
KNOWN = "already in the warehouse"
WAITING = "failed before, tried again after its retry delay"
GIVEN_UP = "failed too often, given up (max_fetch_attempts, give_up_after)"

T = TypeVar("T")


@dataclass
class FeedPoll:
    feed_url: str
    entries: int
    new: int
    error: str | None
    deferred: int = 0  # new items beyond max_new_per_feed, left for the next pass
    read_from: str | None = None  # the feed read in its place: feed_url is a web page that links it


@dataclass
class Plan:
    """What a pass has to do: documents in hand, pages to fetch, and what it already knows."""

    documents: list[Document] = field(default_factory=list)
    to_fetch: list[FeedEntry] = field(default_factory=list)
    in_flight: list[FeedEntry] = field(default_factory=list)  # a pass ended while working on them: one at a time
    skipped: int = 0
    skipped_why: dict[str, int] = field(default_factory=dict)  # reason -> count; they add up to `skipped`
    polls: list[FeedPoll] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the user should change, though nothing failed

    def skip(self, why: str, count: int = 1) -> None:
        """Leave `count` items out of this pass for the reason `why`."""
        if count:
            self.skipped += count
            self.skipped_why[why] = self.skipped_why.get(why, 0) + count


@dataclass
class Analysed:
    articles: list[Article] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def now_utc() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- plan


def plan(settings: Settings, profile: TopicProfile) -> Plan:
    """Seeds and feed entries not yet in the warehouse (nor failed too often)."""
    now = now_utc()
    result = Plan()
    seeds = read_seeds(settings.seeds, profile, now)
    entries: list[FeedEntry] = []
    if settings.feeds:
        entries = asyncio.run(_read_feeds(settings, result))
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as wh:
        candidates = [d.url for d in seeds] + [e.url for e in entries]
        known = wh.known_urls(candidates)
        failed = wh.failure_states([e.url for e in entries])
    result.documents = [d for d in seeds if d.url not in known]
    seen: set[str] = set()
    taken: dict[str, int] = {}
    deferred: dict[str, int] = {}
    for entry in entries:
        if entry.url in known or entry.url in seen:
            result.skip(KNOWN, 1 if entry.url in known else 0)
            continue
        seen.add(entry.url)
        if not should_try(failed.get(entry.url), settings, utcnow()):
            result.skip(_why_not(failed[entry.url], settings, utcnow()))
            continue
        if taken.get(entry.feed_url, 0) >= settings.max_new_per_feed:
            deferred[entry.feed_url] = deferred.get(entry.feed_url, 0) + 1
            continue
        taken[entry.feed_url] = taken.get(entry.feed_url, 0) + 1
        state = failed.get(entry.url)
        (result.in_flight if state is not None and state.in_flight else result.to_fetch).append(entry)
    result.skip(KNOWN, len(seeds) - len(result.documents))
    log.info("seeds %s: %d documents, %d new", settings.seeds, len(seeds), len(result.documents))
    for poll in result.polls:
        poll.new = taken.get(poll.feed_url, 0)
        poll.deferred = deferred.get(poll.feed_url, 0)
        if poll.error is None:
            via = f" (read from {safe_url(poll.read_from)})" if poll.read_from else ""
            log.info("feed %s%s: %d items, %d new", safe_url(poll.feed_url), via, poll.entries, poll.new)
        if poll.deferred:
            log.warning(
                "feed %s: %d more new items than max_new_per_feed (%d), left for the next pass",
                safe_url(poll.feed_url),
                poll.deferred,
                settings.max_new_per_feed,
            )
    # oldest first, so that originals are stored before their copies across batches too
    for pages in (result.to_fetch, result.in_flight):
        pages.sort(key=lambda e: (e.published_at is None, e.published_at or datetime.min.replace(tzinfo=UTC)))
    to_fetch = len(result.to_fetch) + len(result.in_flight)
    progress.expect(Stage.FETCHED, to_fetch)
    progress.expect(Stage.EXTRACTED, len(result.documents) + to_fetch)
    progress.expect(Stage.STORED, len(result.documents) + to_fetch)
    return result


def _why_not(state: FailureState, settings: Settings, now: datetime) -> str:
    """Why should_try said no: a transient failure still within give_up_after waits for its delay."""
    within = now - state.first_at <= timedelta(seconds=settings.give_up_after)
    return WAITING if state.transient and within else GIVEN_UP


def should_try(state: FailureState | None, settings: Settings, now: datetime) -> bool:
    """Whether to fetch a page that failed before: a transient failure (timeout, 5xx) again after a delay
    that doubles each time, until `give_up_after` from the first; any other up to `max_fetch_attempts`."""
    if state is None:
        return True
    if given_up(state, settings, now):
        return False
    if not state.transient:
        return True
    wait = min(settings.retry_delay * 2 ** max(0, state.attempts - 1), 86_400.0)
    return now - state.last_at >= timedelta(seconds=wait)


def given_up(state: FailureState, settings: Settings, now: datetime) -> bool:
    """Whether no pass will fetch a failed page again: `max_fetch_attempts` spent on a lasting failure, or
    `give_up_after` passed since the first of transient ones (the digest names such pages as skipped)."""
    if not state.transient:
        return state.attempts >= settings.max_fetch_attempts
    return now - state.first_at > timedelta(seconds=settings.give_up_after)


def batches(todo: Plan, size: int) -> Iterator[tuple[list[Document], list[FeedEntry]]]:
    """The plan's work in bounded batches: only one batch of pages is held in memory at a time. Pages a
    pass ended on come last, each alone, so that one which kills passes is found and counted."""
    items: list[Document | FeedEntry] = [*todo.documents, *todo.to_fetch]
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        yield [x for x in chunk if isinstance(x, Document)], [x for x in chunk if isinstance(x, FeedEntry)]
    for entry in todo.in_flight:
        yield [], [entry]


def begin_batch(entries: list[FeedEntry], settings: Settings) -> None:
    """Mark each page before working on it (see Warehouse.mark_pending)."""
    if entries:
        with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as wh:
            wh.mark_pending([e.url for e in entries])


async def _counted(stage: Stage, work: Awaitable[T]) -> T:
    """`work`, counted as one item of `stage` once it is done, whether it succeeded or not."""
    try:
        return await work
    finally:
        progress.advance(stage)


async def _read_feeds(settings: Settings, result: Plan) -> list[FeedEntry]:
    progress.expect(Stage.FEEDS, len(settings.feeds))
    async with make_client(settings) as client:
        outcomes = await gather_bounded(
            (_counted(Stage.FEEDS, read_feed(client, url, settings)) for url in settings.feeds),
            settings.fetch_concurrency,
        )
    entries: list[FeedEntry] = []
    for url, outcome in zip(settings.feeds, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            reason = _reason(outcome)
            log.warning("feed %s failed: %s", safe_url(url), reason)
            result.polls.append(FeedPoll(url, 0, 0, reason))
            result.failures.append(Failure(url=url, stage="feed", reason=reason, transient=_transient(outcome)))
        else:
            result.polls.append(FeedPoll(url, len(outcome.entries), 0, None, read_from=outcome.read_from))
            if outcome.notice:
                log.warning("feed %s", outcome.notice)
                result.notices.append(outcome.notice)
            entries.extend(outcome.entries)
    return entries


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, MonitorError) and exc.transient


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SourceError):
        return exc.reason
    return safe_text(f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------- fetch


def fetch(entries: list[FeedEntry], settings: Settings) -> tuple[list[Document], list[Failure]]:
    """Download the pages, a bounded number at a time; each failure names its URL and reason."""
    if not entries:
        return [], []
    return asyncio.run(_fetch_all(entries, settings))


async def _fetch_all(entries: list[FeedEntry], settings: Settings) -> tuple[list[Document], list[Failure]]:
    now = now_utc()
    async with make_client(settings) as client:
        outcomes = await gather_bounded(
            (_counted(Stage.FETCHED, fetch_page(client, e, settings, now)) for e in entries),
            settings.fetch_concurrency,
        )
    docs, failures = [], []
    for entry, outcome in zip(entries, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, MonitorError):
                log.exception("unexpected error fetching %s", safe_url(entry.url), exc_info=outcome)
            failures.append(
                Failure(url=entry.url, stage="fetch", reason=_reason(outcome), transient=_transient(outcome))
            )
            log.info("page %s failed: %s", safe_url(entry.url), failures[-1].reason)
        else:
            docs.append(outcome)
            log.info("page %s fetched: %d bytes", safe_url(entry.url), len(outcome.html or b""))
    return docs, failures


# ---------------------------------------------------------------- analyse


@lru_cache(maxsize=4)
def _tools(topic_path: str) -> tuple[TopicProfile, ClaimExtractor]:
    profile = load_profile(Path(topic_path))
    return profile, ClaimExtractor(profile)


def analyse_document(doc: Document, topic_path: str) -> Article:
    """Text, topic score and claims of one document (runs in worker processes)."""
    profile, extractor = _tools(topic_path)
    title, published, outlet = doc.title, doc.published_at, None
    if doc.text is not None:
        text = doc.text
        outlet = f"seed document “{(title or doc.url)[:80]}”"
    else:
        page = extract_page(
            doc.html or b"", doc.url, metadata=not (doc.title and doc.published_at), title_hint=doc.title
        )
        text = page.text
        title = title or page.title
        published = published or page.published_at
        outlet = page.sitename or doc.outlet
    outlet = outlet or (urlsplit(doc.url).hostname or doc.url)
    topic = score_topic(profile, title, text)
    reference = (published or doc.fetched_at).date()
    claims = extractor.extract(text, reference) if topic.on_topic else None
    return Article(
        url=doc.url,
        source=doc.source,
        feed_url=doc.feed_url,
        title=title,
        outlet=outlet,
        published_at=published,
        fetched_at=doc.fetched_at,
        text=text,
        content_hash=content_hash(text),
        on_topic=topic.on_topic,
        topic_score=topic.score,
        figures=claims.figures if claims else [],
        positions=claims.positions if claims else [],
        events=claims.events if claims else [],
        minhash=signature(text),
    )


def _analyse_safely(doc: Document, topic_path: str) -> Article | Failure:
    try:
        return analyse_document(doc, topic_path)
    except MonitorError as exc:
        return Failure(url=doc.url, stage="extract", reason=_reason(exc))
    except Exception as exc:  # one malformed page must not end the pass
        log.exception("unexpected error analysing %s", safe_url(doc.url))
        return Failure(url=doc.url, stage="extract", reason=safe_text(f"{type(exc).__name__}: {exc}"))


def analyse(docs: list[Document], settings: Settings) -> Analysed:
    """Analyse documents, on every core when there are many."""
    topic_path = str(settings.topic_path)
    workers = settings.extract_workers or os.cpu_count() or 1
    result = Analysed()
    if len(docs) >= PARALLEL_EXTRACT_MIN and workers > 1:
        # the workers end with the pass, even a killed one; a stopped pass drops the work not yet begun
        pool = ProcessPoolExecutor(max_workers=workers, initializer=lifeline.worker_initializer)
        try:
            _collect(pool.map(_analyse_safely, docs, [topic_path] * len(docs), chunksize=8), result)
        finally:
            pool.shutdown(cancel_futures=True)
    else:
        _collect((_analyse_safely(d, topic_path) for d in docs), result)
    return result


def _collect(outcomes: Iterator[Article | Failure], result: Analysed) -> None:
    """Outcomes into `result` as they come, each counted (and each failure logged) as it does."""
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            result.failures.append(outcome)
            log.info("page %s not extracted: %s", safe_url(outcome.url), outcome.reason)
        else:
            result.articles.append(outcome)
        progress.advance(Stage.EXTRACTED)


# ---------------------------------------------------------------- store


def _order(article: Article) -> tuple[datetime, str]:
    """Oldest first, so originals are stored before their copies."""
    return (article.published_at or article.fetched_at, article.url)


def store(
    articles: list[Article],
    settings: Settings,
    profile: TopicProfile,
    polls: list[FeedPoll] | None = None,
    failures: list[Failure] | None = None,
) -> PassSummary:
    """Write articles (one transaction each), failures and feed health; return what was stored."""
    summary = PassSummary()
    with Warehouse.open(settings.db, profile, lock_timeout=settings.lock_timeout) as wh:
        for poll in polls or []:
            wh.record_feed_poll(
                poll.feed_url, error=poll.error, entries=poll.entries, new=poll.new, read_from=poll.read_from
            )
            if poll.error is None:
                wh.clear_failure(poll.feed_url)
        for failure in failures or []:
            wh.record_failure(failure.url, failure.stage, failure.reason, failure.transient)
        failed_before = wh.failure_attempts([a.url for a in articles])
        ordered = sorted(articles, key=_order)
        results = wh.store_articles([(a, fingerprint(a.text, a.minhash)) for a in ordered])
        for article, result in zip(ordered, results, strict=True):
            if not result.stored:
                summary.skip(KNOWN)
                log.info("article %s already stored", safe_url(article.url))
                continue
            _log_stored(article, result.duplicate_of)
            for alert in result.alerts:
                log.info("alert %s raised: %s", alert.alert_id, alert.summary)
            if article.url in failed_before:
                wh.clear_failure(article.url)
            summary.articles_new += 1
            summary.on_topic += int(article.on_topic)
            summary.duplicates += int(result.duplicate_of is not None)
            summary.figures += len(article.figures)
            summary.positions += len(article.positions)
            summary.events += len(article.events)
            summary.alerts.extend(result.alerts)
    summary.failures = list(failures or [])
    summary.articles_failed = sum(1 for f in summary.failures if f.stage != "feed")
    progress.advance(Stage.STORED, len(articles) + summary.articles_failed)  # the batch's every page is done
    return summary


def _log_stored(article: Article, duplicate_of: str | None) -> None:
    """One line per stored article (-v): what it is and what was read from it."""
    claims = ", ".join(
        f"{len(found)} {name}{'' if len(found) == 1 else 's'}"
        for name, found in (("figure", article.figures), ("position", article.positions), ("event", article.events))
    )
    what = ("on topic, " + claims) if article.on_topic else "off topic"
    copy = f", a near-copy of {safe_url(duplicate_of)}" if duplicate_of else ""
    log.info("article %s stored: %s%s", safe_url(article.url), what, copy)


def count_plan(summary: PassSummary, todo: Plan) -> None:
    """What the plan left out and why, and its notices, into the pass's summary."""
    summary.notices = todo.notices
    for why, count in todo.skipped_why.items():
        summary.skip(why, count)
    summary.deferred += sum(poll.deferred for poll in todo.polls)


# ---------------------------------------------------------------- the whole pass


def run_pass(settings: Settings) -> PassSummary:
    """One monitoring pass without Prefect: the same stages the flow runs, batch after batch."""
    profile = load_profile(settings.topic_path)
    todo = plan(settings, profile)
    summary = store([], settings, profile, todo.polls, todo.failures)
    for documents, entries in batches(todo, settings.batch_size):
        begin_batch(entries, settings)
        fetched, fetch_failures = fetch(entries, settings)
        analysed = analyse(documents + fetched, settings)
        summary.add(store(analysed.articles, settings, profile, [], fetch_failures + analysed.failures))
    count_plan(summary, todo)
    delivery = deliver_detached(settings)
    summary.notified, summary.notify_failed = delivery.notified, delivery.failed
    summary.notify_errors = delivery.errors
    report_feed_health(settings)
    return summary
