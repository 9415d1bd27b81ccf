"""Main text and metadata of an HTML page, with trafilatura (htmldate when the page has no date)."""

from __future__ import annotations

import html as html_lib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

from monitor.errors import ParseError
from monitor.masking import safe_text

log = logging.getLogger(__name__)


class _ToDebug(logging.Handler):
    """Passes a library's log records on to our logger at DEBUG."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s: %s", record.name, safe_text(record.getMessage()))
        except Exception:
            self.handleError(record)


# trafilatura and its helpers log a page they cannot read as an ERROR ("empty HTML tree"), which reached
# stderr as an alarm; the monitor records such a page as a failure of its own, so their records are
# only ours at DEBUG (warnings and errors: below that they are not even made)
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    _library = logging.getLogger(_name)
    _library.setLevel(logging.WARNING)
    _library.addHandler(_ToDebug())
    _library.propagate = False


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None
    published_at: datetime | None
    sitename: str | None


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_BYLINE = re.compile(
    r"^(?:By|From)\s+[^\n·|•]{1,80}?\s*[·|•]\s*[\w,:.-]+(?:\s\d{1,2}:\d{2})?\s+|^By\s+[A-Z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3}\n"
)


def strip_headline(text: str, title: str | None) -> str:
    """Text without the headline and byline that some layouts put on the first line.

    A headline has no full stop, so it would run into the first sentence ("Visa row deepens By Staff ·
    2025-09-29 PARIS - The ministry ..."), lending that sentence its date and names.
    """
    text = text.lstrip()
    if title:
        for candidate in (title, title.split(" | ")[0], title.split(" - ")[0]):
            if candidate and text.startswith(candidate.strip()):
                text = text[len(candidate.strip()) :].lstrip()
                break
    return _BYLINE.sub("", text, count=1)


_SITE_NAME = re.compile(
    rb"""<meta[^>]+property=["']og:site_name["'][^>]*content=["']([^"'<>]{1,100})["']""", re.IGNORECASE
)


def site_name(html: bytes | str) -> str | None:
    """The page's og:site_name, read cheaply from its head."""
    head = html[:65536].encode("utf-8", "replace") if isinstance(html, str) else html[:65536]
    m = _SITE_NAME.search(head)
    return m.group(1).decode("utf-8", "replace").strip() if m else None


def _unescaped(name: str | None) -> str | None:
    """ "Pampas &amp; Andes Review" as readers see it (meta content is read raw from the markup)."""
    return html_lib.unescape(name).strip() or None if name else None


def extract_page(html: bytes | str, url: str, *, metadata: bool = True, title_hint: str | None = None) -> PageText:
    """The article text of a page; ParseError naming the URL when there is none.

    `metadata=False` skips trafilatura's metadata (title, date): it halves the speed, and a feed usually
    gives both already. The site name is then read from the page's og:site_name.
    """
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=False,
            with_metadata=metadata,
        )
    except Exception as exc:  # trafilatura raises many kinds on malformed markup
        raise ParseError(url, f"text extraction failed: {type(exc).__name__}: {exc}") from exc
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict()
    if not isinstance(doc, dict) or not doc.get("text"):
        raise ParseError(url, "no article text found in the page")
    title = doc.get("title") or title_hint or None
    return PageText(
        text=strip_headline(str(doc["text"]), title),
        title=title,
        published_at=_parse_date(doc.get("date")),
        sitename=_unescaped(doc.get("sitename") or site_name(html)),
    )
