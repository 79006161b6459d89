"""The functional core of the integrations: what each served value becomes in each manager (SPEC 9.2), as
plain values in, plain values out. No I/O here; the integrations log and apply what these functions answer.

A :class:`Setting` says which knob, the served value, the value applied, and why they differ (a rounding, a
floor, the application's own argument). Units: seconds everywhere except where a manager wants integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .models import StartupConfig

#: libpq's connect_timeout is an integer number of seconds; values below 2 are raised to 2 by libpq itself
#: (and 0 means "wait forever"), so the served value is rounded up and floored here, where it can be logged.
LIBPQ_FLOOR = 2

SERVED = "served"
ROUNDED_UP = "rounded up to whole seconds"
FLOOR = "raised to the floor"
APPLICATION = "the application's own value"


@dataclass(frozen=True)
class Setting:
    """One knob of one manager: ``applied`` is what the manager gets; ``served`` the service's value (None
    where the application's value is used without one); ``reason`` one of the constants above."""

    knob: str
    served: Any
    applied: Any
    unit: str
    reason: str = SERVED

    @property
    def changed(self) -> bool:
        return self.reason != SERVED

    def describe(self) -> str:
        unit = " " + self.unit if self.unit else ""
        if self.reason == APPLICATION:
            return "%s=%s%s (the application's own value; served %s)" % (self.knob, self.applied, unit, self.served)
        if self.changed:
            return "%s=%s%s (served %s, %s)" % (self.knob, self.applied, unit, self.served, self.reason)
        return "%s=%s%s" % (self.knob, self.applied, unit)


def libpq_seconds(knob: str, served: float) -> Setting:
    """libpq's ``connect_timeout`` (psycopg2, psycopg): whole seconds, rounded up, at least 2."""
    whole = _ceil(served)
    if whole < LIBPQ_FLOOR:
        return Setting(knob, served, LIBPQ_FLOOR, "s", FLOOR)
    return Setting(knob, served, whole, "s", ROUNDED_UP if abs(whole - served) > _EPSILON else SERVED)


def float_seconds(knob: str, served: float) -> Setting:
    """A knob in seconds as a float (asyncpg's ``timeout``, SQLAlchemy's ``pool_timeout``): exact."""
    return Setting(knob, served, float(served), "s")


def whole_seconds(knob: str, served: float) -> Setting:
    """A knob in whole seconds that has no floor (SQLAlchemy's ``pool_recycle``)."""
    whole = _ceil(served)
    return Setting(knob, served, whole, "s", ROUNDED_UP if abs(whole - served) > _EPSILON else SERVED)


_EPSILON = 1e-6


def _ceil(seconds: float) -> int:
    # 20.000000001 (a base times a multiplier) is 20 s, not 21.
    return int(math.ceil(seconds - _EPSILON))


def plain(knob: str, served: Any, unit: str = "") -> Setting:
    return Setting(knob, served, served, unit)


def connect_timeout(driver: str, seconds: float) -> Optional[Setting]:
    """The driver's connect timeout for the served ``connection_timeout``: psycopg2 / psycopg ``connect_timeout``
    (libpq, whole seconds, floor 2), asyncpg ``timeout`` and pg8000 ``timeout`` (float seconds); None for a
    driver whose knob is not known."""
    if driver in ("psycopg2", "psycopg", "psycopg_async", "psycopg2cffi"):
        return libpq_seconds("connect_timeout", seconds)
    if driver in ("asyncpg", "pg8000"):
        return float_seconds("timeout", seconds)
    return None


def explicit(setting: Setting, own: Any) -> Setting:
    """``setting`` overridden by the application's own value (it always wins, SPEC 9.2)."""
    return Setting(setting.knob, setting.served, own, setting.unit, APPLICATION)


def sqlalchemy_pool(config: StartupConfig) -> List[Setting]:
    """SQLAlchemy's pool arguments (``create_engine`` names): the wait is the served, adaptive
    ``timeouts.pool_timeout`` (not the static advice's), the rest the pool advice as given."""
    pool = config.pool
    return [float_seconds("pool_timeout", config.timeouts.pool_timeout), plain("pool_size", pool.pool_size),
            plain("max_overflow", pool.max_overflow), whole_seconds("pool_recycle", pool.pool_recycle),
            plain("pool_pre_ping", pool.pool_pre_ping)]


def sizes(config: StartupConfig, own_min: Optional[int], own_max: Optional[int]) -> Tuple[Setting, Setting]:
    """``min_size`` / ``max_size`` of asyncpg and psycopg_pool from the advice: the connections kept
    (``pool_size``) and the most open at once (``pool_size + max_overflow``), with the application's own
    values winning and the other one moved so that min ≤ max still holds."""
    served_min = config.pool.pool_size
    served_max = config.pool.pool_size + config.pool.max_overflow
    low = plain("min_size", served_min)
    high = plain("max_size", served_max)
    if own_min is not None:
        low = explicit(low, own_min)
    if own_max is not None:
        high = explicit(high, own_max)
    if low.applied > high.applied:
        if own_max is None:
            high = Setting("max_size", served_max, low.applied, "", "raised to min_size")
        elif own_min is None:
            low = Setting("min_size", served_min, high.applied, "", "lowered to max_size")
    return low, high


def merge(settings: List[Setting], own: Mapping[str, Any]) -> Dict[str, Setting]:
    """Each setting by knob, the application's own value winning where ``own`` has one."""
    return {s.knob: explicit(s, own[s.knob]) if s.knob in own else s for s in settings}
