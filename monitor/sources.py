"""Where articles come from: seed files, RSS/Atom feeds, and the pages they link to.

A feed URL that turns out to be a web page is said to be one, and the feeds the page links to
(`<link rel="alternate" type="application/rss+xml">`, as feed readers find them) are named; the first
is read in the page's place, through the same client and so the same address guard.

Everything read from the network is bounded: http(s) only, public addresses only (see address_guard),
a size cap enforced while downloading, connect and read timeouts plus a deadline for the whole body (a
server that trickles bytes), a limit on redirects. Feeds lose their DOCTYPE before parsing: feedparser's
fallback parser would otherwise expand one large entity referenced many times.
"""

from __future__ import annotations

import asyncio
import calendar
import dataclasses
import logging
import re
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
import httpx

from monitor.address_guard import GuardedTransport
from monitor.errors import FetchError, ParseError, RefusedInput, SourceError
from monitor.masking import MaskUrls, safe_text, safe_url
from monitor.models import Document
from monitor.profile import TopicProfile
from monitor.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
# httpx logs every request's full URL (at INFO: `monitor -v`); feed URLs may carry keys
logging.getLogger("httpx").addFilter(MaskUrls())

ALLOWED_SCHEMES = ("http", "https")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|smid)$", re.IGNORECASE)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_PROLOG = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!doctype[^>\[]*(?:\[.*?\])?\s*>)", re.DOTALL | re.IGNORECASE)
_ELEMENT = re.compile(rb"\s*<([a-z][a-z0-9:._-]*)", re.IGNORECASE)
FEED_ROOTS = {b"rss", b"feed", b"rdf", b"channel"}  # local names; channel: CDF
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass(frozen=True)
class FeedEntry:
    url: str  # canonical form: the key the warehouse knows the page by
    feed_url: str
    title: str | None
    published_at: datetime | None
    link: str = ""  # the link as the feed gave it, which is what is fetched
    feed_title: str | None = None

    @property
    def fetch_url(self) -> str:
        return self.link or self.url


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    port = parts.port  # ValueError when out of range
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise RefusedInput(url, f"scheme {scheme or '(none)'!r} refused; only http and https are fetched")


# ---------------------------------------------------------------- seeds


def read_seeds(folder: Path, profile: TopicProfile, now: datetime) -> list[Document]:
    """Every .txt file of the seeds folder, as url `seed:<file name>`."""
    if not folder.is_dir():
        raise SourceError(str(folder), "seeds folder does not exist")
    docs = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        meta = profile.seeds.get(path.name)
        first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.name)
        docs.append(
            Document(
                url=f"seed:{path.name}",
                source="seed",
                title=(meta.title if meta and meta.title else first_line[:200]),
                published_at=profile.seed_published(path.name),
                fetched_at=now,
                text=text,
            )
        )
    return docs


# ---------------------------------------------------------------- downloading


def make_client(settings: Settings) -> httpx.AsyncClient:
    """The one HTTP client of a pass; unless the operator allows it, it refuses internal addresses."""
    timeout = httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout, write=10.0, pool=10.0)
    limits = httpx.Limits(max_connections=settings.fetch_concurrency * 2)
    transport: httpx.AsyncBaseTransport = httpx.AsyncHTTPTransport(limits=limits)
    if not settings.allow_private_addresses:
        transport = GuardedTransport(transport)
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


async def download(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, deadline: float, truncate: bool
) -> tuple[bytes, httpx.Headers, str]:
    """Body, headers and final URL; stops reading at `max_bytes` (cut off, or refused if not `truncate`)."""
    check_scheme(url)

    async def _get() -> tuple[bytes, httpx.Headers, str]:
        async with client.stream("GET", url) as response:
            check_scheme(str(response.url))
            if response.status_code >= 400:
                status = response.status_code
                retry_later = status >= 500 or status in (408, 425, 429)
                raise FetchError(url, f"HTTP {status}", transient=retry_later)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes and not truncate:
                raise RefusedInput(url, f"declared size {declared} bytes exceeds the limit of {max_bytes}")
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    if not truncate:
                        raise RefusedInput(url, f"larger than the limit of {max_bytes} bytes")
                    log.warning("%s: cut off at %d bytes", safe_url(url), max_bytes)
                    break
            body = b"".join(chunks)[:max_bytes]
            encoding = response.headers.get("content-encoding", "").lower()
            if encoding and encoding != "identity":
                body = _decode_body(url, body, encoding, max_bytes)
            return body, response.headers, str(response.url)

    try:
        return await asyncio.wait_for(_get(), timeout=deadline)
    except SourceError:
        raise
    except TimeoutError as exc:
        raise FetchError(url, f"no complete response within {deadline:.0f} s") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(url, f"too many redirects: {exc}") from exc
    except httpx.InvalidURL as exc:
        raise RefusedInput(url, f"invalid URL: {exc}") from exc
    except httpx.UnsupportedProtocol as exc:
        raise RefusedInput(url, f"redirected to an unsupported scheme: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc


def _decode_body(url: str, body: bytes, encoding: str, max_bytes: int) -> bytes:
    """Decompress with the same size cap, so a small gzip bomb cannot grow past it."""
    import zlib

    if encoding not in ("gzip", "deflate", "x-gzip"):
        return body
    try:
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decoder = zlib.decompressobj(wbits)
        out = decoder.decompress(body, max_bytes)
        return out
    except zlib.error as exc:
        raise ParseError(url, f"bad {encoding} body: {exc}") from exc


# ---------------------------------------------------------------- feeds


def parse_feed(feed_url: str, body: bytes, content_type: str | None = None) -> list[FeedEntry]:
    """Entries of a feed with links to http(s) pages; ParseError when nothing usable is in it."""
    if _ENTITY_DECLARATION.search(body):
        # one large entity referenced many times expands to gigabytes in feedparser's loose parser
        raise RefusedInput(feed_url, "feed declares XML entities (<!ENTITY>); refused to avoid entity expansion")
    body = _DOCTYPE.sub(b"", body, count=1)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    entries = []
    feed_title = (parsed.feed.get("title") or "").strip()[:100] or None
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link:
            continue
        try:
            link = str(httpx.URL(feed_url).join(link))
            key = canonical_url(link)
        except (httpx.InvalidURL, ValueError) as exc:
            log.warning(
                "feed %s: entry link %r skipped: %s", safe_url(feed_url), safe_url(str(link)[:200]), safe_text(str(exc))
            )
            continue  # one bad link costs its entry, not the feed
        if urlsplit(link).scheme.lower() not in ALLOWED_SCHEMES:
            log.warning("feed %s: entry link %s refused (scheme)", safe_url(feed_url), safe_url(link[:200]))
            continue
        entries.append(
            FeedEntry(
                url=key,
                feed_url=feed_url,
                title=entry.get("title"),
                published_at=_entry_date(entry),
                link=link,
                feed_title=feed_title,
            )
        )
    if not entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise ParseError(feed_url, f"not a usable feed: {type(reason).__name__}: {reason}")
    return entries


def is_web_page(body: bytes, content_type: str | None) -> bool:
    """Whether a body fetched as a feed is an HTML page: its doctype or first element says html, or it is
    served as HTML and its first element is no rss, feed or rdf:RDF (some servers send feeds as text/html).
    Without an element to go by (UTF-16, say) it is left to the feed parser."""
    head = body[:8192].removeprefix(b"\xef\xbb\xbf")
    pos, doctype = 0, b""
    while m := _PROLOG.match(head, pos):  # XML declaration, comments, doctype
        if m.group(1)[:9].lower() == b"<!doctype":
            doctype = m.group(1).lower()
        pos = m.end()
    first = _ELEMENT.match(head, pos)
    root = first.group(1).lower().rsplit(b":", 1)[-1] if first else None
    if root is None or root in FEED_ROOTS:
        return False
    if root == b"html" or doctype.startswith(b"<!doctype html"):
        return True
    return (content_type or "").split(";", 1)[0].strip().lower() in HTML_TYPES


class _AlternateLinks(HTMLParser):
    """The feeds a page announces in its <link rel="alternate" type="application/rss+xml" href=...>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        elif tag == "link" and values.get("href"):
            rels = values.get("rel", "").lower().split()
            if "alternate" in rels and values.get("type", "").lower() in FEED_TYPES:
                self.hrefs.append(values["href"])


def feed_links(page: bytes, page_url: str) -> list[str]:
    """Absolute http(s) URLs of the feeds a web page links to, in the page's order, without repeats."""
    end = page.lower().find(b"</head>")
    parser = _AlternateLinks()
    parser.feed(page[: end if end >= 0 else len(page)].decode("utf-8", errors="replace"))
    parser.close()
    links: list[str] = []
    for href in parser.hrefs:
        try:
            base = httpx.URL(page_url).join(parser.base) if parser.base else httpx.URL(page_url)
            link = str(base.join(href))
        except (httpx.InvalidURL, ValueError):
            continue
        if urlsplit(link).scheme.lower() in ALLOWED_SCHEMES and link not in links:
            links.append(link)
    return links


def _entry_date(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue  # a malformed date is no date
    return None


@dataclass(frozen=True)
class FeedRead:
    """What reading a feed URL gave: its entries, and the feed read in its place if it was a web page."""

    entries: list[FeedEntry]
    read_from: str | None = None  # the feed the web page at the URL links to, read instead
    notice: str | None = None  # what the user should know and change


async def read_feed(client: httpx.AsyncClient, feed_url: str, settings: Settings) -> FeedRead:
    """A feed's entries. A web page given as a feed: the first feed it links to is read in its place (its
    entries keep `feed_url`, the URL the user listed); a page that links none is a ParseError naming it."""
    body, headers, final_url = await _get_feed(client, feed_url, settings)
    content_type = headers.get("content-type")
    if not is_web_page(body, content_type):
        return FeedRead(parse_feed(feed_url, body, content_type))
    links = feed_links(body, final_url)
    if not links:
        raise ParseError(
            feed_url, "a web page, not a feed, and it links to no RSS or Atom feed: give the feed's address"
        )
    named = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
    try:
        body, headers, _ = await _get_feed(client, links[0], settings)
        if is_web_page(body, headers.get("content-type")):
            raise ParseError(links[0], "a web page too")
        entries = parse_feed(links[0], body, headers.get("content-type"))
    except SourceError as exc:
        reason = f"a web page, not a feed; it links these feeds: {named}; use one of them ({links[0]}: {exc.reason})"
        if isinstance(exc, FetchError):
            raise FetchError(feed_url, reason, transient=exc.transient) from exc
        raise type(exc)(feed_url, reason) from exc
    notice = (
        f"{feed_url} is a web page, not a feed: read the feed it links to, {links[0]}, in its place "
        f"(it links: {named}); list that feed instead"
    )
    return FeedRead([dataclasses.replace(e, feed_url=feed_url) for e in entries], links[0], notice)


async def _get_feed(client: httpx.AsyncClient, url: str, settings: Settings) -> tuple[bytes, httpx.Headers, str]:
    return await download(
        client, url, max_bytes=settings.max_feed_bytes, deadline=settings.fetch_deadline, truncate=False
    )


async def fetch_page(client: httpx.AsyncClient, entry: FeedEntry, settings: Settings, now: datetime) -> Document:
    body, _, _ = await download(
        client, entry.fetch_url, max_bytes=settings.max_page_bytes, deadline=settings.fetch_deadline, truncate=True
    )
    return Document(
        url=entry.url,
        source="feed",
        feed_url=entry.feed_url,
        title=entry.title,
        published_at=entry.published_at,
        fetched_at=now,
        html=body,
        outlet=entry.feed_title,
    )


async def gather_bounded(coros: Iterable[Awaitable[T]], limit: int) -> list[T | BaseException]:
    """Run coroutines at most `limit` at a time; exceptions are returned, not raised."""
    semaphore = asyncio.Semaphore(limit)

    async def run(coro: Awaitable[T]) -> T:
        async with semaphore:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros), return_exceptions=True)
