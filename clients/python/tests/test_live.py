"""Live values (SPEC 9.3, 10.4): the client names its instance (a canary is served by it), watches its
environment in the background, and a promotion through the service's API reaches running SQLAlchemy, asyncpg
and psycopg_pool pools within 2 s; a watch endpoint that fails makes the client poll instead. Against the
packaged service and the local PostgreSQL."""

import asyncio
import http.server
import json
import logging
import socketserver
import threading
import time
import unittest
import urllib.error
import urllib.request

import support

WITHIN = 2.0  # SPEC / issue 28: a promotion reaches a running pool within 2 s


def setUpModule():
    support.service()


# -- the service's candidate API, with an operator key and If-Match ------------------------------------------

def _call(method, path, body=None, headers=None):
    service = support.service()
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(service.url + path, data=data, method=method, headers=dict(
        {"Content-Type": "application/json", "Accept": "application/json", "X-API-Key": service.key},
        **(headers or {})))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def put_candidate(environment, rollout, **base_timeouts):
    """A candidate: the current document with ``base_timeouts`` changed (and pool_size 8), as version 2."""
    status, current = _call("GET", "/api/v1/environments/%s/policy" % environment)
    assert status == 200, (status, current)
    version = current["version"]
    for read_only in ("environment", "version", "updated_at", "updated_by"):
        current.pop(read_only, None)
    current["base_timeouts"].update(base_timeouts)
    current["pool"]["pool_size"] = 8
    current["rollout"] = rollout
    status, answer = _call("PUT", "/api/v1/environments/%s/policy/candidate" % environment, current,
                           {"If-Match": '"%d"' % version})
    assert status == 201, (status, answer)
    return version + 1


def promote(environment, version):
    status, answer = _call("POST", "/api/v1/environments/%s/policy/candidate/promote" % environment, None,
                           {"If-Match": '"%d"' % version})
    assert status == 200, (status, answer)


def until(condition, limit=5.0):
    """Seconds until ``condition()`` held (polled every 2 ms), or None after ``limit``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition():
            return time.monotonic() - started
        time.sleep(0.002)
    return None


def promoted(testcase, environment, version, applied, label):
    """Promotes ``version`` and answers the seconds until ``applied()`` (asserted within 2 s)."""
    time.sleep(0.3)  # the watch is held by now (it was started with the pool)
    started = time.monotonic()
    promote(environment, version)
    waited = until(applied)
    testcase.assertIsNotNone(waited, "%s: the new version was not applied within 5 s" % label)
    took = time.monotonic() - started  # from before the POST to the value seen in the pool
    support._timings.append(("promotion → applied: " + label, took))
    testcase.assertLess(took, WITHIN, label)
    return took


class InstanceTests(unittest.TestCase):

    def test_a_canary_is_served_to_the_clients_instance_and_its_version_goes_with_each_report(self):
        environment = support.service().new_environment()
        version = put_candidate(environment, {"mode": "canary", "percent": 100}, connection_timeout=6.0)
        client = support.client(instance="canary-host:1")
        try:
            config = client.startup_config(environment)
            self.assertEqual((config.policy_version, config.timeouts.connection_timeout), (version, 6.0))
            # Without an instance the service serves the current version: the header made the difference.
            status, plain = _call("GET", "/api/v1/environments/%s/startup-config" % environment)
            self.assertEqual((status, plain["policy_version"]), (200, version - 1))
            client.report("connection", 0.05, True)
            self.assertTrue(client.flush(10.0))
        finally:
            client.close()
        stored = support.stored_attempts(environment)
        self.assertEqual([(a["instance"], a["policy_version"]) for a in stored], [("canary-host:1", version)])

    def test_the_default_instance_is_the_host_name_and_process_id(self):
        import os
        import socket
        client = support.client()
        self.assertEqual(client.instance, "%s:%d" % (socket.gethostname(), os.getpid()))
        self.assertEqual(client._identified()["X-Timeout-Policy-Instance"], client.instance)
        client.close()


class WatchTests(unittest.TestCase):

    def test_a_listener_gets_the_promoted_version_and_the_client_reports_it(self):
        environment = support.service().new_environment()
        client = support.client()
        seen = []
        try:
            client.startup_config(environment)
            watch = client.watch(environment, seen.append)
            self.assertIs(client.watch(environment), watch)  # one watch per environment
            version = put_candidate(environment, {"mode": "shadow"}, pool_timeout=7.0)
            promoted(self, environment, version, lambda: bool(seen), "a listener")
            self.assertEqual((seen[0].policy_version, seen[0].timeouts.pool_timeout, seen[0].source),
                             (version, 7.0, "service"))
            client.report("pool", 0.5, True)
            self.assertTrue(client.flush(10.0))
        finally:
            client.close()
        self.assertTrue(watch.stopped)
        self.assertEqual([a["policy_version"] for a in support.stored_attempts(environment)], [version])


class SqlAlchemyLiveTests(unittest.TestCase):

    def setUp(self):
        self.sqlalchemy = support.require("sqlalchemy")
        support.require("psycopg2")

    def test_a_promotion_reaches_a_running_engine_and_new_connects_take_the_new_connect_timeout(self):
        sqlalchemy = self.sqlalchemy
        with support.Integrated() as it, self.assertLogs("timeout_policy", "INFO") as logs:
            engine = sqlalchemy.create_engine(support.database_url() + "?plugin=timeout_policy")
            first = engine.connect()
            self.assertEqual((engine.pool.timeout(), _libpq(first)["connect_timeout"]), (25.0, "15"))
            version = put_candidate(it.environment, {"mode": "shadow"}, pool_timeout=7.0, connection_timeout=5.0)
            promoted(self, it.environment, version, lambda: engine.pool.timeout() == 7.0, "SQLAlchemy engine")
            second = engine.connect()  # the first is held: a new physical connect
            self.assertEqual(_libpq(second)["connect_timeout"], "5")
            second.close()
            first.close()
            engine.dispose()  # the next pool keeps the live value
            self.assertEqual(engine.pool.timeout(), 7.0)
            self.assertEqual(engine.pool.size(), 5)  # pool_size 8 waits for the next start
            it.flush()
        said = "\n".join(logs.output)
        self.assertIn("policy version 1 → 2: pool_timeout 25.0 → 7.0 s (live), pool_size 5 → 8 (applied at the next"
                      " start), connect_timeout 15 → 5 s (new connects)", said)
        connects = [(a["timeout_seconds"], a["policy_version"])
                    for a in support.stored_attempts(it.environment, "connection")]
        self.assertEqual(connects, [(15.0, 1), (5.0, 2)])

    def test_in_a_forked_worker_the_watch_starts_again_with_the_first_pool_made_there(self):
        import os
        sqlalchemy = self.sqlalchemy
        with support.Integrated() as it:
            parent = sqlalchemy.create_engine(support.database_url() + "?plugin=timeout_policy")
            version = put_candidate(it.environment, {"mode": "shadow"}, pool_timeout=7.0)
            child = os.fork()
            if child == 0:  # a pre-fork server's worker: the parent's watch thread is not here
                code = 1
                try:
                    engine = sqlalchemy.create_engine(support.database_url() + "?plugin=timeout_policy")
                    code = 0 if until(lambda: engine.pool.timeout() == 7.0, 10.0) is not None else 2
                finally:
                    os._exit(code)
            promoted(self, it.environment, version, lambda: parent.pool.timeout() == 7.0, "SQLAlchemy, parent")
            _, status = os.waitpid(child, 0)
            parent.dispose()
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, "the forked worker's engine kept pool_timeout 25")

    def test_the_async_engine_likewise(self):
        support.require("asyncpg")
        from sqlalchemy.ext.asyncio import create_async_engine
        with support.Integrated() as it:
            async def scenario():
                engine = create_async_engine(support.database_url("asyncpg") + "?plugin=timeout_policy")
                async with engine.connect() as connection:
                    await connection.exec_driver_sql("SELECT 1")
                pool = engine.sync_engine.pool
                version = put_candidate(it.environment, {"mode": "shadow"}, pool_timeout=7.0,
                                        connection_timeout=5.0)
                await asyncio.get_running_loop().run_in_executor(None, lambda: promoted(
                    self, it.environment, version, lambda: pool.timeout() == 7.0, "SQLAlchemy async engine"))
                async with engine.connect() as one, engine.connect() as two:
                    timeouts = [(await c.get_raw_connection()).dbapi_connection._connection._params.connect_timeout
                                for c in (one, two)]
                await engine.dispose()
                return timeouts
            timeouts = asyncio.run(scenario())
        self.assertIn(5.0, timeouts)  # at least one of them is a new physical connect


class DriverPoolLiveTests(unittest.TestCase):

    def test_asyncpg_acquire_and_connect_timeouts_change_live(self):
        support.require("asyncpg")
        import timeout_policy.asyncpg as tp_asyncpg
        with support.Integrated() as it:
            async def scenario():
                async with tp_asyncpg.create_pool(support.dsn(), min_size=1, max_size=3) as pool:
                    self.assertEqual(pool._tp_acquire_timeout, 25.0)
                    version = put_candidate(it.environment, {"mode": "shadow"}, pool_timeout=7.0,
                                            connection_timeout=5.0)
                    await asyncio.get_running_loop().run_in_executor(None, lambda: promoted(
                        self, it.environment, version, lambda: pool._tp_acquire_timeout == 7.0, "asyncpg pool"))
                    async with pool.acquire() as one, pool.acquire() as two:
                        return [c._con._params.connect_timeout for c in (one, two)]
            timeouts = asyncio.run(scenario())
        self.assertIn(5.0, timeouts)

    def test_psycopg_pool_timeout_and_connect_timeout_change_live(self):
        support.require("psycopg_pool")
        from timeout_policy.psycopg import ConnectionPool
        with support.Integrated() as it:
            pool = ConnectionPool(support.dsn(), min_size=1, max_size=3)
            try:
                pool.wait(10)
                self.assertEqual(pool.timeout, 25.0)
                version = put_candidate(it.environment, {"mode": "shadow"}, pool_timeout=7.0, connection_timeout=5.0)
                promoted(self, it.environment, version, lambda: pool.timeout == 7.0, "psycopg_pool")
                with pool.connection() as one, pool.connection() as two:
                    timeouts = [c.info.get_parameters().get("connect_timeout") for c in (one, two)]
            finally:
                pool.close()
        self.assertIn("5", timeouts)


def _libpq(connection):
    return connection.connection.dbapi_connection.get_dsn_parameters()


# -- a watch endpoint that fails: the client polls ---------------------------------------------------------

class FailingWatch:
    """A stand-in: ``startup-config`` answers 500 to every held watch (``Prefer: wait``), and 200 (or 304 for
    the version asked about) to a plain request, with the version in ``self.version``."""

    def __init__(self, answer):
        self.answer = answer
        self.version = answer["policy_version"]
        self.held = 0
        self.plain = 0
        self.watch_works = False

    def __enter__(self):
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.headers.get("Prefer"):
                    stand_in.held += 1
                    if not stand_in.watch_works:
                        return self._send(500, b'{"title":"broken"}')
                else:
                    stand_in.plain += 1
                if self.headers.get("If-None-Match") == 'W/"%d"' % stand_in.version:
                    return self._send(304, b"")
                body = dict(stand_in.answer, policy_version=stand_in.version)
                self._send(200, json.dumps(body).encode())

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("ETag", 'W/"%d"' % stand_in.version)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class FallbackTests(unittest.TestCase):

    def test_failing_watches_fall_back_to_polling_which_still_brings_a_new_version_and_watching_resumes(self):
        from timeout_policy import watch as module
        environment = support.service().new_environment()
        status, answer = _call("GET", "/api/v1/environments/%s/startup-config" % environment)
        saved = module.FIRST_BACKOFF, module.RESUME_EVERY
        module.FIRST_BACKOFF, module.RESUME_EVERY = 0.01, 1000
        seen = []
        try:
            with FailingWatch(answer) as stand_in, self.assertLogs("timeout_policy", "INFO") as logs:
                client = support.client(base_url=stand_in.url)
                try:
                    client.startup_config(environment)
                    watch = client.watch(environment, seen.append, poll_interval=0.1)
                    self.assertIsNotNone(until(lambda: watch.mode == "polling"))
                    self.assertEqual(stand_in.held, module.MAX_FAILURES)
                    stand_in.version = 2  # a promotion the polls must bring
                    self.assertIsNotNone(until(lambda: bool(seen)))
                    self.assertEqual((seen[0].policy_version, client._configs[environment].policy_version), (2, 2))
                    self.assertEqual(stand_in.held, module.MAX_FAILURES)  # no watch between two polls
                    stand_in.watch_works = True
                    module.RESUME_EVERY = 3
                    self.assertIsNotNone(until(lambda: watch.mode == "watching", 10.0))
                finally:
                    client.close()
        finally:
            module.FIRST_BACKOFF, module.RESUME_EVERY = saved
        said = "\n".join(logs.output)
        self.assertIn("watch of %s failed 5 times in a row; polling every 0.1 s" % environment, said)
        self.assertIn("watch of %s works again; polling ends" % environment, said)


class ListenerTests(unittest.TestCase):

    def test_a_listener_that_raises_is_logged_and_the_others_still_get_the_version(self):
        environment = support.service().new_environment()
        status, answer = _call("GET", "/api/v1/environments/%s/startup-config" % environment)
        seen = []

        def broken(config):
            raise RuntimeError("the application's bug")

        with FailingWatch(answer) as stand_in, self.assertLogs("timeout_policy", "INFO") as logs:
            stand_in.watch_works = True
            client = support.client(base_url=stand_in.url)
            try:
                client.startup_config(environment)
                watch = client.watch(environment, broken)
                client.watch(environment, seen.append)
                time.sleep(0.2)
                stand_in.version = 2  # the held watch answers 200 at its next ask
                self.assertIsNotNone(until(lambda: bool(seen), 5.0))
                self.assertEqual((watch.mode, seen[0].policy_version), ("watching", 2))
                # The stand-in answers a watch 304 at once (as a replica shutting down does): about one ask a
                # second, never a tight loop.
                self.assertLessEqual(watch.requests, 5)
            finally:
                client.close()
        self.assertIn("a listener of %s's policy failed: RuntimeError: the application's bug" % environment,
                      "\n".join(logs.output))


class BackoffTests(unittest.TestCase):

    def test_backoff_doubles_from_one_second_up_to_thirty_with_jitter_down_to_half(self):
        from timeout_policy.watch import backoff
        self.assertEqual([backoff(n, 1.0) for n in (1, 2, 3, 5, 6, 20)], [1.0, 2.0, 4.0, 16.0, 30.0, 30.0])
        self.assertEqual([backoff(n, 0.0) for n in (1, 6)], [0.5, 15.0])

    def test_only_changed_values_are_differences(self):
        from timeout_policy import integration, knobs
        before = [knobs.plain("pool_size", 5), knobs.float_seconds("pool_timeout", 25.0)]
        after = [knobs.plain("pool_size", 5), knobs.float_seconds("pool_timeout", 7.0)]
        self.assertEqual([(o.applied, n.applied) for o, n in integration.differences(before, after)], [(25.0, 7.0)])


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    unittest.main()
