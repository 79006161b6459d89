"""asyncpg: ``timeout_policy.asyncpg.create_pool(dsn, **kwargs)`` and ``timeout_policy.asyncpg.connect(dsn, **kwargs)``,
drop-in for asyncpg's own (``await`` them, or ``async with create_pool(...) as pool``) (SPEC 9.2).

Applied: ``timeout`` (the connect timeout, float s) ← ``connection_timeout``; every ``pool.acquire()`` without a
timeout of its own (and ``pool.fetch()``, ``pool.execute()``, …) waits at most the served ``pool_timeout``;
``min_size`` ← ``pool_size``, ``max_size`` ← ``pool_size + max_overflow``, ``max_inactive_connection_lifetime``
← ``pool_recycle`` (s). The application's own arguments win (logged).

Reported: every physical connect (``connection``; the pool's first success also as ``initialization``) and every
acquisition that waited longer than the threshold or timed out (``pool``). asyncpg has no health check to time.

The start-up configuration is asked on a worker thread when it is not known yet, and attempts are only queued on
the loop: the event loop never waits for the service. asyncpg 0.27 has no ``connect=`` hook yet, so the pool
is asyncpg's ``Pool`` with its connect (``_get_new_connection``) and acquire (``_acquire``) timed — the two
methods every asyncpg from 0.18 to 0.30 has.
"""

from __future__ import annotations

import asyncio
import inspect
import time
import weakref
from typing import Any, Callable, Dict, Generator, List, Optional, Set, Tuple

import asyncpg
import asyncpg.pool

from . import integration, knobs
from .integration import Policy, Recorder

_ENVIRONMENT = "timeout_policy_environment"


async def connect(dsn: Optional[str] = None, **kwargs: Any) -> Any:
    """``asyncpg.connect`` with the served connect timeout (``timeout``), timed and reported. The first
    successful connect of the process is also its ``initialization``."""
    policy = await integration.policy_off_loop(kwargs.pop(_ENVIRONMENT, None))
    settings = _connect_timeout(policy, kwargs)
    recorder = policy.shared_recorder("asyncpg.connect", integration.seconds(kwargs.get("timeout", 60.0)), settings)
    started = time.perf_counter()
    try:
        connection = await asyncpg.connect(dsn, **kwargs)
    except Exception as error:
        recorder.connection(started, time.perf_counter() - started, error)
        raise
    recorder.connection(started, time.perf_counter() - started)
    return connection


def create_pool(dsn: Optional[str] = None, **kwargs: Any) -> "PoolStarter":
    """``asyncpg.create_pool`` with the served values; ``await`` it (or ``async with`` it) as asyncpg's own.
    The pool is a :class:`Pool`, an ``asyncpg.Pool``."""
    return PoolStarter(dsn, kwargs)


class PoolStarter:
    """What :func:`create_pool` answers: the pool is made once the configuration is known (asked off the loop)."""

    def __init__(self, dsn: Optional[str], kwargs: Dict[str, Any]) -> None:
        self._dsn = dsn
        self._kwargs = dict(kwargs)
        self._pool: Optional[Pool] = None

    def __await__(self) -> Generator[Any, None, "Pool"]:
        return self._start().__await__()

    async def __aenter__(self) -> "Pool":
        return await self._start()

    async def __aexit__(self, *exc: object) -> None:
        if self._pool is not None:
            await self._pool.close()

    async def _start(self) -> "Pool":
        if self._pool is None:
            policy = await integration.policy_off_loop(self._kwargs.pop(_ENVIRONMENT, None))
            self._pool = make_pool(policy, self._dsn, self._kwargs)
        await self._pool
        return self._pool


class Pool(asyncpg.pool.Pool):
    """asyncpg's pool, its physical connects and its acquisitions timed."""

    __slots__ = ("_tp_recorder", "_tp_acquire_timeout", "_tp_connects", "timeout_policy", "__weakref__")

    def __init__(self, *args: Any, tp_recorder: Recorder, tp_acquire_timeout: Optional[float],
                 tp_applied: integration.Applied, **kwargs: Any) -> None:
        #: What the pool was made with: source, policy version, each knob (SPEC 9.1 point 5).
        self.timeout_policy = tp_applied
        self._tp_recorder = tp_recorder
        self._tp_acquire_timeout = tp_acquire_timeout
        # When each connection's connect began, to tell a wait from a connect made for an acquisition.
        self._tp_connects: "weakref.WeakKeyDictionary[Any, float]" = weakref.WeakKeyDictionary()
        super().__init__(*args, **kwargs)

    async def _get_new_connection(self) -> Any:
        started = time.perf_counter()
        try:
            connection = await super()._get_new_connection()
        except Exception as error:
            self._tp_recorder.connection(started, time.perf_counter() - started, error)
            integration.mark_connect_failure(error)
            raise
        self._tp_recorder.connection(started, time.perf_counter() - started)
        self._tp_connects[connection] = started
        return connection

    async def _acquire(self, timeout: Optional[float]) -> Any:
        if timeout is None:
            timeout = self._tp_acquire_timeout
        started = time.perf_counter()
        try:
            proxy = await super()._acquire(timeout)
        except Exception as error:
            if not integration.is_connect_failure(error):
                self._tp_recorder.pool_wait(time.perf_counter() - started, error, timeout)
            raise
        waited = time.perf_counter() - started
        if waited > self._tp_recorder.pool_wait_threshold:
            connect_began = self._tp_connects.get(getattr(proxy, "_con", None))
            if connect_began is not None and connect_began >= started:
                waited = connect_began - started
            if waited > self._tp_recorder.pool_wait_threshold:
                self._tp_recorder.pool_wait(waited, None, timeout)
        return proxy


def make_pool(policy: Policy, dsn: Optional[str], kwargs: Dict[str, Any]) -> Pool:
    """The (not yet started) :class:`Pool` with the policy's values applied to ``kwargs``."""
    named: Dict[str, Any] = {}
    given = set()
    for name, parameter in inspect.signature(asyncpg.create_pool).parameters.items():
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            if name in kwargs:
                given.add(name)
            named[name] = kwargs.pop(name, parameter.default)
    settings: List[knobs.Setting] = []
    acquire_timeout: Optional[float] = None
    config = policy.config
    if config is not None:
        settings += _connect_timeout(policy, kwargs)
        low, high = knobs.sizes(config, named["min_size"] if "min_size" in given else None,
                                named["max_size"] if "max_size" in given else None)
        named["min_size"], named["max_size"] = low.applied, high.applied
        lifetime = knobs.float_seconds("max_inactive_connection_lifetime", float(config.pool.pool_recycle))
        if "max_inactive_connection_lifetime" in given:
            lifetime = knobs.explicit(lifetime, named["max_inactive_connection_lifetime"])
        named["max_inactive_connection_lifetime"] = lifetime.applied
        # No pool-wide knob exists: acquire(timeout=...) of the application wins, call by call.
        acquire = knobs.float_seconds("acquire(timeout)", config.timeouts.pool_timeout)
        acquire_timeout = acquire.applied
        settings += [acquire, low, high, lifetime]
    integration.log_applied("asyncpg pool", policy, settings)
    recorder = policy.recorder("asyncpg pool", integration.seconds(kwargs.get("timeout", 60.0)))
    pool = Pool(dsn, tp_recorder=recorder, tp_acquire_timeout=acquire_timeout, tp_applied=policy.applied(settings),
                **named, **kwargs)
    if config is not None:
        policy.on_change(_live(pool, {s.knob for s in settings if s.reason == knobs.APPLICATION}))
    return pool


def _live(pool: Pool, own: Set[str]) -> Callable[[Any, Any], bool]:
    """SPEC 9.3: a new version's ``pool_timeout`` becomes the acquire timeout at once (read at each
    ``acquire()``), its connect timeout that of the next physical connects (asyncpg reuses the parameters of
    its first connect: both are changed); sizes and lifetime wait for the next start. Plain attribute writes
    on the watch's thread: the loop reads them at its next acquire or connect, and nothing here awaits."""
    reference = weakref.ref(pool)

    def apply(before: Any, after: Any) -> bool:
        pool = reference()
        if pool is None:
            return False
        changes: List[Tuple[knobs.Setting, knobs.Setting, str]] = []
        old = knobs.float_seconds("acquire(timeout)", before.timeouts.pool_timeout)
        new = knobs.float_seconds("acquire(timeout)", after.timeouts.pool_timeout)
        if old.applied != new.applied:
            pool._tp_acquire_timeout = new.applied
            changes.append((old, new, integration.LIVE))
        old = knobs.float_seconds("timeout", before.timeouts.connection_timeout)
        new = knobs.float_seconds("timeout", after.timeouts.connection_timeout)
        connect_timeout = pool._tp_recorder.connect_timeout
        if old.applied != new.applied and "timeout" not in own:
            pool._connect_kwargs["timeout"] = new.applied
            working = getattr(pool, "_working_params", None)
            if working is not None and hasattr(working, "_replace"):
                pool._working_params = working._replace(connect_timeout=new.applied)
            connect_timeout = new.applied
            changes.append((old, new, integration.NEW_CONNECTS))
        for old, new in integration.differences(_advice(before), _advice(after)):
            if new.knob not in own:
                changes.append((old, new, integration.NEXT_START))
        pool._tp_recorder.adopt(after, connect_timeout)
        integration.log_change("asyncpg pool", before, after, changes)
        return True

    return apply


def _advice(config: Any) -> List[knobs.Setting]:
    low, high = knobs.sizes(config, None, None)
    return [low, high, knobs.float_seconds("max_inactive_connection_lifetime", float(config.pool.pool_recycle))]


def _connect_timeout(policy: Policy, kwargs: Dict[str, Any]) -> List[knobs.Setting]:
    """asyncpg's ``timeout`` (float s, its own default 60) ← ``connection_timeout``, into ``kwargs``."""
    if policy.config is None:
        return []
    setting = knobs.float_seconds("timeout", policy.config.timeouts.connection_timeout)
    if kwargs.get("timeout") is not None:
        setting = knobs.explicit(setting, kwargs["timeout"])
    kwargs["timeout"] = setting.applied
    return [setting]
