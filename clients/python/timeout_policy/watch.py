"""One background watch per environment (SPEC 10.4): a daemon thread long-polls ``startup-config`` with
``If-None-Match: W/"<version>"`` and ``Prefer: wait=60``, and hands a new configuration to the listeners when the
version served to this instance changes (a promotion, a canary assignment, a rollback).

It never blocks the application (its requests run on its own thread) and never raises into it (a listener that
raises is logged). A failed watch is retried after a jittered exponential backoff; after ``MAX_FAILURES`` in a
row it falls back to polling every ``poll_interval`` (60 s), and tries watching again every
``RESUME_EVERY`` polls. It ends at :meth:`Watch.stop` (the client's ``close()``) and, being a daemon, at exit.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import Callable, Dict, List, Optional

from . import _http
from .models import SERVICE, StartupConfig

log = logging.getLogger("timeout_policy")

#: Seconds the service is asked to hold a watch (``Prefer: wait=``; the service takes at most 300).
WAIT = 60
#: Beyond the wait, how long an answer may take before the watch is given up as failed.
GRACE = 15.0
#: Failed watches in a row after which the watch falls back to polling.
MAX_FAILURES = 5
#: While polling, a watch is tried again every this many polls (every 5 minutes by default).
RESUME_EVERY = 5
#: Backoff after the n-th failure in a row: min(MAX_BACKOFF, FIRST_BACKOFF × 2^(n−1)) × a jitter in [0.5, 1].
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
#: An answer to a held watch that comes back sooner than this (a replica shutting down answers 304 at once)
#: is followed by a pause of about this long, so that a misbehaving server never makes a tight loop.
MIN_SPACING = 1.0

Fetch = Callable[[Dict[str, str], float], _http.Response]
Listener = Callable[[StartupConfig], None]


def backoff(failures: int, jitter: float) -> float:
    """Seconds to wait after ``failures`` failed watches in a row; ``jitter`` in [0, 1] (pure, for tests)."""
    base = min(MAX_BACKOFF, FIRST_BACKOFF * (2 ** max(0, failures - 1)))
    return base * (0.5 + 0.5 * jitter)


class Watch:
    """The watch of one environment. ``fetch(headers, deadline)`` makes one ``GET …/startup-config`` (the
    client's, with its key and instance); ``parse`` turns a 200's answer into a :class:`StartupConfig` and
    stores it; ``current`` is the configuration applied now (its version is the one watched)."""

    def __init__(self, environment: str, fetch: Fetch, parse: Callable[[_http.Response], StartupConfig],
                 current: Optional[StartupConfig], *, wait: int = WAIT, poll_interval: float = 60.0) -> None:
        self.environment = environment
        self.wait = wait
        self.poll_interval = poll_interval
        self._fetch = fetch
        self._parse = parse
        self._current = current
        self._listeners: List[Listener] = []
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        #: ``watching`` or ``polling`` (after MAX_FAILURES failed watches in a row), for logs and tests.
        self.mode = "watching"
        self.failures = 0
        self.requests = 0
        self.changes = 0
        self._thread = threading.Thread(target=self._run, name="timeout-policy-watch-" + environment, daemon=True)

    def start(self) -> "Watch":
        self._thread.start()
        return self

    def add(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def listeners(self) -> List[Listener]:
        with self._lock:
            return list(self._listeners)

    @property
    def orphaned(self) -> bool:
        """Started, and its thread gone though nobody stopped it: this process is a fork of the one that
        started it (a thread does not survive ``fork()``)."""
        return self._thread.ident is not None and not self._thread.is_alive() and not self.stopped

    @property
    def current(self) -> Optional[StartupConfig]:
        return self._current

    def stop(self) -> None:
        """Stops asking; a request under way is abandoned (the thread is a daemon and ends by its timeouts)."""
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def _run(self) -> None:
        polls = 0
        while not self._stopped.is_set():
            try:
                if self.mode == "polling":
                    if self._stopped.wait(self.poll_interval):
                        return
                    polls += 1
                    held = polls % RESUME_EVERY == 0  # now and then, try watching again
                    ok = self._ask(held)
                    if ok and held:
                        log.info("timeout-policy: watch of %s works again; polling ends", self.environment)
                        self.mode, self.failures, polls = "watching", 0, 0
                    continue
                if self._ask(True):
                    self.failures = 0
                    continue
                self.failures += 1
                if self.failures >= MAX_FAILURES:
                    log.warning("timeout-policy: watch of %s failed %d times in a row; polling every %g s",
                                self.environment, self.failures, self.poll_interval)
                    self.mode, polls = "polling", 0
                    continue
                self._stopped.wait(backoff(self.failures, random.random()))
            except Exception as e:  # a bug here must not end the watch silently, nor spin
                log.warning("timeout-policy: watch of %s: %s", self.environment, e)
                self._stopped.wait(MAX_BACKOFF)

    def _ask(self, held: bool) -> bool:
        """One request; True when the service answered (200 or 304). A new version goes to the listeners."""
        headers: Dict[str, str] = {}
        known = self._current
        watched = known.policy_version if known is not None and known.source == SERVICE else None
        if watched is not None:
            headers["If-None-Match"] = 'W/"%d"' % watched
            if held:
                headers["Prefer"] = "wait=%d" % self.wait
        began = time.monotonic()
        self.requests += 1
        try:
            response = self._fetch(headers, began + (self.wait if held else 0) + GRACE)
        except Exception as e:
            log.debug("timeout-policy: watch of %s: %s", self.environment, _http.describe(e))
            return False
        if self._stopped.is_set():
            return True
        if response.status == 304:
            if held and time.monotonic() - began < MIN_SPACING:
                self._stopped.wait(MIN_SPACING * (0.5 + random.random()))
            return True
        if response.status != 200:
            log.debug("timeout-policy: watch of %s: HTTP %d", self.environment, response.status)
            retry_after = response.headers.get("retry-after", "")
            if response.status == 503 and retry_after.isdigit():
                self._stopped.wait(min(float(retry_after), MAX_BACKOFF))
            return False
        try:
            config = self._parse(response)
        except Exception as e:  # not the documented shape: as if it had failed
            log.debug("timeout-policy: watch of %s: unexpected answer: %s", self.environment, e)
            return False
        if watched is None or config.policy_version != watched:
            self._changed(known, config)
        else:
            self._current = config
        return True

    def _changed(self, before: Optional[StartupConfig], config: StartupConfig) -> None:
        self._current = config
        self.changes += 1
        log.info("timeout-policy: %s: policy version %s → %s (%s)", self.environment,
                 before.policy_version if before is not None else None, config.policy_version,
                 "from %s" % before.source if before is not None and before.source != SERVICE else "watched")
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(config)
            except Exception as e:  # a listener's bug is logged, never raised into the watch
                log.warning("timeout-policy: a listener of %s's policy failed: %s: %s", self.environment,
                            type(e).__name__, e)

