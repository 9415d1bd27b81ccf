"""Feed and page URLs as they may be shown: without credentials.

A feed URL can carry an API key (`?api_key=…`) or a user and password (`https://user:pass@host/`). The
warehouse keeps URLs exact, since they are its keys (`failures.url`, `feed_status.feed_url`), but every
text a person or another system gets — log lines, failure lines, notices, error messages — shows them
through `safe_url`: userinfo and the values of query (and fragment) parameters named like secrets become
`***`. A URL with nothing to hide is returned unchanged, character for character.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

MASK = "***"

# a parameter name split into words (camelCase, dashes, underscores), last word(s) naming a secret
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:api_?key|key|token|secret|password|passwd|pass|pwd|sig|signature|auth|authorization|credentials?)$"
)
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#]*@")
_URL_IN_TEXT = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>"'`]+""")


def secret_name(name: str) -> bool:
    """Whether a query parameter's name says its value is a secret: key, api_key, apiKey, X-Api-Key,
    access_token, client_secret, password, pass, sig, X-Amz-Signature, auth…"""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", unquote_plus(name)).lower().replace("-", "_")
    return _SECRET_NAME.search(words.strip()) is not None


def _mask_parameters(query: str) -> str:
    parts = re.split(r"([&;])", query)
    for i in range(0, len(parts), 2):
        name, eq, value = parts[i].partition("=")
        if eq and value and secret_name(name):
            parts[i] = f"{name}={MASK}"
    return "".join(parts)


def safe_url(url: str) -> str:
    """`url` with its userinfo and the values of secret-named parameters masked; never raises."""
    rest, hash_, fragment = url.partition("#")
    base, question, query = rest.partition("?")
    base = _USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", base, count=1)
    return base + question + _mask_parameters(query) + hash_ + _mask_parameters(fragment)


def safe_text(text: str) -> str:
    """`text` with every URL in it shown through `safe_url` (error messages may quote the URL)."""
    return _URL_IN_TEXT.sub(_safe_match, text)


def _safe_match(match: re.Match[str]) -> str:
    url = match.group(0)
    core = url.rstrip(".,;:!?)]}")  # punctuation that ends a sentence or a clause is not the URL's
    return safe_url(core) + url[len(core) :]


class MaskUrls(logging.Filter):
    """Rewrites a logger's records with their URLs masked: httpx logs each request's full URL at INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = safe_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
