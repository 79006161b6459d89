"""The one place where a driver's exception becomes a failure type of SPEC 9.1 (the words the JVM client uses too).

It reads what each driver really raises (checked against real servers in tests/test_failures.py), without
importing any driver: SQLSTATE codes where a driver gives them (asyncpg, psycopg's ``sqlstate``, psycopg2's
``pgcode``), the standard library's exception types (asyncpg lets socket errors through), and libpq's
messages, which psycopg2 and psycopg pass on without a code for failures before the session starts. A
wrapper's exception (SQLAlchemy's ``.orig``, ``__cause__``, ``__context__``) is followed to the driver's.
"""

from __future__ import annotations

import errno
import socket
import ssl
from typing import List, Optional

DATABASE_TIMEOUT = "database_timeout"
CONNECTION_REFUSED = "connection_refused"
AUTHENTICATION_FAILED = "authentication_failed"
DNS_FAILURE = "dns_failure"
SSL_FAILURE = "ssl_failure"
UNKNOWN = "unknown"

#: Every failure type this client reports, in SPEC 9.1's order.
FAILURE_TYPES = (DATABASE_TIMEOUT, CONNECTION_REFUSED, AUTHENTICATION_FAILED, DNS_FAILURE, SSL_FAILURE, UNKNOWN)

# SQLSTATE class 28 is "invalid authorization specification": 28P01 a wrong password, 28000 no pg_hba entry
# or a refused role. 57014 is a statement cancelled by statement_timeout (the table_setup phase).
_SQLSTATE = {"28P01": AUTHENTICATION_FAILED, "28000": AUTHENTICATION_FAILED, "57014": DATABASE_TIMEOUT}

# libpq's words (psycopg2 and psycopg), asyncpg's own, lower-cased; the first group that matches wins.
_MESSAGES = (
    (SSL_FAILURE, ("does not support ssl", "ssl upgrade", "ssl error", "ssl syscall", "certificate verify",
                   "sslmode", "ssl negotiation", "ssl connection has been closed")),
    (DNS_FAILURE, ("could not translate host name", "name or service not known", "nodename nor servname",
                   "temporary failure in name resolution", "no address associated with hostname",
                   "name does not resolve")),
    (AUTHENTICATION_FAILED, ("password authentication failed", "authentication failed",
                             "no pg_hba.conf entry", "no password supplied", "password is required",
                             "pg_hba.conf rejects")),
    (CONNECTION_REFUSED, ("connection refused", "[errno 111]", "connect call failed")),
    (DATABASE_TIMEOUT, ("timeout expired", "timed out", "timeout", "canceling statement due to statement timeout")),
)


def classify(error: Optional[BaseException]) -> str:
    """The failure type of ``error``: ``database_timeout``, ``connection_refused``, ``authentication_failed``,
    ``dns_failure``, ``ssl_failure``, else ``unknown``. Never raises."""
    try:
        chain = _chain(error)
        for link in chain:  # what a driver states outright comes first
            found = _by_code(link) or _by_type(link)
            if found:
                return found
        for link in chain:
            found = _by_message(link)
            if found:
                return found
    except Exception:  # a strange exception object must not break reporting
        pass
    return UNKNOWN


def _chain(error: Optional[BaseException]) -> List[BaseException]:
    seen: List[BaseException] = []
    todo = [error]
    while todo and len(seen) < 16:
        link = todo.pop(0)
        if link is None or any(link is s for s in seen):
            continue
        seen.append(link)
        todo.append(getattr(link, "orig", None))  # SQLAlchemy's DBAPIError
        todo.append(link.__cause__)
        todo.append(link.__context__)
        inner = getattr(link, "exceptions", None)  # an ExceptionGroup, or asyncio's "Multiple exceptions"
        if isinstance(inner, (list, tuple)):
            todo.extend(e for e in inner if isinstance(e, BaseException))
    return seen


def _by_code(error: BaseException) -> Optional[str]:
    for attribute in ("sqlstate", "pgcode"):
        code = getattr(error, attribute, None)
        if isinstance(code, str) and code in _SQLSTATE:
            return _SQLSTATE[code]
    return None


def _by_type(error: BaseException) -> Optional[str]:
    if isinstance(error, socket.gaierror):
        return DNS_FAILURE
    if isinstance(error, ssl.SSLError):
        return SSL_FAILURE
    if isinstance(error, ConnectionRefusedError):
        return CONNECTION_REFUSED
    if isinstance(error, (TimeoutError, socket.timeout)):  # asyncio.TimeoutError is TimeoutError from 3.11
        return DATABASE_TIMEOUT
    name = type(error).__name__
    # asyncio.TimeoutError before 3.11, psycopg's ConnectionTimeout, psycopg_pool's PoolTimeout, SQLAlchemy's
    # pool TimeoutError: each a timeout of its own class, none a subclass of the built-in one.
    if name.endswith("Timeout") or name in ("TimeoutError", "QueryCanceledError"):
        return DATABASE_TIMEOUT
    if isinstance(error, OSError) and error.errno == errno.ECONNREFUSED:
        return CONNECTION_REFUSED
    return None


def _by_message(error: BaseException) -> Optional[str]:
    text = str(error).lower()
    if not text:
        return None
    for failure_type, words in _MESSAGES:
        if any(word in text for word in words):
            return failure_type
    return None
