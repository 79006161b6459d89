"""startup_config when the service cannot answer: stopped, hanging, 500, malformed JSON, the wrong shape.
Each answers within the budget, from the cache when there is one, else from the built-in defaults."""

import json
import os
import time
import unittest

import support
import timeout_policy
from support import BUDGET, SLACK


def setUpModule():
    support.service()


class FallbackTests(unittest.TestCase):

    def setUp(self):
        # The cache a backend keeps from its last start, written by the running service.
        self.cache_dir = support.temporary_directory()
        served = support.client(cache_dir=self.cache_dir).startup_config("staging")
        self.assertEqual(served.source, timeout_policy.SERVICE)
        self.served = served

    def ask(self, label, base_url, environment="staging", cached=True, **options):
        cache_dir = self.cache_dir if cached else support.temporary_directory()
        client = timeout_policy.Client(base_url, "any-key", cache_dir=cache_dir, **options)
        config, elapsed = support.timed(label, lambda: client.startup_config(environment))
        self.assertLess(elapsed, options.get("budget", BUDGET) + SLACK, label)
        self.assertTrue(config.degraded)
        self.assertIsNotNone(config.error)
        return config, elapsed

    def assert_cached(self, config):
        self.assertEqual(config.source, timeout_policy.CACHE)
        self.assertEqual(config.timeouts, self.served.timeouts)
        self.assertEqual(config.retry, self.served.retry)
        self.assertEqual(config.policy_version, self.served.policy_version)
        self.assertGreaterEqual(config.cache_age, 0.0)
        self.assertLess(config.cache_age, 60.0)

    def assert_defaults(self, config):
        self.assertEqual(config.source, timeout_policy.DEFAULTS)
        self.assertEqual(config.timeouts.connection_timeout, 90.0)
        self.assertEqual(config.base_timeouts.connection_timeout, 75.0)
        self.assertIsNone(config.cache_age)
        self.assertIsNone(config.policy_version)

    def test_service_stopped_answers_from_the_cache_then_the_defaults(self):
        url = support.closed_port()
        config, _ = self.ask("stopped (closed port), cached", url)
        self.assert_cached(config)
        self.assertEqual(config.error, "connection refused")
        config, _ = self.ask("stopped (closed port), no cache", url, cached=False)
        self.assert_defaults(config)

    def test_service_hanging_answers_from_the_cache_at_the_budget(self):
        with support.Hanging() as hanging:
            config, elapsed = self.ask("hanging (accepts, never answers), cached", hanging.url)
            self.assert_cached(config)
            self.assertGreaterEqual(elapsed, BUDGET - 0.05, "it waited for the service as long as allowed")
            config, _ = self.ask("hanging (accepts, never answers), no cache", hanging.url, cached=False)
            self.assert_defaults(config)

    def test_a_service_sending_its_answer_a_byte_at_a_time_is_cut_at_the_total_budget(self):
        body = json.dumps({"environment": "staging"}).encode()
        with support.Answering(200, body, drip=0.3) as dripping:
            config, _ = self.ask("answer dripping 1 byte / 0.3 s (socket timeout never trips)", dripping.url)
            self.assert_cached(config)

    def test_a_shorter_budget_is_kept_too(self):
        with support.Hanging() as hanging:
            config, elapsed = self.ask("hanging, budget 0.5 s", hanging.url, budget=0.5)
            self.assert_cached(config)
            self.assertLess(elapsed, 0.5 + SLACK)

    def test_a_500_answers_from_the_cache_then_the_defaults(self):
        problem = json.dumps({"type": "about:blank", "title": "Internal Server Error", "status": 500,
                              "detail": "boom"}).encode()
        with support.Answering(500, problem, content_type="application/problem+json") as failing:
            config, _ = self.ask("answering 500, cached", failing.url)
            self.assert_cached(config)
            self.assertEqual(config.error, "HTTP 500: boom")
            self.assert_defaults(self.ask("answering 500, no cache", failing.url, cached=False)[0])

    def test_a_503_from_a_proxy_in_front_answers_from_the_cache(self):
        with support.Answering(503, b"<html>Service Unavailable</html>", content_type="text/html") as proxy:
            self.assert_cached(self.ask("answering 503 (HTML from a proxy), cached", proxy.url)[0])

    def test_a_404_page_of_a_proxy_in_front_is_an_outage_not_an_unknown_environment(self):
        with support.Answering(404, b"<html>Not Found</html>", content_type="text/html") as ingress:
            self.assert_cached(self.ask("answering 404 (HTML from an ingress), cached", ingress.url)[0])

    def test_malformed_json_answers_from_the_cache_then_the_defaults(self):
        with support.Answering(200, b'{"environment": "staging", "timeouts": {') as broken:
            config, _ = self.ask("malformed JSON, cached", broken.url)
            self.assert_cached(config)
            self.assertTrue(config.error.startswith("unexpected answer"), config.error)
            self.assert_defaults(self.ask("malformed JSON, no cache", broken.url, cached=False)[0])

    def test_json_of_the_wrong_shape_answers_from_the_cache(self):
        answer = support.service().get("/api/v1/environments/staging/startup-config")[1]
        wrong = {"a timeout as a string": dict(answer, timeouts=dict(answer["timeouts"], timeouts=dict(
                     answer["timeouts"]["timeouts"], connection_timeout="90"))),
                 "a timeout missing": dict(answer, timeouts=dict(answer["timeouts"], timeouts={})),
                 "retry null": dict(answer, retry=None),
                 "an unknown circuit state": dict(answer, circuit=dict(answer["circuit"], state="ajar")),
                 "another environment's answer": dict(answer, environment="production"),
                 "an array": [answer], "a string": "staging"}
        for kind, body in wrong.items():
            with self.subTest(kind), support.Answering(200, json.dumps(body).encode()) as odd:
                self.assert_cached(self.ask("wrong shape (%s), cached" % kind, odd.url)[0])

    def test_no_url_configured_answers_from_the_cache_without_waiting(self):
        os.environ.pop("TIMEOUT_POLICY_URL", None)
        config, elapsed = self.ask("no TIMEOUT_POLICY_URL, cached", None)
        self.assert_cached(config)
        self.assertLess(elapsed, SLACK)

    def test_an_unreadable_cache_falls_back_to_the_defaults(self):
        with open(os.path.join(self.cache_dir, "staging.json"), "w") as cached:
            cached.write("{half a file")
        self.assert_defaults(self.ask("stopped, cache file corrupt", support.closed_port())[0])

    def test_an_environment_spec_3_does_not_know_needs_its_cache_or_a_fallback(self):
        service = support.service()
        environment = service.new_environment(connection_timeout=15.0)
        cache_dir = support.temporary_directory()
        self.assertEqual(support.client(cache_dir=cache_dir).startup_config(environment).source, "service")
        stopped = support.closed_port()
        from_cache = timeout_policy.Client(stopped, cache_dir=cache_dir).startup_config(environment)
        self.assertEqual((from_cache.source, from_cache.timeouts.connection_timeout), ("cache", 15.0))

        nothing = timeout_policy.Client(stopped, cache_dir=support.temporary_directory())
        with self.assertRaises(timeout_policy.UnknownEnvironment):
            nothing.startup_config(environment)
        given = timeout_policy.Fallback(timeout_policy.Timeouts(25.0, 12.0, 15.0, 25.0, 8.0), cloud_sql=False)
        config = nothing.startup_config(environment, fallback=given)
        self.assertEqual((config.source, config.timeouts.connection_timeout), ("defaults", 15.0))
        self.assertEqual(config.retry, timeout_policy.Retry(3, 1.0, 10.0, 2.0, True))

    def test_a_cached_open_circuit_turns_half_open_once_its_retry_after_has_passed(self):
        service = support.service()
        environment = service.new_environment()
        cache_dir = support.temporary_directory()
        client = support.client(cache_dir=cache_dir)
        client.startup_config(environment)
        for _ in range(5):
            client.report("connection", 0.5, False)
        self.assertTrue(client.flush(5.0))
        self.assertTrue(client.startup_config(environment).circuit_open())

        stopped = timeout_policy.Client(support.closed_port(), cache_dir=cache_dir)
        fresh = stopped.startup_config(environment)
        self.assertEqual(fresh.source, "cache")
        self.assertTrue(fresh.circuit_open(), "a few seconds later it is still open")

        path = os.path.join(cache_dir, environment + ".json")
        with open(path) as cached:
            document = json.load(cached)
        document["stored_at"] = time.time() - 61  # reset_timeout is 60 s
        with open(path, "w") as cached:
            json.dump(document, cached)
        old = stopped.startup_config(environment)
        self.assertEqual(old.circuit.state, "half_open")
        self.assertFalse(old.circuit_open())
        self.assertGreater(old.cache_age, 60)


if __name__ == "__main__":
    unittest.main()
