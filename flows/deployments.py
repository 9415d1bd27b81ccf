"""Deployments for running the monitor as a service (`monitor serve`, or prefect.yaml with workers).

- `poll`: the monitoring pass on an interval or a cron schedule, leaving delivery to
- `deliver`: alert delivery and feed-health notices, run by Prefect (DeploymentEventTriggers) whenever a
  pass emits `monitor.alert.raised`, and after every pass (`monitor.pass.completed`): a feed's health
  changes without any alert, and an alert whose delivery failed is due again by its backoff, not when the
  next alert comes.

The pass's end is an event of our own, not Prefect's `prefect.flow-run.Completed`: Prefect holds a state
event until the one it follows has arrived, and runs made by the scheduler never emit their Scheduled
event, so a trigger on Completed fires only when Prefect gives up waiting (15 minutes in Prefect 3.8).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.events.schemas.deployment_triggers import DeploymentEventTrigger

from flows.digest_flow import digest_deployments
from flows.monitor_flow import PASS_COMPLETED, monitor_pass
from monitor.feed_health import report_feed_health
from monitor.outbox import deliver_detached
from monitor.settings import Settings, load_settings

ALERT_RAISED = "monitor.alert.raised"


@flow(name="monitor-deliver", log_prints=False)
def deliver_alerts(overrides: dict[str, Any] | None = None, config: str | None = None) -> dict[str, Any]:
    """Deliver pending alerts and report unhealthy feeds."""
    settings = load_settings(Path(config) if config else None, **(overrides or {}))
    delivery = deliver_detached(settings)
    notices = report_feed_health(settings)
    return {**asdict(delivery), "feed_notices": notices}


def build_deployments(settings: Settings, overrides: dict[str, Any], config: str | None) -> list[RunnerDeployment]:
    parameters = {"overrides": overrides, "config": config}
    schedule: dict[str, Any] = (
        {"cron": settings.poll_cron} if settings.poll_cron else {"interval": settings.poll_interval}
    )
    poll = monitor_pass.to_deployment(
        name="poll", parameters={**parameters, "deliver": False}, description="one monitoring pass", **schedule
    )
    deliver = deliver_alerts.to_deployment(
        name="deliver",
        parameters=parameters,
        description=f"delivers alerts and feed-health notices; triggered by {ALERT_RAISED} and {PASS_COMPLETED}",
        triggers=[
            DeploymentEventTrigger(expect={ALERT_RAISED}, name="deliver on alert"),
            DeploymentEventTrigger(expect={PASS_COMPLETED}, name="deliver after a pass"),
        ],
    )
    # to_deployment is sync here (called outside an event loop); its annotation also allows a coroutine
    return [
        cast(RunnerDeployment, poll),
        cast(RunnerDeployment, deliver),
        *digest_deployments(settings, overrides, config),
    ]


def serve_monitor(settings: Settings, overrides: dict[str, Any], config: str | None) -> None:
    """Serve the deployments from this process until it is stopped."""
    serve(*build_deployments(settings, overrides, config))
