"""The built-in answer when neither the service nor the cache can answer: the defaults of SPEC 3.

The numbers are SPEC 3's, and the timeouts are what the service itself answers for an environment whose
policy is the default one and whose history is empty (SPEC 4.2 steps 1, 2 and 4): a non-Cloud-SQL
environment gets its base timeouts (branch ``static``), a Cloud SQL one base × ``insufficient_data_factor``
1.2 (branch ``insufficient_data``), and pressure indicators multiply on top. So a backend that starts while
the service is unreachable waits no less than one that asked a freshly started service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

from .models import (DEFAULTS, TIMEOUT_KEYS, Circuit, Explanation, Pool, Retry, StartupConfig,
                     Timeouts)

# SPEC 3, base timeouts in seconds: initialization, table_setup, connection, pool, health_check.
BASE_TIMEOUTS: Dict[str, Timeouts] = {
    "development": Timeouts(30.0, 15.0, 20.0, 30.0, 10.0),
    "test": Timeouts(20.0, 10.0, 15.0, 20.0, 5.0),
    "staging": Timeouts(95.0, 35.0, 75.0, 60.0, 30.0),
    "production": Timeouts(90.0, 45.0, 60.0, 70.0, 30.0),
}
CLOUD_SQL = frozenset({"staging", "production"})

CLOUD_SQL_RETRY = Retry(max_retries=5, base_delay=2.0, max_delay=30.0, exponential_base=2.0, jitter=True)
LOCAL_RETRY = Retry(max_retries=3, base_delay=1.0, max_delay=10.0, exponential_base=2.0, jitter=True)
CLOUD_SQL_POOL = Pool(pool_size=10, max_overflow=15, pool_timeout=120.0, pool_recycle=1800, pool_pre_ping=True)
LOCAL_POOL = Pool(pool_size=5, max_overflow=10, pool_timeout=30.0, pool_recycle=3600, pool_pre_ping=True)

# SPEC 3 adaptive settings and 3.1 insufficient_data_factor (1.1 for the others is never reached without
# history: below min_samples_local they are static).
MIN_SAMPLES = 5
MIN_SAMPLES_LOCAL = 10
CLOUD_SQL_INSUFFICIENT_DATA_FACTOR = 1.2

# SPEC 4.2 step 4: the default pressure multipliers.
PRESSURE_MULTIPLIERS: Dict[str, Dict[str, float]] = {
    "vpc_connector_scaling": {"connection_timeout": 1.5},
    "cloud_sql_capacity_pressure": {"initialization_timeout": 1.2},
}


@dataclass(frozen=True)
class Fallback:
    """Built-in values for an environment SPEC 3 does not know (one created with PUT …/policy): its base
    timeouts and Cloud SQL flag, as in the policy. The other groups take SPEC 3's values for that flag."""

    base_timeouts: Timeouts
    cloud_sql: bool = False


def known(environment: str) -> bool:
    return environment in BASE_TIMEOUTS


def startup_config(environment: str, pressure: Sequence[str], error: Optional[str],
                   fallback: Optional[Fallback] = None) -> StartupConfig:
    """The built-in start-up configuration of ``environment``; ``fallback`` for one SPEC 3 does not know."""
    if fallback is None:
        fallback = Fallback(BASE_TIMEOUTS[environment], environment in CLOUD_SQL)
    applied = tuple(name for name in pressure if name in PRESSURE_MULTIPLIERS)
    values = {}
    explanations = {}
    for key in TIMEOUT_KEYS:
        values[key], explanations[key] = _timeout(key, getattr(fallback.base_timeouts, key), fallback.cloud_sql,
                                                  applied)
    return StartupConfig(
        environment=environment, policy_version=None, degraded=True, source=DEFAULTS,
        timeouts=Timeouts(**values), base_timeouts=fallback.base_timeouts, explanations=explanations,
        strategy="heuristic", adaptive=fallback.cloud_sql, samples=0, pressure=applied, computed_at=None,
        retry=CLOUD_SQL_RETRY if fallback.cloud_sql else LOCAL_RETRY,
        pool=CLOUD_SQL_POOL if fallback.cloud_sql else LOCAL_POOL,
        circuit=Circuit.closed(environment), cache_age=None, error=error)


def _timeout(key: str, base: float, cloud_sql: bool, pressure: Tuple[str, ...]) -> Tuple[float, Explanation]:
    if cloud_sql:
        multiplier = CLOUD_SQL_INSUFFICIENT_DATA_FACTOR
        branch = "insufficient_data"
        text = "%s: base %ss × %s (insufficient data: 0 of %d samples) = %ss" % (
            key, base, multiplier, MIN_SAMPLES, base * multiplier)
    else:
        multiplier = 1.0
        branch = "static"
        text = "%s: base %ss (static: not a Cloud SQL environment and 0 of %d samples needed to adapt)" % (
            key, base, MIN_SAMPLES_LOCAL)
    value = base * multiplier
    factor = 1.0
    for name in pressure:
        step = PRESSURE_MULTIPLIERS[name].get(key)
        if step is not None:
            factor *= step
            value *= step
            text += "; × %s for pressure (%s) = %ss" % (step, name, value)
    text += " [built-in default of the Python client]"
    return value, Explanation(branch=branch, base=base, multiplier=multiplier, scaling_buffer=0.0,
                              capacity_buffer=0.0, pressure_factor=factor, samples=0, text=text)

