"""News monitor: follows a story through feeds, stores what is reported, alerts on contradictions.

The public API is what `__all__` lists; everything else is internal and may change.
"""

from monitor.errors import (
    ConfigError,
    FetchError,
    MigrationError,
    MonitorError,
    NotifyError,
    ParseError,
    PrefectUnavailable,
    RefusedInput,
    SourceError,
    WarehouseBusy,
    WarehouseDamaged,
    WarehouseError,
    WarehouseWriteFailed,
)
from monitor.models import Alert, Article, Document, EventMention, Failure, Figure, PassSummary, Position
from monitor.outbox import deliver
from monitor.pipeline import analyse, fetch, plan, run_pass, store
from monitor.profile import TopicProfile, load_profile
from monitor.settings import Settings, load_settings
from monitor.warehouse import Warehouse

__all__ = [
    "Alert",
    "Article",
    "ConfigError",
    "Document",
    "EventMention",
    "Failure",
    "FetchError",
    "Figure",
    "MigrationError",
    "MonitorError",
    "NotifyError",
    "ParseError",
    "PassSummary",
    "Position",
    "PrefectUnavailable",
    "RefusedInput",
    "Settings",
    "SourceError",
    "TopicProfile",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseDamaged",
    "WarehouseError",
    "WarehouseWriteFailed",
    "analyse",
    "deliver",
    "fetch",
    "load_profile",
    "load_settings",
    "plan",
    "run_pass",
    "store",
]
