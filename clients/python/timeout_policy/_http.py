"""HTTP with a total deadline: connect, send, headers and body together, whatever the server does.

A socket timeout bounds each read, not the whole exchange (a server that sends one byte a second never
trips it), and name resolution has no timeout at all; so a call that must end by a deadline runs in a
daemon thread and the caller stops waiting at the deadline. The thread's own socket timeouts are the
time left, so it ends soon after.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from . import __version__

MAX_BODY = 4 * 1024 * 1024
USER_AGENT = "timeout-policy-python/" + __version__
T = TypeVar("T")


class BudgetExceeded(TimeoutError):
    """The deadline passed before the service answered."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def problem_type(self) -> Optional[str]:
        """The ``type`` of a problem answer (RFC 9457), else None."""
        if not self.headers.get("content-type", "").startswith("application/problem+json"):
            return None
        try:
            kind = self.json().get("type")
            return kind if isinstance(kind, str) else None
        except (ValueError, AttributeError):
            return None

    def problem(self) -> str:
        """The ``detail`` of a problem answer (RFC 9457), else the start of the body."""
        try:
            detail = self.json().get("detail")
            if isinstance(detail, str):
                return detail
        except (ValueError, AttributeError):
            pass
        return self.body[:200].decode("utf-8", "replace")


def url(base_url: str, path: str, query: Optional[Dict[str, str]] = None) -> str:
    """``base_url`` (which may carry a path prefix) + ``path`` with ``{}`` segments quoted by the caller."""
    result = base_url.rstrip("/") + path
    if query:
        result += "?" + urlencode(query)
    return result


def segment(value: str) -> str:
    return quote(value, safe="")


def request(method: str, target: str, *, deadline: float, headers: Dict[str, str], body: Optional[bytes] = None,
            connection: Optional[http.client.HTTPConnection] = None) -> Response:
    """One HTTP exchange whose socket operations each get the time left until ``deadline``
    (``time.monotonic()``). Raises OSError, http.client.HTTPException or BudgetExceeded."""
    parts = urlsplit(target)
    own = connection is None
    if connection is None:
        connection = open_connection(target, _left(deadline))
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    all_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    all_headers.update(headers)
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    try:
        connection.timeout = _left(deadline)
        if connection.sock is not None:
            connection.sock.settimeout(_left(deadline))
        connection.request(method, path, body=body, headers=all_headers)
        if connection.sock is not None:
            connection.sock.settimeout(_left(deadline))
        response = connection.getresponse()
        chunks = []
        size = 0
        while True:
            if connection.sock is not None:
                connection.sock.settimeout(_left(deadline))
            chunk = response.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                raise http.client.HTTPException("answer larger than %d bytes" % MAX_BODY)
            chunks.append(chunk)
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, b"".join(chunks))
    except BaseException:
        connection.close()
        raise
    finally:
        if own:
            connection.close()


def open_connection(target: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(target)
    if not parts.hostname:
        raise ValueError("unsupported URL %r: no host" % target)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    if parts.scheme == "http":
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    raise ValueError("unsupported URL %r: expected http:// or https://" % target)


def within(deadline: float, call: Callable[[], T]) -> T:
    """Runs ``call`` in a daemon thread and answers its result, or raises BudgetExceeded at ``deadline``
    (the thread is left to end by its own timeouts)."""
    outcome: Dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as e:  # handed to the caller
            outcome["error"] = e
        finally:
            done.set()

    threading.Thread(target=run, name="timeout-policy-request", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        raise BudgetExceeded("no answer within the budget")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def describe(error: BaseException) -> str:
    """A short, readable cause for logs and ``StartupConfig.error``."""
    if isinstance(error, BudgetExceeded):
        return str(error)
    if isinstance(error, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return "%s: %s" % (type(error).__name__, error) if str(error) else type(error).__name__


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise BudgetExceeded("no answer within the budget")
    return left
