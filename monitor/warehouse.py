"""DuckDB access: opened briefly, migrated on open, one transaction per stored article.

DuckDB locks the whole file, even against readers, so the pipeline opens the warehouse only to write,
closes it right after, and waits with backoff while another process holds it.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import duckdb

from monitor import contradict
from monitor.dedup import COPY_THRESHOLD, Fingerprint, similarity
from monitor.errors import (
    MigrationError,
    WarehouseBusy,
    WarehouseDamaged,
    WarehouseError,
    WarehouseWriteFailed,
)
from monitor.models import Alert, Article, EventMention
from monitor.profile import TopicProfile
from monitor.text import claim_sentences, normalize, stable_id

log = logging.getLogger(__name__)

WAREHOUSE_DIR = Path(__file__).resolve().parent.parent / "warehouse"
MIGRATIONS_DIR = WAREHOUSE_DIR / "migrations"
VIEWS_FILE = WAREHOUSE_DIR / "views.sql"


def utcnow() -> datetime:
    """Naive UTC, as DuckDB TIMESTAMP columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


RESTORE_HINT = 'restore it from a backup (README, "Backup and repair") or move it aside to start afresh'

# DuckDB's words for a file it cannot read back: these only its own storage says (a checksum that does
# not match comes as a plain duckdb.Error)...
_DAMAGED = ("corrupt database file", "no more data remaining in metadatareader", "replaying wal")
# ...these any file read can say, so they are about the warehouse only when they name it
_UNREADABLE = ("not a valid duckdb database file", "could not read enough bytes", "could not read from file")
# a disk that refused a write: ENOSPC, EDQUOT, EFBIG, EIO, EROFS, and DuckDB's own words around them
_WRITE_REFUSED = (
    "no space left on device",
    "disk quota exceeded",
    "file too large",
    "input/output error",
    "read-only file system",
    "could not write",
    "could not fsync",
    "could not truncate",
)
StorageKind = Literal["write", "damaged", "fatal"]


def one_line(exc: BaseException, limit: int = 400) -> str:
    """DuckDB's message on one line (some span several), cut at `limit` characters."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _storage_kind(exc: BaseException, path: Path | None) -> StorageKind | None:
    """What a DuckDB error says of the file: a refused write, damage, a fatal error, or nothing (bad SQL, a
    constraint, a file a user query named). `path` None: every file it names is the warehouse's."""
    if not isinstance(exc, duckdb.Error):
        return None
    text = one_line(exc).lower()
    # the warehouse's file, its .wal and its .tmp spill folder all start with its name
    ours = path is None or path.name.lower() in text or isinstance(exc, duckdb.FatalException)
    if ours and any(sign in text for sign in _WRITE_REFUSED):
        return "write"
    if any(sign in text for sign in _DAMAGED) or (ours and any(sign in text for sign in _UNREADABLE)):
        return "damaged"
    return "fatal" if isinstance(exc, duckdb.FatalException) else None


def storage_failure(exc: BaseException, path: Path, *, own_sql: bool = False) -> WarehouseError | None:
    """The warehouse error a DuckDB error means, naming the file and what to do; None if it means none.
    `own_sql`: only the monitor's SQL ran (opening, migrating), so any file named is the warehouse's."""
    kind = _storage_kind(exc, None if own_sql else path)
    detail = one_line(exc)
    if kind == "write":
        return WarehouseWriteFailed(
            f"warehouse {path} could not be written ({detail}): the failed write was not kept; "
            "free disk space (or fix the device), then run again and `monitor check`"
        )
    if kind == "damaged":
        return WarehouseDamaged(f"warehouse {path} is damaged or not a DuckDB file ({detail}): {RESTORE_HINT}")
    if kind == "fatal":
        return WarehouseError(f"DuckDB gave up on warehouse {path} ({detail}): run again, then `monitor check`")
    return None


WAIT_NOTICE_AFTER = 1.0  # seconds of waiting for a busy warehouse before saying so
_HOLDER = re.compile(r"held in (.+?) \(PID (\d+)\)")


def _holder(exc: Exception) -> str:
    """Which process holds the lock, as DuckDB names it ("process 123, python3.11"), or "another process"."""
    m = _HOLDER.search(str(exc))
    return f"process {m.group(2)} ({Path(m.group(1)).name})" if m else "another process"


def connect(path: Path, *, read_only: bool = False, lock_timeout: float = 60.0) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse, waiting up to `lock_timeout` s while another process holds it; a wait
    longer than a second is logged once (a WARNING: the CLI shows it), so a waiting command is not mute."""
    if read_only and not path.exists():
        raise WarehouseError(
            f"warehouse {os.path.abspath(path)} does not exist; run `monitor run` first, or point at yours with "
            "--db PATH or MONITOR_HOME (the folder holding warehouse/monitor.duckdb)"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    deadline = started + lock_timeout
    delay, told = 0.05, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                # nothing but DuckDB's own reading runs here: any error is about the file
                raise storage_failure(exc, path, own_sql=True) or WarehouseError(
                    f"cannot open warehouse {path} ({one_line(exc)}): check the path and its permissions"
                ) from exc
            now = time.monotonic()
            remaining = deadline - now
            if remaining <= 0:
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another process; waited {lock_timeout:.0f} s "
                    f"(raise MONITOR_LOCK_TIMEOUT or close the other connection): {exc}"
                ) from exc
            if not told and now - started >= WAIT_NOTICE_AFTER:
                log.warning(
                    "warehouse %s is in use by %s (a pass or `monitor sql`); waiting up to %.0f s in all",
                    path,
                    _holder(exc),
                    lock_timeout,
                )
                told = True
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, 1.0)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back what a failed write left open. A COMMIT that failed (disk full) has already ended the
    transaction; ROLLBACK would then fail too and hide the error that matters, so its own error is only logged."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error as exc:
        log.debug("nothing to roll back: %s", exc)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the numbered migrations not yet recorded, each in its own transaction; return their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for file in shipped_migrations():
        version = int(file.name[:3])
        if version in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(file.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, file.name, utcnow()])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            rollback(con)
            if _storage_kind(exc, None):
                raise  # the file failed, not the migration: Warehouse.open names it and says what to do
            raise MigrationError(f"migration {file.name} failed and was rolled back: {exc}") from exc
        done.append(file.name)
    # every write open: a pass killed between a migration's commit and this line must not lose the views
    con.execute(VIEWS_FILE.read_text(encoding="utf-8"))
    return done


def shipped_migrations() -> list[Path]:
    """The migration files of this version, in the order they apply."""
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))


PENDING_REASON = "the pass ended before this page was stored (killed, crashed or out of time)"


# Stages of a page a pass began on and has not finished: worked on alone ("pending", the attempt counted)
# or in a batch with others ("queued", not counted: the pass may have died of another page or of a kill).
IN_FLIGHT = ("pending", "queued")


@dataclass(frozen=True)
class FailureState:
    attempts: int
    transient: bool
    first_at: datetime
    last_at: datetime
    stage: str

    @property
    def in_flight(self) -> bool:
        """A pass ended while working on the page."""
        return self.stage in IN_FLIGHT


@dataclass
class StoreResult:
    stored: bool
    duplicate_of: str | None = None
    alerts: list[Alert] = field(default_factory=list)


class Warehouse:
    """The monitor's reads and writes, over one open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, profile: TopicProfile | None = None) -> None:
        self.con = con
        self.profile = profile

    @classmethod
    @contextmanager
    def open(
        cls, path: Path, profile: TopicProfile | None = None, *, lock_timeout: float = 60.0, read_only: bool = False
    ) -> Iterator[Warehouse]:
        """The warehouse, migrated unless read-only. A DuckDB error that says the file is damaged or the
        disk refused a write becomes a WarehouseError naming the file and what to do; others pass as they are."""
        con = connect(path, read_only=read_only, lock_timeout=lock_timeout)
        own_sql = True
        try:
            if not read_only:
                migrate(con)
            own_sql = False
            yield cls(con, profile)
        except duckdb.Error as exc:
            failure = storage_failure(exc, path, own_sql=own_sql)
            if failure is None:
                raise
            raise failure from exc
        finally:
            con.close()

    # ---------------------------------------------------------------- reads

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        if not urls:
            return set()
        rows = self.con.execute("SELECT url FROM articles WHERE list_contains(?, url)", [list(urls)]).fetchall()
        return {r[0] for r in rows}

    def failure_attempts(self, urls: Sequence[str]) -> dict[str, int]:
        return {url: state.attempts for url, state in self.failure_states(urls).items()}

    def failure_states(self, urls: Sequence[str]) -> dict[str, FailureState]:
        """How often each URL failed, whether it may pass later, and when it failed first and last."""
        if not urls:
            return {}
        rows = self.con.execute(
            "SELECT url, attempts, transient, first_at, last_at, stage FROM failures WHERE list_contains(?, url)",
            [list(urls)],
        ).fetchall()
        return {r[0]: FailureState(*r[1:]) for r in rows}

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        cur = self.con.execute(sql, list(params))
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall()

    # ---------------------------------------------------------------- failures and feeds

    def record_failure(self, url: str, stage: str, reason: str, transient: bool = False) -> None:
        """One more failed attempt; a page marked pending by this pass is not counted twice."""
        now = utcnow()
        self.con.execute(
            """INSERT INTO failures (url, stage, reason, attempts, first_at, last_at, transient)
               VALUES (?, ?, ?, 1, ?, ?, ?)
               ON CONFLICT (url) DO UPDATE SET stage = excluded.stage, reason = excluded.reason,
               attempts = failures.attempts + CASE WHEN failures.stage = 'pending' THEN 0 ELSE 1 END,
               last_at = excluded.last_at, transient = excluded.transient""",
            [url, stage, reason[:2000], now, now, transient],
        )

    def mark_pending(self, urls: Sequence[str]) -> None:
        """Mark pages before the work, so that a pass that dies leaves them marked. One page worked on
        alone has its attempt counted now ("pending"): if the pass dies, that page was the one in flight.
        Pages of a larger batch are only "queued": a later pass works on each of them alone."""
        now = utcnow()
        stage, counted = ("pending", 1) if len(urls) == 1 else ("queued", 0)
        for url in urls:
            self.con.execute(
                """INSERT INTO failures (url, stage, reason, attempts, first_at, last_at, transient)
                   VALUES (?, ?, ?, ?, ?, ?, false)
                   ON CONFLICT (url) DO UPDATE SET stage = excluded.stage, reason = excluded.reason,
                   attempts = failures.attempts + excluded.attempts, last_at = excluded.last_at,
                   transient = false""",
                [url, stage, PENDING_REASON, counted, now, now],
            )

    def clear_failure(self, url: str) -> None:
        self.con.execute("DELETE FROM failures WHERE url = ?", [url])

    def record_feed_poll(
        self, feed_url: str, *, error: str | None, entries: int, new: int, read_from: str | None = None
    ) -> None:
        """One poll of a feed; `read_from` names the feed read in its place when feed_url is a web page."""
        now = utcnow()
        self.con.execute(
            """INSERT INTO feed_status (feed_url, last_polled_at, last_ok_at, last_new_at, last_error,
                                        consecutive_errors, entries_seen, read_from)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (feed_url) DO UPDATE SET
                 last_polled_at = excluded.last_polled_at,
                 last_ok_at = coalesce(excluded.last_ok_at, feed_status.last_ok_at),
                 last_new_at = coalesce(excluded.last_new_at, feed_status.last_new_at),
                 last_error = excluded.last_error,
                 consecutive_errors = CASE WHEN excluded.last_error IS NULL THEN 0
                                           ELSE feed_status.consecutive_errors + 1 END,
                 entries_seen = excluded.entries_seen,
                 read_from = CASE WHEN excluded.last_error IS NULL THEN excluded.read_from
                                  ELSE feed_status.read_from END""",
            [feed_url, now, None if error else now, now if new else None, error, 1 if error else 0, entries, read_from],
        )

    # ---------------------------------------------------------------- storing an article

    def store_articles(self, items: list[tuple[Article, Fingerprint]], batch: int = 50) -> list[StoreResult]:
        """Store articles in order, a batch per transaction: each article with its claims and alerts is
        written whole or not at all, and a killed pass loses at most the batch it was writing."""
        if self.profile is None:
            raise WarehouseError("storing articles needs the topic profile")
        results: list[StoreResult] = []
        for start in range(0, len(items), batch):
            self.con.execute("BEGIN TRANSACTION")
            try:
                chunk = [self._store_one(article, fp) for article, fp in items[start : start + batch]]
                self.con.execute("COMMIT")
            except BaseException:
                rollback(self.con)
                raise
            results.extend(chunk)
        return results

    def _store_one(self, article: Article, fp: Fingerprint) -> StoreResult:
        if self.con.execute("SELECT 1 FROM articles WHERE url = ?", [article.url]).fetchone():
            return StoreResult(stored=False)
        original, sim = self._find_copy(article, fp)
        self._insert_article(article, fp, original, sim)
        alerts: list[Alert] = []
        if article.on_topic:
            skip = self._sentences_of(original) if original else set()
            conflicts = self._insert_claims(article, skip, is_copy=original is not None)
            alerts = self._insert_alerts(article, conflicts)
        return StoreResult(stored=True, duplicate_of=original, alerts=alerts)

    def _find_copy(self, article: Article, fp: Fingerprint) -> tuple[str | None, float | None]:
        row = self.con.execute(
            "SELECT coalesce(duplicate_of, url) FROM articles WHERE content_hash = ? ORDER BY published_at LIMIT 1",
            [article.content_hash],
        ).fetchone()
        if row:
            return row[0], 1.0
        # one indexed point lookup per band (an IN list or a join would scan the whole table)
        lookup = " UNION ".join(["SELECT url FROM article_bands WHERE band_key = ?"] * len(fp.bands))
        candidates = [r[0] for r in self.con.execute(lookup, fp.bands).fetchall()]
        rows = [
            self.con.execute("SELECT url, duplicate_of, minhash FROM articles WHERE url = ?", [url]).fetchone()
            for url in candidates
        ]
        best: tuple[float, str] | None = None
        for url, dup_of, signature in filter(None, rows):
            sim = similarity(fp.signature, signature)
            if sim >= COPY_THRESHOLD and (best is None or sim > best[0]):
                best = (sim, dup_of or url)
        return (best[1], round(best[0], 3)) if best else (None, None)

    def _sentences_of(self, url: str) -> set[str]:
        row = self.con.execute("SELECT text FROM articles WHERE url = ?", [url]).fetchone()
        return {normalize(s) for s in claim_sentences(row[0])} if row else set()

    def _insert_article(self, a: Article, fp: Fingerprint, original: str | None, sim: float | None) -> None:
        self.con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                a.url,
                a.title,
                a.outlet,
                naive_utc(a.published_at),
                naive_utc(a.fetched_at),
                a.source,
                a.feed_url,
                a.content_hash,
                a.on_topic,
                a.topic_score,
                original,
                sim,
                fp.signature,
                a.text,
            ],
        )
        self.con.execute("INSERT INTO article_bands SELECT unnest(?), ?", [fp.bands, a.url])

    def _insert_claims(self, a: Article, skip: set[str], is_copy: bool) -> list[contradict.Conflict]:
        """Insert the claims; compare each with stored ones unless its sentence is in `skip` (the original's)."""
        published = naive_utc(a.published_at)
        conflicts: list[contradict.Conflict] = []
        rows = []
        for i, f in enumerate(a.figures):
            rows.append(
                [
                    stable_id(a.url, "figure", i),
                    a.url,
                    f.subject,
                    f.metric,
                    f.metric_known,
                    f.kind,
                    f.period,
                    f.value,
                    f.low,
                    f.high,
                    f.unit,
                    f.qualifier,
                    f.raw,
                    f.evidence,
                    published,
                    a.outlet,
                    is_copy,
                    figure_key(f),
                    f.complete,
                    f.gaps,
                ]
            )
            if f.complete and normalize(f.evidence) not in skip and contradict.comparable_figure(f):
                conflicts.extend(self._figure_conflicts(a.url, published, f))
        if rows:
            self._insert_rows("figures", rows)
        rows = []
        for i, p in enumerate(a.positions):
            if p.complete and normalize(p.evidence) not in skip:
                conflicts.extend(self._position_conflicts(a.url, published, p))
            rows.append(
                [
                    stable_id(a.url, "position", i),
                    a.url,
                    p.actor,
                    p.topic,
                    p.stance,
                    p.is_change,
                    p.historical,
                    p.evidence,
                    published,
                    a.outlet,
                    is_copy,
                    position_key(p),
                    p.complete,
                    p.gaps,
                ]
            )
        if rows:
            self._insert_rows("positions", rows)
        for i, e in enumerate(a.events):
            compare_event = normalize(e.evidence) not in skip
            conflicts.extend(self._store_event(a, i, e, published, compare_event, is_copy))
        return conflicts

    def _insert_rows(self, table: str, rows: list[list[Any]]) -> None:
        """Column-wise insert from lists: far faster than executemany in DuckDB."""
        columns = list(zip(*rows, strict=True))
        placeholders = ", ".join("unnest(?)" for _ in columns)
        self.con.execute(f"INSERT INTO {table} SELECT {placeholders}", [list(c) for c in columns])

    # ---------------------------------------------------------------- comparisons

    def _figure_conflicts(self, url: str, published: datetime | None, f: Any) -> list[contradict.Conflict]:
        assert self.profile is not None
        window = self.profile.story.figure_window_days
        rows = self.con.execute(
            """SELECT article_url, outlet, published_at, raw, low, high, value, evidence
               FROM figures
               WHERE claim_key = ? AND metric_known AND complete AND NOT is_copy AND article_url <> ?
                 AND (period IS NOT NULL OR ? IS NULL OR published_at IS NULL
                      OR abs(date_diff('day', published_at, ?)) <= ?)""",
            [figure_key(f), url, published, published, window],
        ).fetchall()
        metric = self.profile.metric_by_name.get(f.metric)
        cumulative = bool(metric and metric.cumulative)
        found = []
        for row in rows:
            prior = contradict.StoredFigure(*row)
            c = contradict.figure_conflict(f, prior, published, cumulative)
            if c:
                found.append((prior.published_at, c))
        return _most_recent(found)

    def _position_conflicts(self, url: str, published: datetime | None, p: Any) -> list[contradict.Conflict]:
        assert self.profile is not None
        window = self.profile.story.position_window_days
        rows = self.con.execute(
            """SELECT article_url, outlet, published_at, stance, is_change, evidence
               FROM positions
               WHERE claim_key = ? AND NOT historical AND complete AND NOT is_copy AND article_url <> ?
                 AND (? IS NULL OR published_at IS NULL OR abs(date_diff('day', published_at, ?)) <= ?)""",
            [position_key(p), url, published, published, window],
        ).fetchall()
        stored = [contradict.StoredPosition(*r) for r in rows]
        # dates of reported changes, sorted: "was a change reported between the prior and now?" by bisection
        changes = sorted(s.published_at for s in stored if s.is_change and s.published_at is not None)
        found = []
        for prior in stored:
            between = False
            if published is not None and prior.published_at is not None:
                count = bisect.bisect_right(changes, published) - bisect.bisect_left(changes, prior.published_at)
                between = count - int(prior.is_change) > 0
            c = contradict.position_conflict(self.profile, p, published, prior, between)
            if c:
                found.append((prior.published_at, c))
        return _most_recent(found)

    def _store_event(
        self, a: Article, index: int, e: EventMention, published: datetime | None, compare: bool, is_copy: bool
    ) -> list[contradict.Conflict]:
        """File the mention under the event it reports (same action and target, close in time), creating
        the event if none matches; compare it with that event's other complete mentions."""
        assert self.profile is not None
        action = self.profile.action_by_name.get(e.action)
        recurring = bool(action and action.recurring)
        # a recurring action on another day is another event; so is a date read from another occurrence
        window = timedelta(days=0 if recurring else (action.window_days if action else 14))
        known_date = e.event_date if e.complete else None
        columns = "SELECT event_id, event_date, target, first_published FROM events"
        if e.target is None:
            rows = self.con.execute(f"{columns} WHERE action = ?", [e.action]).fetchall()
        else:  # the same target, or an event first reported without one
            rows = self.con.execute(
                f"{columns} WHERE event_key = ? UNION ALL {columns} WHERE event_key = ?",
                [event_key(e.action, e.target), event_key(e.action, None)],
            ).fetchall()
        # a dated mention joins the dated event closest to its date; an event no one has dated yet (only
        # incomplete mentions) is taken, by publication time, only when no dated one is near
        best: tuple[bool, timedelta, str] | None = None  # (undated, distance, event)
        for event_id, event_date, _target, first_pub in rows:
            dated = bool(known_date and event_date)
            if known_date and event_date:
                distance = abs(known_date - event_date)
            elif published and first_pub and not recurring:
                distance = abs(published - first_pub)
            else:
                continue
            if distance <= window and (best is None or (not dated, distance) < best[:2]):
                best = (not dated, distance, event_id)
        conflicts: list[contradict.Conflict] = []
        if best is None:
            event_id = stable_id(a.url, "event", index)
            self.con.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [event_id, e.actor, e.action, e.target, known_date, a.url, published, event_key(e.action, e.target)],
            )
        else:
            event_id = best[2]
            if compare and e.complete and not recurring:
                mentions = self.con.execute(
                    """SELECT article_url, outlet, published_at, actor, event_date, evidence, announced
                       FROM event_mentions
                       WHERE event_id = ? AND complete AND NOT is_copy AND article_url <> ?""",
                    [event_id, a.url],
                ).fetchall()
                found = []
                for row in mentions:
                    prior = contradict.StoredMention(*row)
                    c = contradict.event_conflict(self.profile, e, prior)
                    if c:
                        found.append((prior.published_at, c))
                conflicts = _most_recent(found)
            self.con.execute(
                """UPDATE events SET event_date = coalesce(event_date, ?), actor = coalesce(actor, ?),
                   target = coalesce(target, ?) WHERE event_id = ?""",
                [known_date, e.actor, e.target, event_id],
            )
        self.con.execute(
            """INSERT INTO event_mentions (event_id, article_url, actor, event_date, evidence, published_at, outlet,
                                           is_copy, complete, gaps, target, announced, previous_year)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            [
                event_id,
                a.url,
                e.actor,
                e.event_date,
                e.evidence,
                published,
                a.outlet,
                is_copy,
                e.complete,
                e.gaps,
                e.target,
                e.announced,
                e.previous_year,
            ],
        )
        if compare and not is_copy and e.previous_year is not None and e.target is not None:
            conflicts.extend(self._previous_year_conflicts(a.url, published, e))
        return conflicts

    def _previous_year_conflicts(
        self, url: str, published: datetime | None, e: EventMention
    ) -> list[contradict.Conflict]:
        """Reports that give another year for the last occurrence of the same action on the same target,
        published within PREVIOUS_OCCURRENCE_WINDOW_DAYS (a new occurrence since would change the answer)."""
        rows = self.con.execute(
            """SELECT m.article_url, m.outlet, m.published_at, m.previous_year, m.evidence
               FROM event_mentions m JOIN events v USING (event_id)
               WHERE v.action = ? AND m.target = ? AND m.previous_year IS NOT NULL AND NOT m.is_copy
                 AND m.article_url <> ?
                 AND (? IS NULL OR m.published_at IS NULL OR abs(date_diff('day', m.published_at, ?)) <= ?)""",
            [e.action, e.target, url, published, published, PREVIOUS_OCCURRENCE_WINDOW_DAYS],
        ).fetchall()
        found = []
        for article_url, outlet, published_at, year, evidence in rows:
            prior = contradict.StoredPrevious(article_url, outlet, published_at, year, evidence)
            c = contradict.previous_year_conflict(e, prior)
            if c:
                found.append((prior.published_at, c))
        return _most_recent(found)

    def _insert_alerts(self, a: Article, conflicts: list[contradict.Conflict]) -> list[Alert]:
        """One alert per (kind, prior article): several conflicting figures of one pair make one alert."""
        groups: dict[tuple[str, str], list[contradict.Conflict]] = {}
        for c in conflicts:
            groups.setdefault((c.kind, c.prior_url), []).append(c)
        alerts = []
        now = utcnow()
        for (kind, prior_url), items in groups.items():
            prior = self.con.execute("SELECT outlet, published_at FROM articles WHERE url = ?", [prior_url]).fetchone()
            new_source = _source_label(a.outlet, a.url, naive_utc(a.published_at))
            prior_source = _source_label(prior[0] if prior else None, prior_url, prior[1] if prior else None)
            alert = Alert(
                alert_id=stable_id("alert", kind, a.url, prior_url),
                kind=kind,  # type: ignore[arg-type]
                article_url=a.url,
                prior_url=prior_url,
                summary=contradict.summarise(items, new_source, prior_source),
                new_evidence=_join_unique(c.new_evidence for c in items),
                prior_evidence=_join_unique(c.prior_evidence for c in items),
                confidence=max(c.confidence for c in items),
                created_at=now,
                explanation=_join_unique(c.explanation for c in items),
            )
            self.con.execute(
                "INSERT INTO alerts (alert_id, kind, article_url, prior_url, summary, new_evidence, prior_evidence, "
                "confidence, created_at, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    alert.alert_id,
                    alert.kind,
                    alert.article_url,
                    alert.prior_url,
                    alert.summary,
                    alert.new_evidence,
                    alert.prior_evidence,
                    alert.confidence,
                    alert.created_at,
                    alert.explanation,
                ],
            )
            alerts.append(alert)
        return alerts

    # ---------------------------------------------------------------- the outbox

    def pending_alerts(self, now: datetime, max_attempts: int) -> list[Alert]:
        rows = self.con.execute(
            """SELECT alert_id, kind, article_url, prior_url, summary, new_evidence, prior_evidence, confidence,
                      created_at, explanation
               FROM alerts
               WHERE notified_at IS NULL AND attempts < ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
               ORDER BY created_at, alert_id""",
            [max_attempts, now],
        ).fetchall()
        keys = [
            "alert_id",
            "kind",
            "article_url",
            "prior_url",
            "summary",
            "new_evidence",
            "prior_evidence",
            "confidence",
            "created_at",
            "explanation",
        ]
        return [Alert(**dict(zip(keys, r, strict=True))) for r in rows]

    def delivered_targets(self, alert_id: str) -> set[str]:
        rows = self.con.execute("SELECT target_hash FROM alert_deliveries WHERE alert_id = ?", [alert_id]).fetchall()
        return {r[0] for r in rows}

    def record_delivery(self, alert_id: str, target_hash: str) -> None:
        self.con.execute(
            "INSERT INTO alert_deliveries VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [alert_id, target_hash, utcnow()]
        )

    def mark_notified(self, alert_id: str) -> None:
        self.con.execute(
            "UPDATE alerts SET notified_at = ?, last_error = NULL WHERE alert_id = ?", [utcnow(), alert_id]
        )

    def mark_failed(self, alert_id: str, error: str, backoff: float) -> None:
        """Count a failed attempt; the next waits `backoff` * 2^(attempts) seconds."""
        self.con.execute(
            """UPDATE alerts SET attempts = attempts + 1, last_error = ?,
               next_attempt_at = ? + to_seconds(CAST(? * pow(2, attempts) AS DOUBLE))
               WHERE alert_id = ?""",
            [error[:1000], utcnow(), backoff, alert_id],
        )


MAX_PRIORS_PER_CLAIM = 3
# Reports of the last occurrence before now ("the first since 1997") are compared this long: a new
# occurrence since would rightly change the answer.
PREVIOUS_OCCURRENCE_WINDOW_DAYS = 180


def _most_recent(found: list[tuple[datetime | None, contradict.Conflict]]) -> list[contradict.Conflict]:
    """A claim that contradicts many stored reports is alerted against the few most recent: a figure
    repeated by 70 outlets must not raise 70 alerts."""
    found.sort(key=lambda pair: (pair[0] is not None, pair[0] or datetime.min), reverse=True)
    return [c for _, c in found[:MAX_PRIORS_PER_CLAIM]]


def figure_key(f: Any) -> str:
    """What makes two figures comparable, as one indexed column."""
    return "\x1f".join([f.subject, f.metric, f.period or "", f.kind, f.unit])


def position_key(p: Any) -> str:
    return f"{p.actor}\x1f{p.topic}"


def event_key(action: str, target: str | None) -> str:
    return f"{action}\x1f{target or ''}"


def _source_label(outlet: str | None, url: str, published: datetime | None) -> str:
    name = outlet or (url.split(":", 1)[1] if url.startswith("seed:") else url)
    return f"{name}, {published:%Y-%m-%d}" if published else name


def _join_unique(sentences: Iterator[str] | Any) -> str:
    seen: list[str] = []
    for s in sentences:
        if s not in seen:
            seen.append(s)
    return " … ".join(seen)
