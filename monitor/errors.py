"""The one error hierarchy of the monitor.

    MonitorError
    ├── ConfigError            settings or topic profile unusable (terminal)
    ├── SourceError            a seed, feed or page could not be read
    │   ├── FetchError         network failure, timeout, 5xx (transient); 4xx (terminal)
    │   ├── RefusedInput       input refused on purpose: scheme, size, entity expansion (terminal)
    │   └── ParseError         a feed or page that cannot be parsed (terminal)
    ├── WarehouseError         the DuckDB file cannot be used
    │   ├── WarehouseBusy      another process holds the file lock (transient)
    │   ├── WarehouseDamaged   the file is damaged or not a DuckDB file: restore it or move it aside (terminal)
    │   ├── WarehouseWriteFailed  a write failed (disk full, IO error); the failed write was not kept (terminal)
    │   └── MigrationError     a migration failed; nothing of it was applied (terminal)
    ├── NotifyError            a notification URL refused or failed a message (transient)
    └── PrefectUnavailable     Prefect's API does not answer, or its temporary server did not start

`transient` says whether trying again later may succeed: Prefect retries only those.
Messages name the value at fault and what was tried.
"""

from __future__ import annotations

from monitor.masking import safe_text, safe_url


class MonitorError(Exception):
    """Base of every error the monitor raises on purpose."""

    transient: bool = False


class ConfigError(MonitorError):
    """Settings or the topic profile cannot be used as given."""


class SourceError(MonitorError):
    """A seed, feed or page could not be read; `url` names it exactly, while the message and `reason`
    (printed, logged, stored as the failure's reason) show URLs without credentials (monitor.masking)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = safe_text(reason)
        super().__init__(f"{safe_url(url)}: {self.reason}")


class FetchError(SourceError):
    """The network failed us: connection, timeout, HTTP status. May pass on retry, except a status that
    says the page is not there (4xx): `transient=False`."""

    transient = True

    def __init__(self, url: str, reason: str, *, transient: bool = True) -> None:
        super().__init__(url, reason)
        self.transient = transient


class RefusedInput(SourceError):
    """Input refused on purpose (scheme, size limit, entity expansion)."""


class ParseError(SourceError):
    """A feed or page whose content cannot be parsed."""


class WarehouseError(MonitorError):
    """The DuckDB warehouse cannot be used."""


class WarehouseBusy(WarehouseError):
    """Another process holds the DuckDB file lock for longer than we wait."""

    transient = True


class WarehouseDamaged(WarehouseError):
    """DuckDB cannot read the file back (a bad checksum, a truncated file, not a DuckDB file): passes would
    fail on it every time, so the message says how to restore it or start afresh."""


class WarehouseWriteFailed(WarehouseError):
    """The disk refused a write (full, quota, IO error). Not transient: retrying at once fills it again."""


class MigrationError(WarehouseError):
    """A migration failed; its transaction was rolled back."""


class NotifyError(MonitorError):
    """A notification could not be delivered to a URL (named without its secrets)."""

    transient = True


class PrefectUnavailable(MonitorError):
    """The Prefect server PREFECT_API_URL names does not answer, or the temporary one did not start: the
    message names the URL and what to do, in place of Prefect's pages of retries."""
