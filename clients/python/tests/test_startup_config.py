"""startup_config against the running packaged service: typed answer, cache, defaults equal to its own."""

import json
import os
import unittest
from unittest import mock

import support
import timeout_policy
from timeout_policy import defaults

BUILT_IN = ("development", "test", "staging", "production")
PRESSURES = ((), ("vpc_connector_scaling",), ("cloud_sql_capacity_pressure",),
             ("vpc_connector_scaling", "cloud_sql_capacity_pressure"))


def setUpModule():
    support.service()


class StartupConfigFromTheServiceTests(unittest.TestCase):

    def test_staging_answers_typed_values_from_the_service_within_the_budget(self):
        client = support.client()
        config, elapsed = support.timed("startup_config from the running service",
                                        lambda: client.startup_config("staging"))
        self.assertEqual(config.source, timeout_policy.SERVICE)
        self.assertFalse(config.degraded)
        self.assertLess(elapsed, support.BUDGET)
        self.assertEqual(config.environment, "staging")
        self.assertEqual(config.policy_version, 1)
        self.assertEqual(config.timeouts.connection_timeout, 90.0)  # SPEC 4.2: 75 × 1.2 without history
        self.assertEqual(config.timeout("connection"), 90.0)
        self.assertEqual(config.base_timeouts.connection_timeout, 75.0)
        self.assertEqual(config.explanations["connection_timeout"].branch, "insufficient_data")
        self.assertEqual(config.retry, timeout_policy.Retry(5, 2.0, 30.0, 2.0, True))
        self.assertEqual(config.pool.as_dict(), {"pool_size": 10, "max_overflow": 15, "pool_timeout": 120.0,
                                                 "pool_recycle": 1800, "pool_pre_ping": True})
        self.assertEqual(config.circuit.state, "closed")
        self.assertFalse(config.circuit_open())
        self.assertIsNone(config.cache_age)
        self.assertIsNone(config.error)

    def test_pressure_is_sent_as_a_list_or_a_comma_separated_string(self):
        client = support.client()
        for pressure in (["vpc_connector_scaling"], "vpc_connector_scaling", "vpc_connector_scaling,"):
            config = client.startup_config("staging", pressure)
            self.assertEqual(config.pressure, ("vpc_connector_scaling",))
            self.assertEqual(config.timeouts.connection_timeout, 135.0)

    def test_the_environment_name_is_case_insensitive(self):
        self.assertEqual(support.client().startup_config("Production").environment, "production")

    def test_each_answer_is_cached_per_environment_and_pressure(self):
        client = support.client()
        client.startup_config("development")
        client.startup_config("development", ["vpc_connector_scaling"])
        client.startup_config("test")
        names = sorted(n for n in os.listdir(client.cache.directory))
        self.assertEqual(names, ["development+vpc_connector_scaling.json", "development.json", "test.json"],
                         "no temporary file is left behind")
        with open(os.path.join(client.cache.directory, "development.json")) as cached:
            self.assertEqual(json.load(cached)["answer"]["environment"], "development")

    def test_an_environment_the_service_does_not_know_is_an_error_not_someone_elses_values(self):
        with self.assertRaises(timeout_policy.UnknownEnvironment) as raised:
            support.client().startup_config("no-such-environment")
        self.assertIn("staging", str(raised.exception))

    def test_an_unknown_pressure_indicator_is_an_error(self):
        with self.assertRaises(ValueError) as raised:
            support.client().startup_config("staging", ["full_moon"])
        self.assertIn("vpc_connector_scaling", str(raised.exception))

    def test_a_malformed_environment_name_is_refused_before_asking(self):
        with self.assertRaises(ValueError):
            support.client().startup_config("../etc")

    def test_url_key_and_cache_folder_come_from_the_environment_variables(self):
        directory = support.temporary_directory()
        with mock.patch.dict(os.environ, {"TIMEOUT_POLICY_URL": support.service().url,
                                          "TIMEOUT_POLICY_KEY": support.service().key,
                                          "TIMEOUT_POLICY_CACHE_DIR": directory}):
            client = timeout_policy.Client()
            self.assertEqual(client.startup_config("test").source, timeout_policy.SERVICE)
        self.assertEqual((client.base_url, client.api_key), (support.service().url, support.service().key))
        self.assertEqual(os.listdir(directory), ["test.json"])

    def test_the_default_cache_folder_is_per_user(self):
        with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": "/x/cache"}):
            os.environ.pop("TIMEOUT_POLICY_CACHE_DIR", None)
            self.assertEqual(timeout_policy.Client("http://h").cache.directory, "/x/cache/timeout-policy")
        with mock.patch.dict(os.environ, {"HOME": "/home/someone"}):
            os.environ.pop("TIMEOUT_POLICY_CACHE_DIR", None)
            os.environ.pop("XDG_CACHE_HOME", None)
            self.assertEqual(timeout_policy.Client("http://h").cache.directory,
                             "/home/someone/.cache/timeout-policy")

    def test_the_circuit_opens_after_five_failures_reported_by_the_client(self):
        service = support.service()
        environment = service.new_environment()
        client = support.client()
        self.assertFalse(client.startup_config(environment).circuit_open())
        for _ in range(5):
            client.report("connection", 1.0, False, failure_type="database_timeout")
        self.assertTrue(client.flush(5.0))
        config = client.startup_config(environment)
        self.assertTrue(config.circuit_open())
        self.assertEqual(config.circuit.consecutive_failures, 5)
        self.assertGreater(config.circuit.retry_after_seconds, 0)


class BuiltInDefaultsTests(unittest.TestCase):
    """The built-in answer is the service's own for a default policy and no history (SPEC 3, 4.2)."""

    def test_built_in_defaults_equal_what_a_fresh_service_answers_for_every_environment_and_pressure(self):
        client = support.client()
        for environment in BUILT_IN:
            for pressure in PRESSURES:
                with self.subTest(environment=environment, pressure=pressure):
                    served = client.startup_config(environment, pressure)
                    self.assertEqual(served.samples, 0, "the service must not have history for this comparison")
                    built_in = defaults.startup_config(environment, list(pressure), None)
                    self.assertEqual(built_in.timeouts, served.timeouts)
                    self.assertEqual(built_in.base_timeouts, served.base_timeouts)
                    self.assertEqual(built_in.retry, served.retry)
                    self.assertEqual(built_in.pool, served.pool)
                    self.assertEqual(built_in.adaptive, served.adaptive)
                    self.assertEqual(built_in.pressure, served.pressure)
                    self.assertEqual(built_in.circuit, served.circuit)
                    for key, explanation in served.explanations.items():
                        mine = built_in.explanations[key]
                        self.assertEqual((mine.branch, mine.base, mine.multiplier, mine.pressure_factor),
                                         (explanation.branch, explanation.base, explanation.multiplier,
                                          explanation.pressure_factor))

    def test_built_in_base_timeouts_are_spec_3s(self):
        spec_3 = {"development": (30, 15, 20, 30, 10), "test": (20, 10, 15, 20, 5),
                  "staging": (95, 35, 75, 60, 30), "production": (90, 45, 60, 70, 30)}
        for environment, values in spec_3.items():
            config = defaults.startup_config(environment, [], "down")
            self.assertEqual(tuple(config.base_timeouts.as_dict().values()), tuple(float(v) for v in values))
            self.assertEqual((config.source, config.degraded, config.error), ("defaults", True, "down"))


if __name__ == "__main__":
    unittest.main()
