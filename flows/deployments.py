"""Deployments for running the monitor as a service (`monitor serve`, or prefect.yaml with workers).

- `poll`: the monitoring pass on an interval or a cron schedule, leaving delivery to
- `deliver`: alert delivery and feed-health notices, run by Prefect whenever a pass emits
  `monitor.alert.raised` (a DeploymentEventTrigger), and after every pass for feed health.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.events.schemas.deployment_triggers import DeploymentEventTrigger

from flows.digest_flow import digest_deployments
from flows.monitor_flow import monitor_pass
from monitor.feed_health import report_feed_health
from monitor.outbox import deliver_detached
from monitor.settings import Settings, load_settings

ALERT_RAISED = "monitor.alert.raised"
PASS_DONE = "prefect.flow-run.Completed"


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
        description=f"delivers alerts; triggered by {ALERT_RAISED}",
        triggers=[DeploymentEventTrigger(expect={ALERT_RAISED}, name="deliver on alert")],
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
