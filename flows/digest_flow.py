"""The digest as a scheduled deployment: `monitor serve --digest "0 7 * * *"` sends it on that cron.

Settings are rebuilt inside the flow from plain overrides and the config file, as the pass does, so
notification URLs (secrets) never travel as flow parameters into Prefect's database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from prefect import flow
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from monitor import digest
from monitor.errors import NotifyError
from monitor.settings import Settings, load_settings


@flow(name="monitor-digest", log_prints=False)
def send_digest(overrides: dict[str, Any] | None = None, config: str | None = None) -> dict[str, Any]:
    """Send the digest of the last `digest_since` to the notification URLs; fail if a URL refused it."""
    settings = load_settings(Path(config) if config else None, **(overrides or {}))
    result = digest.build(settings, digest.parse_window(settings.digest_since))
    sent = digest.send(result, settings, send_empty=settings.digest_send_empty)
    if sent.errors:
        raise NotifyError(f"digest sent to {sent.sent} of {len(settings.notify_urls)} URLs: {'; '.join(sent.errors)}")
    return {"empty": result.empty, "alerts": len(result.alerts), "figures": len(result.figures), "sent": sent.sent}


def digest_deployments(settings: Settings, overrides: dict[str, Any], config: str | None) -> list[RunnerDeployment]:
    """The `digest` deployment on `digest_cron` (in `digest_timezone`), or none when no cron is set."""
    if not settings.digest_cron:
        return []
    deployment = send_digest.to_deployment(
        name="digest",
        parameters={"overrides": overrides, "config": config},
        description=f"sends the digest of the last {settings.digest_since} on {settings.digest_cron}",
        schedule=Cron(settings.digest_cron, timezone=settings.digest_timezone),
    )
    # to_deployment is sync here (called outside an event loop); its annotation also allows a coroutine
    return [cast(RunnerDeployment, deployment)]
