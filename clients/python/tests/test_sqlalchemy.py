"""SQLAlchemy with ``?plugin=timeout_policy``: the served values in the real pool and driver, every physical
connect, pre-ping and long wait in the service's history, and an engine made within the budget whatever the
service does. Against the local PostgreSQL, a private one with passwords, and the packaged service."""

import asyncio
import logging
import os
import sys
import threading
import time
import unittest

import support
from private_postgres import PrivatePostgres
from support import BUDGET, SLACK

sqlalchemy = None
INSTANCE_SUFFIX = ":%d" % os.getpid()


def setUpModule():
    global sqlalchemy
    sqlalchemy = support.require("sqlalchemy")
    support.require("psycopg2")
    support.service()


def plugin_url(driver="psycopg2", port=None, host=None):
    url = support.database_url(driver)
    if port is not None:
        url = url.replace(":%s/" % (os.environ.get("DB_PORT") or "5432"), ":%d/" % port)
    return url + "?plugin=timeout_policy"


class AppliedTests(unittest.TestCase):

    def test_the_plugin_in_the_url_applies_the_served_values_to_the_pool_and_the_driver(self):
        with support.Integrated() as it, self.assertLogs("timeout_policy", "INFO") as logs:
            engine = sqlalchemy.create_engine(plugin_url())
            with engine.connect() as connection:
                dsn = connection.connection.dbapi_connection.get_dsn_parameters()
            pool = engine.pool
            # A new environment: connection_timeout 15 and pool_timeout 25 (served), the non-Cloud-SQL advice.
            self.assertEqual((pool.timeout(), pool.size(), pool._max_overflow, pool._recycle, pool._pre_ping),
                             (25.0, 5, 10, 3600, True))
            self.assertEqual(dsn["connect_timeout"], "15")
            from timeout_policy.sqlalchemy import applied
            made_with = applied(engine)
            engine.dispose()
        self.assertIn("%s from service, policy version 1" % it.environment, "\n".join(logs.output))
        self.assertEqual((made_with.source, made_with.policy_version, made_with.value("pool_timeout"),
                          made_with.value("connect_timeout")), ("service", 1, 25.0, 15))

    def test_plugins_argument_works_as_the_url_does(self):
        with support.Integrated():
            engine = sqlalchemy.create_engine(support.database_url(), plugins=["timeout_policy"])
            self.assertEqual(engine.pool.timeout(), 25.0)
            engine.dispose()

    def test_the_applications_own_arguments_win_and_the_log_says_so(self):
        with support.Integrated(), self.assertLogs("timeout_policy", "INFO") as logs:
            engine = sqlalchemy.create_engine(plugin_url() + "&connect_timeout=7", pool_timeout=5, pool_size=2)
            with engine.connect() as connection:
                dsn = connection.connection.dbapi_connection.get_dsn_parameters()
            self.assertEqual((engine.pool.timeout(), engine.pool.size(), engine.pool._max_overflow), (5, 2, 10))
            self.assertEqual(dsn["connect_timeout"], "7")
            engine.dispose()
        said = "\n".join(logs.output)
        self.assertIn("pool_timeout=5 s (the application's own value; served 25.0)", said)
        self.assertIn("connect_timeout=7 s (the application's own value; served 15.0)", said)

    def test_a_served_value_that_is_not_whole_seconds_is_rounded_up_and_logged(self):
        environment = support.service().new_environment(connection_timeout=2.3)
        with support.Integrated(environment), self.assertLogs("timeout_policy", "INFO") as logs:
            engine = sqlalchemy.create_engine(plugin_url())
            with engine.connect() as connection:
                self.assertEqual(connection.connection.dbapi_connection.get_dsn_parameters()["connect_timeout"], "3")
            engine.dispose()
        self.assertIn("connect_timeout=3 s (served 2.3, rounded up to whole seconds)", "\n".join(logs.output))

    def test_a_pool_class_that_keeps_no_connections_takes_only_what_it_has(self):
        with support.Integrated():
            engine = sqlalchemy.create_engine(plugin_url(), poolclass=sqlalchemy.pool.NullPool)
            with engine.connect() as connection:
                self.assertEqual(connection.exec_driver_sql("SELECT 1").scalar(), 1)
            engine.dispose()


class ReportedTests(unittest.TestCase):

    def test_connects_pre_pings_and_the_first_connection_reach_the_history(self):
        with support.Integrated() as it:
            engine = sqlalchemy.create_engine(plugin_url())
            for _ in range(2):  # the second checkout pre-pings the connection the first one made
                with engine.connect() as connection:
                    connection.exec_driver_sql("SELECT 1")
            it.flush()
            engine.dispose()
        stored = support.stored_attempts(it.environment)
        by_operation = {a["operation"]: a for a in stored}
        self.assertEqual(sorted(a["operation"] for a in stored), ["connection", "health_check", "initialization"])
        connection = by_operation["connection"]
        self.assertEqual((connection["success"], connection["timeout_seconds"], connection["service"],
                          connection["policy_version"]), (True, 15.0, "orders-api", 1))
        self.assertTrue(connection["instance"].endswith(INSTANCE_SUFFIX), connection["instance"])
        self.assertEqual(by_operation["initialization"]["timeout_seconds"], 25.0)
        self.assertEqual(by_operation["health_check"]["timeout_seconds"], 8.0)

    def test_a_silent_database_gives_up_after_the_served_connect_timeout_and_is_a_database_timeout(self):
        environment = support.service().new_environment(connection_timeout=1.2)  # libpq: 2 s, its floor
        with support.Integrated(environment) as it:
            engine = sqlalchemy.create_engine(plugin_url(port=support.silent_port()))
            started = time.monotonic()
            with self.assertRaises(sqlalchemy.exc.OperationalError):
                engine.connect()
            elapsed = time.monotonic() - started
            support._timings.append(("psycopg2 via SQLAlchemy, silent server, served 1.2 s (libpq 2 s)", elapsed))
            it.flush()
        self.assertGreaterEqual(elapsed, 2.0)
        self.assertLess(elapsed, 2.0 + SLACK)
        (attempt,) = support.stored_attempts(environment)
        self.assertEqual((attempt["operation"], attempt["success"], attempt["failure_type"],
                          attempt["timeout_seconds"], attempt["service"]),
                         ("connection", False, "database_timeout", 2.0, "orders-api"))
        self.assertTrue(attempt["instance"].endswith(INSTANCE_SUFFIX))
        self.assertGreaterEqual(attempt["duration_seconds"], 2.0)

    def test_a_refused_port_and_a_wrong_password_are_classified(self):
        with support.Integrated() as it, PrivatePostgres() as private:
            refused = sqlalchemy.create_engine(plugin_url(port=support.closed_port_number()))
            wrong = sqlalchemy.create_engine(private.dsn(password="wrong").replace(
                "postgresql://", "postgresql+psycopg2://") + "?plugin=timeout_policy")
            right = sqlalchemy.create_engine(private.dsn().replace("postgresql://", "postgresql+psycopg2://"),
                                             plugins=["timeout_policy"])
            for engine in (refused, wrong):
                with self.assertRaises(sqlalchemy.exc.OperationalError):
                    engine.connect()
            with right.connect() as connection:
                self.assertEqual(connection.exec_driver_sql("SELECT 1").scalar(), 1)
            right.dispose()
            it.flush()
        stored = [(a["operation"], a["success"], a["failure_type"]) for a in support.stored_attempts(it.environment)]
        self.assertEqual(stored, [("connection", False, "connection_refused"),
                                  ("connection", False, "authentication_failed"),
                                  ("connection", True, None), ("initialization", True, None)])

    def test_a_wait_for_a_pooled_connection_is_reported_when_longer_than_the_threshold(self):
        with support.Integrated() as it:
            engine = sqlalchemy.create_engine(plugin_url(), pool_size=1, max_overflow=0, pool_pre_ping=False)
            held = engine.connect()
            threading.Timer(0.3, held.close).start()
            started = time.monotonic()
            with engine.connect():
                waited = time.monotonic() - started
            engine.dispose()
            it.flush()
        (pool,) = support.stored_attempts(it.environment, "pool")
        self.assertTrue(pool["success"])
        self.assertAlmostEqual(pool["duration_seconds"], waited, delta=0.05)
        self.assertEqual(pool["timeout_seconds"], 25.0)

    def test_a_wait_that_times_out_is_a_failed_pool_attempt(self):
        with support.Integrated() as it:
            engine = sqlalchemy.create_engine(plugin_url(), pool_size=1, max_overflow=0, pool_timeout=0.2,
                                              pool_pre_ping=False)
            with engine.connect():
                with self.assertRaises(sqlalchemy.exc.TimeoutError):
                    engine.connect()
            engine.dispose()
            it.flush()
        (pool,) = support.stored_attempts(it.environment, "pool")
        self.assertEqual((pool["success"], pool["failure_type"], pool["timeout_seconds"]),
                         (False, "database_timeout", 0.2))

    def test_ten_thousand_checkouts_without_a_wait_add_no_report(self):
        with support.Integrated() as it:
            engine = sqlalchemy.create_engine(plugin_url(), pool_pre_ping=False)
            with engine.connect():
                pass
            before = it.client().reporting_stats().queued
            stalled = 0  # checkouts this thread saw take over 10 ms (a 2-core machine shared with builds)
            for _ in range(10000):
                started = time.perf_counter()
                engine.connect().close()
                stalled += time.perf_counter() - started > 0.010
            added = it.client().reporting_stats().queued - before
            pinged = sqlalchemy.create_engine(plugin_url())
            with pinged.connect():
                pass
            before = it.client().reporting_stats().queued
            started = time.monotonic()
            for _ in range(10000):
                pinged.connect().close()
            seconds = time.monotonic() - started
            health_checks = it.client().reporting_stats().queued - before
            engine.dispose()
            pinged.dispose()
            it.flush()
        self.assertLessEqual(added, stalled, "only a checkout that waited over the threshold is reported")
        print("\n10 000 checkouts without pre-ping: %d report(s) added, %d checkout(s) stalled over 10 ms; with"
              " pre-ping: %d health check(s) reported in %.1f s" % (added, stalled, health_checks, seconds),
              file=sys.stderr)
        # With pre-ping, each checkout pings, and each ping is a health_check report (SPEC 9.1 point 3).
        self.assertEqual(health_checks, 10000, "one health_check report per pre-ping")
        self.assertLessEqual(len(support.stored_attempts(it.environment, "pool")), stalled)


class ServiceDownTests(unittest.TestCase):
    """The golden rule: the engine is made within the budget, from the cache or the defaults."""

    def made_within_the_budget(self, url, environment):
        with support.Integrated(environment, url=url):
            started = time.monotonic()
            engine = sqlalchemy.create_engine(plugin_url())
            elapsed = time.monotonic() - started
            with engine.connect() as connection:
                self.assertEqual(connection.exec_driver_sql("SELECT 1").scalar(), 1)
            engine.dispose()
        self.assertLess(elapsed, BUDGET + SLACK)
        return engine, elapsed

    def test_stopped_hanging_or_failing_service_gives_the_defaults_within_the_budget(self):
        with support.Hanging() as hanging, support.Answering(500, b'{"oops": true}') as failing:
            for label, url in (("stopped", support.closed_port()), ("hanging", hanging.url),
                               ("answering 500", failing.url)):
                with self.subTest(label):
                    engine, elapsed = self.made_within_the_budget(url, "development")
                    support._timings.append(("create_engine with the plugin, service %s" % label, elapsed))
                    # SPEC 3's development: pool_timeout 30, the advice 5/10/3600.
                    self.assertEqual((engine.pool.timeout(), engine.pool.size()), (30.0, 5))

    def test_a_stopped_service_gives_the_cached_values(self):
        environment = support.service().new_environment()
        with support.Integrated(environment) as it:
            sqlalchemy.create_engine(plugin_url()).dispose()  # asks the service, and caches its answer
            cache = it.cache
        with support.Integrated(environment, url=support.closed_port(), TIMEOUT_POLICY_CACHE_DIR=cache):
            engine = sqlalchemy.create_engine(plugin_url())
            self.assertEqual(engine.pool.timeout(), 25.0)
            from timeout_policy.sqlalchemy import applied
            self.assertEqual((applied(engine).source, applied(engine).policy_version), ("cache", 1))
            self.assertGreaterEqual(applied(engine).cache_age, 0.0)
            engine.dispose()

    def test_an_environment_nobody_knows_leaves_the_engine_as_it_would_be_without_the_plugin(self):
        with support.Integrated("no-such-environment-anywhere"), self.assertLogs("timeout_policy", "WARNING"):
            engine = sqlalchemy.create_engine(plugin_url())
            self.assertEqual(engine.pool.timeout(), 30.0)  # SQLAlchemy's own default
            engine.dispose()


class AsyncEngineTests(unittest.TestCase):

    def test_an_async_engine_with_asyncpg_takes_the_exact_timeout(self):
        support.require("asyncpg")
        from sqlalchemy.ext.asyncio import create_async_engine
        environment = support.service().new_environment(connection_timeout=1.5)
        with support.Integrated(environment) as it:
            async def scenario():
                engine = create_async_engine(plugin_url("asyncpg"))
                async with engine.connect() as connection:
                    self.assertEqual((await connection.exec_driver_sql("SELECT 1")).scalar(), 1)
                self.assertEqual(engine.sync_engine.pool.timeout(), 25.0)
                await engine.dispose()
                silent = create_async_engine(plugin_url("asyncpg", port=support.silent_port()))
                started = time.monotonic()
                with self.assertRaises(Exception):
                    async with silent.connect():
                        pass
                await silent.dispose()
                return time.monotonic() - started
            elapsed = asyncio.run(scenario())
            support._timings.append(("asyncpg via SQLAlchemy, silent server, served 1.5 s", elapsed))
            it.flush()
        self.assertAlmostEqual(elapsed, 1.5, delta=0.15)
        stored = [(a["operation"], a["success"], a["failure_type"], a["timeout_seconds"])
                  for a in support.stored_attempts(environment, "connection")]
        self.assertEqual(stored, [("connection", True, None, 1.5), ("connection", False, "database_timeout", 1.5)])


if __name__ == "__main__":
    logging.basicConfig()
    unittest.main()
