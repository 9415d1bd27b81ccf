"""Filing event mentions under events in a real DuckDB warehouse: which event a dated report joins."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from monitor.dedup import fingerprint
from monitor.models import Article, EventMention
from monitor.warehouse import Warehouse


def article(url: str, published: datetime, *mentions: EventMention) -> Article:
    text = " ".join(m.evidence for m in mentions) + f" ({url})"
    return Article(
        url=url,
        source="feed",
        title=url,
        published_at=published,
        fetched_at=published,
        text=text,
        content_hash=url,
        on_topic=True,
        topic_score=1.0,
        events=list(mentions),
    )


def sanction(day: date | None, *, complete: bool, evidence: str) -> EventMention:
    return EventMention(
        actor="U.S. Treasury" if complete else None,
        action="sanction",
        target="Gustavo Petro" if complete else None,
        event_date=day,
        complete=complete,
        gaps="" if complete else "actor,target,date",
        evidence=evidence,
    )


def test_a_dated_report_is_compared_with_the_dated_event_not_filed_under_an_undated_one(tmp_path: Path, profile):
    first = article(
        "https://a.example/1",
        datetime(2025, 10, 25, 9),
        sanction(date(2025, 10, 24), complete=True, evidence="The Treasury sanctioned Petro on Friday, October 24."),
    )
    vague = article(
        "https://b.example/2",
        datetime(2025, 11, 20, 9),
        sanction(None, complete=False, evidence="The sanctions weigh on the peso."),
    )
    other_date = article(
        "https://c.example/3",
        datetime(2025, 11, 21, 9),
        sanction(date(2025, 10, 17), complete=True, evidence="The Treasury sanctioned Petro on October 17."),
    )
    with Warehouse.open(tmp_path / "w.duckdb", profile) as wh:
        results = wh.store_articles([(a, fingerprint(a.text)) for a in (first, vague, other_date)])
    (alert,) = results[2].alerts
    assert alert.kind == "event"
    assert alert.prior_url == first.url
    assert "October 24" in alert.prior_evidence and "October 17" in alert.new_evidence


ANNOUNCED_SUNDAY = "President Trump said on Sunday that the United States would stop all aid payments to Colombia."


def read_articles(profile, *reports: tuple[str, datetime]) -> list[Article]:
    """Articles read by the extractor, as the pipeline reads them (one sentence each), on hosts a, b, c…"""
    from monitor.extract import ClaimExtractor

    extractor = ClaimExtractor(profile)
    return [
        article(f"https://{host}.example/1", published, *extractor.extract(text, published.date()).events)
        for host, (text, published) in zip("abcdef", reports, strict=False)
    ]


def read_pair(profile, first: tuple[str, datetime], second: tuple[str, datetime]) -> list[Article]:
    return read_articles(profile, first, second)


def test_an_action_announced_on_one_day_and_done_on_another_raises_no_alert(tmp_path: Path, profile):
    announced, done = read_pair(
        profile,
        (ANNOUNCED_SUNDAY, datetime(2025, 10, 20, 9)),
        ("The United States halted aid to Colombia on Wednesday.", datetime(2025, 10, 23, 9)),
    )
    assert [e.announced for e in announced.events] == [True] and [e.announced for e in done.events] == [False]
    assert all(e.complete for e in announced.events + done.events)
    with Warehouse.open(tmp_path / "w.duckdb", profile) as wh:
        results = wh.store_articles([(a, fingerprint(a.text)) for a in (announced, done)])
        stored = wh.con.execute("SELECT announced FROM event_mentions ORDER BY published_at").fetchall()
    assert results[1].alerts == []
    assert stored == [(True,), (False,)]


def test_two_reports_of_one_announcement_on_different_days_raise_an_alert(tmp_path: Path, profile):
    monday = ANNOUNCED_SUNDAY.replace("said on Sunday", "announced on Monday")
    pair = read_pair(profile, (ANNOUNCED_SUNDAY, datetime(2025, 10, 20, 9)), (monday, datetime(2025, 10, 22, 9)))
    with Warehouse.open(tmp_path / "w.duckdb", profile) as wh:
        results = wh.store_articles([(a, fingerprint(a.text)) for a in pair])
    (alert,) = results[1].alerts
    assert alert.kind == "event" and "both told as announced" in alert.explanation


def test_reports_telling_different_years_for_the_last_occurrence_raise_an_alert(tmp_path: Path, profile):
    since_1994, last_in_1997, since_1997 = read_articles(
        profile,
        ("It is the first time since 1994 that Washington has sanctioned Petro.", datetime(2025, 10, 25, 9)),
        ("Petro was last sanctioned in 1996 and 1997, under another government.", datetime(2025, 12, 1, 9)),
        ("For the first time since 1997, the Treasury sanctioned Petro.", datetime(2026, 1, 10, 9)),
    )
    with Warehouse.open(tmp_path / "w.duckdb", profile) as wh:
        results = wh.store_articles([(a, fingerprint(a.text)) for a in (since_1994, last_in_1997, since_1997)])
        stored = wh.con.execute("SELECT previous_year FROM event_mentions ORDER BY published_at").fetchall()
    assert stored == [(1994,), (1997,), (1997,)]
    (alert,) = results[1].alerts  # 1997, the latest year of the list, against 1994
    assert alert.kind == "event" and alert.prior_url == since_1994.url
    assert "last occurrence before now in 1997" in alert.explanation and "in 1994" in alert.explanation
    (again,) = results[2].alerts  # agrees with the 1997 report, not with the 1994 one
    assert again.prior_url == since_1994.url


def test_last_occurrence_years_far_apart_in_time_or_on_another_target_raise_no_alert(tmp_path: Path, profile):
    reports = read_articles(
        profile,
        ("It is the first time since 1994 that Washington has sanctioned Petro.", datetime(2025, 10, 25, 9)),
        ("For the first time since 1997, the Treasury sanctioned Benedetti.", datetime(2025, 10, 26, 9)),
        ("Petro was last sanctioned in 1997.", datetime(2026, 10, 26, 9)),
    )
    with Warehouse.open(tmp_path / "w.duckdb", profile) as wh:
        assert [r.alerts for r in wh.store_articles([(a, fingerprint(a.text)) for a in reports])] == [[], [], []]
