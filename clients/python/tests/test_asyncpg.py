"""asyncpg through ``timeout_policy.asyncpg``: the served values in the real pool, the exact connect timeout
against a silent server, long waits reported, and an event loop that never waits for the service."""

import asyncio
import os
import time
import unittest

import support
from support import BUDGET, SLACK

tp_asyncpg = None


def setUpModule():
    global tp_asyncpg
    support.require("asyncpg")
    support.require("psycopg2")
    support.service()
    import timeout_policy.asyncpg as module
    tp_asyncpg = module


class PoolTests(unittest.TestCase):

    def test_create_pool_applies_the_served_values_and_is_asyncpgs_own_pool(self):
        import asyncpg
        with support.Integrated() as it:
            async def scenario():
                async with tp_asyncpg.create_pool(support.dsn(), min_size=1) as pool:
                    self.assertIsInstance(pool, asyncpg.Pool)
                    self.assertEqual(await pool.fetchval("SELECT 1"), 1)
                    self.assertEqual((pool.timeout_policy.source, pool.timeout_policy.value("min_size")),
                                     ("service", 1))
                    return (pool._minsize, pool._maxsize, pool._max_inactive_connection_lifetime,
                            pool._connect_kwargs["timeout"], pool._tp_acquire_timeout)
            values = asyncio.run(scenario())
            it.flush()
        # The application's min_size 1 wins; max_size = pool_size 5 + max_overflow 10; the served 15 s and 25 s.
        self.assertEqual(values, (1, 15, 3600.0, 15.0, 25.0))
        stored = [(a["operation"], a["success"], a["timeout_seconds"]) for a in support.stored_attempts(it.environment)]
        self.assertEqual(stored, [("connection", True, 15.0), ("initialization", True, 25.0)])

    def test_an_acquire_without_a_timeout_waits_the_served_pool_timeout_and_is_reported(self):
        environment = support.service().new_environment(pool_timeout=0.5)
        with support.Integrated(environment) as it:
            async def scenario():
                pool = await tp_asyncpg.create_pool(support.dsn(), min_size=1, max_size=1)
                async with pool.acquire():
                    started = time.monotonic()
                    with self.assertRaises(asyncio.TimeoutError):
                        await pool.acquire()
                    timed_out = time.monotonic() - started
                held = await pool.acquire()
                asyncio.get_running_loop().call_later(0.2, lambda: asyncio.ensure_future(pool.release(held)))
                async with pool.acquire(timeout=5):
                    pass
                await pool.close()
                return timed_out
            timed_out = asyncio.run(scenario())
            it.flush()
        self.assertAlmostEqual(timed_out, 0.5, delta=0.1)
        waits = [(a["success"], a["failure_type"], a["timeout_seconds"], round(a["duration_seconds"], 1))
                 for a in support.stored_attempts(environment, "pool")]
        self.assertEqual(waits, [(False, "database_timeout", 0.5, 0.5), (True, None, 5.0, 0.2)])


class ConnectTests(unittest.TestCase):

    def test_a_silent_server_is_given_up_after_exactly_the_served_timeout(self):
        environment = support.service().new_environment(connection_timeout=1.5)
        with support.Integrated(environment) as it:
            async def scenario():
                from timeout_policy import integration
                await integration.policy_off_loop()  # asked once per process: not part of the connect
                started = time.monotonic()
                with self.assertRaises(asyncio.TimeoutError):
                    await tp_asyncpg.connect(host="127.0.0.1", port=support.silent_port(), user="postgres")
                return time.monotonic() - started
            elapsed = asyncio.run(scenario())
            support._timings.append(("asyncpg.connect, silent server, served 1.5 s", elapsed))
            it.flush()
        self.assertAlmostEqual(elapsed, 1.5, delta=0.15)
        (attempt,) = support.stored_attempts(environment)
        self.assertEqual((attempt["operation"], attempt["success"], attempt["failure_type"],
                          attempt["timeout_seconds"], attempt["service"]),
                         ("connection", False, "database_timeout", 1.5, "orders-api"))
        self.assertTrue(attempt["instance"].endswith(":%d" % os.getpid()), attempt["instance"])
        self.assertAlmostEqual(attempt["duration_seconds"], 1.5, delta=0.15)

    def test_the_event_loop_goes_on_while_the_service_hangs(self):
        with support.Hanging() as hanging, support.Integrated("development", url=hanging.url):
            async def scenario():
                gaps = []

                async def ticker():
                    last = time.monotonic()
                    while True:
                        await asyncio.sleep(0.01)
                        now = time.monotonic()
                        gaps.append(now - last)
                        last = now
                tick = asyncio.ensure_future(ticker())
                started = time.monotonic()
                connection = await tp_asyncpg.connect(support.dsn())
                made = time.monotonic() - started
                await connection.close()
                tick.cancel()
                return made, max(gaps)
            made, longest_gap = asyncio.run(scenario())
        support._timings.append(("asyncpg.connect, service hanging (asked off the loop)", made))
        self.assertLess(made, BUDGET + SLACK)
        self.assertLess(longest_gap, 0.2, "the loop was never held for the service")


if __name__ == "__main__":
    unittest.main()
