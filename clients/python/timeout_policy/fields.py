"""The fields of an attempt and of the client's identity, checked as the service checks them (SPEC 2, 5, 9.1)."""

from __future__ import annotations

import datetime
import logging
import math
import os
import re
import socket
import uuid
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from .reporting import DEFAULT_MAX_PER_SECOND

log = logging.getLogger("timeout_policy")

ENVIRONMENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # SPEC 2
MAX_SECONDS = 86400.0  # the service's bound on durations and timeouts
MAX_TEXT = 128  # the service's bound on free-form attempt fields


def complete(attempt: Dict[str, Any]) -> None:
    # On the reporting thread: what the integrations leave out to stay cheap on the connecting one.
    if "id" not in attempt:
        attempt["id"] = str(uuid.uuid4())
    when = attempt.get("occurred_at")
    if isinstance(when, float):
        attempt["occurred_at"] = instant(datetime.datetime.fromtimestamp(when, datetime.timezone.utc))


def default_instance() -> Optional[str]:
    """``<host name>:<process id>`` (SPEC 9.1), the same words as the JVM client's."""
    host = hostname()
    return ("%s:%d" % (host, os.getpid()))[:MAX_TEXT] if host else "pid-%d" % os.getpid()


def max_reports_per_second_of(environment: Mapping[str, str]) -> float:
    raw = environment.get("TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND")
    try:
        value = float(raw) if raw else DEFAULT_MAX_PER_SECOND
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        log.warning("timeout-policy: TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND=%r is not a positive number; using %s",
                    raw, DEFAULT_MAX_PER_SECOND)
        return DEFAULT_MAX_PER_SECOND
    return value


def environment_name(environment: str) -> str:
    if not isinstance(environment, str) or not ENVIRONMENT.match(environment.lower()):
        raise ValueError("malformed environment name %r (SPEC 2: [a-z0-9][a-z0-9_-]{0,63})" % (environment,))
    return environment.lower()


def pressure_names(pressure: Union[str, Iterable[str]]) -> List[str]:
    names = pressure.split(",") if isinstance(pressure, str) else list(pressure)
    unique: List[str] = []
    for name in (n.strip() for n in names):
        if name and name not in unique:
            unique.append(name)
    return unique


def seconds(field: str, value: Any, allow_zero: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s must be a number of seconds" % field)
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero) or value > MAX_SECONDS:
        raise ValueError("%s must be %s 0 and at most %d seconds, got %r"
                         % (field, "≥" if allow_zero else ">", MAX_SECONDS, value))
    return value


def instant(value: Union[None, str, datetime.datetime]) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        value = datetime.datetime.now(datetime.timezone.utc)
    elif value.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hostname() -> Optional[str]:
    try:
        return socket.gethostname()[:MAX_TEXT] or None
    except OSError:
        return None
