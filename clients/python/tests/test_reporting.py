"""Attempts reported in the background: batched, with ids, never raising, never blocking, flushed at exit."""

import json
import math
import os
import subprocess
import sys
import textwrap
import time
import unittest
import uuid

import support
import timeout_policy
from support import BUDGET, SLACK

UUID_LENGTH = 36


def setUpModule():
    support.service()


def metrics(environment, **query):
    path = "/api/v1/environments/%s/metrics" % environment
    if query:
        path += "?" + "&".join("%s=%s" % item for item in query.items())
    status, answer = support.service().get(path)
    assert status == 200, (status, answer)
    return answer


class ReportingToTheServiceTests(unittest.TestCase):

    def test_timed_blocks_reach_the_history_with_their_outcome(self):
        environment = support.service().new_environment()
        client = support.client(service="orders-api")
        client.startup_config(environment)
        with client.timed("connection") as attempt:
            time.sleep(0.01)
        with self.assertRaises(ConnectionError):
            with client.timed("connection"):
                raise ConnectionError("refused")
        with client.timed("connection") as marked:
            marked.fail("vpc_connector")
        self.assertEqual(len(attempt.id), UUID_LENGTH)
        self.assertGreaterEqual(attempt.duration, 0.01)
        self.assertTrue(client.flush(5.0))
        answer = metrics(environment, service="orders-api")
        self.assertEqual((answer["connection_attempts"], answer["successful_connections"],
                          answer["failed_connections"]), (3, 1, 2))
        self.assertEqual(client.reporting_stats().sent, 3)

    def test_a_timeout_in_force_exceeded_is_a_violation(self):
        environment = support.service().new_environment()
        client = support.client()
        client.report("connection", 2.0, True, environment=environment, timeout_seconds=1.5)
        client.report("connection", 1.0, True, environment=environment, timeout_seconds=1.5)
        self.assertTrue(client.flush(5.0))
        self.assertEqual(metrics(environment)["timeout_violations"], 1)

    def test_many_reports_go_in_few_requests(self):
        environment = support.service().new_environment()
        client = support.client()
        for i in range(500):
            client.report("connection", 0.1 + i / 1000, True, environment=environment)
        self.assertTrue(client.flush(10.0))
        stats = client.reporting_stats()
        self.assertEqual((stats.sent, stats.pending, stats.dropped), (500, 0, 0))
        self.assertLessEqual(stats.requests, 3, "batched, not one request per attempt")
        self.assertEqual(metrics(environment)["connection_attempts"], 500)

    def test_an_id_sent_twice_counts_once(self):
        environment = support.service().new_environment()
        client = support.client()
        same = str(uuid.uuid4())
        self.assertEqual(client.report("connection", 1.0, True, environment=environment, id=same), same)
        self.assertTrue(client.flush(5.0))
        client.report("connection", 1.0, True, environment=environment, id=same)
        self.assertTrue(client.flush(5.0))
        self.assertEqual(client.reporting_stats().duplicates, 1)
        self.assertEqual(metrics(environment)["connection_attempts"], 1)

    def test_an_attempt_the_service_refuses_does_not_take_its_batch_with_it(self):
        environment = support.service().new_environment()
        client = support.client(linger=1.0)  # one batch
        for _ in range(10):
            client.report("connection", 1.0, True, environment=environment)
        client.report("connection", 1.0, True, environment="no-policy-for-this-one")  # a 422 for the whole batch
        self.assertTrue(client.flush(10.0))
        stats = client.reporting_stats()
        self.assertEqual((stats.sent, stats.rejected), (10, 1))
        self.assertEqual(metrics(environment)["connection_attempts"], 10)

    def test_a_key_without_the_reporter_role_drops_the_batch_without_raising(self):
        client = support.client(api_key="not-a-key")
        client.report("connection", 1.0, True, environment="staging")
        self.assertTrue(client.flush(5.0))
        self.assertEqual(client.reporting_stats().rejected, 1)


class ReportingWithoutTheServiceTests(unittest.TestCase):

    def test_what_is_sent_has_an_id_the_time_and_the_timeout_in_force(self):
        answer = support.service().get("/api/v1/environments/staging/startup-config?pressure=vpc_connector_scaling")[1]
        with support.Answering(200, json.dumps(answer).encode()) as fake:
            client = timeout_policy.Client(fake.url, "k", cache_dir=support.temporary_directory(),
                                           service="orders-api", instance="orders-api-7d9f", linger=0.5)
            config = client.startup_config("staging", ["vpc_connector_scaling"])
            self.assertEqual(config.timeouts.connection_timeout, 135.0)
            with client.timed("connection"):
                pass
            with self.assertRaises(TimeoutError):
                with client.timed("pool"):
                    raise TimeoutError()
            self.assertTrue(client.flush(5.0))
        (batch,) = fake.requests
        connection, pool = batch
        self.assertEqual(len({connection["id"], pool["id"]}), 2)
        self.assertEqual(connection["timeout_seconds"], 135.0, "the effective timeout, pressure included")
        self.assertEqual(pool["timeout_seconds"], answer["timeouts"]["timeouts"]["pool_timeout"])
        self.assertEqual((connection["success"], pool["success"], pool["failure_type"]),
                         (True, False, "database_timeout"))
        self.assertEqual((connection["environment"], connection["service"], connection["instance"]),
                         ("staging", "orders-api", "orders-api-7d9f"))
        self.assertTrue(connection["occurred_at"].endswith("Z"))
        self.assertEqual(connection["policy_version"], answer["policy_version"], "the version applied (SPEC 10.2)")

    def test_a_batch_that_could_not_be_sent_is_sent_again_with_the_same_ids(self):
        with support.Answering(201, b'{"recorded": 2, "duplicates": 0}', first=(503, 500)) as flaky:
            client = timeout_policy.Client(flaky.url, "k", cache_dir=support.temporary_directory(), linger=0.5)
            client.report("connection", 1.0, True, environment="staging")
            client.report("connection", 2.0, False, environment="staging")
            self.assertTrue(client.flush(10.0))
        self.assertEqual(len(flaky.requests), 3)
        self.assertEqual(flaky.requests[0], flaky.requests[2])
        stats = client.reporting_stats()
        self.assertEqual((stats.sent, stats.failed_requests), (2, 2))

    def test_bad_values_are_counted_and_never_raised(self):
        client = timeout_policy.Client(support.closed_port(), cache_dir=support.temporary_directory())
        self.assertIsNone(client.report("connect", 1.0, True, environment="staging"))
        self.assertIsNone(client.report("connection", math.nan, True, environment="staging"))
        self.assertIsNone(client.report("connection", -1.0, True, environment="staging"))
        self.assertIsNone(client.report("connection", 1.0, "yes", environment="staging"))
        self.assertIsNone(client.report("connection", 1.0, True, environment="Not valid!"))
        self.assertIsNone(client.report("connection", 1.0, True), "no environment known yet")
        with client.timed("no_such_operation"):
            pass
        self.assertEqual(client.reporting_stats().invalid, 7)

    def test_reporting_never_blocks_a_start_up_even_when_the_service_hangs(self):
        with support.Hanging() as hanging:
            client = timeout_policy.Client(hanging.url, cache_dir=support.temporary_directory(), queue_size=1000)
            _, elapsed = support.timed("10 000 report() calls, service hanging, queue of 1 000", lambda: [
                client.report("connection", 1.0, True, environment="staging") for _ in range(10000)])
            stats = client.reporting_stats()
            client.close()  # its port may be a later test's stand-in
        self.assertLess(elapsed, 2.0, "a call that waited for the service would take its 5 s request timeout")
        self.assertEqual(stats.queued, 10000)
        self.assertGreaterEqual(stats.dropped, 10000 - 1000 - 1000, "the queue and one batch in flight at most")

    def test_a_full_queue_drops_its_oldest_attempts(self):
        with support.Answering(201, b'{"recorded": 1, "duplicates": 0}') as fake:
            client = timeout_policy.Client(fake.url, "k", cache_dir=support.temporary_directory(), queue_size=100)
            for i in range(1000):
                client.report("connection", float(i), True, environment="staging")
            self.assertTrue(client.flush(10.0))
        sent = [attempt["duration_seconds"] for batch in fake.requests for attempt in batch]
        stats = client.reporting_stats()
        self.assertIn(999.0, sent, "the newest is kept")
        self.assertEqual(stats.sent + stats.dropped, 1000)
        self.assertGreaterEqual(stats.dropped, 800)

    def test_at_most_the_capped_number_of_attempts_a_second_is_sent(self):
        with support.Answering(201, b'{"recorded": 1, "duplicates": 0}') as fake:
            client = timeout_policy.Client(fake.url, "k", cache_dir=support.temporary_directory(),
                                           max_reports_per_second=40, linger=0.0)
            for _ in range(100):
                client.report("connection", 1.0, True, environment="staging")
            for _ in range(200):  # not flushed: sent at the capped pace
                if sum(len(batch) for batch in fake.requests) == 100:
                    break
                time.sleep(0.05)
        sizes = [len(batch) for batch in fake.requests]
        self.assertEqual(sum(sizes), 100)
        self.assertLessEqual(max(sizes), 40, "no batch beyond one second's worth")
        self.assertGreaterEqual(len(sizes), 3)


class ExitTests(unittest.TestCase):
    """Attempts still queued when the interpreter exits are sent then, within the budget."""

    def run_python(self, body, **environment):
        script = "import sys; sys.path.insert(0, %r)\nimport timeout_policy\n" % support.CLIENT_ROOT
        script += textwrap.dedent(body)
        started = time.monotonic()
        completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                                   env=dict(os.environ, **environment))
        return completed, time.monotonic() - started

    def test_an_attempt_reported_just_before_exit_reaches_the_service(self):
        environment = support.service().new_environment()
        completed, _ = self.run_python("""
            client = timeout_policy.Client()
            client.report("connection", 1.0, True, environment=%r)
            """ % environment, TIMEOUT_POLICY_URL=support.service().url, TIMEOUT_POLICY_KEY=support.service().key,
                                       TIMEOUT_POLICY_CACHE_DIR=support.temporary_directory())
        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertEqual(metrics(environment)["connection_attempts"], 1)

    def test_a_forked_worker_reports_on_its_own_thread_as_an_instance_of_its_own(self):
        if not hasattr(os, "fork"):
            self.skipTest("no fork here")
        environment = support.service().new_environment()
        completed, _ = self.run_python("""
            import os
            client = timeout_policy.Client()
            client.report("connection", 1.0, True, environment=%r)
            assert client.flush(5.0)
            child = os.fork()  # as gunicorn --preload makes its workers
            if child == 0:
                client.report("connection", 2.0, True, environment=%r)
                os._exit(0 if client.flush(5.0) else 3)
            _, status = os.waitpid(child, 0)
            print(os.getpid(), child, status)
            """ % (environment, environment), TIMEOUT_POLICY_URL=support.service().url,
                                       TIMEOUT_POLICY_KEY=support.service().key,
                                       TIMEOUT_POLICY_CACHE_DIR=support.temporary_directory())
        self.assertEqual(completed.returncode, 0, completed.stderr)
        parent, child, status = completed.stdout.split()
        self.assertEqual(status, "0", "the child's attempt was sent by the child")
        stored = [(a["duration_seconds"], a["instance"].rsplit(":", 1)[1])
                  for a in support.stored_attempts(environment)]
        self.assertEqual(stored, [(1.0, parent), (2.0, child)])

    def test_exit_waits_no_longer_than_the_budget_when_the_service_hangs(self):
        baseline, started_alone = self.run_python("pass")
        with support.Hanging() as hanging:
            completed, elapsed = self.run_python("""
                import logging; logging.basicConfig()
                client = timeout_policy.Client(budget=%r)
                client.report("connection", 1.0, True, environment="staging")
                """ % BUDGET, TIMEOUT_POLICY_URL=hanging.url,
                                                 TIMEOUT_POLICY_CACHE_DIR=support.temporary_directory())
        support._timings.append(("exit with 1 attempt queued, service hanging (minus start)", elapsed - started_alone))
        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertIn("1 attempt(s) not reported at exit", completed.stderr)
        self.assertLess(elapsed - started_alone, BUDGET + SLACK)


if __name__ == "__main__":
    unittest.main()
