"""Failure classification from the REAL exceptions of each driver (SPEC 9.1): a silent socket, a closed port, a
wrong password (a private PostgreSQL with SCRAM authentication), a name that does not resolve, and SSL
required of a server without it — for psycopg2, psycopg 3, asyncpg, and through SQLAlchemy."""

import asyncio
import unittest

import support
from private_postgres import PASSWORD, USER, PrivatePostgres
from timeout_policy import classify
from timeout_policy.failures import (AUTHENTICATION_FAILED, CONNECTION_REFUSED, DATABASE_TIMEOUT, DNS_FAILURE,
                                     SSL_FAILURE, UNKNOWN)

_server = None


def setUpModule():
    global _server
    support.require("psycopg2")
    _server = PrivatePostgres().__enter__()


def tearDownModule():
    if _server is not None:
        _server.__exit__(None, None, None)


def cases():
    """(name, expected, connect keyword arguments) for a libpq driver."""
    good = dict(host="127.0.0.1", port=_server.port, user=USER, password=PASSWORD, dbname="postgres")
    return [
        ("silent socket", DATABASE_TIMEOUT, dict(good, port=support.silent_port(), connect_timeout=2)),
        ("closed port", CONNECTION_REFUSED, dict(good, port=support.closed_port_number())),
        ("wrong password", AUTHENTICATION_FAILED, dict(good, password="not-the-password")),
        ("unknown host", DNS_FAILURE, dict(good, host="nohost.invalid")),
        ("ssl required, server without", SSL_FAILURE, dict(good, sslmode="require")),
        ("no such database", UNKNOWN, dict(good, dbname="no_such_database")),
    ]


def raised(call):
    try:
        call()
    except Exception as e:
        return e
    raise AssertionError("no exception")


class DriverFailureTests(unittest.TestCase):

    def test_psycopg2(self):
        psycopg2 = support.require("psycopg2")
        for name, expected, arguments in cases():
            with self.subTest(name):
                self.assertEqual(classify(raised(lambda: psycopg2.connect(**arguments))), expected)

    def test_psycopg(self):
        psycopg = support.require("psycopg")
        for name, expected, arguments in cases():
            with self.subTest(name):
                self.assertEqual(classify(raised(lambda: psycopg.connect(**arguments))), expected)

    def test_asyncpg(self):
        asyncpg = support.require("asyncpg")
        for name, expected, arguments in cases():
            arguments = dict(arguments, database=arguments.pop("dbname"), timeout=arguments.pop("connect_timeout", 60))
            if "sslmode" in arguments:
                arguments["ssl"] = arguments.pop("sslmode")
            with self.subTest(name):
                error = raised(lambda: asyncio.run(asyncpg.connect(**arguments)))
                self.assertEqual(classify(error), expected, repr(error))

    def test_through_sqlalchemy(self):
        sqlalchemy = support.require("sqlalchemy")
        for name, expected, arguments in cases():
            url = sqlalchemy.engine.URL.create(
                "postgresql+psycopg2", username=arguments.pop("user"), password=arguments.pop("password"),
                host=arguments.pop("host"), port=arguments.pop("port"), database=arguments.pop("dbname"))
            engine = sqlalchemy.create_engine(url, connect_args=arguments)
            with self.subTest(name):
                error = raised(lambda: engine.connect().close())
                self.assertIsInstance(error, sqlalchemy.exc.OperationalError)
                self.assertEqual(classify(error), expected)
            engine.dispose()

    def test_what_is_not_a_driver_failure_is_unknown(self):
        self.assertEqual(classify(ValueError("x")), UNKNOWN)
        self.assertEqual(classify(None), UNKNOWN)


if __name__ == "__main__":
    unittest.main()
