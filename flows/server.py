"""The Prefect API a pass reports to: the server PREFECT_API_URL names, checked first, or a temporary one
that this process starts and owns.

Prefect's local mode starts its temporary server as a plain child and stops it at exit, which a killed
pass never reaches: each `timeout`-ed or killed pass left one running (about 190 MB) for good, with its
flow run Running. Ours runs in a session of its own, so a signal to the pass's process group (as
`timeout` sends) does not take it away before the pass has recorded how its flow run ended; it is stopped
at exit, after Prefect has sent its last logs and events; and it ends by itself when the pass is gone,
SIGKILL included (monitor.lifeline). A configured server that does not answer is said in one line instead
of Prefect's pages of retries.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from monitor import lifeline
from monitor.errors import PrefectUnavailable

# the first start creates the server's database: about 20 s here, more on a busy machine
STARTUP_DEADLINE = 90.0

SERVER = lifeline.main_of("flows.server")  # the server's command


def check(url: str, what_to_do: str) -> None:
    """Raise PrefectUnavailable, naming `url` and `what_to_do`, unless the server there answers its health check."""
    from monitor.masking import safe_url

    try:
        status = httpx.get(f"{url.rstrip('/')}/health", timeout=5).status_code
    except httpx.HTTPError as exc:
        reason = f"nothing answers ({type(exc).__name__})"
    else:
        if status == 200:
            return
        reason = f"its health check answered HTTP {status}"
    raise PrefectUnavailable(f"no Prefect server at {safe_url(url)} (PREFECT_API_URL): {reason}; {what_to_do}")


def configured_url() -> str | None:
    """The API URL Prefect's settings name (PREFECT_API_URL, or the active profile's), if any."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def connect() -> None:
    """Point this process's Prefect at a server that answers: the configured one, checked, or a temporary
    one of ours, stopped at exit (registered before Prefect's own exit work, so it runs after it)."""
    url = configured_url()
    if url:
        check(url, "start it with `prefect server start`, or unset PREFECT_API_URL to run with a temporary server")
        return
    server = LocalServer()
    atexit.register(server.stop)
    os.environ["PREFECT_API_URL"] = server.url
    from prefect.context import refresh_global_settings_context

    refresh_global_settings_context()  # Prefect read its settings when imported


class LocalServer:
    """A temporary Prefect server, a child in its own session, answering on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        from prefect.settings import get_current_settings

        self.patience = max(STARTUP_DEADLINE, get_current_settings().server.ephemeral.startup_timeout_seconds)
        deadline = time.monotonic() + self.patience
        env = dict(os.environ, PREFECT_UI_ENABLED="false")
        self.proc = subprocess.Popen(
            [*SERVER, str(os.getpid())], env=env, stdout=subprocess.PIPE, text=True, start_new_session=True
        )
        try:
            assert self.proc.stdout is not None
            port = self.proc.stdout.readline().strip()
            self.proc.stdout.close()
            self.url = f"http://127.0.0.1:{port}/api"
            self._wait_until_healthy(deadline)
        except BaseException:
            self.stop()
            raise

    def _wait_until_healthy(self, deadline: float) -> None:
        while self.proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=2, trust_env=False).status_code == 200:  # no proxy
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        if self.proc.poll() is not None:
            raise PrefectUnavailable(f"the temporary Prefect server ended while starting (exit {self.proc.returncode})")
        raise PrefectUnavailable(f"the temporary Prefect server did not answer within {self.patience:.0f} s")

    def stop(self) -> None:
        """SIGTERM to the server's session, then SIGKILL if it has not ended within lifeline.GRACE."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(lifeline.GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            self.proc.wait()


def main() -> int:
    """The server process: bind a free port, say it, serve Prefect's API until stopped or orphaned."""
    import uvicorn

    server: uvicorn.Server | None = None

    def stop() -> None:  # uvicorn's own graceful exit; before it serves, there is nothing to close
        if server is None:
            os._exit(1)
        server.should_exit = True

    lifeline.end_with_parent(stop, parent=int(sys.argv[1]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    os.dup2(2, 1)  # the parent has stopped reading stdout

    from prefect.server.api.server import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(ephemeral=True, final=True), log_level="error", lifespan="on"))
    server.run(sockets=[sock])
    return 0
