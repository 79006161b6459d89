"""Client of the Timeout Policy Service for Python backends and deploy scripts (standard library only).

    import timeout_policy
    client = timeout_policy.Client()                     # TIMEOUT_POLICY_URL, TIMEOUT_POLICY_KEY
    config = client.startup_config("staging")            # at most 2 s; else the cache, else SPEC 3
    with client.timed("connection"):                     # reported in the background
        engine = connect(timeout=config.timeouts.connection_timeout)

Or with no glue at all (docs/integrations-python.md): ``create_engine("postgresql://…?plugin=timeout_policy")``,
``timeout_policy.asyncpg.create_pool(dsn)``, ``timeout_policy.psycopg.ConnectionPool(conninfo)``, and
``with timeout_policy.phase("table_setup", connection):`` around the schema set-up.
"""

import logging

__version__ = "0.2.0"

# A library leaves logging to the application (its warnings say when an answer came from the cache or the
# defaults, and what could not be reported); without a configuration they are not printed.
logging.getLogger("timeout_policy").addHandler(logging.NullHandler())

from .client import Client, DecisionUnavailable, Timed, TimeoutPolicyError, UnknownEnvironment  # noqa: E402
from .defaults import Fallback  # noqa: E402
from .models import (CACHE, DEFAULTS, SERVICE, Circuit, Decision, Explanation, Pool, Retry,  # noqa: E402
                     StartupConfig, Timeouts)
from .reporting import ReportingStats  # noqa: E402
from .failures import FAILURE_TYPES, classify  # noqa: E402
from .phases import Phase, phase  # noqa: E402

__all__ = ["Client", "StartupConfig", "Timeouts", "Explanation", "Retry", "Pool", "Circuit", "Decision",
           "Fallback", "ReportingStats", "Timed", "TimeoutPolicyError", "UnknownEnvironment",
           "DecisionUnavailable", "SERVICE", "CACHE", "DEFAULTS", "FAILURE_TYPES", "classify", "phase", "Phase",
           "__version__"]
