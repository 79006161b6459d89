"""``phase("table_setup", connection)``: the served ``table_setup_timeout`` as the session's ``statement_timeout``
for the block, restored after it, and the block reported as an attempt of that operation (SPEC 9.2).

    with engine.begin() as connection, phase("table_setup", connection):      # SQLAlchemy
        metadata.create_all(connection)
    async with pool.acquire() as connection, phase("table_setup", connection):  # asyncpg (async with)
        await connection.execute(SCHEMA)

It takes a SQLAlchemy ``Connection`` or ``AsyncConnection``, a psycopg2 or psycopg (sync or async) connection,
or an asyncpg connection; without one it only times and reports the block. A statement cancelled by the
timeout is reported as ``database_timeout``. The setting is made so that it never outlives the block: in the
application's transaction when there is one (and then undone with it), else in one of its own, committed.
Nothing here raises because of the service: a failure to set or restore the timeout is logged, the block runs.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any, Optional

from . import integration
from .models import OPERATIONS

log = logging.getLogger("timeout_policy")

_READ = "SELECT current_setting('statement_timeout')"
_SET = "SELECT set_config('statement_timeout', '%s', false)"


def phase(operation: str = "table_setup", connection: Any = None, *, environment: Optional[str] = None) -> "Phase":
    """A context manager (``with`` or ``async with``) for one phase of start-up; ``operation`` one of SPEC 2's."""
    if operation not in OPERATIONS:
        raise ValueError("unknown operation %r; known: %s" % (operation, ", ".join(OPERATIONS)))
    return Phase(operation, connection, environment)


class Phase:

    def __init__(self, operation: str, connection: Any, environment: Optional[str]) -> None:
        self.operation = operation
        self.connection = connection
        self.environment = environment
        #: The timeout applied, in seconds (None when nothing is known).
        self.timeout: Optional[float] = None
        self.duration: Optional[float] = None
        self._previous: Optional[str] = None
        self._started = 0.0
        self._recorder: Optional[integration.Recorder] = None

    # -- sync ---------------------------------------------------------------------------------------------

    def __enter__(self) -> "Phase":
        self._begin(integration.policy(self.environment))
        if self.connection is not None and self.timeout is not None:
            try:
                self._previous = _sync_statement(self.connection, _READ)
                _sync_statement(self.connection, _SET % _milliseconds(self.timeout))
            except Exception as e:
                self._previous = None
                log.warning("timeout-policy: statement_timeout not set for %s: %s", self.operation, e)
        self._started = time.perf_counter()
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        self._end(error)
        if self._previous is not None:
            try:
                _sync_statement(self.connection, _SET % _quoted(self._previous))
            except Exception as e:
                log.warning("timeout-policy: statement_timeout not restored after %s: %s", self.operation, e)

    # -- async --------------------------------------------------------------------------------------------

    async def __aenter__(self) -> "Phase":
        self._begin(await integration.policy_off_loop(self.environment))
        if self.connection is not None and self.timeout is not None:
            try:
                self._previous = await _async_statement(self.connection, _READ)
                await _async_statement(self.connection, _SET % _milliseconds(self.timeout))
            except Exception as e:
                self._previous = None
                log.warning("timeout-policy: statement_timeout not set for %s: %s", self.operation, e)
        self._started = time.perf_counter()
        return self

    async def __aexit__(self, kind: Any, error: Any, traceback: Any) -> None:
        self._end(error)
        if self._previous is not None:
            try:
                await _async_statement(self.connection, _SET % _quoted(self._previous))
            except Exception as e:
                log.warning("timeout-policy: statement_timeout not restored after %s: %s", self.operation, e)

    # -- both ---------------------------------------------------------------------------------------------

    def _begin(self, policy: integration.Policy) -> None:
        if policy.config is not None:
            self.timeout = policy.config.timeout(self.operation)
        self._recorder = policy.shared_recorder("phase", None)

    def _end(self, error: Any) -> None:
        self.duration = time.perf_counter() - self._started
        if self._recorder is not None and (error is None or isinstance(error, Exception)):
            self._recorder.phase(self.operation, self.duration, error, self.timeout)


def _milliseconds(seconds: float) -> str:
    return "%dms" % max(1, math.ceil(seconds * 1000))


def _quoted(value: str) -> str:
    return value.replace("'", "''")


def _sync_statement(connection: Any, sql: str) -> Optional[str]:
    """Runs ``sql`` (one row, one text column) and answers its value, leaving no transaction open that was not."""
    if hasattr(connection, "exec_driver_sql"):  # SQLAlchemy 1.4 / 2.x Connection
        if connection.in_transaction():
            return connection.exec_driver_sql(sql).scalar()
        with connection.begin():
            return connection.exec_driver_sql(sql).scalar()
    # DB-API (psycopg2, psycopg): idle before means ours alone to commit.
    idle = not getattr(connection, "autocommit", False) and _idle(connection)
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        row = cursor.fetchone()
    finally:
        cursor.close()
    if idle:
        connection.commit()
    return row[0] if row else None


async def _async_statement(connection: Any, sql: str) -> Optional[str]:
    if hasattr(connection, "fetchval"):  # asyncpg: no implicit transactions
        return await connection.fetchval(sql)
    if hasattr(connection, "exec_driver_sql"):  # SQLAlchemy AsyncConnection
        if connection.in_transaction():
            return (await connection.exec_driver_sql(sql)).scalar()
        async with connection.begin():
            return (await connection.exec_driver_sql(sql)).scalar()
    idle = not getattr(connection, "autocommit", False) and _idle(connection)  # psycopg AsyncConnection
    cursor = await connection.execute(sql)
    row = await cursor.fetchone()
    if idle:
        await connection.commit()
    return row[0] if row else None


def _idle(connection: Any) -> bool:
    # psycopg2 and psycopg both say TRANSACTION_STATUS_IDLE / TransactionStatus.IDLE as 0.
    status = getattr(getattr(connection, "info", None), "transaction_status", None)
    return status is not None and int(status) == 0
