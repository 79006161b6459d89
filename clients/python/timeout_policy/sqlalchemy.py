"""SQLAlchemy: ``create_engine("postgresql+psycopg2://…?plugin=timeout_policy")`` (or ``plugins=["timeout_policy"]``,
``create_async_engine`` alike) is the whole change (SPEC 9.2). Registered as the ``timeout_policy`` entry point
of ``sqlalchemy.plugins`` by ``pip install``.

Applied: ``pool_timeout`` ← the served ``timeouts.pool_timeout`` (float s); ``pool_size``, ``max_overflow``,
``pool_recycle`` (s), ``pool_pre_ping`` ← the pool advice, where the pool class takes them; the driver's connect
timeout in ``connect_args`` (psycopg2 / psycopg ``connect_timeout``: whole seconds rounded up, at least 2;
asyncpg ``timeout``: float seconds). An argument the application gives itself (``create_engine(...,
pool_timeout=5)``, ``connect_args``, ``?connect_timeout=`` in the URL) wins, and the log says so.

Reported: every physical connect (``connection``; the first success also as ``initialization``), every
pre-ping (``health_check``), and every checkout that waited longer than the threshold or timed out (``pool``).

Only API that SQLAlchemy 1.4 and 2.x share is used: the plugin's hooks, and the pool's creator, ``_do_get`` and
``recreate`` and the dialect's ``do_ping``, which both versions call the same way (no engine event: an engine
with a listener takes a slower path for every connection). The physical
connect is timed around the pool's creator rather than in a ``do_connect`` listener because a listener sees
neither the end nor the failure of the connect, and one that connected itself would skip the application's own
``do_connect`` listeners (e.g. one that puts a fresh IAM token into the parameters).
"""

from __future__ import annotations

import time
import weakref
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import util as sa_util
from sqlalchemy.engine import CreateEnginePlugin

from . import integration, knobs
from .integration import Recorder

#: create_engine's names of the pool arguments, and the pool constructors' own.
_POOL_ARGUMENTS = {"pool_timeout": "timeout", "pool_size": "pool_size", "max_overflow": "max_overflow",
                   "pool_recycle": "recycle", "pool_pre_ping": "pre_ping"}
_CONNECTED = "timeout_policy.connected"  # in a connection record's info: when its last connect began
_ENVIRONMENT = "timeout_policy_environment"
_applied: "weakref.WeakKeyDictionary[Any, integration.Applied]" = weakref.WeakKeyDictionary()


class TimeoutPolicyPlugin(CreateEnginePlugin):
    """The ``timeout_policy`` plugin. ``timeout_policy_environment`` (a ``create_engine`` argument or a URL query
    parameter) names the environment when ``TIMEOUT_POLICY_ENVIRONMENT`` does not."""

    def __init__(self, url: Any, kwargs: Dict[str, Any]) -> None:
        super().__init__(url, kwargs)
        # The dict create_engine goes on with: what is put into it here is what the engine is made with.
        self._kwargs = kwargs
        environment = kwargs.pop(_ENVIRONMENT, None) or url.query.get(_ENVIRONMENT)
        self._query = dict(url.query)
        self.policy = integration.policy(environment)
        self.settings: List[knobs.Setting] = []
        self.connect_timeout: Optional[float] = None
        self.driver = "?"
        self.manager = "sqlalchemy"

    def update_url(self, url: Any) -> Any:
        return url.difference_update_query([_ENVIRONMENT])

    def handle_dialect_kwargs(self, dialect_cls: Any, dialect_args: Dict[str, Any]) -> None:
        self.driver = str(getattr(dialect_cls, "driver", "?"))
        self.manager = "sqlalchemy %s+%s" % (getattr(dialect_cls, "name", "?"), self.driver)
        config = self.policy.config
        if config is None:
            return
        setting = knobs.connect_timeout(self.driver, config.timeouts.connection_timeout)
        if setting is None:
            integration.once(("driver", self.driver), "timeout-policy: %s: the connect timeout of driver %s is not"
                             " known; only the pool's values are applied", self.manager, self.driver)
            return
        connect_args = dict(self._kwargs.get("connect_args") or {})
        own = connect_args.get(setting.knob, self._query.get(setting.knob))
        if own is not None:
            setting = knobs.explicit(setting, own)
        else:
            connect_args[setting.knob] = setting.applied
            self._kwargs["connect_args"] = connect_args
        libpq = setting.knob == "connect_timeout"
        self.connect_timeout = (integration.libpq_timeout if libpq else integration.seconds)(setting.applied)
        self.settings.append(setting)

    def handle_pool_kwargs(self, pool_cls: Any, pool_args: Dict[str, Any]) -> None:
        config = self.policy.config
        if config is None:
            integration.log_applied(self.manager, self.policy, [])
            return
        accepted = sa_util.get_cls_kwargs(pool_cls)
        for setting in knobs.sqlalchemy_pool(config):
            argument = _POOL_ARGUMENTS[setting.knob]
            if argument not in accepted:
                continue  # NullPool keeps no connections, StaticPool one: not theirs to take
            if argument in pool_args:
                setting = knobs.explicit(setting, pool_args[argument])
            else:
                pool_args[argument] = setting.applied
            self.settings.append(setting)
        integration.log_applied(self.manager, self.policy, self.settings, " (%s)" % pool_cls.__name__)

    def engine_created(self, engine: Any) -> None:
        _applied[engine] = self.policy.applied(self.settings)
        if self.policy.config is None:
            return
        recorder = self.policy.recorder(self.manager, self.connect_timeout)
        parameters = _connect_parameters(engine.pool)  # before instrument() replaces the creator
        instrument(engine, recorder)
        self.policy.on_change(_live(engine, self, recorder, parameters))


def _live(engine: Any, plugin: TimeoutPolicyPlugin, recorder: Recorder,
          parameters: Optional[Dict[str, Any]]) -> Callable[[Any, Any], bool]:
    """SPEC 9.3: a new version's pool timeout goes into the running pool (``_timeout``, which ``timeout()``
    answers and ``dispose()`` carries to the next pool), its connect timeout into the parameters the engine's
    creator connects with (new physical connects); the pool advice waits for the next start. A value the
    application gave itself stays."""
    reference = weakref.ref(engine)
    own = {s.knob for s in plugin.settings if s.reason == knobs.APPLICATION}
    driver, manager = plugin.driver, plugin.manager

    def apply(before: Any, after: Any) -> bool:
        engine = reference()
        if engine is None:
            return False
        changes = []
        for old, new in integration.differences(knobs.sqlalchemy_pool(before), knobs.sqlalchemy_pool(after)):
            if new.knob in own:
                continue
            if new.knob == "pool_timeout" and hasattr(engine.pool, "_timeout"):
                engine.pool._timeout = new.applied
                changes.append((old, new, integration.LIVE))
            elif new.knob != "pool_timeout":
                changes.append((old, new, integration.NEXT_START))
        old_connect = knobs.connect_timeout(driver, before.timeouts.connection_timeout)
        new_connect = knobs.connect_timeout(driver, after.timeouts.connection_timeout)
        connect_timeout = recorder.connect_timeout
        if old_connect is not None and new_connect is not None and old_connect.applied != new_connect.applied \
                and new_connect.knob not in own:
            if parameters is not None:
                parameters[new_connect.knob] = new_connect.applied
                libpq = new_connect.knob == "connect_timeout"
                connect_timeout = (integration.libpq_timeout if libpq else integration.seconds)(new_connect.applied)
                changes.append((old_connect, new_connect, integration.NEW_CONNECTS))
            else:  # the application's own creator=: its parameters are not ours to change
                changes.append((old_connect, new_connect, integration.NEXT_START))
        recorder.adopt(after, connect_timeout)
        integration.log_change(manager, before, after, changes)
        return True

    return apply


def _connect_parameters(pool: Any) -> Optional[Dict[str, Any]]:
    """The keyword arguments create_engine's own creator connects with (the ``cparams`` it closes over, in 1.4
    and 2.x alike), else None (the application's own ``creator=``)."""
    creator: Any = getattr(pool, "_creator", None)
    code = getattr(creator, "__code__", None)
    closure = getattr(creator, "__closure__", None)
    if code is None or closure is None or "cparams" not in code.co_freevars:
        return None
    parameters = closure[code.co_freevars.index("cparams")].cell_contents
    return parameters if isinstance(parameters, dict) else None


def applied(engine: Any) -> Optional[integration.Applied]:
    """What ``engine`` (or an ``AsyncEngine``) was made with by the plugin, else None (made without it)."""
    return _applied.get(getattr(engine, "sync_engine", engine))


def instrument(engine: Any, recorder: Recorder) -> None:
    """Times the engine's physical connects, pre-pings and pool waits into ``recorder``."""
    _time_connects(engine.pool, recorder)
    _time_pings(engine.dialect, recorder)
    _time_waits(engine.pool, recorder)


def _time_waits(pool: Any, recorder: Recorder) -> None:
    """Times the pool's waits, and those of the pools ``dispose()`` replaces it with (``recreate()`` keeps the
    timed creator, not the rest). Not through an engine event: an engine with a listener takes a slower path
    for every connection and statement (measured: about 20 µs a checkout)."""
    _time_gets(pool, recorder)
    recreate = pool.recreate

    def recreate_timed() -> Any:
        fresh = recreate()
        _time_waits(fresh, recorder)
        return fresh

    pool.recreate = recreate_timed


def _time_connects(pool: Any, recorder: Recorder) -> None:
    connect = pool._invoke_creator  # the creator as the pool calls it: with the connection record

    def timed_connect(connection_record: Any = None) -> Any:
        started = time.perf_counter()
        try:
            connection = connect(connection_record)
        except BaseException as error:
            ended = time.perf_counter()
            if isinstance(error, Exception):
                recorder.connection(started, ended - started, error)
                integration.mark_connect_failure(error)
            raise
        ended = time.perf_counter()
        recorder.connection(started, ended - started)
        if connection_record is not None:
            connection_record.info[_CONNECTED] = started
        return connection

    pool._creator = timed_connect  # the setter makes it the creator the pool invokes, and recreate() keeps


def _time_pings(dialect: Any, recorder: Recorder) -> None:
    ping = dialect.do_ping

    def timed_ping(dbapi_connection: Any) -> Any:
        started = time.perf_counter()
        try:
            alive = ping(dbapi_connection)
        except Exception as error:
            recorder.health_check(time.perf_counter() - started, error)
            raise
        recorder.health_check(time.perf_counter() - started, alive=bool(alive))
        return alive

    dialect.do_ping = timed_ping


def _time_gets(pool: Any, recorder: Recorder) -> None:
    get: Callable[[], Any] = pool._do_get
    threshold = recorder.pool_wait_threshold
    perf_counter = time.perf_counter

    def timed_get() -> Any:
        # The common case, an idle connection at hand, costs two clock reads and a comparison.
        started = perf_counter()
        try:
            record = get()
        except Exception as error:
            if not integration.is_connect_failure(error):  # a failed connect is reported as such, not once more as a wait
                recorder.pool_wait(perf_counter() - started, error, getattr(pool, "_timeout", None))
            raise
        waited = perf_counter() - started
        if waited > threshold:
            # A connect made for this checkout (and the connect listeners after it) is not a wait: the wait
            # ended when the connect began, and the connect is reported as a connection.
            connect_began = record.info.get(_CONNECTED) if record is not None else None
            if connect_began is not None and connect_began >= started:
                waited = connect_began - started
            if waited > threshold:
                recorder.pool_wait(waited, None, getattr(pool, "_timeout", None))
        return record

    pool._do_get = timed_get
