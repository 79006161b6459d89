"""What the tests share: the packaged service they run against, stand-ins for a broken service, timings.

The service is the one named by TIMEOUT_POLICY_TEST_URL and TIMEOUT_POLICY_TEST_KEY (a key with the
reporter, deployer and operator roles), as PythonClientIT passes them; without them the tests start the
packaged jar (target/quarkus-app/quarkus-run.jar, built by ./mvnw package) themselves, on a fresh database
of the local PostgreSQL (DB_HOST, DB_PORT, DB_USER; TIMEOUT_POLICY_TEST_DB, default timeout_policy_pyclient),
which the integrations' tests also read to see what the service stored. With TIMEOUT_POLICY_TEST_INSTALLED=1 the
tests import the client pip-installed into the running interpreter, not the folder beside them.
"""

from __future__ import annotations

import atexit
import hashlib
import http.server
import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid

CLIENT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPOSITORY = os.path.dirname(os.path.dirname(CLIENT_ROOT))
if os.environ.get("TIMEOUT_POLICY_TEST_INSTALLED") != "1":  # else: the client pip-installed into this venv
    sys.path.insert(0, CLIENT_ROOT)

import timeout_policy  # noqa: E402  (after the path above)

BUDGET = 2.0
#: The client stops waiting at the budget; beyond it is thread scheduling, which on a loaded 2-core machine
#: (a build or a benchmark beside the tests) was measured at up to 270 ms.
SLACK = 0.5
STARTED_KEY = "python-client-tests-key"

_service = None
_timings = []


class Service:
    def __init__(self, url, key, process=None, log=None):
        self.url = url
        self.key = key
        self.process = process
        self.log = log

    def get(self, path):
        return _call("GET", self.url + path, None, {})

    def post(self, path, body, key=None):
        return _call("POST", self.url + path, body, {"X-API-Key": key or self.key})

    def put(self, path, body):
        return _call("PUT", self.url + path, body, {"X-API-Key": self.key})

    def new_environment(self, cloud_sql=False, connection_timeout=15.0, pool_timeout=25.0, table_setup_timeout=12.0):
        """A fresh environment of its own (so that tests do not share history)."""
        name = "py-" + uuid.uuid4().hex[:12]
        status, answer = self.put("/api/v1/environments/%s/policy" % name, {
            "cloud_sql": cloud_sql,
            "base_timeouts": {"initialization_timeout": 25.0, "table_setup_timeout": table_setup_timeout,
                              "connection_timeout": connection_timeout, "pool_timeout": pool_timeout,
                              "health_check_timeout": 8.0}})
        assert status == 201, (status, answer)
        return name


def service():
    """The running service; skips the test when there is none (fails under CI=true)."""
    global _service
    if _service is not None:
        return _service
    url = os.environ.get("TIMEOUT_POLICY_TEST_URL")
    if url:
        _service = Service(url.rstrip("/"), os.environ["TIMEOUT_POLICY_TEST_KEY"])
    else:
        _service = _start_jar()
    return _service


def client(**options):
    """A client of the test service with a cache folder of its own."""
    options.setdefault("cache_dir", temporary_directory())
    options.setdefault("base_url", service().url)
    options.setdefault("api_key", service().key)
    return timeout_policy.Client(**options)


def temporary_directory():
    directory = tempfile.mkdtemp(prefix="timeout-policy-test-")
    atexit.register(shutil.rmtree, directory, True)
    return directory


def timed(label, call):
    """Runs ``call`` and records how long it took under ``label`` (printed at the end of the run)."""
    started = time.monotonic()
    result = call()
    elapsed = time.monotonic() - started
    _timings.append((label, elapsed))
    return result, elapsed


def print_timings():
    if _timings:
        print("\nMeasured (budget %.1f s):" % BUDGET, file=sys.stderr)
        for label, elapsed in _timings:
            print("  %-58s %7.0f ms" % (label, elapsed * 1000), file=sys.stderr)


atexit.register(print_timings)


# -- stand-ins for a service that is stopped, hangs, or answers badly ------------------------------------

def closed_port():
    """A port nothing listens on: a stopped service."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % probe.getsockname()[1]


class Hanging:
    """Accepts connections and never answers (a service stuck, or a load balancer with no backend)."""

    def __enter__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._held = []
        self._closed = False
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self._socket.getsockname()[1]
        return self

    def _accept(self):
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                if self._closed:
                    connection.close()
                    return
                self._held.append(connection)

    def __exit__(self, *exc):
        with self._lock:
            self._closed = True
            for connection in self._held:
                connection.close()
        self._socket.close()


class Answering:
    """An HTTP server that answers every request with ``status`` and ``body`` (bytes), or, with ``drip``,
    sends its answer one byte every ``drip`` seconds."""

    def __init__(self, status=200, body=b"{}", drip=None, content_type="application/json", first=()):
        self.status, self.body, self.drip, self.content_type = status, body, drip, content_type
        self.first = list(first)  # statuses answered before ``status``, one per request
        self.requests = []

    def __enter__(self):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                outer.requests.append(json.loads(self.rfile.read(length)))
                self._answer()

            def _answer(self):
                if outer.drip:
                    head = ("HTTP/1.1 %d OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                            % (outer.status, outer.content_type, len(outer.body))).encode() + outer.body
                    try:
                        for byte in head:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(outer.drip)
                    except OSError:
                        pass  # the client gave up, as it should
                    return
                status = outer.first.pop(0) if outer.first else outer.status
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", outer.content_type)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


# -- the packaged jar, when the test run has to start it ---------------------------------------------------

def _start_jar():
    jar = os.path.join(REPOSITORY, "target", "quarkus-app", "quarkus-run.jar")
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    missing = [what for what, there in (("the packaged jar (./mvnw package)", os.path.exists(jar)),
                                        ("java", java), ("psql", shutil.which("psql"))) if not there]
    if missing:
        message = "no service to test against: set TIMEOUT_POLICY_TEST_URL, or provide " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            raise RuntimeError(message)
        raise unittest.SkipTest(message)
    host = os.environ.get("DB_HOST") or "127.0.0.1"
    port = os.environ.get("DB_PORT") or "5432"
    user = os.environ.get("DB_USER") or "postgres"
    database = os.environ.get("TIMEOUT_POLICY_TEST_DB", "timeout_policy_pyclient")
    for statement in ('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % database, 'CREATE DATABASE "%s"' % database):
        subprocess.run(["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-qc", statement],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        http_port = probe.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="timeout-policy-jar-", suffix=".log", delete=False)
    url = "//%s:%s/%s" % (host, port, database)
    digest = hashlib.sha256(STARTED_KEY.encode()).hexdigest()
    process = subprocess.Popen([
        java, "-Dquarkus.http.port=%d" % http_port,
        "-Dquarkus.datasource.reactive.url=postgresql:" + url,
        "-Dtimeout-policy.database.migration-url=jdbc:postgresql:" + url + "?connectTimeout=1",
        "-Dtimeout-policy.security.keys.python-tests.sha256=" + digest,
        "-Dtimeout-policy.security.keys.python-tests.roles=reporter,deployer,operator",
        "-jar", jar], stdout=log, stderr=subprocess.STDOUT)
    atexit.register(_stop, process)
    started = Service("http://127.0.0.1:%d" % http_port, STARTED_KEY, process, log.name)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if started.get("/q/health/ready")[0] == 200:
                return started
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError("the packaged jar did not become ready; see " + log.name)


def _stop(process):
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


def _call(method, url, body, headers):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers, **{
        "Content-Type": "application/json", "Accept": "application/json"}))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, _json(response.read())
    except urllib.error.HTTPError as e:
        return e.code, _json(e.read())


def _json(raw):
    try:
        return json.loads(raw.decode()) if raw else None
    except ValueError:
        return raw


# -- for the integrations' tests ---------------------------------------------------------------------------

def require(module):
    """Imports a driver (Debian's python3-sqlalchemy, -psycopg2, -psycopg, -psycopg-pool, -asyncpg); skips the
    test without it, except under CI=true, where .ci/run installs them and a skip would prove nothing."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if os.environ.get("CI") == "true":
            raise
        raise unittest.SkipTest("%s is not installed (apt-get install python3-...): %s" % (module, e))


class Integrated:
    """The integrations' environment variables for one test: the test service (or ``url``), a fresh
    environment of its own, service and instance; and no configuration remembered from another test."""

    def __init__(self, environment=None, url=None, **variables):
        self.environment = environment
        self.url = url
        self.variables = variables

    def __enter__(self):
        from timeout_policy import integration
        self.environment = self.environment or service().new_environment()
        self.saved = {k: v for k, v in os.environ.items() if k.startswith("TIMEOUT_POLICY_")}
        self.cache = temporary_directory()
        os.environ.update({"TIMEOUT_POLICY_URL": self.url or service().url, "TIMEOUT_POLICY_KEY": service().key,
                           "TIMEOUT_POLICY_ENVIRONMENT": self.environment,
                           "TIMEOUT_POLICY_SERVICE": "orders-api", "TIMEOUT_POLICY_CACHE_DIR": self.cache})
        os.environ.update(self.variables)
        integration.forget()
        return self

    def client(self):
        from timeout_policy import integration
        return integration.shared_client(integration.Settings.from_environment())

    def flush(self):
        assert self.client().flush(10.0), self.client().reporting_stats()

    def __exit__(self, *exc):
        from timeout_policy import integration
        if self.url is not None:  # a stand-in's port may be another stand-in's later: nothing more goes there
            self.client().close()
            with integration._lock:
                integration._clients.clear()
        for name in [n for n in os.environ if n.startswith("TIMEOUT_POLICY_")]:
            del os.environ[name]
        os.environ.update(self.saved)
        integration.forget()


def stored_attempts(environment, operation=None):
    """The attempts the service stored for ``environment`` (read from its database: failure type, timeout,
    service, instance and policy version are not all in an API answer), oldest first."""
    psycopg2 = require("psycopg2")
    database = os.environ.get("TIMEOUT_POLICY_TEST_DB", "timeout_policy_pyclient")
    connection = psycopg2.connect(host=os.environ.get("DB_HOST") or "127.0.0.1",
                                  port=int(os.environ.get("DB_PORT") or "5432"),
                                  user=os.environ.get("DB_USER") or "postgres", dbname=database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT operation, duration_seconds, success, timeout_seconds, failure_type, service,"
                           " instance, policy_version FROM attempts WHERE environment = %s"
                           " AND (%s IS NULL OR operation = %s) ORDER BY seq", (environment, operation, operation))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        connection.close()


def database_url(driver="psycopg2", database=None):
    host = os.environ.get("DB_HOST") or "127.0.0.1"
    port = os.environ.get("DB_PORT") or "5432"
    user = os.environ.get("DB_USER") or "postgres"
    return "postgresql+%s://%s@%s:%s/%s" % (driver, user, host, port, database or "postgres")


def dsn(database=None):
    return database_url("x", database).replace("postgresql+x", "postgresql")


def silent_port():
    """A port that accepts connections and never answers (a database host that does not respond): a
    :class:`Hanging` listener, open until the process ends."""
    hanging = Hanging().__enter__()
    atexit.register(hanging.__exit__)
    return int(hanging.url.rsplit(":", 1)[1])


def closed_port_number():
    return int(closed_port().rsplit(":", 1)[1])
