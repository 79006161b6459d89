"""psycopg 3 (and psycopg_pool) through ``timeout_policy.psycopg``, and psycopg2 through ``timeout_policy.psycopg2``:
the served values in the real pool and connection, the libpq connect timeout against a silent server, and
what is reported."""

import asyncio
import os
import time
import unittest

import support
from support import SLACK

tp_psycopg = None
tp_psycopg2 = None


def setUpModule():
    global tp_psycopg, tp_psycopg2
    support.require("psycopg")
    support.require("psycopg_pool")
    support.require("psycopg2")
    support.service()
    import timeout_policy.psycopg as module
    import timeout_policy.psycopg2 as module2
    tp_psycopg, tp_psycopg2 = module, module2


def connect_timeout_of(connection):
    """The connect_timeout libpq was given for this connection, as libpq itself reports it."""
    return {o.keyword: o.val for o in connection.pgconn.info}[b"connect_timeout"].decode()


class PoolTests(unittest.TestCase):

    def test_the_pool_takes_the_served_values_and_reports_its_connects(self):
        with support.Integrated() as it, self.assertLogs("timeout_policy", "INFO") as logs:
            with tp_psycopg.ConnectionPool(support.dsn(), min_size=1) as pool:
                with pool.connection() as connection:
                    self.assertEqual(connection.execute("SELECT 1").fetchone()[0], 1)
                    self.assertEqual(connect_timeout_of(connection), "15")
                values = (pool.timeout, pool.min_size, pool.max_size, pool.max_lifetime, pool.kwargs["connect_timeout"])
            it.flush()
        self.assertEqual(values, (25.0, 1, 15, 3600.0, 15))
        said = "\n".join(logs.output)
        self.assertIn("min_size=1 (the application's own value; served 5)", said)
        stored = [(a["operation"], a["success"], a["timeout_seconds"]) for a in support.stored_attempts(it.environment)]
        # The pool may grow by a second connect while the first acquisition waits (psycopg_pool's workers connect
        # in parallel): its connection can be stored between the first one and the initialization.
        self.assertEqual(stored[0], ("connection", True, 15.0))
        self.assertEqual([a for a in stored if a[0] == "initialization"], [("initialization", True, 25.0)])
        self.assertEqual({a for a in stored if a[0] == "connection"}, {("connection", True, 15.0)})

    def test_a_wait_that_times_out_is_a_failed_pool_attempt(self):
        import psycopg_pool
        environment = support.service().new_environment(pool_timeout=0.5)
        with support.Integrated(environment) as it:
            with tp_psycopg.ConnectionPool(support.dsn(), min_size=1, max_size=1) as pool:
                pool.wait()
                with pool.connection():
                    started = time.monotonic()
                    with self.assertRaises(psycopg_pool.PoolTimeout):
                        pool.getconn()
                    timed_out = time.monotonic() - started
            it.flush()
        self.assertAlmostEqual(timed_out, 0.5, delta=0.15)
        (wait,) = support.stored_attempts(environment, "pool")
        self.assertEqual((wait["success"], wait["failure_type"], wait["timeout_seconds"]),
                         (False, "database_timeout", 0.5))

    def test_a_stopped_or_hanging_service_gives_a_pool_within_the_budget(self):
        with support.Hanging() as hanging:
            for label, url in (("stopped", support.closed_port()), ("hanging", hanging.url)):
                with self.subTest(label), support.Integrated("test", url=url):
                    started = time.monotonic()
                    pool = tp_psycopg.ConnectionPool(support.dsn(), min_size=1, open=False)
                    elapsed = time.monotonic() - started
                    support._timings.append(("psycopg_pool ConnectionPool, service %s" % label, elapsed))
                    self.assertLess(elapsed, support.BUDGET + SLACK)
                    # SPEC 3's test environment: connection_timeout 15, pool_timeout 20, advice 5 + 10.
                    self.assertEqual((pool.timeout, pool.max_size, pool.kwargs["connect_timeout"],
                                      pool.timeout_policy.source), (20.0, 15, 15, "defaults"))

    def test_the_async_pool_likewise(self):
        with support.Integrated() as it:
            async def scenario():
                async with tp_psycopg.AsyncConnectionPool(support.dsn(), min_size=1) as pool:
                    async with pool.connection() as connection:
                        row = await (await connection.execute("SELECT 1")).fetchone()
                        return row[0], connect_timeout_of(connection), pool.timeout, pool.max_size
            self.assertEqual(asyncio.run(scenario()), (1, "15", 25.0, 15))
            it.flush()
        self.assertIn("initialization", [a["operation"] for a in support.stored_attempts(it.environment)])


class PlainConnectTests(unittest.TestCase):

    def silent(self, connect, error):
        environment = support.service().new_environment(connection_timeout=1.2)  # libpq: 2 s
        with support.Integrated(environment) as it:
            from timeout_policy import integration
            integration.policy()
            started = time.monotonic()
            with self.assertRaises(error):
                connect(host="127.0.0.1", port=support.silent_port(), user="postgres", dbname="postgres")
            elapsed = time.monotonic() - started
            it.flush()
        self.assertGreaterEqual(elapsed, 2.0)
        self.assertLess(elapsed, 2.0 + SLACK)
        (attempt,) = support.stored_attempts(environment)
        self.assertEqual((attempt["operation"], attempt["success"], attempt["failure_type"],
                          attempt["timeout_seconds"], attempt["service"]),
                         ("connection", False, "database_timeout", 2.0, "orders-api"))
        self.assertTrue(attempt["instance"].endswith(":%d" % os.getpid()), attempt["instance"])
        return elapsed

    def test_psycopg_connect_gives_up_after_the_served_timeout_rounded_to_libpqs(self):
        import psycopg
        support._timings.append(("psycopg.connect, silent server, served 1.2 s (libpq 2 s)",
                                 self.silent(tp_psycopg.connect, psycopg.OperationalError)))

    def test_psycopg2_connect_likewise(self):
        import psycopg2
        support._timings.append(("psycopg2.connect, silent server, served 1.2 s (libpq 2 s)",
                                 self.silent(tp_psycopg2.connect, psycopg2.OperationalError)))

    def test_plain_connects_take_the_timeout_and_the_first_is_the_initialization(self):
        with support.Integrated() as it:
            for _ in range(2):
                with tp_psycopg.connect(support.dsn()) as connection:
                    self.assertEqual(connect_timeout_of(connection), "15")
            connection = tp_psycopg2.connect(support.dsn(), connect_timeout=4)  # its own wins
            self.assertEqual(connection.get_dsn_parameters()["connect_timeout"], "4")
            connection.close()
            it.flush()
        stored = [(a["operation"], a["timeout_seconds"]) for a in support.stored_attempts(it.environment)]
        self.assertEqual(stored, [("connection", 15.0), ("initialization", 25.0), ("connection", 15.0),
                                  ("connection", 4.0), ("initialization", 25.0)])

    def test_async_connect(self):
        with support.Integrated() as it:
            async def scenario():
                connection = await tp_psycopg.connect_async(support.dsn())
                async with connection:
                    return connect_timeout_of(connection)
            self.assertEqual(asyncio.run(scenario()), "15")
            it.flush()
        self.assertEqual(len(support.stored_attempts(it.environment, "connection")), 1)


if __name__ == "__main__":
    unittest.main()
