"""The client a backend makes once at start-up: start-up configuration within a budget, attempts reported
in the background, bypass decisions for deploy scripts."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import threading
import time
import uuid
from typing import Any, Callable, Dict, Iterable, List, Optional, Union

from . import _http, defaults
from .cache import Cache, default_directory
from .defaults import Fallback
from .failures import classify
from .fields import MAX_TEXT, complete as _complete, default_instance, environment_name as _environment
from .fields import instant as _instant, max_reports_per_second_of, pressure_names as _pressure
from .fields import seconds as _seconds
from .models import CACHE, OPERATIONS, SERVICE, Decision, ShapeError, StartupConfig
from .reporting import Reporter, ReportingStats, encode
from .watch import Watch

log = logging.getLogger("timeout_policy")

UNKNOWN_ENVIRONMENT = "urn:timeout-policy:problem:unknown-environment"
VALIDATION = "urn:timeout-policy:problem:validation"


class TimeoutPolicyError(Exception):
    """Base of the errors this package raises (only where a caller must be told no answer exists)."""


class UnknownEnvironment(TimeoutPolicyError, ValueError):
    """The service has no policy for this name (a typo?), or, with the service unreachable, neither the cache
    nor SPEC 3 knows it and no ``fallback`` was given."""


class DecisionUnavailable(TimeoutPolicyError):
    """No bypass decision could be obtained: the service was unreachable, refused the key or the input, or
    answered something else than a decision. ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status


class Client:
    """A client of the Timeout Policy Service. Make one per process.

    ``base_url``, ``api_key`` and ``cache_dir`` default to ``$TIMEOUT_POLICY_URL``, ``$TIMEOUT_POLICY_KEY``
    and ``$TIMEOUT_POLICY_CACHE_DIR`` (else a per-user cache folder). ``budget`` is the most, in seconds,
    that :meth:`startup_config` waits for the service in all (connect included); it is also the time given
    at interpreter exit to send attempts still queued (``exit_budget`` to choose another). ``service`` and
    ``instance`` are sent with every attempt (default ``$TIMEOUT_POLICY_SERVICE``, and
    ``$TIMEOUT_POLICY_INSTANCE`` else ``<host name>:<process id>``). At most ``max_reports_per_second``
    attempts a second are sent (default ``$TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND``, else 200), from a queue of
    ``queue_size`` that drops its oldest when full.
    """

    def __init__(self, base_url: Optional[str] = None, api_key: Optional[str] = None,
                 cache_dir: Optional[str] = None, budget: float = 2.0, *, service: Optional[str] = None,
                 instance: Optional[str] = None, exit_budget: Optional[float] = None, queue_size: int = 10000,
                 linger: float = 0.2, request_timeout: float = 5.0,
                 max_reports_per_second: Optional[float] = None) -> None:
        if not budget > 0:
            raise ValueError("budget must be a positive number of seconds")
        self.base_url = (base_url or os.environ.get("TIMEOUT_POLICY_URL") or "").rstrip("/") or None
        self.api_key = api_key or os.environ.get("TIMEOUT_POLICY_KEY") or None
        self.cache = Cache(cache_dir or default_directory())
        self.budget = float(budget)
        self.service = service or os.environ.get("TIMEOUT_POLICY_SERVICE") or None
        self._own_instance = instance or os.environ.get("TIMEOUT_POLICY_INSTANCE") or None
        self._pid = os.getpid()
        self._default_instance = default_instance()
        self._configs: Dict[str, StartupConfig] = {}
        self._environment: Optional[str] = None
        self._lock = threading.Lock()
        self._watches: Dict[str, Watch] = {}
        self._reporter = Reporter(self._send_attempts, queue_size=queue_size, linger=linger,
                                  request_timeout=request_timeout,
                                  exit_budget=self.budget if exit_budget is None else float(exit_budget),
                                  max_per_second=(max_reports_per_second if max_reports_per_second is not None
                                                  else max_reports_per_second_of(os.environ)),
                                  prepare=_complete)

    @property
    def instance(self) -> Optional[str]:
        """What attempts say ran them: the given one, else ``$TIMEOUT_POLICY_INSTANCE``, else
        ``<host name>:<process id>`` (of the process now: a forked worker is an instance of its own)."""
        if self._own_instance is not None:
            return self._own_instance
        if self._pid != os.getpid():
            self._pid, self._default_instance = os.getpid(), default_instance()
        return self._default_instance

    # -- start-up configuration -------------------------------------------------------------------------

    def startup_config(self, environment: str, pressure: Union[str, Iterable[str]] = (), *,
                       fallback: Optional[Fallback] = None) -> StartupConfig:
        """The start-up configuration of ``environment`` (SPEC 5), within :attr:`budget` seconds.

        From the service when it answers in time with the documented shape (and then stored in the cache),
        else from the cache, else from the built-in defaults of SPEC 3 (``fallback`` for an environment they
        do not know); ``source`` says which and ``degraded`` is true for the last two. ``pressure`` names the
        pressure indicators (a list or ``"a,b"``).

        Raises :class:`UnknownEnvironment` only when the service itself answers that it has no such
        environment (its problem type, not any 404), or when nothing at all knows it; ValueError for a
        malformed name or a pressure indicator the service rejects.
        """
        name = _environment(environment)
        indicators = _pressure(pressure)
        started = time.monotonic()
        deadline = started + self.budget
        answer, error = self._ask_startup_config(name, indicators, deadline)
        if answer is not None:
            config = answer
        else:
            config = self._fallback(name, indicators, error, fallback)
            log.warning("timeout-policy: start-up configuration of %s from %s after %.0f ms (%s)", name,
                        config.source, (time.monotonic() - started) * 1000, error)
        with self._lock:
            self._configs[name] = config
            self._environment = name
        return config

    def _ask_startup_config(self, environment: str, pressure: List[str], deadline: float):
        if self.base_url is None:
            return None, "TIMEOUT_POLICY_URL is not set"
        target = _http.url(self.base_url, "/api/v1/environments/%s/startup-config" % _http.segment(environment),
                           {"pressure": ",".join(pressure)} if pressure else None)
        try:
            response = _http.within(deadline, lambda: _http.request(
                "GET", target, deadline=deadline, headers=self._identified()))
        except Exception as e:  # every failure to get an answer means: answer without the service
            return None, _http.describe(e)
        # Only the service's own verdict on the name is final; a 404 page of a proxy in front of it is an outage.
        if response.problem_type() == UNKNOWN_ENVIRONMENT:
            raise UnknownEnvironment(response.problem())
        if response.status == 400 and response.problem_type() == VALIDATION:
            raise ValueError(response.problem())
        if response.status != 200:
            return None, "HTTP %d: %s" % (response.status, response.problem())
        try:
            return self._served(environment, pressure, response), None
        except (ValueError, UnicodeDecodeError) as e:  # malformed JSON, or not the documented shape
            return None, "unexpected answer: %s" % e

    def _served(self, environment: str, pressure: List[str], response: _http.Response) -> StartupConfig:
        """A 200 of startup-config as a configuration, stored in the cache; ValueError when not the documented
        shape or not of ``environment``."""
        raw = response.json()
        config = StartupConfig.of(raw, SERVICE)
        if config.environment != environment:
            raise ValueError("for environment %r" % config.environment)
        self.cache.store(environment, pressure, raw)
        return config

    # -- watching for a new version (SPEC 10.4) ---------------------------------------------------------

    def watch(self, environment: str, listener: Optional[Callable[[StartupConfig], None]] = None, *,
              poll_interval: float = 60.0) -> Watch:
        """Watches ``environment`` in the background (one daemon thread per environment, however often this is
        called): when the version served to this instance changes, the new configuration becomes the one
        :meth:`report` and :meth:`timed` use, and goes to ``listener`` (on the watch's thread; it must not
        block for long). Starts from the last :meth:`startup_config` of the environment (else asks for it).
        Never raises for an outage: the watch retries with jittered backoff, and polls every
        ``poll_interval`` seconds when watches keep failing. Ends at :meth:`close`."""
        name = _environment(environment)
        with self._lock:
            watch = self._watches.get(name)
            if watch is None or watch.stopped or watch.orphaned:
                if self.base_url is None:
                    raise ValueError("TIMEOUT_POLICY_URL is not set: nothing to watch")
                inherited = watch.listeners() if watch is not None and watch.orphaned else []
                watch = Watch(name, lambda headers, deadline: self._watch_request(name, headers, deadline),
                              lambda response: self._served(name, [], response), self._configs.get(name),
                              poll_interval=poll_interval)
                for kept in inherited or [lambda config: self._adopt(name, config)]:
                    watch.add(kept)
                self._watches[name] = watch
                started = True
            else:
                started = False
            if listener is not None:
                watch.add(listener)
        if started:
            watch.start()
        return watch

    def _watch_request(self, environment: str, headers: Dict[str, str], deadline: float) -> _http.Response:
        assert self.base_url is not None
        target = _http.url(self.base_url, "/api/v1/environments/%s/startup-config" % _http.segment(environment))
        return _http.request("GET", target, deadline=deadline, headers=dict(self._identified(), **headers))

    def _adopt(self, environment: str, config: StartupConfig) -> None:
        with self._lock:
            self._configs[environment] = config

    def _fallback(self, environment: str, pressure: List[str], error: Optional[str],
                  fallback: Optional[Fallback]) -> StartupConfig:
        cached = self.cache.load(environment, pressure)
        if cached is not None:
            raw, age = cached
            try:
                config = StartupConfig.of(raw, CACHE, cache_age=age, error=error)
                if config.environment == environment:
                    # The circuit was that old: an open one may have turned half-open since (SPEC 4.6).
                    return dataclasses.replace(config, circuit=config.circuit.aged(age))
            except (ShapeError, ValueError):
                pass
        if fallback is None and not defaults.known(environment):
            raise UnknownEnvironment(
                "no start-up configuration for %r: the service could not be asked (%s), nothing is cached and"
                " SPEC 3 has no defaults for it; pass fallback=Fallback(...)" % (environment, error))
        return defaults.startup_config(environment, pressure, error, fallback)

    # -- reporting attempts ------------------------------------------------------------------------------

    def report(self, operation: str, duration_seconds: float, success: bool, *, environment: Optional[str] = None,
               timeout_seconds: Optional[float] = None, failure_type: Optional[str] = None,
               service: Optional[str] = None, instance: Optional[str] = None,
               occurred_at: Union[None, str, datetime.datetime] = None, id: Optional[str] = None,
               policy_version: Optional[int] = None) -> Optional[str]:
        """Queues one attempt (SPEC 2) to be sent in the background, and answers its id; None when it was not
        queued (invalid, or the queue is full: counted in :meth:`reporting_stats`). Never raises, never waits.

        ``environment`` defaults to the one of the last :meth:`startup_config`; ``policy_version`` to the version
        of the last start-up configuration of that environment that came with one (SPEC 10.2: the version the
        backend applied)."""
        try:
            attempt = self._attempt(operation, duration_seconds, success, environment, timeout_seconds,
                                    failure_type, service, instance, occurred_at, id, policy_version)
        except Exception as e:  # a bad value is counted and logged, never raised into the caller
            self._reporter.count("invalid")
            log.warning("timeout-policy: attempt not reported: %s", e)
            return None
        if self.base_url is None:
            self._reporter.count("dropped")
            return None
        return attempt["id"] if self._reporter.submit(attempt) else None

    def timed(self, operation: str, *, environment: Optional[str] = None, timeout_seconds: Optional[float] = None,
              failure_type: Optional[str] = None, service: Optional[str] = None) -> "Timed":
        """A context manager that measures the block and reports it as an attempt of ``operation``: a success
        unless the block raises (the exception goes on) or calls ``.fail()`` on what ``with … as`` gives.

        The timeout in force defaults to the effective one of the last :meth:`startup_config` of the
        environment; ``failure_type`` to ``database_timeout`` for a TimeoutError, else the exception's class."""
        return Timed(self, operation, environment, timeout_seconds, failure_type, service)

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits up to ``timeout`` (default: the budget) for the attempts queued so far to be sent."""
        return self._reporter.flush(self.budget if timeout is None else timeout)

    def close(self) -> None:
        """Stops reporting: attempts still queued are dropped (counted in :meth:`reporting_stats`) and nothing
        more is sent (a client of a service gone for good, or of a test); the watches end."""
        with self._lock:
            watches, self._watches = list(self._watches.values()), {}
        for watch in watches:
            watch.stop()
        self._reporter.close()

    def reporting_stats(self) -> ReportingStats:
        return self._reporter.stats()

    def _attempt(self, operation, duration_seconds, success, environment, timeout_seconds, failure_type, service,
                 instance, occurred_at, id, policy_version=None) -> Dict[str, Any]:
        if operation not in OPERATIONS:
            raise ValueError("unknown operation %r; known: %s" % (operation, ", ".join(OPERATIONS)))
        duration = _seconds("duration_seconds", duration_seconds, allow_zero=True)
        if not isinstance(success, bool):
            raise TypeError("success must be True or False")
        name = environment if environment is not None else self._environment
        if name is None:
            raise ValueError("no environment: pass environment= or call startup_config() first")
        name = _environment(name)
        attempt: Dict[str, Any] = {"id": str(id) if id is not None else str(uuid.uuid4()), "environment": name,
                                   "operation": operation, "duration_seconds": duration, "success": success,
                                   "occurred_at": _instant(occurred_at)}
        if timeout_seconds is not None:
            attempt["timeout_seconds"] = _seconds("timeout_seconds", timeout_seconds, allow_zero=False)
        for key, value in (("failure_type", failure_type), ("service", service or self.service),
                           ("instance", instance or self.instance)):
            if value:
                attempt[key] = str(value)[:MAX_TEXT]
        if policy_version is None:
            with self._lock:
                config = self._configs.get(name)
            policy_version = config.policy_version if config is not None else None
        if policy_version is not None:
            if isinstance(policy_version, bool) or not isinstance(policy_version, int) or policy_version < 1:
                raise ValueError("policy_version must be an integer ≥ 1, got %r" % (policy_version,))
            attempt["policy_version"] = policy_version
        return attempt

    def _timeout_in_force(self, environment: Optional[str], operation: str) -> Optional[float]:
        with self._lock:
            name = environment.lower() if environment else self._environment
            config = self._configs.get(name) if name else None
        return config.timeout(operation) if config is not None and operation in OPERATIONS else None

    def _submit(self, attempt: Dict[str, Any]) -> bool:
        """Queues an attempt whose fields are already valid (the integrations' path: no checks, no id and no
        time formatting on the caller's thread; ``occurred_at`` may be a ``time.time()`` number)."""
        if self.base_url is None:
            self._reporter.count("dropped")
            return False
        return self._reporter.submit(attempt)

    def _send_attempts(self, batch: List[Dict[str, Any]], timeout: float) -> _http.Response:
        deadline = time.monotonic() + timeout
        assert self.base_url is not None  # nothing is queued without one
        return _http.request("POST", _http.url(self.base_url, "/api/v1/attempts"), deadline=deadline,
                             headers=self._auth(), body=encode(batch))

    # -- bypass decisions -------------------------------------------------------------------------------

    def bypass_decision(self, environment: str, critical_failures: int, *, failure_types: Iterable[str] = (),
                        manual_override: bool = False, service: Optional[str] = None,
                        deployment: Optional[str] = None, requested_by: Optional[str] = None,
                        timeout: float = 10.0) -> Decision:
        """Asks whether a deployment may proceed although start-up validation found ``critical_failures``
        (SPEC 4.5); the decision is stored by the service before it answers. Needs a key with the
        ``deployer`` role. Raises :class:`DecisionUnavailable` when no decision could be obtained."""
        if self.base_url is None:
            raise DecisionUnavailable("TIMEOUT_POLICY_URL is not set")
        if isinstance(critical_failures, bool) or not isinstance(critical_failures, int) or critical_failures < 0:
            raise ValueError("critical_failures must be an integer ≥ 0")
        body = {"environment": _environment(environment), "critical_failures": critical_failures,
                "manual_override": bool(manual_override), "failure_types": [t for t in failure_types if t]}
        for key, value in (("service", service or self.service), ("deployment", deployment),
                           ("requested_by", requested_by)):
            if value:
                body[key] = value
        deadline = time.monotonic() + timeout
        target = _http.url(self.base_url, "/api/v1/bypass-decisions")
        try:
            response = _http.within(deadline, lambda: _http.request(
                "POST", target, deadline=deadline, headers=self._auth(), body=encode(body)))  # type: ignore
        except Exception as e:
            raise DecisionUnavailable("the service could not be asked: %s" % _http.describe(e)) from e
        if response.status != 201:
            raise DecisionUnavailable("HTTP %d: %s" % (response.status, response.problem()), response.status)
        try:
            return Decision.of(response.json())
        except (ValueError, UnicodeDecodeError) as e:
            raise DecisionUnavailable("unexpected answer: %s" % e, response.status) from e

    def _auth(self) -> Dict[str, str]:
        return {"Authorization": "Bearer " + self.api_key} if self.api_key else {}

    def _identified(self) -> Dict[str, str]:
        """The key and the instance (SPEC 10.2: a canary is served by instance)."""
        headers = self._auth()
        instance = self.instance
        if instance:
            headers["X-Timeout-Policy-Instance"] = instance[:128]
        return headers


class Timed:
    """What :meth:`Client.timed` answers; ``with client.timed("connection") as attempt:``."""

    def __init__(self, client: Client, operation: str, environment: Optional[str], timeout_seconds: Optional[float],
                 failure_type: Optional[str], service: Optional[str]) -> None:
        self._client = client
        self._operation = operation
        self._environment = environment
        self._timeout = timeout_seconds
        self._failure_type = failure_type
        self._service = service
        self._failed: Optional[str] = None
        self._started = 0.0
        self.duration: Optional[float] = None
        self.id: Optional[str] = None

    def fail(self, failure_type: Optional[str] = None) -> None:
        """Reports the block as failed although it did not raise."""
        self._failed = failure_type or self._failure_type or "failed"

    def __enter__(self) -> "Timed":
        self._started = time.monotonic()
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        try:
            self.duration = time.monotonic() - self._started
            failure = self._failed
            if error is not None and isinstance(error, Exception):
                failure = self._failure_type or _failure_type(error)
            elif error is not None:  # KeyboardInterrupt, SystemExit: not an attempt that failed
                return
            timeout = self._timeout
            if timeout is None:
                timeout = self._client._timeout_in_force(self._environment, self._operation)
            self.id = self._client.report(self._operation, self.duration, failure is None,
                                          environment=self._environment, timeout_seconds=timeout,
                                          failure_type=failure, service=self._service)
        except Exception as e:  # never into the caller
            log.warning("timeout-policy: attempt not reported: %s", e)


def _failure_type(error: BaseException) -> str:
    return classify(error)
