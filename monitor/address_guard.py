"""No fetching inside the network: links chosen by third parties must not reach internal addresses.

Feeds name the pages the monitor downloads, and the monitor runs next to a Prefect API, on hosts that
may have a cloud metadata service. Every request (each redirect hop is one) goes through
`GuardedTransport`: the host is resolved once, every address it resolves to must be public, and the
connection is made to the checked address (the Host header and TLS name stay the original host), so a
name cannot resolve to a public address for the check and a private one for the connection.
Operators who follow feeds on their own network set `allow_private_addresses`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable

import httpx

from monitor.errors import FetchError, RefusedInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
ALLOW_HINT = "set MONITOR_ALLOW_PRIVATE_ADDRESSES=true to fetch from your own network"


def address_kind(address: IPAddress) -> str | None:
    """Why an address is not public ("loopback", "private", ...), or None when it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_kind(address.ipv4_mapped)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for kind, hit in checks:
        if hit:
            return kind
    return None if address.is_global else "not globally routable"


class GuardedTransport(httpx.AsyncBaseTransport):
    """Resolves each request's host, refuses non-public addresses, connects to the address checked."""

    def __init__(self, inner: httpx.AsyncBaseTransport, refuse: Callable[[IPAddress], str | None] = address_kind):
        self.inner = inner
        self.refuse = refuse

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(str(url), f"cannot resolve host {host!r}: {exc}") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise FetchError(str(url), f"host {host!r} resolves to no address")
        for address in addresses:
            kind = self.refuse(address)
            if kind is not None:
                reason = f"host {host!r} resolves to {address}, a {kind} address; refused ({ALLOW_HINT})"
                raise RefusedInput(str(url), reason)
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = host
        # a copy for the connection: the client keeps the original URL for redirects and the final address
        direct = httpx.Request(
            request.method,
            url.copy_with(host=str(addresses[0])),
            headers=request.headers,
            stream=request.stream,
            extensions=extensions,
        )
        return await self.inner.handle_async_request(direct)

    async def aclose(self) -> None:
        await self.inner.aclose()
