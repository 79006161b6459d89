"""The response fields this client reads, per operation, for the contract test to find in the service's OpenAPI
document (tests/test_contract.py): a change of the API then breaks the client's build, not a backend's start-up.

The lists come from the dataclasses' own fields where the JSON has the same shape, so a field added to a model
is checked without anyone remembering to list it. The maps keyed by timeout key list each of SPEC 2's keys.
"""

from dataclasses import fields

from .models import TIMEOUT_KEYS, Circuit, Decision, Explanation, Pool, Retry

STARTUP_CONFIG = "GET /api/v1/environments/{environment}/startup-config"
BYPASS_DECISION = "POST /api/v1/bypass-decisions"
ATTEMPTS = "POST /api/v1/attempts"


def _names(model, prefix=""):
    return tuple(prefix + field.name for field in fields(model))


FIELDS_READ = {
    STARTUP_CONFIG: ("environment", "policy_version", "degraded", "timeouts.strategy", "timeouts.adaptive",
                     "timeouts.samples", "timeouts.pressure", "timeouts.computed_at")
                    + tuple("timeouts.%s.%s" % (group, key) for group in ("timeouts", "base_timeouts")
                            for key in TIMEOUT_KEYS)
                    + tuple(name for key in TIMEOUT_KEYS
                            for name in _names(Explanation, "timeouts.explanations.%s." % key))
                    + _names(Retry, "retry.") + _names(Pool, "pool.") + _names(Circuit, "circuit."),
    BYPASS_DECISION: _names(Decision),
    ATTEMPTS: ("duplicates",),
}
