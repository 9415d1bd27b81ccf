"""The one settings object: defaults, then a TOML file, then MONITOR_* variables, then CLI options."""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from monitor.errors import ConfigError

PATH_FIELDS = ("db", "seeds", "topic_file")
# the seeds the project ships, beside the package (a checkout, or an editable install)
SHIPPED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def absolute(path: Path) -> Path:
    """`path` from the current folder, with `~` and `..` worked out but symbolic links kept as named."""
    return Path(os.path.abspath(path.expanduser()))


def monitor_home(config_file: Path | None = None) -> Path:
    """The folder default paths are relative to: MONITOR_HOME, else the config file's folder, else the
    current folder. One home, so that every command finds the same warehouse from wherever it is run."""
    if os.environ.get("MONITOR_HOME"):
        return absolute(Path(os.environ["MONITOR_HOME"]))
    if config_file is not None:
        return absolute(config_file).parent
    return Path.cwd()


class _TomlBesideItsFile(TomlConfigSettingsSource):
    """A TOML file's relative paths are relative to its own folder, wherever the command is run from."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        data: dict[str, Any] = super()._read_file(file_path)
        folder = absolute(Path(file_path)).parent
        for key in PATH_FIELDS:
            if isinstance(data.get(key), str):
                data[key] = os.path.normpath(folder / Path(data[key]).expanduser())
        return data


class Settings(BaseSettings):
    """Where the monitor reads and writes, and how patient it is with the network and the warehouse."""

    model_config = SettingsConfigDict(env_prefix="MONITOR_", extra="forbid")

    db: Path = Field(Path("warehouse/monitor.duckdb"), description="DuckDB warehouse file")
    seeds: Path = Field(Path("seeds"), description="folder of seed documents and topic.toml")
    topic_file: Path | None = Field(None, description="topic profile; default: <seeds>/topic.toml")
    feeds: list[str] = Field(default_factory=list, description="RSS/Atom feed URLs to poll")
    notify_urls: list[SecretStr] = Field(default_factory=list, description="apprise URLs (secret)")
    feed_health_urls: list[SecretStr] = Field(
        default_factory=list, description="apprise URLs for feed-health notices; default: notify_urls"
    )

    connect_timeout: float = Field(5.0, gt=0, description="seconds to open a connection")
    read_timeout: float = Field(15.0, gt=0, description="seconds without a byte before giving up")
    fetch_deadline: float = Field(30.0, gt=0, description="seconds for one whole download")
    fetch_concurrency: int = Field(8, ge=1, description="downloads at once")
    max_page_bytes: int = Field(5_000_000, ge=1024, description="pages are cut off beyond this")
    max_feed_bytes: int = Field(2_000_000, ge=1024, description="feeds larger than this are refused")
    max_redirects: int = Field(5, ge=0)
    allow_private_addresses: bool = Field(
        False, description="fetch feeds and pages on loopback, private and link-local addresses (own network)"
    )
    max_fetch_attempts: int = Field(3, ge=1, description="passes that retry a page refused or unreadable")
    retry_delay: float = Field(
        600.0,
        ge=0,
        description="seconds before a page that failed transiently (timeout, 5xx) is tried again; doubled each time",
    )
    give_up_after: float = Field(
        259_200.0, gt=0, description="seconds after its first transient failure when a page is no longer tried"
    )
    page_budget: float = Field(
        30.0, gt=0, description="seconds of analysis per page; a batch over budget is recorded as failed (Prefect)"
    )
    batch_size: int = Field(50, ge=1, description="pages fetched, analysed and stored together (bounds memory)")
    max_new_per_feed: int = Field(100, ge=1, description="new items taken from one feed per pass; the rest next pass")
    user_agent: str = "news-monitor/0.1 (+https://example.invalid/monitor)"
    extract_workers: int = Field(0, ge=0, description="processes for text extraction; 0: one per core")

    lock_timeout: float = Field(60.0, ge=0, description="seconds to wait for a busy warehouse")
    notify_max_attempts: int = Field(8, ge=1)
    notify_backoff: float = Field(60.0, ge=0, description="first retry delay, doubled each attempt")
    notify_timeout: float = Field(10.0, gt=0, description="hard deadline in seconds for sending one message")

    poll_interval: float = Field(900.0, gt=0, description="seconds between scheduled passes")
    poll_cron: str | None = Field(None, description="cron schedule; replaces poll_interval")
    feed_stale_after: float = Field(86400.0, gt=0, description="seconds without news before a feed is stale")

    digest_since: str = Field("24h", description="window of a digest: minutes, hours or days, e.g. 90m, 24h, 7d")
    digest_cron: str | None = Field(None, description="cron schedule on which `monitor serve` sends the digest")
    digest_timezone: str = Field("UTC", description="timezone of digest_cron, an IANA name such as Europe/Paris")
    digest_send_empty: bool = Field(False, description="send the scheduled digest when the window brought nothing")

    @field_validator("feeds")
    @classmethod
    def _feeds_are_web_addresses(cls, feeds: list[str]) -> list[str]:
        """A feed without a scheme would fail at every pass, long after the mistake was made."""
        for i, url in enumerate(feeds):
            problem = feed_url_problem(url)
            if problem:
                raise ValueError(f"feed {i + 1} {url!r} {problem}")
        return feeds

    @field_validator("notify_urls", "feed_health_urls")
    @classmethod
    def _apprise_understands(cls, urls: list[SecretStr]) -> list[SecretStr]:
        """A URL apprise cannot read would fail every delivery, retried with backoff for ever."""
        if not urls:
            return urls
        from monitor.notify import mask_url, url_problem  # imports apprise: only when there are URLs

        for i, secret in enumerate(urls):
            url = secret.get_secret_value()
            problem = url_problem(url)
            if problem:
                raise ValueError(f"URL {i + 1} ({mask_url(url)}) cannot be used: {problem}")
        return urls

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        """Paths given (options, variables) are relative to the current folder, as in a shell; defaults to
        the home (monitor_home). The default seeds are the shipped ones when the home has none."""
        home: Path | None = None
        for key in PATH_FIELDS:
            path = getattr(self, key)
            if path is None or path.is_absolute():
                continue
            if key in self.model_fields_set:
                setattr(self, key, absolute(path))
                continue
            if home is None:
                toml = self.model_config.get("toml_file")
                home = monitor_home(Path(toml) if isinstance(toml, str | Path) else None)
            resolved = home / path
            if key == "seeds" and not resolved.is_dir() and SHIPPED_SEEDS.is_dir():
                resolved = SHIPPED_SEEDS
            setattr(self, key, resolved)
        return self

    @field_validator("digest_since")
    @classmethod
    def _window_is_readable(cls, since: str) -> str:
        """A window the digest cannot read would fail every scheduled digest."""
        from monitor.digest import parse_window

        try:
            parse_window(since)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return since

    @field_validator("digest_cron")
    @classmethod
    def _cron_is_valid(cls, cron: str | None) -> str | None:
        """Checked with Prefect's own reading of cron, which runs the schedule; imported only when one is set."""
        if cron is None:
            return None
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=cron)
        except ValueError:
            raise ValueError(
                f"{cron!r} is not a cron expression: five fields, minute hour day-of-month month day-of-week, "
                'e.g. "0 7 * * *" for 07:00 every day'
            ) from None
        return cron

    @field_validator("digest_timezone")
    @classmethod
    def _timezone_is_known(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {name!r}; use an IANA name such as UTC or Europe/Paris") from None
        return name

    @property
    def topic_path(self) -> Path:
        return self.topic_file or self.seeds / "topic.toml"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = settings_cls.model_config.get("toml_file")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml:
            sources.append(_TomlBesideItsFile(settings_cls))
        return tuple(sources)


def feed_url_problem(url: str) -> str | None:
    """What is wrong with a feed URL as written (no scheme, another scheme, no host), or None."""
    parts = urlsplit(url.strip())
    if "://" not in url:
        return f"has no scheme: write it in full, e.g. https://{url.strip().lstrip('/')} (or http:// without TLS)"
    if parts.scheme.lower() not in ("http", "https"):
        return f"has the scheme {parts.scheme}://; feeds are read over https:// or http:// only"
    if not parts.hostname:
        return "names no host"
    return None


SECRET_FIELDS = frozenset({"notify_urls", "feed_health_urls"})


def describe(exc: ValidationError) -> str:
    """A validation error on one line, each problem as `setting: message`: pydantic's own text spans lines
    and repeats the input, which for notification URLs holds tokens."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = error["loc"]
        where = ".".join(str(part) for part in loc) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), Settings.model_fields, n=1)
            message = "unknown setting" + (f"; did you mean {close[0]}?" if close else "")
        elif loc and loc[0] not in SECRET_FIELDS and error["type"] != "value_error":
            message += f" (got {str(repr(error['input']))[:80]})"
        problems.append(f"{where}: {message}")
    return "; ".join(problems)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, `config_file` (TOML), MONITOR_* variables and `overrides`, in that order."""
    config_file = config_file or (Path(os.environ["MONITOR_CONFIG"]) if os.environ.get("MONITOR_CONFIG") else None)
    cls: type[Settings] = Settings
    if config_file is not None:
        config_file = absolute(config_file)
        if not config_file.is_file():
            raise ConfigError(f"config file {config_file} does not exist")
        config = SettingsConfigDict(**{**Settings.model_config, "toml_file": config_file})
        cls = type("FileSettings", (Settings,), {"model_config": config})
    given = {k: v for k, v in overrides.items() if v is not None and v != []}
    try:
        return cls(**given)
    except ValidationError as exc:
        where = f" (config file {config_file})" if config_file else ""
        # from None: pydantic's message repeats the input, notification tokens included
        raise ConfigError(f"invalid settings{where}: {describe(exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {config_file} is not valid TOML: {exc}") from exc
    except SettingsError as exc:  # a list or a number in a MONITOR_* variable that does not parse
        raise ConfigError(
            f"{exc}; list settings are JSON lists, e.g. MONITOR_FEEDS='[\"https://example.org/feed.xml\"]'"
        ) from exc
