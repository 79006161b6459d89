"""What a pool observed, as attempts (SPEC 9.1 point 3): cheap on the caller's thread or event loop, never raising."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Dict, Optional

from .failures import classify

if TYPE_CHECKING:
    from .integration import Policy

log = logging.getLogger("timeout_policy")


class Recorder:
    """Turns what one pool (or one plain connect) observed into attempts (SPEC 9.1 point 3). Each method
    costs a dict and a queue append on the caller's thread; ids, times and the HTTP are the reporting
    thread's. None of them raises."""

    def __init__(self, policy: "Policy", manager: str, connect_timeout: Optional[float]) -> None:
        config = policy.config
        self.enabled = config is not None
        self.manager = manager
        self._client = policy.client
        self._environment = policy.environment
        self._version = config.policy_version if config is not None else None
        self._timeouts = config.timeouts if config is not None else None
        self.connect_timeout = connect_timeout
        #: Pool acquisitions that waited no longer than this (seconds) are not reported.
        self.pool_wait_threshold = policy.settings.pool_wait_report_ms / 1000.0
        self._first_attempt: Optional[float] = None
        self._initialized = False
        self._lock = threading.Lock()

    def adopt(self, config: Any, connect_timeout: Optional[float]) -> None:
        """A new version is applied (SPEC 9.3): attempts from now on carry it, and the connect timeout in force."""
        self._version = config.policy_version
        self._timeouts = config.timeouts
        self.connect_timeout = connect_timeout

    def connection(self, started: float, duration: float, error: Optional[BaseException] = None) -> None:
        """A physical connect that began at ``started`` (``time.perf_counter()``) and took ``duration`` s. The
        first success of the pool is also its ``initialization``, timed from its first attempt."""
        if not self.enabled:
            return
        self._report("connection", duration, error, self.connect_timeout)
        if self._initialized:
            return
        with self._lock:
            if self._first_attempt is None:
                self._first_attempt = started
            if error is not None or self._initialized:
                return
            self._initialized = True
            since_first = started + duration - self._first_attempt
        self._report("initialization", since_first, None, self._timeout("initialization_timeout"))

    def health_check(self, duration: float, error: Optional[BaseException] = None, alive: bool = True) -> None:
        """A check of a pooled connection: every one is reported (SPEC 9.1 point 3). Not sampled: keeping only
        the slow ones and a few fast ones would skew the distribution the service learns the
        health_check_timeout from. The per-process rate cap and the bounded queue bound the volume of a busy
        backend that pings at every checkout (drops are counted, never blocking)."""
        if not self.enabled:
            return
        self._report("health_check", duration, error, self._timeout("health_check_timeout"),
                     None if alive else "unknown")

    def pool_wait(self, waited: float, error: Optional[BaseException] = None,
                  timeout: Optional[float] = None) -> None:
        """An acquisition that waited over the threshold, or failed (callers check the threshold: the common
        case must not even make the call)."""
        if self.enabled:
            self._report("pool", waited, error, timeout if timeout is not None else self._timeout("pool_timeout"))

    def phase(self, operation: str, duration: float, error: Optional[BaseException], timeout: Optional[float]) -> None:
        if self.enabled:
            self._report(operation, duration, error, timeout)

    def _timeout(self, key: str) -> Optional[float]:
        return getattr(self._timeouts, key) if self._timeouts is not None else None

    def _report(self, operation: str, duration: float, error: Optional[BaseException], timeout: Optional[float],
                failure_type: Optional[str] = None) -> None:
        try:
            attempt: Dict[str, Any] = {"environment": self._environment, "operation": operation,
                                       "duration_seconds": max(0.0, duration),
                                       "success": error is None and failure_type is None,
                                       "occurred_at": time.time()}
            if timeout is not None and timeout > 0:
                attempt["timeout_seconds"] = float(timeout)
            if error is not None:
                attempt["failure_type"] = classify(error)
            elif failure_type is not None:
                attempt["failure_type"] = failure_type
            client = self._client
            if client.service:
                attempt["service"] = client.service
            instance = client.instance
            if instance:
                attempt["instance"] = instance
            if self._version is not None:
                attempt["policy_version"] = self._version
            client._submit(attempt)
        except Exception as e:  # never into the pool
            log.debug("timeout-policy: attempt not reported: %s", e)


def mark_connect_failure(error: BaseException) -> None:
    """Says that ``error`` was already reported as a failed connect (not to be reported again as a pool wait)."""
    try:
        setattr(error, "_timeout_policy_connect", True)
    except Exception:
        pass


def is_connect_failure(error: BaseException) -> bool:
    return bool(getattr(error, "_timeout_policy_connect", False))
