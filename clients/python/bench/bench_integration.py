"""What the SQLAlchemy integration adds, measured against the same engine without it, in one run (SPEC 9.1.4:
under 5 µs per pool checkout that is not reported, under 1 ms at p99 per physical connect).

    TIMEOUT_POLICY_URL=http://127.0.0.1:8080 TIMEOUT_POLICY_KEY=<reporter key> TIMEOUT_POLICY_ENVIRONMENT=<env> \\
        /usr/bin/python3 clients/python/bench/bench_integration.py [postgresql+psycopg2://postgres@127.0.0.1/postgres]

The two engines run in alternating rounds (A, B, A, B, …) so that a build or a test beside the benchmark slows
both alike; each figure is the median over the rounds. Checkouts: QueuePool, pre-ping off (a pre-ping is a
round trip to the database, and with the plugin a health_check report), one connection, nothing waits, the
engine without the plugin given the same pool values. The run ends with the load average: on this shared
2-core machine, read the figures with it.
Connects: NullPool, every checkout a physical connect, each one reported by the plugin (to the real service,
so that the reporting thread's share of the process is counted).
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import sqlalchemy  # noqa: E402

from timeout_policy import integration  # noqa: E402

URL = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg2://postgres@127.0.0.1/postgres"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
CHECKOUTS = int(os.environ.get("BENCH_CHECKOUTS", "20000"))
CONNECTS = int(os.environ.get("BENCH_CONNECTS", "60"))


def checkout_round(engine):
    connect = engine.connect
    started = time.perf_counter()
    for _ in range(CHECKOUTS):
        connect().close()
    return (time.perf_counter() - started) / CHECKOUTS


def get_round(pool):
    get, give_back = pool._do_get, pool._do_return_conn
    started = time.perf_counter()
    for _ in range(CHECKOUTS):
        give_back(get())
    return (time.perf_counter() - started) / CHECKOUTS


def connect_round(engine):
    times = []
    for _ in range(CONNECTS):
        started = time.perf_counter()
        engine.connect().close()
        times.append(time.perf_counter() - started)
    return times


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


class _StubRecord:
    info: dict = {}


class _StubPool:
    """What the plugin wraps, doing nothing itself: the wrappers' own cost, free of a database's noise."""

    def __init__(self):
        self._timeout = 30.0
        self._creator = lambda record=None: object()
        self._invoke_creator = self._creator
        self._do_get = lambda: _StubRecord
        self.recreate = lambda: self


def isolated():
    from timeout_policy.sqlalchemy import _time_connects, _time_gets
    recorder = integration.policy().recorder("bench", 15.0)
    n = CHECKOUTS * 10
    bare, timed = _StubPool(), _StubPool()
    _time_gets(timed, recorder)
    _time_connects(timed, recorder)

    def loop(call, count):
        started = time.perf_counter()
        for _ in range(count):
            call()
        return (time.perf_counter() - started) / count

    gets = [loop(timed._do_get, n) - loop(bare._do_get, n) for _ in range(ROUNDS)]
    connects = [loop(lambda: timed._creator(_StubRecord), n // 10) - loop(lambda: bare._creator(_StubRecord), n // 10)
                for _ in range(ROUNDS)]
    print("isolated wrappers (median of %d rounds): a get not reported %+.3f µs; a connect, its report queued"
          " included, %+.2f µs" % (ROUNDS, statistics.median(gets) * 1e6, statistics.median(connects) * 1e6))


def main():
    if not os.environ.get("TIMEOUT_POLICY_ENVIRONMENT"):
        sys.exit("set TIMEOUT_POLICY_URL, TIMEOUT_POLICY_KEY and TIMEOUT_POLICY_ENVIRONMENT (see the docstring)")
    plugged = sqlalchemy.create_engine(URL, plugins=["timeout_policy"], pool_size=1, max_overflow=0,
                                       pool_pre_ping=False)
    # The same values without the plugin: what is measured is the integration, not what the values cost
    # SQLAlchemy (pool_recycle alone makes every checkout read the clock).
    same = dict(pool_timeout=plugged.pool._timeout, pool_recycle=plugged.pool._recycle,
                connect_args={"connect_timeout": 15})
    plain = sqlalchemy.create_engine(URL, pool_size=1, max_overflow=0, pool_pre_ping=False, **same)
    print("policy: %s" % integration.policy().describe())
    for engine in (plain, plugged):  # warm: the connection made, the code paths run
        checkout_round(engine)

    bare, added = [], []
    for _ in range(ROUNDS):
        a = checkout_round(plain)
        b = checkout_round(plugged)
        bare.append(a)
        added.append(b - a)
    print("checkout (not reported), %d rounds of %d: bare %.2f µs, with the plugin %+.2f µs (median of rounds;"
          " rounds from %+.2f to %+.2f µs)" % (ROUNDS, CHECKOUTS, statistics.median(bare) * 1e6,
                                            statistics.median(added) * 1e6, min(added) * 1e6, max(added) * 1e6))

    # The pool's own get and return alone, where the plugin's timing sits: far less noise than a whole checkout.
    direct = []
    for _ in range(ROUNDS):
        direct.append(get_round(plugged.pool) - get_round(plain.pool))
    print("the pool's get alone (%d rounds of %d): with the plugin %+.3f µs (median; rounds from %+.3f to %+.3f µs)"
          % (ROUNDS, CHECKOUTS, statistics.median(direct) * 1e6, min(direct) * 1e6, max(direct) * 1e6))

    plain_null = sqlalchemy.create_engine(URL, poolclass=sqlalchemy.pool.NullPool,
                                          connect_args=same["connect_args"])
    plugged_null = sqlalchemy.create_engine(URL, plugins=["timeout_policy"], poolclass=sqlalchemy.pool.NullPool,
                                            connect_args=same["connect_args"])
    connect_round(plain_null)
    connect_round(plugged_null)
    without, with_plugin = [], []
    for _ in range(ROUNDS):
        without += connect_round(plain_null)
        with_plugin += connect_round(plugged_null)
    print("physical connect, %d each: bare p50 %.3f ms p99 %.3f ms; with the plugin p50 %.3f ms p99 %.3f ms;"
          " added p50 %+.3f ms, p99 %+.3f ms"
          % (len(without), statistics.median(without) * 1e3, p99(without) * 1e3, statistics.median(with_plugin) * 1e3,
             p99(with_plugin) * 1e3, (statistics.median(with_plugin) - statistics.median(without)) * 1e3,
             (p99(with_plugin) - p99(without)) * 1e3))

    isolated()
    recorder = integration.policy().recorder("bench", 15.0)
    calls = 20000
    started = time.perf_counter()
    for _ in range(calls):
        recorder._report("connection", 0.01, None, 15.0)
    enqueue = (time.perf_counter() - started) / calls
    client = integration.shared_client(integration.Settings.from_environment())
    print("one attempt queued on the caller's thread: %.2f µs" % (enqueue * 1e6))
    client.flush(30.0)
    stats = client.reporting_stats()
    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    print("reporting: queued %d, sent %d, dropped (oldest, queue of 10 000) %d, requests %d"
          % (stats.queued, stats.sent, stats.dropped, stats.requests))


if __name__ == "__main__":
    main()
