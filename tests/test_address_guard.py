"""Links chosen by third parties never reach internal addresses unless the operator allows it.

Only 127.0.0.1 and ::1 are used: refused in every spelling, at every redirect hop, and recorded as the
feed's failure; the connection goes to the address that was checked, with the original Host header.
"""

from __future__ import annotations

import asyncio
import ipaddress

import httpx
import pytest
from conftest import Response, publish, render_feed
from test_pipeline import AID_HIGH, rows

from monitor.address_guard import GuardedTransport, address_kind
from monitor.errors import RefusedInput
from monitor.pipeline import run_pass
from monitor.sources import download, make_client


def _download(settings, url):
    async def go():
        async with make_client(settings) as client:
            return await download(client, url, max_bytes=10_000, deadline=5.0, truncate=True)

    return asyncio.run(go())


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "2130706433", "0x7f000001", "127.1", "[::1]", "[::ffff:127.0.0.1]"],
)
def test_loopback_in_every_spelling_is_refused(site, make_settings, host):
    site.routes["/feed.xml"] = Response(body=b"<rss/>")
    port = site.server.server_address[1]
    with pytest.raises(RefusedInput, match=r"loopback address; refused \(set MONITOR_ALLOW_PRIVATE_ADDRESSES=true"):
        _download(make_settings(allow_private_addresses=False), f"http://{host}:{port}/feed.xml")
    assert site.hits == {}  # refused before any connection


def test_a_link_httpx_cannot_parse_is_refused_clearly(site, make_settings):
    port = site.server.server_address[1]
    with pytest.raises(RefusedInput, match="invalid URL: Invalid IPv4 address"):
        _download(make_settings(allow_private_addresses=False), f"http://0177.0.0.1:{port}/feed.xml")


def test_address_kinds():
    kinds = {
        "10.1.2.3": "private",
        "192.168.0.1": "private",
        "169.254.169.254": "link-local",  # cloud metadata services
        "fe80::1": "link-local",
        "224.0.0.1": "multicast",
        "0.0.0.0": "unspecified",
        "fc00::1": "private",
        "::ffff:10.0.0.1": "private",
        "8.8.8.8": None,
        "2606:4700::1111": None,
    }
    assert {a: address_kind(ipaddress.ip_address(a)) for a in kinds} == kinds


def test_every_redirect_hop_is_checked(site):
    """The first hop (127.0.0.1, allowed for this test) redirects to ::1, which is refused."""
    site.routes["/go"] = Response(302, b"", headers={"Location": "http://[::1]:9/inside"})

    def refuse_ipv6_loopback(address):
        return "loopback" if address.version == 6 and address.is_loopback else None

    async def go():
        transport = GuardedTransport(httpx.AsyncHTTPTransport(), refuse=refuse_ipv6_loopback)
        async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
            return await download(client, site.url("/go"), max_bytes=1000, deadline=5.0, truncate=True)

    with pytest.raises(RefusedInput, match=r"http://\[::1\]:9/inside: host '::1' resolves to ::1, a loopback"):
        asyncio.run(go())
    assert site.hits == {"/go": 1}


def test_connection_goes_to_the_checked_address_with_the_original_host(site):
    site.routes["/page.html"] = Response(body=b"<p>hello</p>")
    port = site.server.server_address[1]

    async def go():
        transport = GuardedTransport(httpx.AsyncHTTPTransport(), refuse=lambda address: None)
        async with httpx.AsyncClient(transport=transport) as client:
            return await download(
                client, f"http://localhost:{port}/page.html", max_bytes=1000, deadline=5.0, truncate=True
            )

    body, _, final_url = asyncio.run(go())
    assert body == b"<p>hello</p>"
    assert final_url == f"http://localhost:{port}/page.html"  # the address stays the link's, not the IP
    assert site.host_headers == [f"localhost:{port}"]


def test_a_refused_feed_is_recorded_with_its_reason_and_the_pass_goes_on(site, make_settings):
    publish(site, [AID_HIGH])
    site.routes["/feed.xml"] = Response(body=render_feed(site.base, [AID_HIGH]), content_type="application/rss+xml")
    settings = make_settings(feeds=[site.url("/feed.xml")], allow_private_addresses=False)
    summary = run_pass(settings)
    assert summary.articles_new == 2  # the seeds
    failures = dict(rows(settings.db, "SELECT url, reason FROM failures"))
    assert "127.0.0.1, a loopback address; refused" in failures[site.url("/feed.xml")]
    assert site.hits == {}
