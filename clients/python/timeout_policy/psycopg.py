"""psycopg 3: ``timeout_policy.psycopg.ConnectionPool(conninfo, **kwargs)`` and ``AsyncConnectionPool`` (psycopg_pool's,
with the served values), ``connect(conninfo, **kwargs)`` and ``connect_async(...)`` for a plain connection
(SPEC 9.2).

Applied: ``connect_timeout`` (libpq: whole seconds rounded up, at least 2) ← ``connection_timeout``, in the
connection arguments (the pool's ``kwargs``); the pool's ``timeout`` (float s) ← the served ``pool_timeout``;
``min_size`` ← ``pool_size``, ``max_size`` ← ``pool_size + max_overflow``, ``max_lifetime`` ← ``pool_recycle``
(s); and, where the pool takes a ``check=`` callback (psycopg_pool 3.2 and later), ``pool_pre_ping`` true gives
``check=ConnectionPool.check_connection``. The application's own arguments (including ``connect_timeout`` in
the conninfo string) win, and the log says so.

Reported: every physical connect (``connection``; the pool's first success also as ``initialization``), every
check (``health_check``), and every ``getconn()``/``connection()`` that waited longer than the threshold or timed
out (``pool``). Connects are timed by the pool's ``connection_class`` (a subclass of the application's own):
``configure=`` only ever sees the connects that succeeded, and ``reconnect_failed=`` only the pool giving up.
"""

from __future__ import annotations

import inspect
import time
import weakref
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

import psycopg
from psycopg.conninfo import conninfo_to_dict

from . import integration, knobs
from .integration import Policy, Recorder

try:  # psycopg_pool is a package of its own: without it, connect() still works
    import psycopg_pool as _pool
except ImportError:  # pragma: no cover - Debian's python3-psycopg-pool is installed by .ci/run
    _pool = None  # type: ignore[assignment]

_ENVIRONMENT = "timeout_policy_environment"


def connect(conninfo: str = "", **kwargs: Any) -> "psycopg.Connection[Any]":
    """``psycopg.connect`` with the served ``connect_timeout``, timed and reported (the first success of the
    process also as ``initialization``)."""
    policy = integration.policy(kwargs.pop(_ENVIRONMENT, None))
    settings, timeout = connect_timeout(policy, conninfo, kwargs)
    recorder = policy.shared_recorder("psycopg.connect", timeout, settings)
    started = time.perf_counter()
    try:
        connection = psycopg.Connection.connect(conninfo, **kwargs)
    except Exception as error:
        recorder.connection(started, time.perf_counter() - started, error)
        raise
    recorder.connection(started, time.perf_counter() - started)
    return connection


async def connect_async(conninfo: str = "", **kwargs: Any) -> "psycopg.AsyncConnection[Any]":
    """``psycopg.AsyncConnection.connect`` likewise; the configuration is asked off the event loop."""
    policy = await integration.policy_off_loop(kwargs.pop(_ENVIRONMENT, None))
    settings, timeout = connect_timeout(policy, conninfo, kwargs)
    recorder = policy.shared_recorder("psycopg.connect_async", timeout, settings)
    started = time.perf_counter()
    try:
        connection = await psycopg.AsyncConnection.connect(conninfo, **kwargs)
    except Exception as error:
        recorder.connection(started, time.perf_counter() - started, error)
        raise
    recorder.connection(started, time.perf_counter() - started)
    return connection


def connect_timeout(policy: Policy, conninfo: str, kwargs: Dict[str, Any]) -> Tuple[List[knobs.Setting], Optional[float]]:
    """libpq's ``connect_timeout`` ← ``connection_timeout`` into ``kwargs`` unless the application gave one (in
    ``kwargs`` or ``conninfo``); answers the settings and the timeout in force (seconds; None for none)."""
    try:
        own = kwargs.get("connect_timeout", conninfo_to_dict(conninfo).get("connect_timeout")) if conninfo \
            else kwargs.get("connect_timeout")
    except psycopg.ProgrammingError:  # a malformed conninfo: psycopg will say so itself
        own = kwargs.get("connect_timeout")
    if policy.config is None:
        return [], integration.libpq_timeout(own)
    setting = knobs.libpq_seconds("connect_timeout", policy.config.timeouts.connection_timeout)
    if own is not None:
        setting = knobs.explicit(setting, own)
    else:
        kwargs["connect_timeout"] = setting.applied
    return [setting], integration.libpq_timeout(setting.applied)


def _pool_arguments(policy: Policy, conninfo: str, kwargs: Dict[str, Any], pool_class: type,
                    connection_class: type, manager: str) -> Tuple[Dict[str, Any], Recorder, integration.Applied]:
    accepted = _parameters(pool_class)
    connection_kwargs = dict(kwargs.get("kwargs") or {})
    settings, timeout = connect_timeout(policy, conninfo, connection_kwargs)
    kwargs["kwargs"] = connection_kwargs
    config = policy.config
    if config is not None:
        wait = knobs.float_seconds("timeout", config.timeouts.pool_timeout)
        low, high = knobs.sizes(config, kwargs.get("min_size"), kwargs.get("max_size"))
        lifetime = knobs.float_seconds("max_lifetime", float(config.pool.pool_recycle))
        for setting in (wait, low, high, lifetime):
            if setting.knob in kwargs and setting.reason != knobs.APPLICATION:
                setting = knobs.explicit(setting, kwargs[setting.knob])
            kwargs[setting.knob] = setting.applied
            settings.append(setting)
        if config.pool.pool_pre_ping and "check" not in kwargs:
            if "check" in accepted:
                kwargs["check"] = getattr(pool_class, "check_connection")
                settings.append(knobs.plain("check", "check_connection"))
            else:
                integration.once(("psycopg_pool check",), "timeout-policy: %s: pool_pre_ping is not applied:"
                                 " psycopg_pool %s takes no check= (3.2 does)", manager,
                                 getattr(_pool, "__version__", "?"))
    recorder = policy.recorder(manager, timeout)
    integration.log_applied(manager, policy, settings)
    if config is not None:
        kwargs["connection_class"] = _timed(kwargs.get("connection_class", connection_class), recorder)
        if kwargs.get("check") is not None:
            kwargs["check"] = _timed_check(kwargs["check"], recorder)
    return kwargs, recorder, policy.applied(settings)


def _live(pool: Any, policy: Policy, manager: str) -> None:
    """SPEC 9.3: a new version's ``pool_timeout`` becomes the pool's ``timeout`` (read at each ``getconn()``
    without a timeout of its own), its ``connect_timeout`` goes into the connection arguments the pool connects
    with (``pool.kwargs``: new physical connects); sizes and lifetime wait for the next start."""
    if policy.config is None:
        return
    own = {s.knob for s in pool.timeout_policy.settings if s.reason == knobs.APPLICATION}
    reference = weakref.ref(pool)

    def apply(before: Any, after: Any) -> bool:
        pool = reference()
        if pool is None:
            return False
        changes: List[Tuple[knobs.Setting, knobs.Setting, str]] = []
        old = knobs.float_seconds("timeout", before.timeouts.pool_timeout)
        new = knobs.float_seconds("timeout", after.timeouts.pool_timeout)
        if old.applied != new.applied and "timeout" not in own:
            pool.timeout = new.applied
            changes.append((old, new, integration.LIVE))
        old = knobs.libpq_seconds("connect_timeout", before.timeouts.connection_timeout)
        new = knobs.libpq_seconds("connect_timeout", after.timeouts.connection_timeout)
        connect_timeout = pool._tp_recorder.connect_timeout
        if old.applied != new.applied and "connect_timeout" not in own:
            pool.kwargs["connect_timeout"] = new.applied
            connect_timeout = integration.libpq_timeout(new.applied)
            changes.append((old, new, integration.NEW_CONNECTS))
        for old, new in integration.differences(_advice(before), _advice(after)):
            if new.knob not in own:
                changes.append((old, new, integration.NEXT_START))
        pool._tp_recorder.adopt(after, connect_timeout)
        integration.log_change(manager, before, after, changes)
        return True

    policy.on_change(apply)


def _advice(config: Any) -> List[knobs.Setting]:
    low, high = knobs.sizes(config, None, None)
    return [low, high, knobs.float_seconds("max_lifetime", float(config.pool.pool_recycle))]


def _parameters(cls: type) -> Set[str]:
    names: Set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None:
            names.update(inspect.signature(init).parameters)
    return names


def _timed(connection_class: Any, recorder: Recorder) -> Any:
    """A subclass of ``connection_class`` whose ``connect`` (the pool's only way to connect) is timed."""
    if inspect.iscoroutinefunction(connection_class.connect):
        async def connect_async(cls: Any, conninfo: str = "", **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                connection = await super(timed, cls).connect(conninfo, **kwargs)
            except Exception as error:
                recorder.connection(started, time.perf_counter() - started, error)
                raise
            recorder.connection(started, time.perf_counter() - started)
            return connection
        method: Any = classmethod(connect_async)
    else:
        def connect(cls: Any, conninfo: str = "", **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                connection = super(timed, cls).connect(conninfo, **kwargs)
            except Exception as error:
                recorder.connection(started, time.perf_counter() - started, error)
                raise
            recorder.connection(started, time.perf_counter() - started)
            return connection
        method = classmethod(connect)
    timed: Any = type(connection_class.__name__, (connection_class,), {"connect": method,
                                                                       "__module__": connection_class.__module__})
    return timed


def _timed_check(check: Callable[[Any], Any], recorder: Recorder) -> Callable[[Any], Any]:
    if inspect.iscoroutinefunction(check):
        async def timed_check_async(connection: Any) -> None:
            started = time.perf_counter()
            try:
                await check(connection)
            except Exception as error:
                recorder.health_check(time.perf_counter() - started, error)
                raise
            recorder.health_check(time.perf_counter() - started)
        return timed_check_async

    def timed_check(connection: Any) -> None:
        started = time.perf_counter()
        try:
            check(connection)
        except Exception as error:
            recorder.health_check(time.perf_counter() - started, error)
            raise
        recorder.health_check(time.perf_counter() - started)
    return timed_check


if _pool is not None:

    class ConnectionPool(_pool.ConnectionPool):
        """psycopg_pool's ``ConnectionPool`` with the served values; ``getconn()`` / ``connection()`` timed.
        ``pool.timeout_policy`` says what it was made with (source, policy version, each knob)."""

        def __init__(self, conninfo: str = "", **kwargs: Any) -> None:
            policy = integration.policy(kwargs.pop(_ENVIRONMENT, None))
            kwargs, self._tp_recorder, self.timeout_policy = _pool_arguments(
                policy, conninfo, kwargs, _pool.ConnectionPool, psycopg.Connection, "psycopg_pool")
            super().__init__(conninfo, **kwargs)
            _live(self, policy, "psycopg_pool")

        def getconn(self, timeout: Optional[float] = None) -> Any:
            started = time.perf_counter()
            try:
                connection = super().getconn(timeout)
            except Exception as error:
                self._tp_recorder.pool_wait(time.perf_counter() - started, error, timeout or self.timeout)
                raise
            waited = time.perf_counter() - started
            if waited > self._tp_recorder.pool_wait_threshold:
                self._tp_recorder.pool_wait(waited, None, timeout or self.timeout)
            return connection

    class AsyncConnectionPool(_pool.AsyncConnectionPool):
        """psycopg_pool's ``AsyncConnectionPool`` likewise. Made like psycopg_pool's own, in a coroutine; the
        configuration is asked there once per process (at most the budget, the first time)."""

        def __init__(self, conninfo: str = "", **kwargs: Any) -> None:
            policy = integration.policy(kwargs.pop(_ENVIRONMENT, None))
            kwargs, self._tp_recorder, self.timeout_policy = _pool_arguments(
                policy, conninfo, kwargs, _pool.AsyncConnectionPool, psycopg.AsyncConnection, "psycopg_pool async")
            super().__init__(conninfo, **kwargs)
            _live(self, policy, "psycopg_pool async")

        async def getconn(self, timeout: Optional[float] = None) -> Any:
            started = time.perf_counter()
            try:
                connection = await super().getconn(timeout)
            except Exception as error:
                self._tp_recorder.pool_wait(time.perf_counter() - started, error, timeout or self.timeout)
                raise
            waited = time.perf_counter() - started
            if waited > self._tp_recorder.pool_wait_threshold:
                self._tp_recorder.pool_wait(waited, None, timeout or self.timeout)
            return connection
