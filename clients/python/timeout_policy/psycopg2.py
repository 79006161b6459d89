"""psycopg2: ``timeout_policy.psycopg2.connect(dsn, **kwargs)``, drop-in for ``psycopg2.connect`` (SPEC 9.2).

Applied: ``connect_timeout`` (libpq: whole seconds rounded up, at least 2) ← ``connection_timeout``, unless the
application gives one (argument or DSN), which wins (logged). Reported: the connect (``connection``; the
first success of the process also as ``initialization``). psycopg2's own pools are made with
``psycopg2.pool.*(…, connect_timeout=…)``; SQLAlchemy's plugin covers pooled psycopg2.
"""

from __future__ import annotations

import time
from typing import Any, Optional

import psycopg2
import psycopg2.extensions

from . import integration, knobs

_ENVIRONMENT = "timeout_policy_environment"


def connect(dsn: Optional[str] = None, connection_factory: Any = None, cursor_factory: Any = None,
            **kwargs: Any) -> Any:
    policy = integration.policy(kwargs.pop(_ENVIRONMENT, None))
    own = kwargs.get("connect_timeout")
    if own is None and dsn:
        try:
            own = psycopg2.extensions.parse_dsn(dsn).get("connect_timeout")
        except psycopg2.ProgrammingError:  # psycopg2 will say what is wrong with it
            pass
    settings = []
    timeout = integration.libpq_timeout(own)
    if policy.config is not None:
        setting = knobs.libpq_seconds("connect_timeout", policy.config.timeouts.connection_timeout)
        if own is not None:
            setting = knobs.explicit(setting, own)
        else:
            kwargs["connect_timeout"] = setting.applied
        settings.append(setting)
        timeout = integration.libpq_timeout(setting.applied)
    recorder = policy.shared_recorder("psycopg2.connect", timeout, settings)
    started = time.perf_counter()
    try:
        connection = psycopg2.connect(dsn, connection_factory, cursor_factory, **kwargs)
    except Exception as error:
        recorder.connection(started, time.perf_counter() - started, error)
        raise
    recorder.connection(started, time.perf_counter() - started)
    return connection
