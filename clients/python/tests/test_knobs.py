"""What each served value becomes in each manager (SPEC 9.2): the functional core, at its thresholds."""

import os
import unittest

import support  # noqa: F401  (the package on the path)
from timeout_policy import defaults, knobs
from timeout_policy.integration import Settings


class LibpqTests(unittest.TestCase):

    def test_whole_seconds_rounded_up_with_a_floor_of_two(self):
        for served, applied, reason in [(0.1, 2, knobs.FLOOR), (1.0, 2, knobs.FLOOR), (1.2, 2, knobs.ROUNDED_UP), (1.99, 2, knobs.ROUNDED_UP),
                                        (2.0, 2, knobs.SERVED), (2.01, 3, knobs.ROUNDED_UP),
                                        (20.0, 20, knobs.SERVED), (20.000000001, 20, knobs.SERVED),
                                        (74.4, 75, knobs.ROUNDED_UP), (90.0, 90, knobs.SERVED)]:
            with self.subTest(served=served):
                setting = knobs.libpq_seconds("connect_timeout", served)
                self.assertEqual((setting.applied, setting.reason), (applied, reason))
                self.assertIsInstance(setting.applied, int)

    def test_what_a_change_says(self):
        self.assertEqual(knobs.libpq_seconds("connect_timeout", 0.5).describe(),
                         "connect_timeout=2 s (served 0.5, raised to the floor)")
        self.assertEqual(knobs.libpq_seconds("connect_timeout", 74.4).describe(),
                         "connect_timeout=75 s (served 74.4, rounded up to whole seconds)")
        own = knobs.explicit(knobs.float_seconds("pool_timeout", 72.0), 5)
        self.assertEqual(own.describe(), "pool_timeout=5 s (the application's own value; served 72.0)")


class DriverTests(unittest.TestCase):

    def test_each_drivers_connect_timeout(self):
        self.assertEqual(knobs.connect_timeout("psycopg2", 1.5).applied, 2)
        self.assertEqual(knobs.connect_timeout("psycopg", 2.5).applied, 3)
        self.assertEqual(knobs.connect_timeout("asyncpg", 1.5).applied, 1.5)
        self.assertEqual(knobs.connect_timeout("asyncpg", 1.5).knob, "timeout")
        self.assertIsNone(knobs.connect_timeout("mysqldb", 1.5))

    def test_sqlalchemy_takes_the_served_pool_timeout_and_the_advice(self):
        config = defaults.startup_config("staging", [], None)
        values = {s.knob: s.applied for s in knobs.sqlalchemy_pool(config)}
        self.assertEqual(values, {"pool_timeout": 72.0, "pool_size": 10, "max_overflow": 15, "pool_recycle": 1800,
                                  "pool_pre_ping": True})

    def test_own_values_win(self):
        config = defaults.startup_config("development", [], None)
        merged = knobs.merge(knobs.sqlalchemy_pool(config), {"pool_timeout": 5})
        self.assertEqual((merged["pool_timeout"].applied, merged["pool_timeout"].reason), (5, knobs.APPLICATION))
        self.assertEqual(merged["pool_size"].applied, 5)


class SizeTests(unittest.TestCase):
    config = defaults.startup_config("development", [], None)  # pool_size 5, max_overflow 10

    def sizes(self, own_min=None, own_max=None):
        low, high = knobs.sizes(self.config, own_min, own_max)
        return low.applied, high.applied

    def test_kept_and_most(self):
        self.assertEqual(self.sizes(), (5, 15))

    def test_the_applications_values_win_and_min_stays_at_most_max(self):
        self.assertEqual(self.sizes(own_min=2), (2, 15))
        self.assertEqual(self.sizes(own_max=3), (3, 3))
        self.assertEqual(self.sizes(own_min=20), (20, 20))
        self.assertEqual(self.sizes(own_min=4, own_max=8), (4, 8))


class SettingsTests(unittest.TestCase):

    def test_defaults(self):
        settings = Settings.from_environment({})
        self.assertEqual((settings.pool_wait_report_ms, settings.max_reports_per_second, settings.environment),
                         (10.0, 200.0, None))

    def test_from_the_environment(self):
        settings = Settings.from_environment({"TIMEOUT_POLICY_ENVIRONMENT": "Staging",
                                              "TIMEOUT_POLICY_POOL_WAIT_REPORT_MS": "25",
                                              "TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND": "50",
                                              "TIMEOUT_POLICY_INSTANCE": "pod-7"})
        self.assertEqual((settings.environment, settings.pool_wait_report_ms, settings.max_reports_per_second,
                          settings.instance), ("staging", 25.0, 50.0, "pod-7"))

    def test_bad_numbers_fall_back_to_the_defaults(self):
        settings = Settings.from_environment({"TIMEOUT_POLICY_POOL_WAIT_REPORT_MS": "soon",
                                              "TIMEOUT_POLICY_MAX_REPORTS_PER_SECOND": "-1"})
        self.assertEqual((settings.pool_wait_report_ms, settings.max_reports_per_second), (10.0, 200.0))

    def test_the_default_instance_is_host_and_process(self):
        from timeout_policy.fields import default_instance
        self.assertTrue(default_instance().endswith(":%d" % os.getpid()), default_instance())


if __name__ == "__main__":
    unittest.main()
