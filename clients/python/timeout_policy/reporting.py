"""Attempts reported in the background: a bounded queue, one daemon thread, batches of up to 1 000.

Nothing here blocks or raises into the caller. When the queue is full an attempt is dropped and counted;
a batch the service could not take (connection refused, timeout, 5xx, 503 while its own buffer is full) is
sent again later with the same ids, which the service counts once (SPEC 5); a batch it refuses (400, 413,
422) is split in halves until the attempts it refuses are alone, and those are dropped and counted.
"""

from __future__ import annotations

import atexit
import http.client
import json
import logging
import queue
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from . import _http

log = logging.getLogger("timeout_policy")

MAX_BATCH = 1000  # SPEC 5: POST /attempts takes an array of up to 1 000
_FIRST_RETRY = 0.5
_MAX_RETRY = 30.0
_HURRIED_RETRY = 0.1


@dataclass(frozen=True)
class ReportingStats:
    """Counts since the client was made: ``queued`` and ``sent`` attempts, ``duplicates`` among them (the
    service already had their id), ``dropped`` (queue full, or no service URL), ``rejected`` (refused by the
    service), ``invalid`` (refused before queueing), ``pending`` (not yet answered), ``requests`` made and
    ``failed_requests`` (to be sent again)."""

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
    """Sends what :meth:`submit` is given with ``send(batch, timeout) -> Response``."""

    def __init__(self, send: Callable[[List[Dict[str, Any]], float], _http.Response], *, queue_size: int,
                 linger: float, request_timeout: float, exit_budget: float) -> None:
        self._send = send
        self._queue: "queue.Queue[Dict[str, Any]]" = queue.Queue(maxsize=queue_size)
        self._linger = linger
        self._request_timeout = request_timeout
        self._exit_budget = exit_budget
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        self._wake = threading.Event()
        self._hurry_until: Optional[float] = None
        self._thread: Optional[threading.Thread] = None
        self._counts = dict(queued=0, sent=0, duplicates=0, dropped=0, rejected=0, invalid=0, done=0,
                            requests=0, failed_requests=0)
        self._warned = set()

    # -- the caller's side: never blocks, never raises -------------------------------------------------

    def submit(self, attempt: Dict[str, Any]) -> bool:
        try:
            self._start()
            self._queue.put_nowait(attempt)
        except queue.Full:
            self._count("dropped")
            self._warn_once("full", "timeout-policy: reporting queue full (%d); dropping attempts",
                            self._queue.maxsize)
            return False
        except Exception as e:  # e.g. no thread can be started at interpreter exit
            self._count("dropped")
            self._warn_once("submit", "timeout-policy: cannot queue an attempt: %s", e)
            return False
        self._count("queued")
        return True

    def count(self, name: str) -> None:
        self._count(name)

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
                self._settled.wait(left)
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
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is not None:
                return
            thread = threading.Thread(target=_run, args=(weakref.ref(self),), name="timeout-policy-reporter",
                                      daemon=True)
            thread.start()
            self._thread = thread
        _register_at_exit(self)

    def _next_batch(self, wait: float) -> Optional[List[Dict[str, Any]]]:
        try:
            batch = [self._queue.get(timeout=wait)]
        except queue.Empty:
            return None
        # Start-up code reports a few operations in a row: wait a moment to send them together (asleep, not
        # taking them one by one as they come, which would trade the thread with the caller per attempt).
        if not self._hurried() and self._linger > 0:
            self._wake.clear()
            self._wake.wait(self._linger)
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _deliver(self, batch: List[Dict[str, Any]]) -> None:
        todo = [batch]
        delay = _FIRST_RETRY
        while todo:
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
        if reporter is None:
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


def _register_at_exit(reporter: Reporter) -> None:
    global _registered
    with _registration:
        _reporters.add(reporter)
        if not _registered:
            atexit.register(_flush_all)
            _registered = True


def _flush_all() -> None:
    # One budget for all clients of the process, not one after the other.
    reporters = list(_reporters)
    deadline = time.monotonic() + max((r._exit_budget for r in reporters), default=0.0)
    for reporter in reporters:
        reporter.at_exit(max(0.0, min(reporter._exit_budget, deadline - time.monotonic())))


def encode(batch: List[Dict[str, Any]]) -> bytes:
    return json.dumps(batch, separators=(",", ":"), allow_nan=False).encode("utf-8")
