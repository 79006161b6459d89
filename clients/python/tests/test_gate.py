"""``python3 -m timeout_policy gate``: its exit code is the decision of the running service (SPEC 4.5)."""

import os
import subprocess
import sys
import unittest

import support
import timeout_policy

BYPASS, REFUSED, COULD_NOT_ASK = 0, 1, 2


def setUpModule():
    support.service()


def gate(*arguments, url=None, key=None):
    environment = dict(os.environ, PYTHONPATH=support.CLIENT_ROOT,
                       TIMEOUT_POLICY_URL=url or support.service().url,
                       TIMEOUT_POLICY_KEY=key or support.service().key)
    return subprocess.run([sys.executable, "-m", "timeout_policy", "gate"] + list(arguments),
                          capture_output=True, text=True, timeout=60, env=environment)


class GateTests(unittest.TestCase):
    """Production has no history in the test service, so its failure analysis recommends `conservative` and
    the basic logic decides: basic_max_failures is 1 there (SPEC 3), infrastructure_max_failures 0."""

    def assert_decision(self, completed, code, rule):
        self.assertEqual(completed.returncode, code, completed.stdout + completed.stderr)
        first, reason = completed.stdout.splitlines()[:2]
        fields = dict(part.split("=", 1) for part in first.split())
        self.assertEqual(fields["rule"], rule)
        self.assertEqual(fields["bypass"], "true" if code == BYPASS else "false")
        self.assertTrue(reason)
        status, stored = support.service().get("/api/v1/bypass-decisions/" + fields["decision"])
        self.assertEqual(status, 200, "the decision printed is the one stored")
        self.assertEqual((stored["rule"], stored["bypass"]), (rule, code == BYPASS))
        return stored

    def test_failures_within_the_basic_limit_are_a_bypass_exit_0(self):
        stored = self.assert_decision(gate("--environment", "production", "--failures", "1", "--types",
                                           "database_timeout", "--service", "orders-api", "--deployment",
                                           "orders-api-42", "--requested-by", "pipeline-7"), BYPASS, "basic")
        self.assertEqual((stored["service"], stored["deployment"], stored["requested_by"], stored["failure_types"]),
                         ("orders-api", "orders-api-42", "pipeline-7", ["database_timeout"]))

    def test_failures_over_the_basic_limit_are_refused_exit_1(self):
        self.assert_decision(gate("--environment", "production", "--failures", "2"), REFUSED,
                             "basic_limit_exceeded")

    def test_a_genuine_failure_is_refused_exit_1(self):
        self.assert_decision(gate("--environment", "production", "--failures", "1", "--types",
                                  "database_timeout,schema_mismatch"), REFUSED, "genuine_failure")

    def test_no_failures_is_nothing_to_bypass_exit_1(self):
        self.assert_decision(gate("--environment", "staging", "--failures", "0"), REFUSED, "no_failures")

    def test_a_manual_override_passes_exit_0(self):
        self.assert_decision(gate("--environment", "production", "--failures", "4", "--types", "schema_mismatch",
                                  "--manual-override"), BYPASS, "manual_override")

    def test_infrastructure_failures_within_their_limit_pass_in_staging_exit_0(self):
        # staging: basic_max_failures 2, infrastructure_max_failures 3 (SPEC 3, 4.5 step 5)
        self.assert_decision(gate("--environment", "staging", "--failures", "3", "--types",
                                  "vpc_connector,database_timeout"), BYPASS, "infrastructure_failures")

    def test_a_stopped_service_is_exit_2(self):
        completed = gate("--environment", "production", "--failures", "1", url=support.closed_port())
        self.assertEqual(completed.returncode, COULD_NOT_ASK)
        self.assertIn("could not be asked", completed.stderr)

    def test_a_hanging_service_is_exit_2_after_the_timeout(self):
        with support.Hanging() as hanging:
            (completed, elapsed) = support.timed("gate against a hanging service, --timeout 1", lambda: gate(
                "--environment", "production", "--failures", "1", "--timeout", "1", url=hanging.url))
        self.assertEqual(completed.returncode, COULD_NOT_ASK)
        self.assertLess(elapsed, 1.0 + 1.5, "the timeout, plus starting an interpreter")

    def test_a_wrong_key_is_exit_2(self):
        completed = gate("--environment", "production", "--failures", "1", key="not-a-key")
        self.assertEqual(completed.returncode, COULD_NOT_ASK)
        self.assertIn("HTTP 401", completed.stderr)

    def test_an_unknown_environment_is_exit_2(self):
        completed = gate("--environment", "nowhere", "--failures", "1")
        self.assertEqual(completed.returncode, COULD_NOT_ASK)
        self.assertIn("HTTP 422", completed.stderr)

    def test_a_wrong_command_line_is_exit_2(self):
        self.assertEqual(gate("--environment", "production", "--failures", "-1").returncode, COULD_NOT_ASK)
        self.assertEqual(gate("--failures", "1").returncode, COULD_NOT_ASK)


class BypassDecisionTests(unittest.TestCase):

    def test_the_decision_is_typed(self):
        decision = support.client().bypass_decision("production", 1, failure_types=["database_timeout"],
                                                    service="orders-api", deployment="d-1")
        self.assertIsInstance(decision, timeout_policy.Decision)
        self.assertTrue(decision.bypass)
        self.assertEqual((decision.rule, decision.environment, decision.failure_types),
                         ("basic", "production", ("database_timeout",)))
        self.assertEqual(decision.policy_version, 1)
        self.assertFalse(decision.degraded)

    def test_no_answer_raises_decision_unavailable(self):
        client = timeout_policy.Client(support.closed_port(), "k", cache_dir=support.temporary_directory())
        with self.assertRaises(timeout_policy.DecisionUnavailable):
            client.bypass_decision("production", 1)


if __name__ == "__main__":
    unittest.main()
