"""Attempts reported in the background: a bounded queue, one daemon thread, batches of up to 1 000.

Nothing here blocks or raises into the caller. When the queue is full its oldest attempt is dropped and
counted (the newest say most about the database now); at most ``max_per_second`` attempts a second are sent
(SPEC 9.1), bursts waiting in the queue; a batch the service could not take (connection refused, timeout, 5xx, 503 while its own buffer is full) is
sent again later with the same ids, which the service counts once (SPEC 5); a batch it refuses (400, 413,
422) is split in halves until the attempts it refuses are alone, and those are dropped and counted.
"""

from __future__ import annotations

import atexit
import collections
import http.client
import json
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Deque, Dict, List, Optional, Set

from . import _http

log = logging.getLogger("timeout_policy")

MAX_BATCH = 1000  # SPEC 5: POST /attempts takes an array of up to 1 000
DEFAULT_MAX_PER_SECOND = 200.0  # SPEC 9.1: TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND
_FIRST_RETRY = 0.5
_MAX_RETRY = 30.0
_HURRIED_RETRY = 0.1


@dataclass(frozen=True)
class ReportingStats:
    """Counts since the client was made: ``queued`` and ``sent`` attempts, ``duplicates`` among them (the
    service already had their id), ``dropped`` (the oldest ones, pushed out of a full queue; or no service
    URL), ``rejected`` (refused by the service), ``invalid`` (refused before queueing), ``pending`` (not yet
    answered), ``requests`` made and ``failed_requests`` (to be sent again)."""

    queued: int
    sent: int
    duplicates: int
    dropped: int
    rejected: int
    invalid: int
    pending: int
    requests: int
    failed_requests: int


class Reporter:
    """Sends what :meth:`submit` is given with ``send(batch, timeout) -> Response``, at most
    ``max_per_second`` attempts a second (SPEC 9.1: a cap per process; a burst waits in the queue, and a
    queue that stays full loses its oldest attempts, counted). :meth:`flush` (and so the exit) is not capped:
    it is one last burst, bounded by its budget."""

    def __init__(self, send: Callable[[List[Dict[str, Any]], float], _http.Response], *, queue_size: int,
                 linger: float, request_timeout: float, exit_budget: float,
                 max_per_second: float = DEFAULT_MAX_PER_SECOND,
                 prepare: Optional[Callable[[Dict[str, Any]], None]] = None) -> None:
        if queue_size < 1 or not max_per_second > 0:
            raise ValueError("queue_size must be at least 1 and max_per_second positive")
        self._send = send
        self._prepare = prepare
        self._capacity = queue_size
        self._linger = linger
        self._request_timeout = request_timeout
        self._exit_budget = exit_budget
        self._rate = float(max_per_second)
        self._new_process()

    def _new_process(self) -> None:
        # Also what a forked child starts from: the parent's thread is not there, and its queue is the
        # parent's to send (the same ids sent twice would be counted once, but twice the traffic).
        self._items: Deque[Dict[str, Any]] = collections.deque()
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        self._wake = threading.Event()
        self._idle = True
        self._closed = False
        self._hurry_until: Optional[float] = None
        self._thread: Optional[threading.Thread] = None
        self._tokens = min(self._rate, float(MAX_BATCH))
        self._refilled = time.monotonic()
        self._counts = dict(queued=0, sent=0, duplicates=0, dropped=0, rejected=0, invalid=0, done=0,
                            requests=0, failed_requests=0)
        self._warned: Set[str] = set()

    # -- the caller's side: never blocks, never raises -------------------------------------------------

    def submit(self, attempt: Dict[str, Any]) -> bool:
        """Queues ``attempt``; a full queue drops its oldest one (counted). A lock held for an append, and
        the thread woken only when it sleeps: about a microsecond on the caller's thread or event loop."""
        try:
            if self._closed:
                raise RuntimeError("reporting was closed")
            if self._thread is None:
                self._start()
            with self._lock:
                if len(self._items) >= self._capacity:
                    self._items.popleft()
                    self._counts["dropped"] += 1
                    self._counts["done"] += 1
                    full = True
                else:
                    full = False
                self._items.append(attempt)
                self._counts["queued"] += 1
                wake = self._idle
                self._idle = False
            if wake:
                self._wake.set()
            if full:
                self._warn_once("full", "timeout-policy: reporting queue full (%d); dropping the oldest attempts",
                                self._capacity)
        except Exception as e:  # e.g. no thread can be started at interpreter exit
            self._count("dropped")
            self._warn_once("submit", "timeout-policy: cannot queue an attempt: %s", e)
            return False
        return True

    def count(self, name: str) -> None:
        self._count(name)

    def close(self) -> None:
        """Stops sending: what is still queued is dropped (counted), and the thread ends."""
        with self._lock:
            self._closed = True
            left = len(self._items)
            self._items.clear()
            self._counts["dropped"] += left
            self._counts["done"] += left
        self._wake.set()

    def flush(self, timeout: float) -> bool:
        """Waits up to ``timeout`` seconds for every attempt queued so far to be answered; True if they were."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._counts["queued"]
            if self._counts["done"] >= target:
                return True
            self._hurry_until = deadline
        self._wake.set()
        with self._settled:
            while self._counts["done"] < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._settled.wait(min(left, 0.05))  # drops settle attempts without a notification
            self._hurry_until = None
            return self._counts["done"] >= target

    def stats(self) -> ReportingStats:
        with self._lock:
            c = dict(self._counts)
        return ReportingStats(queued=c["queued"], sent=c["sent"], duplicates=c["duplicates"], dropped=c["dropped"],
                              rejected=c["rejected"], invalid=c["invalid"], pending=c["queued"] - c["done"],
                              requests=c["requests"], failed_requests=c["failed_requests"])

    def at_exit(self, budget: float) -> None:
        if self._thread is None:
            return
        if not self.flush(budget):
            s = self.stats()
            log.warning("timeout-policy: %d attempt(s) not reported at exit (budget %.1fs)", s.pending,
                        self._exit_budget)

    # -- the thread ---------------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            thread = threading.Thread(target=_run, args=(weakref.ref(self),), name="timeout-policy-reporter",
                                      daemon=True)
            thread.start()
            self._thread = thread
        _register(self)

    def _next_batch(self, wait: float) -> Optional[List[Dict[str, Any]]]:
        if not self._wait_for_items(wait):
            return None
        # Start-up code reports a few operations in a row: wait a moment to send them together (asleep, not
        # taking them one by one as they come, which would trade the thread with the caller per attempt).
        if not self._hurried() and self._linger > 0:
            self._wake.clear()
            self._wake.wait(self._linger)
        size = MAX_BATCH if self._hurried() else self._take_tokens()
        with self._lock:
            batch = [self._items.popleft() for _ in range(min(size, len(self._items)))]
        if self._prepare is not None:
            for attempt in batch:
                self._prepare(attempt)
        return batch

    def _wait_for_items(self, wait: float) -> bool:
        with self._lock:
            if self._items:
                return True
            self._idle = True
            self._wake.clear()
        self._wake.wait(wait)
        with self._lock:
            return bool(self._items)

    def _take_tokens(self) -> int:
        """How many attempts may go now under the cap; sleeps until at least one may (a flush ends the sleep)."""
        while True:
            now = time.monotonic()
            self._tokens = min(max(self._rate, 1.0), self._tokens + (now - self._refilled) * self._rate)
            self._refilled = now
            if self._tokens >= 1 or self._hurried():
                break
            self._wake.clear()
            self._wake.wait((1 - self._tokens) / self._rate)
        with self._lock:
            size = max(1, min(MAX_BATCH, int(self._tokens), len(self._items)))
        self._tokens -= size
        return size

    def _deliver(self, batch: List[Dict[str, Any]]) -> None:
        todo = [batch]
        delay = _FIRST_RETRY
        while todo and not self._closed:
            current = todo.pop(0)
            outcome, retry_after = self._post(current)
            if outcome == "sent":
                delay = _FIRST_RETRY
            elif outcome == "split":
                half = len(current) // 2
                todo[0:0] = [current[:half], current[half:]]
            elif outcome == "retry":
                todo.insert(0, current)
                self._pause(max(delay, retry_after or 0.0))
                delay = min(delay * 2, _MAX_RETRY)

    def _post(self, batch: List[Dict[str, Any]]):
        timeout = self._request_timeout
        hurry = self._hurry_until
        if hurry is not None:
            timeout = max(0.05, min(timeout, hurry - time.monotonic()))
        self._count("requests")
        try:
            response = self._send(batch, timeout)
        except (OSError, http.client.HTTPException) as e:
            self._count("failed_requests")
            self._warn_once("down", "timeout-policy: cannot report attempts (will retry): %s", _http.describe(e))
            return "retry", None
        except Exception as e:  # nothing a retry would change (a URL of another scheme, …)
            self._settle(len(batch), rejected=len(batch))
            log.warning("timeout-policy: %d attempt(s) not reported: %s", len(batch), _http.describe(e))
            return "rejected", None
        if response.status in (200, 201, 202):
            duplicates = 0
            try:
                duplicates = int(response.json().get("duplicates", 0))
            except (ValueError, AttributeError, TypeError):
                pass
            self._settle(len(batch), sent=len(batch), duplicates=duplicates)
            return "sent", None
        if response.status in (400, 413, 422) and len(batch) > 1:
            return "split", None
        if response.status in (408, 429) or response.status >= 500:
            self._count("failed_requests")
            self._warn_once("status", "timeout-policy: the service answered %d to attempts (will retry)",
                            response.status)
            return "retry", _retry_after(response)
        self._settle(len(batch), rejected=len(batch))
        log.warning("timeout-policy: %d attempt(s) refused with %d: %s", len(batch), response.status,
                    response.problem())
        return "rejected", None

    def _pause(self, seconds: float) -> None:
        if self._hurried():
            seconds = min(seconds, _HURRIED_RETRY)
        self._wake.clear()
        self._wake.wait(seconds)

    def _hurried(self) -> bool:
        return self._hurry_until is not None

    def _settle(self, done: int, **counts: int) -> None:
        with self._settled:
            self._counts["done"] += done
            for name, value in counts.items():
                self._counts[name] += value
            self._settled.notify_all()

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def _warn_once(self, kind: str, message: str, *args: Any) -> None:
        if kind not in self._warned:
            self._warned.add(kind)
            log.warning(message, *args)


def _run(reporter_ref: "weakref.ref[Reporter]") -> None:
    # Holds the reporter only while it works, so that a client nobody uses any more can be collected.
    while True:
        reporter = reporter_ref()
        if reporter is None or reporter._closed:
            return
        try:
            batch = reporter._next_batch(wait=1.0)
            if batch is not None:
                reporter._deliver(batch)
        except Exception as e:  # a bug here must not end reporting for the process
            log.warning("timeout-policy: reporting failed: %s", e)
        del reporter


def _retry_after(response: _http.Response) -> Optional[float]:
    try:
        return min(_MAX_RETRY, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


_reporters: "weakref.WeakSet[Reporter]" = weakref.WeakSet()
_registered = False
_registration = threading.Lock()


def _register(reporter: Reporter) -> None:
    global _registered
    with _registration:
        _reporters.add(reporter)
        if not _registered:
            atexit.register(_flush_all)
            if hasattr(os, "register_at_fork"):
                os.register_at_fork(after_in_child=_forked)
            _registered = True


def _flush_all() -> None:
    # One budget for all clients of the process, not one after the other.
    reporters = list(_reporters)
    deadline = time.monotonic() + max((r._exit_budget for r in reporters), default=0.0)
    for reporter in reporters:
        reporter.at_exit(max(0.0, min(reporter._exit_budget, deadline - time.monotonic())))


def _forked() -> None:
    # A pre-forking server (gunicorn --preload, multiprocessing) makes its workers after the engine: each
    # child reports on a thread of its own, from an empty queue.
    global _registration
    _registration = threading.Lock()
    for reporter in list(_reporters):
        reporter._new_process()


def encode(batch: List[Dict[str, Any]]) -> bytes:
    return json.dumps(batch, separators=(",", ":"), allow_nan=False).encode("utf-8")
