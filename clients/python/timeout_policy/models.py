"""The answers of the service as typed, immutable objects, parsed strictly from its JSON (SPEC 5)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Dict, Mapping, Optional, Tuple

#: Where a start-up configuration came from.
SERVICE = "service"
CACHE = "cache"
DEFAULTS = "defaults"

#: SPEC 2: the operations and their timeout keys, in the service's order.
OPERATIONS = ("initialization", "table_setup", "connection", "pool", "health_check")
TIMEOUT_KEYS = tuple(operation + "_timeout" for operation in OPERATIONS)


class ShapeError(ValueError):
    """The service answered JSON that is not the documented shape."""


@dataclass(frozen=True)
class Timeouts:
    """The five timeouts of an environment, in seconds."""

    initialization_timeout: float
    table_setup_timeout: float
    connection_timeout: float
    pool_timeout: float
    health_check_timeout: float

    def for_operation(self, operation: str) -> float:
        """The timeout of ``operation`` (``"connection"``) or of its key (``"connection_timeout"``)."""
        key = operation if operation.endswith("_timeout") else operation + "_timeout"
        if key not in TIMEOUT_KEYS:
            raise ValueError("unknown operation %r; known: %s" % (operation, ", ".join(OPERATIONS)))
        return getattr(self, key)

    def as_dict(self) -> Dict[str, float]:
        return asdict(self)

    @classmethod
    def of(cls, values: Mapping[str, Any], where: str = "timeouts") -> "Timeouts":
        _object(values, where)
        return cls(**{key: _seconds(values, key, where) for key in TIMEOUT_KEYS})


@dataclass(frozen=True)
class Explanation:
    """How one timeout was computed (SPEC 4.2)."""

    branch: str
    base: float
    multiplier: float
    scaling_buffer: float
    capacity_buffer: float
    pressure_factor: float
    samples: int
    text: str

    @classmethod
    def of(cls, values: Mapping[str, Any], where: str) -> "Explanation":
        _object(values, where)
        return cls(branch=_str(values, "branch", where), base=_number(values, "base", where),
                   multiplier=_number(values, "multiplier", where),
                   scaling_buffer=_number(values, "scaling_buffer", where),
                   capacity_buffer=_number(values, "capacity_buffer", where),
                   pressure_factor=_number(values, "pressure_factor", where),
                   samples=_int(values, "samples", where), text=_str(values, "text", where))


@dataclass(frozen=True)
class Retry:
    """Retry advice (SPEC 3)."""

    max_retries: int
    base_delay: float
    max_delay: float
    exponential_base: float
    jitter: bool

    @classmethod
    def of(cls, values: Mapping[str, Any], where: str = "retry") -> "Retry":
        _object(values, where)
        return cls(max_retries=_int(values, "max_retries", where), base_delay=_number(values, "base_delay", where),
                   max_delay=_number(values, "max_delay", where),
                   exponential_base=_number(values, "exponential_base", where),
                   jitter=_bool(values, "jitter", where))


@dataclass(frozen=True)
class Pool:
    """Pool advice (SPEC 3); the names are SQLAlchemy's ``create_engine`` arguments: ``**pool.as_dict()``."""

    pool_size: int
    max_overflow: int
    pool_timeout: float
    pool_recycle: int
    pool_pre_ping: bool

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, values: Mapping[str, Any], where: str = "pool") -> "Pool":
        _object(values, where)
        return cls(pool_size=_int(values, "pool_size", where), max_overflow=_int(values, "max_overflow", where),
                   pool_timeout=_number(values, "pool_timeout", where),
                   pool_recycle=_int(values, "pool_recycle", where),
                   pool_pre_ping=_bool(values, "pool_pre_ping", where))


@dataclass(frozen=True)
class Circuit:
    """The fleet circuit of an environment (SPEC 4.6): ``closed``, ``open`` or ``half_open``."""

    environment: str
    state: str
    consecutive_failures: int
    last_failure_at: Optional[str]
    retry_after_seconds: Optional[float]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def aged(self, seconds: float) -> "Circuit":
        """This state as it stands ``seconds`` later without news: an open circuit turns half-open when its
        ``retry_after_seconds`` have passed (SPEC 4.6)."""
        if not self.is_open or self.retry_after_seconds is None:
            return self
        left = self.retry_after_seconds - seconds
        if left > 0:
            return replace(self, retry_after_seconds=left)
        return replace(self, state="half_open", retry_after_seconds=None)

    @classmethod
    def closed(cls, environment: str) -> "Circuit":
        return cls(environment, "closed", 0, None, None)

    @classmethod
    def of(cls, values: Mapping[str, Any], where: str = "circuit") -> "Circuit":
        _object(values, where)
        state = _str(values, "state", where)
        if state not in ("closed", "open", "half_open"):
            raise ShapeError("%s.state: unknown state %r" % (where, state))
        retry_after = values.get("retry_after_seconds")
        return cls(environment=_str(values, "environment", where), state=state,
                   consecutive_failures=_int(values, "consecutive_failures", where),
                   last_failure_at=_optional_str(values, "last_failure_at", where),
                   retry_after_seconds=None if retry_after is None else _number(values, "retry_after_seconds", where))


@dataclass(frozen=True)
class StartupConfig:
    """Everything a backend needs at start-up (SPEC 5 ``startup-config``), and where it came from.

    ``source`` is ``"service"``, ``"cache"`` (the last answer of the service stored on disk, ``cache_age``
    seconds old) or ``"defaults"`` (SPEC 3, built in); ``degraded`` is true for the last two and whenever the
    service itself says so. ``error`` says why the service's answer was not used.
    """

    environment: str
    policy_version: Optional[int]
    degraded: bool
    source: str
    timeouts: Timeouts
    base_timeouts: Timeouts
    explanations: Mapping[str, Explanation]
    strategy: str
    adaptive: bool
    samples: int
    pressure: Tuple[str, ...]
    computed_at: Optional[str]
    retry: Retry
    pool: Pool
    circuit: Circuit
    cache_age: Optional[float] = None
    error: Optional[str] = field(default=None, compare=False)

    @property
    def age_seconds(self) -> Optional[float]:
        """How old the values were when they were read (SPEC 9.1 point 5): ``cache_age`` for ``source == "cache"``,
        0 for an answer of the service, None for the built-in defaults."""
        if self.source == CACHE:
            return self.cache_age
        return 0.0 if self.source == SERVICE else None

    def circuit_open(self) -> bool:
        """True while the fleet sees this environment's database as down (SPEC 4.6): fail fast instead of
        waiting for a long timeout."""
        return self.circuit.is_open

    def timeout(self, operation: str) -> float:
        """The effective timeout of ``operation``, e.g. ``config.timeout("connection")``."""
        return self.timeouts.for_operation(operation)

    @classmethod
    def of(cls, answer: Mapping[str, Any], source: str, cache_age: Optional[float] = None,
           error: Optional[str] = None) -> "StartupConfig":
        """Parses the service's JSON answer; raises :class:`ShapeError` when it is not the documented one."""
        _object(answer, "answer")
        timeouts = _object(answer.get("timeouts"), "timeouts")
        explanations = _object(timeouts.get("explanations"), "timeouts.explanations")
        pressure = timeouts.get("pressure")
        if not isinstance(pressure, list) or not all(isinstance(name, str) for name in pressure):
            raise ShapeError("timeouts.pressure: expected a list of strings")
        service_degraded = _bool(answer, "degraded", "answer")
        return cls(
            environment=_str(answer, "environment", "answer"),
            policy_version=_int(answer, "policy_version", "answer"),
            degraded=service_degraded or source != SERVICE,
            source=source,
            timeouts=Timeouts.of(_object(timeouts.get("timeouts"), "timeouts.timeouts"), "timeouts.timeouts"),
            base_timeouts=Timeouts.of(_object(timeouts.get("base_timeouts"), "timeouts.base_timeouts"),
                                      "timeouts.base_timeouts"),
            explanations={key: Explanation.of(value, "timeouts.explanations." + key)
                          for key, value in explanations.items()},
            strategy=_str(timeouts, "strategy", "timeouts"),
            adaptive=_bool(timeouts, "adaptive", "timeouts"),
            samples=_int(timeouts, "samples", "timeouts"),
            pressure=tuple(pressure),
            computed_at=_optional_str(timeouts, "computed_at", "timeouts"),
            retry=Retry.of(_object(answer.get("retry"), "retry")),
            pool=Pool.of(_object(answer.get("pool"), "pool")),
            circuit=Circuit.of(_object(answer.get("circuit"), "circuit")),
            cache_age=cache_age,
            error=error)


@dataclass(frozen=True)
class Decision:
    """A stored bypass decision (SPEC 4.5, 5): ``bypass`` is the answer, ``rule`` the rule that decided."""

    id: str
    environment: str
    bypass: bool
    rule: str
    reason: str
    degraded: bool
    critical_failures: int
    manual_override: bool
    failure_types: Tuple[str, ...]
    service: Optional[str]
    deployment: Optional[str]
    requested_by: Optional[str]
    requested_by_key: Optional[str]
    analysis: Optional[Mapping[str, Any]]
    policy_version: int
    decided_at: str

    @classmethod
    def of(cls, answer: Mapping[str, Any]) -> "Decision":
        where = "decision"
        _object(answer, where)
        types = answer.get("failure_types")
        if not isinstance(types, list) or not all(isinstance(name, str) for name in types):
            raise ShapeError("decision.failure_types: expected a list of strings")
        analysis = answer.get("analysis")
        if analysis is not None:
            _object(analysis, "decision.analysis")
        return cls(id=_str(answer, "id", where), environment=_str(answer, "environment", where),
                   bypass=_bool(answer, "bypass", where), rule=_str(answer, "rule", where),
                   reason=_str(answer, "reason", where), degraded=_bool(answer, "degraded", where),
                   critical_failures=_int(answer, "critical_failures", where),
                   manual_override=_bool(answer, "manual_override", where), failure_types=tuple(types),
                   service=_optional_str(answer, "service", where),
                   deployment=_optional_str(answer, "deployment", where),
                   requested_by=_optional_str(answer, "requested_by", where),
                   requested_by_key=_optional_str(answer, "requested_by_key", where),
                   analysis=analysis, policy_version=_int(answer, "policy_version", where),
                   decided_at=_str(answer, "decided_at", where))


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError("%s: expected an object, got %s" % (where, type(value).__name__))
    return value


def _number(values: Mapping[str, Any], key: str, where: str) -> float:
    value = values.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ShapeError("%s.%s: expected a number, got %r" % (where, key, value))
    return float(value)


def _seconds(values: Mapping[str, Any], key: str, where: str) -> float:
    value = _number(values, key, where)
    if value <= 0:
        raise ShapeError("%s.%s: expected a positive number of seconds, got %r" % (where, key, value))
    return value


def _int(values: Mapping[str, Any], key: str, where: str) -> int:
    value = values.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError("%s.%s: expected an integer, got %r" % (where, key, value))
    return value


def _bool(values: Mapping[str, Any], key: str, where: str) -> bool:
    value = values.get(key)
    if not isinstance(value, bool):
        raise ShapeError("%s.%s: expected true or false, got %r" % (where, key, value))
    return value


def _str(values: Mapping[str, Any], key: str, where: str) -> str:
    value = values.get(key)
    if not isinstance(value, str):
        raise ShapeError("%s.%s: expected a string, got %r" % (where, key, value))
    return value


def _optional_str(values: Mapping[str, Any], key: str, where: str) -> Optional[str]:
    value = values.get(key)
    if value is not None and not isinstance(value, str):
        raise ShapeError("%s.%s: expected a string or null, got %r" % (where, key, value))
    return value
