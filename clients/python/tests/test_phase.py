"""``phase("table_setup", connection)``: the served table_setup_timeout as the session's statement_timeout for the
block, restored after it, and the block reported — with SQLAlchemy, psycopg2, psycopg and asyncpg."""

import asyncio
import unittest

import support
from timeout_policy import phase

SHOW = "SELECT current_setting('statement_timeout')"


def setUpModule():
    support.require("psycopg2")
    support.service()


class SyncPhaseTests(unittest.TestCase):

    def test_sqlalchemy_inside_the_applications_transaction(self):
        sqlalchemy = support.require("sqlalchemy")
        environment = support.service().new_environment(table_setup_timeout=0.3)
        with support.Integrated(environment) as it:
            engine = sqlalchemy.create_engine(support.database_url(), pool_size=1)
            with engine.begin() as connection, phase("table_setup", connection) as block:
                inside = connection.exec_driver_sql(SHOW).scalar()
            with engine.connect() as connection:  # the same pooled connection, after the block
                after = connection.exec_driver_sql(SHOW).scalar()
            with self.assertRaises(sqlalchemy.exc.OperationalError):
                with engine.connect() as connection, phase("table_setup", connection):
                    connection.exec_driver_sql("SELECT pg_sleep(2)")
            with engine.connect() as connection:
                after_failure = connection.exec_driver_sql(SHOW).scalar()
            engine.dispose()
            it.flush()
        self.assertEqual((inside, after, after_failure), ("300ms", "0", "0"))
        self.assertEqual(block.timeout, 0.3)
        stored = [(a["success"], a["failure_type"], a["timeout_seconds"])
                  for a in support.stored_attempts(environment, "table_setup")]
        self.assertEqual(stored, [(True, None, 0.3), (False, "database_timeout", 0.3)])

    def test_psycopg2_and_psycopg_connections_outside_a_transaction_are_left_idle(self):
        import psycopg2
        psycopg = support.require("psycopg")
        with support.Integrated() as it:
            for connection in (psycopg2.connect(support.dsn()), psycopg.connect(support.dsn())):
                with self.subTest(type(connection).__module__):
                    with phase("table_setup", connection):
                        cursor = connection.cursor()
                        cursor.execute(SHOW)
                        self.assertEqual(cursor.fetchone()[0], "12s")
                        connection.commit()
                    self.assertEqual(connection.info.transaction_status, 0, "no transaction left open")
                    cursor = connection.cursor()
                    cursor.execute(SHOW)
                    self.assertEqual(cursor.fetchone()[0], "0")
                    connection.close()
            it.flush()
        self.assertEqual(len(support.stored_attempts(it.environment, "table_setup")), 2)


class AsyncPhaseTests(unittest.TestCase):

    def test_asyncpg(self):
        asyncpg = support.require("asyncpg")
        with support.Integrated() as it:
            async def scenario():
                connection = await asyncpg.connect(support.dsn())
                async with phase("table_setup", connection):
                    inside = await connection.fetchval(SHOW)
                after = await connection.fetchval(SHOW)
                await connection.close()
                return inside, after
            self.assertEqual(asyncio.run(scenario()), ("12s", "0"))
            it.flush()
        (attempt,) = support.stored_attempts(it.environment, "table_setup")
        self.assertEqual((attempt["success"], attempt["timeout_seconds"], attempt["service"]), (True, 12.0, "orders-api"))


if __name__ == "__main__":
    unittest.main()
