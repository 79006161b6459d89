"""What every integration shares (SPEC 9.1): its settings from the environment, one client per process (one
reporting queue, one rate cap), the start-up configuration of its environment, and a :class:`Recorder` per pool
that turns what the pool observed into attempts.

Environment (the same names as the JVM client's):

* ``TIMEOUT_POLICY_URL``, ``TIMEOUT_POLICY_KEY`` — the service and a key with the ``reporter`` role;
* ``TIMEOUT_POLICY_ENVIRONMENT`` — the environment whose policy applies (without it nothing is applied);
* ``TIMEOUT_POLICY_SERVICE``, ``TIMEOUT_POLICY_INSTANCE`` — identity (instance: ``<host name>:<pid>``);
* ``TIMEOUT_POLICY_POOL_WAIT_REPORT_MS`` (default 10) — a pool acquisition is reported only when it waited
  longer, or failed;
* ``TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND`` (default 200) — attempts sent a second, per process;
* ``TIMEOUT_POLICY_WATCH`` (default ``true``) — ``false`` keeps the values a pool was made with (no watch).

Live values (SPEC 9.3): each environment is watched in the background (:meth:`Client.watch`); when the version
served to this instance changes, every pool made from it gets the values a running pool can take (each
integration's ``apply``), and the others are logged as applied at the next start.

Golden rule: nothing here raises into the application or waits beyond the client's budget (2 s); a service
that is down, slow or wrong gives the cached or the built-in values, and a missing environment none at all.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

from .client import Client, UnknownEnvironment, max_reports_per_second_of
from . import knobs
from .knobs import Setting
from .models import StartupConfig
from .recorder import Recorder, is_connect_failure, mark_connect_failure  # noqa: F401  (the integrations' API)

log = logging.getLogger("timeout_policy")

DEFAULT_POOL_WAIT_REPORT_MS = 10.0
#: A configuration from the cache or the defaults is used for the pools made within this many seconds; the
#: next one asks the service again (one answered by the service is kept for the process).
RETRY_AFTER = 60.0


@dataclass(frozen=True)
class Settings:
    """The integrations' settings, read from the process environment by :meth:`from_environment`."""

    url: Optional[str]
    key: Optional[str]
    environment: Optional[str]
    service: Optional[str]
    instance: Optional[str]
    pool_wait_report_ms: float = DEFAULT_POOL_WAIT_REPORT_MS
    max_reports_per_second: float = 200.0
    cache_dir: Optional[str] = None
    watch: bool = True

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if environ is None else environ
        return cls(url=env.get("TIMEOUT_POLICY_URL") or None, key=env.get("TIMEOUT_POLICY_KEY") or None,
                   environment=(env.get("TIMEOUT_POLICY_ENVIRONMENT") or "").strip().lower() or None,
                   service=env.get("TIMEOUT_POLICY_SERVICE") or None,
                   instance=env.get("TIMEOUT_POLICY_INSTANCE") or None,
                   pool_wait_report_ms=_milliseconds(env.get("TIMEOUT_POLICY_POOL_WAIT_REPORT_MS")),
                   max_reports_per_second=max_reports_per_second_of(env),
                   cache_dir=env.get("TIMEOUT_POLICY_CACHE_DIR") or None,
                   watch=(env.get("TIMEOUT_POLICY_WATCH") or "true").strip().lower() not in ("false", "0", "no"))


@dataclass(frozen=True)
class Applied:
    """What a pool or engine was made with (SPEC 9.1 point 5): ``source`` (``service``, ``cache``, ``defaults``,
    or ``none`` when nothing was applied), ``policy_version``, ``cache_age`` (seconds, from the cache), and each
    knob's :class:`~timeout_policy.knobs.Setting` (served value, applied value, why they differ)."""

    environment: Optional[str]
    source: str
    policy_version: Optional[int]
    cache_age: Optional[float]
    settings: Tuple[Setting, ...]

    @property
    def age_seconds(self) -> Optional[float]:
        """``cache_age`` under the name SPEC 9.1 gives it."""
        return self.cache_age

    def value(self, knob: str) -> Any:
        """The value given to ``knob`` (e.g. ``"pool_timeout"``), else None."""
        return next((s.applied for s in self.settings if s.knob == knob), None)


class Policy:
    """The start-up configuration a pool applies, with the client that reports for it. ``config`` is None
    when there is nothing to apply (no environment, or one nobody knows): the pool then runs as without the
    integration, and nothing is reported."""

    def __init__(self, client: Client, settings: Settings, environment: Optional[str],
                 config: Optional[StartupConfig], problem: Optional[str]) -> None:
        self.client = client
        self.settings = settings
        self.environment = environment
        self.config = config
        self.problem = problem
        self.made_at = time.monotonic()
        self._recorders: Dict[Tuple[str, Optional[float]], Recorder] = {}
        self._appliers: List[Callable[[StartupConfig, StartupConfig], bool]] = []

    def on_change(self, apply: Callable[[StartupConfig, StartupConfig], bool]) -> None:
        """``apply(before, after)`` is called on the watch's thread when a new version is served (SPEC 9.3); it
        answers False once its pool is gone (it is then forgotten)."""
        with _lock:
            self._appliers.append(apply)
        if self.config is not None and self.environment is not None and self.settings.watch \
                and self.client.base_url is not None:
            try:  # in a fork of the process that made this policy, the watch starts again here
                self.client.watch(self.environment)
            except Exception as e:  # never into the application
                log.warning("timeout-policy: %s is not watched: %s", self.environment, e)

    def changed(self, config: StartupConfig) -> None:
        """The watch's news: ``config`` becomes this policy's, and every pool made from it takes what it can."""
        before = self.config
        self.config = config
        if before is None:
            return
        with _lock:
            appliers = list(self._appliers)
            recorders = list(self._recorders.values())
        for recorder in recorders:  # plain connects: the next ones read self.config; attempts say the version
            recorder.adopt(config, recorder.connect_timeout)
        gone = []
        for apply in appliers:
            try:
                if not apply(before, config):
                    gone.append(apply)
            except Exception as e:  # one pool's failure must not keep the others from the new values
                log.warning("timeout-policy: a new policy version was not applied: %s: %s", type(e).__name__, e)
        if gone:
            with _lock:
                self._appliers = [a for a in self._appliers if a not in gone]

    @property
    def source(self) -> str:
        return self.config.source if self.config is not None else "none"

    def describe(self) -> str:
        """``staging from service (policy version 3)``, ``… from cache (age 42 s) …``, ``… from defaults``."""
        config = self.config
        if config is None:
            return "nothing applied (%s)" % self.problem
        age = " (age %.0f s)" % config.cache_age if config.cache_age is not None else ""
        version = "policy version %s" % config.policy_version if config.policy_version else "no policy version"
        reason = ": %s" % config.error if config.error else ""
        return "%s from %s%s, %s%s" % (config.environment, config.source, age, version, reason)

    def applied(self, settings: Iterable[Setting]) -> Applied:
        config = self.config
        return Applied(self.environment, self.source, config.policy_version if config is not None else None,
                       config.cache_age if config is not None else None, tuple(settings))

    def recorder(self, manager: str, connect_timeout: Optional[float]) -> "Recorder":
        """A recorder of one pool (its first connect is the pool's ``initialization``)."""
        return Recorder(self, manager, connect_timeout)

    def shared_recorder(self, manager: str, connect_timeout: Optional[float],
                        settings: Iterable[Setting] = ()) -> "Recorder":
        """The recorder of plain connects (no pool) of ``manager`` with this timeout: the first success of the
        process is the ``initialization``; what is applied is logged the first time."""
        key = (manager, connect_timeout)
        recorder = self._recorders.get(key)
        if recorder is None:
            with _lock:
                recorder = self._recorders.setdefault(key, Recorder(self, manager, connect_timeout))
            log_applied(manager, self, list(settings))
        return recorder


# -- one client per process, one configuration per environment ---------------------------------------------

_lock = threading.Lock()
_clients: Dict[Tuple[Any, ...], Client] = {}
_policies: Dict[Tuple[Any, ...], Policy] = {}
_logged: set = set()


def policy(environment: Optional[str] = None, settings: Optional[Settings] = None) -> Policy:
    """The policy of ``environment`` (default ``$TIMEOUT_POLICY_ENVIRONMENT``), asked once per process: the
    first call waits at most the client's budget; the next ones answer at once. Never raises."""
    settings = settings or Settings.from_environment()
    name = (environment or settings.environment or "").strip().lower() or None
    key = (settings, name)
    known = cached(environment, settings)
    if known is not None:
        return known
    client = shared_client(settings)
    config: Optional[StartupConfig] = None
    problem: Optional[str] = None
    if name is None:
        problem = "TIMEOUT_POLICY_ENVIRONMENT is not set"
    else:
        try:
            config = client.startup_config(name)
        except UnknownEnvironment as e:
            problem = str(e)
        except Exception as e:  # a malformed name, or a bug: the pool is made all the same
            problem = "%s: %s" % (type(e).__name__, e)
    made = Policy(client, settings, name, config, problem)
    if config is not None and name is not None and settings.watch and client.base_url is not None:
        try:
            client.watch(name, made.changed)
        except Exception as e:  # never into the application
            log.warning("timeout-policy: %s is not watched: %s", name, e)
    with _lock:
        known = _policies.get(key)
        if known is None or known.made_at < made.made_at:
            _policies[key] = made
    return made


def cached(environment: Optional[str] = None, settings: Optional[Settings] = None) -> Optional[Policy]:
    """The policy :func:`policy` would answer at once, else None (then asking would wait: do it off an event
    loop)."""
    settings = settings or Settings.from_environment()
    name = (environment or settings.environment or "").strip().lower() or None
    with _lock:
        known = _policies.get((settings, name))
    if known is not None and (known.source == "service" or time.monotonic() - known.made_at < RETRY_AFTER):
        return known
    return None


async def policy_off_loop(environment: Optional[str] = None) -> Policy:
    """:func:`policy` for coroutines: at once when known, else asked on a worker thread, so that the event loop
    goes on (a service that hangs holds this coroutine for the budget, never the loop)."""
    known = cached(environment)
    if known is not None:
        return known
    settings = Settings.from_environment()
    return await asyncio.get_running_loop().run_in_executor(None, policy, environment, settings)


def shared_client(settings: Settings) -> Client:
    """The one client (one queue, one rate cap) of the integrations with these settings in this process."""
    key = (settings.url, settings.key, settings.service, settings.instance, settings.max_reports_per_second,
           settings.cache_dir)
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = Client(settings.url, settings.key, settings.cache_dir, service=settings.service,
                            instance=settings.instance, max_reports_per_second=settings.max_reports_per_second)
            _clients[key] = client
    return client


def forget() -> None:
    """Forgets the configurations asked so far (the next pool asks again); the clients and their queues stay."""
    with _lock:
        _policies.clear()


def log_applied(manager: str, policy: Policy, settings: Iterable[Setting], note: str = "") -> None:
    """SPEC 9.1 point 5: once per pool at INFO, where the values came from and what each knob got; a
    rounding, a floor or the application's own value is said with the served value."""
    applied = ", ".join(s.describe() for s in settings)
    if policy.config is None:
        log.warning("timeout-policy: %s: %s; the pool is made without the service's values", manager,
                    policy.describe())
        return
    log.info("timeout-policy: %s: %s: %s%s", manager, policy.describe(), applied or "nothing to apply", note)


def log_change(manager: str, before: StartupConfig, after: StartupConfig,
               changes: Iterable[Tuple[knobs.Setting, knobs.Setting, str]]) -> None:
    """SPEC 9.3: once per pool and version at INFO, each knob whose value changed with how it was taken
    (``live``, ``new connects``, or ``at the next start`` for one a running pool cannot take)."""
    said = ", ".join("%s %s → %s%s (%s)" % (new.knob, old.applied, new.applied, " " + new.unit if new.unit else "",
                                           how) for old, new, how in changes)
    log.info("timeout-policy: %s: %s policy version %s → %s: %s", manager, after.environment,
             before.policy_version, after.policy_version, said or "no value of this pool changed")


LIVE = "live"
NEW_CONNECTS = "new connects"
NEXT_START = "applied at the next start"


def differences(before: Iterable[knobs.Setting], after: Iterable[knobs.Setting]) -> List[Tuple[knobs.Setting, knobs.Setting]]:
    """The knobs whose applied value differs between two versions, as (before, after) pairs (pure)."""
    old = {s.knob: s for s in before}
    return [(old[s.knob], s) for s in after if s.knob in old and old[s.knob].applied != s.applied]


def once(key: Any, message: str, *args: Any, level: int = logging.INFO) -> None:
    """Logs ``message`` the first time ``key`` is seen in this process."""
    with _lock:
        if key in _logged:
            return
        _logged.add(key)
    log.log(level, message, *args)


def seconds(value: Any) -> Optional[float]:
    """A timeout in force as positive seconds, else None (none, or a value the driver will refuse itself)."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) and result > 0 else None


def libpq_timeout(value: Any) -> Optional[float]:
    """The connect timeout libpq applies for ``connect_timeout=value``: none for 0 or nothing, 2 s at least."""
    result = seconds(value)
    return None if result is None else float(max(knobs.LIBPQ_FLOOR, math.ceil(result)))


def _milliseconds(raw: Optional[str]) -> float:
    if not raw:
        return DEFAULT_POOL_WAIT_REPORT_MS
    try:
        value = float(raw)
        if math.isfinite(value) and value >= 0:
            return value
    except ValueError:
        pass
    log.warning("timeout-policy: TIMEOUT_POLICY_POOL_WAIT_REPORT_MS=%r is not a number of milliseconds ≥ 0;"
                " using %s", raw, DEFAULT_POOL_WAIT_REPORT_MS)
    return DEFAULT_POOL_WAIT_REPORT_MS
