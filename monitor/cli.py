"""The `monitor` command: thin wrappers that parse options, call the library and present the result."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from monitor import export, lifeline, notify, upkeep
from monitor.contradict import read_explanation
from monitor.errors import MonitorError
from monitor.masking import safe_text, safe_url
from monitor.models import PassSummary
from monitor.settings import Settings, absolute, load_settings
from monitor.terminal import progress_shown, setup_logging
from monitor.warehouse import Warehouse

app = typer.Typer(
    help="Follow a news story, store what is reported, and alert on contradictions.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # error messages stay on one line, whole

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML settings file (also MONITOR_CONFIG)")]
SeedsOpt = Annotated[Path | None, typer.Option("--seeds", help="folder of seed documents and topic.toml")]
FeedOpt = Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL; repeat for several")]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB warehouse file [default: warehouse/monitor.duckdb in MONITOR_HOME, else in the config file's "
        "folder, else in the current folder]",
    ),
]


def _settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return load_settings(config, **overrides)
    except MonitorError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _fail(exc: MonitorError) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            console.print(f"monitor {version('news-monitor')}", markup=False)
        except PackageNotFoundError:
            console.print("monitor (not installed as a package)", markup=False)
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="log each stage to stderr; -vv: libraries' logs too")
    ] = 0,
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    # Prefect's analytics: the server's (which logs a failure where there is no network) and the client's,
    # whose first import on a terminal prints a usage-data notice; DO_NOT_TRACK is its documented opt-out
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if verbose >= 2:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    setup_logging(verbose)


@app.command()
def run(
    config: ConfigOpt = None,
    db: DbOpt = None,
    seeds: SeedsOpt = None,
    feed: FeedOpt = None,
    no_prefect: Annotated[bool, typer.Option("--no-prefect", help="run the stages directly, without Prefect")] = False,
) -> None:
    """Run one monitoring pass: seeds and feeds in, warehouse updated, alerts delivered and printed."""
    settings = _settings(config, db=db, seeds=seeds, feeds=feed or None)
    try:
        with lifeline.stop_on_signals():
            if no_prefect:
                from monitor.pipeline import run_pass

                with progress_shown(err):
                    summary = run_pass(settings)
            else:
                os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
                with progress_shown(err, "starting Prefect (its temporary server takes 10–20 s)"):
                    from flows.server import connect

                    connect()
                    from flows.monitor_flow import monitor_pass

                    _leave_monitor_errors_to_us()
                    summary = monitor_pass(
                        overrides=_overrides(db=db, seeds=seeds, feeds=feed),
                        config=str(absolute(config)) if config else None,
                    )
    except MonitorError as exc:
        raise _fail(exc) from exc
    except lifeline.Terminated as exc:
        err.print(
            f"[red]error:[/red] monitor run was stopped by {exc}; what the pass stored is kept and the next pass "
            "does the rest" + ("" if no_prefect else " (its flow run, if it had begun, is marked Crashed)")
        )
        raise typer.Exit(exc.exit_code) from None
    print_summary(summary, settings.db)
    feed_failures = {f.url for f in summary.failures if f.stage == "feed"}
    if settings.feeds and feed_failures >= set(settings.feeds):
        err.print(f"[red]error:[/red] every feed failed ({len(settings.feeds)}); see the reasons above")
        raise typer.Exit(1)


def _subclasses(cls: type[Exception]) -> list[type[Exception]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _subclasses(child))]


class _ReportedByUs(logging.Filter):
    """Drops Prefect's report of a run that failed with a MonitorError (its traceback runs to 80 lines) or
    that was stopped by a signal ("Crash detected! … aborted by a termination signal", per task and flow):
    `monitor run` says either itself, in one line. Other exceptions keep their traceback."""

    names = frozenset(cls.__name__ for cls in _subclasses(MonitorError))

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], MonitorError):
            return False
        message = record.getMessage()  # a task's "Finished in state Failed('… exception WarehouseError: …')"
        if "aborted by a termination signal" in message:
            return False
        return not any(f"exception {name}:" in message for name in self.names)


def _leave_monitor_errors_to_us() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _ReportedByUs) for f in logger.filters):
            logger.addFilter(_ReportedByUs())


def _overrides(**values: Any) -> dict[str, Any]:
    """Options as flow parameters; paths made absolute here, where they are relative to the current folder."""
    return {k: (str(absolute(v)) if isinstance(v, Path) else v) for k, v in values.items() if v}


def print_summary(summary: PassSummary, db: Path) -> None:
    """The pass's counts, then what was skipped and why, where the data went, and every failure and alert."""
    table = Table(title="monitoring pass", show_header=False)
    for label, value in [
        ("articles new", summary.articles_new),
        ("articles skipped", summary.articles_skipped),
        ("articles failed", summary.articles_failed),
        ("on topic", summary.on_topic),
        ("near-copies", summary.duplicates),
        ("figures", summary.figures),
        ("positions", summary.positions),
        ("event mentions", summary.events),
        ("alerts new", len(summary.alerts)),
        ("alerts notified", summary.notified),
        ("notifications failed", summary.notify_failed),
    ]:
        table.add_row(label, str(value))
    console.print(table)
    if summary.skipped_why:
        why = ", ".join(f"{count} {reason}" for reason, count in summary.skipped_why.items())
        console.print(f"skipped {summary.articles_skipped}: {why}", markup=False, soft_wrap=True)
    if summary.deferred:
        console.print(
            f"left for the next pass {summary.deferred}: more new items in a feed than max_new_per_feed",
            markup=False,
            soft_wrap=True,
        )
    console.print(f"warehouse {absolute(db)}", markup=False, soft_wrap=True)
    for notice in summary.notices:
        console.print(f"[yellow]notice[/yellow] {escape(notice)}")
    for f in summary.failures:
        line = f"{escape(f.stage)} {escape(safe_url(f.url))}: {escape(safe_text(f.reason))}"
        console.print(f"[yellow]failed[/yellow] {line}")
    for error in summary.notify_errors:
        console.print(f"[yellow]not notified[/yellow] {escape(error)} (retried with backoff)")
    for alert in summary.alerts:
        console.print("\n[bold red]ALERT[/bold red] ", end="")
        console.print(alert.summary, markup=False)
        console.print(f"  new   {alert.article_url}\n        “{alert.new_evidence}”", markup=False)
        console.print(f"  prior {alert.prior_url}\n        “{alert.prior_evidence}”", markup=False)
        console.print(f"  read  {alert.explanation}", markup=False)


def _read(settings: Settings, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of a read-only query; a warehouse that cannot be read ends the command with one clear line."""
    try:
        with Warehouse.open(settings.db, read_only=True, lock_timeout=settings.lock_timeout) as wh:
            return wh.query(sql, params)[1]
    except MonitorError as exc:
        raise _fail(exc) from exc


@app.command()
def alerts(
    config: ConfigOpt = None,
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(help="how many, newest first")] = 20,
) -> None:
    """Show recent alerts with both evidence sentences."""
    rows = _read(
        _settings(config, db=db),
        "SELECT created_at, kind, confidence, summary, article_url, new_evidence, prior_url, prior_evidence, "
        "notified_at, alert_id, explanation FROM alerts ORDER BY created_at DESC, alert_id LIMIT ?",
        [limit],
    )
    if not rows:
        console.print("no alerts")
    for created, kind, conf, summary, url, new_ev, prior_url, prior_ev, notified, aid, explanation in rows:
        state = f"notified {notified:%Y-%m-%d %H:%M}" if notified else "pending"
        console.print(f"[bold]{created:%Y-%m-%d %H:%M}[/bold] {kind} ({conf:.2f}, {state}) ", end="")
        console.print(f"{aid}\n  {summary}", markup=False)
        console.print(f"  new   {url}\n        “{new_ev}”\n  prior {prior_url}\n        “{prior_ev}”", markup=False)
        console.print(f"  read  {explanation}\n", markup=False)


@app.command()
def explain(
    alert_id: Annotated[str, typer.Argument(help="the alert's id (or its first characters)")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Show how an alert's two claims were read and why they were judged to be about the same thing."""
    rows = _read(
        _settings(config, db=db),
        "SELECT alert_id, kind, summary, article_url, prior_url, new_evidence, prior_evidence, explanation, "
        "confidence FROM alerts WHERE alert_id LIKE ? || '%' ORDER BY alert_id",
        [alert_id],
    )
    if not rows:
        err.print(f"no alert with id {alert_id!r}: `monitor alerts` lists them", markup=False)
        raise typer.Exit(1)
    if len(rows) > 1:
        err.print(f"{len(rows)} alerts start with {alert_id!r}: give more characters", markup=False)
        raise typer.Exit(1)
    aid, kind, summary, url, prior_url, new_ev, prior_ev, explanation, confidence = rows[0]
    console.print(f"alert {aid} ({kind}, confidence {confidence:.2f})", markup=False)
    console.print(summary, markup=False)
    reading = read_explanation(explanation)
    console.print(f"\nnew    {url}\n  read as  {reading.new}\n  sentence “{new_ev}”", markup=False)
    console.print(f"\nstored {prior_url}\n  read as  {reading.stored}\n  sentence “{prior_ev}”", markup=False)
    console.print(f"\nwhy the same thing: {reading.why}", markup=False)


@app.command(name="digest")
def digest_cmd(
    since: Annotated[
        str | None, typer.Option(help="window before now: 90m, 24h, 7d [default: digest_since, 24h]")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="markdown or html [default: from --output, else markdown]")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file instead of stdout")] = None,
    send: Annotated[bool, typer.Option("--send", help="also send it to the notification URLs")] = False,
    send_empty: Annotated[bool, typer.Option("--send-empty", help="send it even when nothing is new")] = False,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """What a window brought: new alerts with both sentences, figures by metric, feed health, failed pages."""
    from monitor import digest

    settings = _settings(config, db=db, digest_since=since, digest_send_empty=send_empty or None)
    html_file = output is not None and output.suffix.lower() in (".html", ".htm")
    chosen = fmt or ("html" if html_file else "markdown")
    if chosen not in digest.FORMATS:
        err.print(f"unknown format {chosen!r}; use one of {', '.join(digest.FORMATS)}", markup=False)
        raise typer.Exit(2)
    if send and not settings.notify_urls:
        err.print("no notification URLs configured (MONITOR_NOTIFY_URLS or notify_urls in --config)")
        raise typer.Exit(2)
    try:
        result = digest.build(settings, digest.parse_window(settings.digest_since))
    except MonitorError as exc:
        raise _fail(exc) from exc
    text = digest.render(result, chosen)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote the digest to {output}", markup=False)
    else:  # data as stored: no markup, no emoji codes, no highlighting, no wrapping
        console.print(text, end="", markup=False, emoji=False, highlight=False, soft_wrap=True)
    if not send:
        return
    sent = digest.send(result, settings, send_empty=settings.digest_send_empty)
    if result.empty and not settings.digest_send_empty:
        err.print("nothing new: not sent (--send-empty sends it anyway)", markup=False)
        return
    err.print(f"sent the digest to {sent.sent} of {len(settings.notify_urls)} URL(s)", markup=False)
    for line in sent.errors:
        err.print(f"not sent: {line}", markup=False)
    if sent.errors:
        raise typer.Exit(1)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run, or a path to a .sql file")],
    config: ConfigOpt = None,
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or markdown")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write to a file: .csv, .json, .parquet (DuckDB COPY), .md")
    ] = None,
) -> None:
    """Query the warehouse read-only; print the result (a table, CSV, JSON, markdown) or write it to a file."""
    settings = _settings(config, db=db)
    if fmt not in export.TEXT_FORMATS:
        err.print(f"[red]error:[/red] unknown format {escape(fmt)!r}; use one of {', '.join(export.TEXT_FORMATS)}")
        raise typer.Exit(2)
    path = Path(query)
    if query.strip().lower().endswith(".sql") and " " not in query.strip():
        if not path.is_file():
            err.print(f"[red]error:[/red] SQL file {escape(query)} not found")
            raise typer.Exit(2)
        text = path.read_text(encoding="utf-8")
    else:
        text = query
    to_file = output is not None and output.suffix.lower() != ".md"
    try:
        statements = export.statements(text)
        if output is not None and len(statements) != 1:
            err.print(f"[red]error:[/red] --output writes one query's result; this SQL has {len(statements)}")
            raise typer.Exit(2)
        if to_file and output is not None:
            statements = [export.copy_statement(statements[0], output)]
        with Warehouse.open(settings.db, read_only=True, lock_timeout=settings.lock_timeout) as wh:
            results = [wh.query(statement) for statement in statements]
    except MonitorError as exc:
        raise _fail(exc) from exc
    except typer.Exit:
        raise
    except Exception as exc:  # duckdb's own errors: bad SQL is the user's input, not a crash
        err.print(f"[red]error:[/red] query failed: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if to_file:
        rows = results[0][1]
        written = rows[0][0] if rows and rows[0] else "?"
        err.print(f"wrote {written} row(s) to {output}", markup=False)
    elif output is not None:
        columns, rows = results[0]
        output.write_text(export.render(columns, rows, "markdown"), encoding="utf-8")
        err.print(f"wrote {len(rows)} row(s) to {output}", markup=False)
    else:
        for columns, rows in results:  # every statement's result, in order
            if columns:
                _print_result(columns, rows, fmt)


def _print_result(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
    if fmt != "table":
        sys.stdout.write(export.render(columns, rows, fmt))
        return
    table = Table()
    for column in columns:
        table.add_column(Text(column))
    for row in rows:
        table.add_row(*(Text(export.cell(v)) for v in row))  # Text: data is never read as markup
    console.print(table)
    console.print(f"{len(rows)} row(s)")


@app.command()
def check(config: ConfigOpt = None, db: DbOpt = None) -> None:
    """Read the whole warehouse, read-only: damaged blocks, missing tables, views or migrations; rows per table."""
    settings = _settings(config, db=db)
    try:
        report = upkeep.check(settings.db, settings.lock_timeout)
    except MonitorError as exc:
        raise _fail(exc) from exc
    table = Table(title=Text(f"warehouse {settings.db}"))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in report.counts.items():
        table.add_row(Text(name), str(rows))
    for name in report.unreadable:
        table.add_row(Text(name), Text("unreadable", style="red"))
    console.print(table)
    if report.healthy:
        console.print(
            f"healthy: {len(report.counts)} tables read in full; views {', '.join(report.views)}; "
            f"migrations {', '.join(report.migrations)}",
            markup=False,
            soft_wrap=True,
        )
        return
    for line in report.problems:
        err.print(f"[red]problem:[/red] {escape(line)}")
    for line in report.advice:
        err.print(f"what to do: {line}", markup=False)
    raise typer.Exit(1)


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="a new (or empty) folder for the backup")],
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Export the warehouse to a folder (schema and a Parquet file per table), read-only, waiting for a pass."""
    settings = _settings(config, db=db)
    try:
        counts = upkeep.backup(settings.db, dest, settings.lock_timeout)
    except MonitorError as exc:
        raise _fail(exc) from exc
    console.print(
        f"backed up {len(counts)} tables, {sum(counts.values())} rows, to {dest}; "
        f'restore with IMPORT DATABASE (README, "Backup and repair")',
        markup=False,
        soft_wrap=True,
    )


@app.command()
def serve(
    config: ConfigOpt = None,
    db: DbOpt = None,
    seeds: SeedsOpt = None,
    feed: FeedOpt = None,
    interval: Annotated[float | None, typer.Option(help="seconds between passes (MONITOR_POLL_INTERVAL)")] = None,
    cron: Annotated[str | None, typer.Option(help="cron schedule instead of an interval (MONITOR_POLL_CRON)")] = None,
    digest: Annotated[
        str | None, typer.Option("--digest", help='cron schedule of the digest, e.g. "0 7 * * *" (MONITOR_DIGEST_CRON)')
    ] = None,
) -> None:
    """Serve the Prefect deployments: a scheduled pass, alert delivery triggered by its events, a digest.

    Needs a Prefect server (PREFECT_API_URL); see "Run it as a service" in the README.
    """
    settings = _settings(
        config, db=db, seeds=seeds, feeds=feed or None, poll_interval=interval, poll_cron=cron, digest_cron=digest
    )
    from flows.server import check, configured_url

    url = configured_url()
    if not url:
        err.print(
            "[red]error:[/red] monitor serve needs a Prefect server, or its schedules and triggers die with "
            "this process's temporary one. Start one with `prefect server start`, then "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and run `monitor serve` again."
        )
        raise typer.Exit(2)
    try:
        check(url, "start it with `prefect server start`")
    except MonitorError as exc:
        raise _fail(exc) from exc
    from flows.deployments import serve_monitor

    overrides = _overrides(db=db, seeds=seeds, feeds=feed, poll_interval=interval, poll_cron=cron, digest_cron=digest)
    serve_monitor(settings, overrides, str(absolute(config)) if config else None)


@app.command(name="notify")
def notify_cmd(
    test: Annotated[bool, typer.Option("--test", help="send a test message to every configured URL")] = False,
    config: ConfigOpt = None,
    db: DbOpt = None,
) -> None:
    """Deliver pending alerts now, or with --test check every notification URL and say which fails and why."""
    settings = _settings(config, db=db)
    urls = [u.get_secret_value() for u in settings.notify_urls]
    if test:
        if not urls:
            err.print("no notification URLs configured (MONITOR_NOTIFY_URLS or notify_urls in --config)")
            raise typer.Exit(2)
        results = notify.test_targets(urls, settings.notify_timeout)
        for r in results:
            console.print(f"{'[green]ok[/green]  ' if r.ok else '[red]FAIL[/red]'} {r.target} {r.reason or ''}")
        raise typer.Exit(0 if all(r.ok for r in results) else 1)
    from monitor.feed_health import report_feed_health
    from monitor.outbox import deliver

    try:
        result = deliver(settings)
        notices = report_feed_health(settings)
    except MonitorError as exc:
        raise _fail(exc) from exc
    console.print(f"notified {result.notified}, failed {result.failed}, feed notices {notices}")
    for line in result.errors:
        console.print(f"[red]{line}[/red]")


if __name__ == "__main__":
    app()
