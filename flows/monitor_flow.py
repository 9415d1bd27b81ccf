"""The monitoring pass as a Prefect flow: the stages of monitor.pipeline as coarse tasks.

Settings are rebuilt inside the flow from plain overrides and the config file, so notification URLs
(secrets) never travel as flow parameters into Prefect's database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from monitor import pipeline
from monitor.errors import MonitorError
from monitor.feed_health import report_feed_health
from monitor.masking import safe_text
from monitor.models import Article, Document, Failure, PassSummary
from monitor.outbox import Delivery, deliver_detached
from monitor.profile import load_profile
from monitor.settings import Settings, load_settings
from monitor.sources import FeedEntry

# Emitted at the end of every pass: the deliver deployment (flows/deployments.py) runs on it.
PASS_COMPLETED = "monitor.pass.completed"

# Tasks carry whole pages between them: no input hashing for cache keys, no result persistence.
COARSE: dict[str, Any] = {"cache_policy": NO_CACHE, "persist_result": False}


def _transient_only(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only errors marked transient (network, busy warehouse)."""
    try:
        state.result()
    except MonitorError as exc:
        return exc.transient
    except Exception:
        return False
    return False


@task(retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=_transient_only, **COARSE)
def plan_task(settings: Settings) -> pipeline.Plan:
    return pipeline.plan(settings, load_profile(settings.topic_path))


@task(**COARSE)
def fetch_task(entries: list[FeedEntry], settings: Settings) -> tuple[list[Document], list[Failure]]:
    pipeline.begin_batch(entries, settings)
    return pipeline.fetch(entries, settings)


@task(**COARSE)
def analyse_task(docs: list[Document], settings: Settings) -> pipeline.Analysed:
    return pipeline.analyse(docs, settings)


@task(retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=_transient_only, **COARSE)
def store_task(
    articles: list[Article], settings: Settings, polls: list[pipeline.FeedPoll], failures: list[Failure]
) -> PassSummary:
    return pipeline.store(articles, settings, load_profile(settings.topic_path), polls, failures)


@task(**COARSE)
def deliver_task(settings: Settings) -> Delivery:
    return deliver_detached(settings)


def _analyse_within_budget(docs: list[Document], settings: Settings) -> pipeline.Analysed:
    """Analysis of one batch under a deadline (page_budget per page); a batch that runs over it, or whose
    worker process dies, is recorded as failed page by page and the pass goes on with the next."""
    if not docs:
        return pipeline.Analysed()
    budget = settings.page_budget * len(docs)
    try:
        return analyse_task.with_options(timeout_seconds=budget)(quote(docs), settings)  # type: ignore[call-overload]
    except Exception as exc:  # a timeout or a broken worker pool: the batch fails, the pass does not
        reason = safe_text(f"analysis of its batch failed: {type(exc).__name__}: {exc}")[:500]
        return pipeline.Analysed(failures=[Failure(url=d.url, stage="extract", reason=reason) for d in docs])


def _artifact(summary: PassSummary) -> str:
    lines = [
        "# Monitoring pass",
        "",
        "| articles new | skipped | failed | on topic | near-copies | figures | positions | events | alerts |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {summary.articles_new} | {summary.articles_skipped} | {summary.articles_failed} | {summary.on_topic} "
        f"| {summary.duplicates} | {summary.figures} | {summary.positions} | {summary.events} "
        f"| {len(summary.alerts)} |",
    ]
    if summary.alerts:
        lines += ["", "## New alerts", "", "| kind | summary | new report | stored report |", "|---|---|---|---|"]
        for a in summary.alerts:
            cell = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
            lines.append(
                f"| {a.kind} | {cell(a.summary)} | {cell(a.article_url)}: “{cell(a.new_evidence)}” "
                f"| {cell(a.prior_url)}: “{cell(a.prior_evidence)}” |"
            )
    return "\n".join(lines)


@flow(name="monitor-pass", log_prints=False)
def monitor_pass(
    overrides: dict[str, Any] | None = None, config: str | None = None, deliver: bool = True
) -> PassSummary:
    """One monitoring pass; emits monitor.article.ingested, monitor.alert.raised and, last, monitor.pass.completed.

    `deliver=False` leaves delivery to the deployment that monitor.alert.raised triggers (monitor serve).
    """
    settings = load_settings(Path(config) if config else None, **(overrides or {}))
    todo = plan_task(settings)
    # quote(): pages and articles pass between tasks as they are; Prefect would otherwise walk every
    # nested model of them looking for futures (2.5 s per 300 pages, measured)
    # (Prefect unwraps quote() before calling the task; its typing does not know that)
    summary = store_task(quote([]), settings, todo.polls, quote(todo.failures))  # type: ignore[call-overload]
    for documents, entries in pipeline.batches(todo, settings.batch_size):
        fetched, fetch_failures = fetch_task(quote(entries), settings)  # type: ignore[call-overload]
        analysed = _analyse_within_budget(documents + fetched, settings)
        failures = fetch_failures + analysed.failures
        part = store_task(quote(analysed.articles), settings, [], quote(failures))  # type: ignore[call-overload]
        summary.add(part)
        for article in analysed.articles:
            emit_event(
                "monitor.article.ingested",
                resource={"prefect.resource.id": f"monitor.article.{article.url}"},
                payload={"on_topic": article.on_topic, "title": article.title},
            )
    pipeline.count_plan(summary, todo)
    for alert in summary.alerts:
        emit_event(
            "monitor.alert.raised",
            resource={"prefect.resource.id": f"monitor.alert.{alert.alert_id}"},
            payload={"kind": alert.kind, "summary": alert.summary},
        )
    if deliver:
        delivery = deliver_task(settings)
        summary.notified, summary.notify_failed = delivery.notified, delivery.failed
        summary.notify_errors = delivery.errors
        report_feed_health(settings)
    create_markdown_artifact(key="monitor-pass", markdown=_artifact(summary), description="monitoring pass summary")
    emit_event(
        PASS_COMPLETED,
        resource={"prefect.resource.id": f"monitor.pass.{flow_run.id}"},
        payload={"articles_new": summary.articles_new, "alerts": len(summary.alerts), "failed": len(summary.failures)},
    )
    return summary
