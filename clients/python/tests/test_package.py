"""The package stays what backends can install anywhere: standard library only (each integration imports its own
driver, and only when it is imported), Python 3.9 and later, typed (py.typed, mypy without an error), and
``pip install`` registers the SQLAlchemy plugin."""

import ast
import os
import shutil
import subprocess
import sys
import unittest

import support

PACKAGE = os.path.join(support.CLIENT_ROOT, "timeout_policy")
#: The integrations, and the only packages beyond the standard library each may import.
DRIVERS = {"sqlalchemy.py": {"sqlalchemy"}, "asyncpg.py": {"asyncpg"}, "psycopg.py": {"psycopg", "psycopg_pool"},
           "psycopg2.py": {"psycopg2"}}


def modules():
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith(".py"):
            path = os.path.join(PACKAGE, name)
            with open(path, encoding="utf-8") as source:
                yield name, source.read()


class PackageTests(unittest.TestCase):

    def test_it_imports_nothing_but_the_standard_library(self):
        if not hasattr(sys, "stdlib_module_names"):
            self.skipTest("sys.stdlib_module_names needs Python 3.10")
        for name, source in modules():
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    roots = [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    roots = [node.module.split(".")[0]]
                else:
                    continue
                for root in roots:
                    with self.subTest(module=name, imports=root):
                        self.assertIn(root, sys.stdlib_module_names | {"__future__"} | DRIVERS.get(name, set()))

    def test_importing_the_package_imports_no_driver(self):
        code = ("import sys; sys.path.insert(0, %r); import timeout_policy; "
                "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))"
                % (support.CLIENT_ROOT, sorted(set().union(*DRIVERS.values()))))
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        self.assertEqual((done.returncode, done.stdout.strip()), (0, "[]"), done.stderr)

    def test_mypy_finds_no_error(self):
        try:
            import mypy  # noqa: F401  (Debian's python3-mypy)
        except ImportError:
            if os.environ.get("CI") == "true":
                raise
            self.skipTest("mypy is not installed (apt-get install python3-mypy)")
        done = subprocess.run([sys.executable, "-m", "mypy", "--config-file",
                               os.path.join(support.CLIENT_ROOT, "pyproject.toml"), "--cache-dir", os.devnull,
                               PACKAGE], capture_output=True, text=True, timeout=300, cwd=support.CLIENT_ROOT)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("Success: no issues found", done.stdout)

    def test_the_package_is_typed(self):
        self.assertTrue(os.path.exists(os.path.join(PACKAGE, "py.typed")))


class InstalledTests(unittest.TestCase):
    """Where the suite runs from a virtual environment the client was ``pip install``ed into (PythonClientIT)."""

    def setUp(self):
        if os.environ.get("TIMEOUT_POLICY_TEST_INSTALLED") != "1":
            self.skipTest("not run from an installed client (PythonClientIT sets TIMEOUT_POLICY_TEST_INSTALLED=1)")

    def test_the_tests_use_the_installed_package(self):
        import timeout_policy
        self.assertTrue(timeout_policy.__file__.startswith(sys.prefix), timeout_policy.__file__)
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(timeout_policy.__file__), "py.typed")))

    def test_the_sqlalchemy_plugin_is_registered(self):
        from importlib.metadata import distribution
        points = [e for e in distribution("timeout-policy-client").entry_points if e.group == "sqlalchemy.plugins"]
        self.assertEqual([(e.name, e.value) for e in points],
                         [("timeout_policy", "timeout_policy.sqlalchemy:TimeoutPolicyPlugin")])
        from sqlalchemy.dialects import plugins  # what SQLAlchemy itself loads ?plugin=timeout_policy with
        from timeout_policy.sqlalchemy import TimeoutPolicyPlugin
        self.assertIs(plugins.load("timeout_policy"), TimeoutPolicyPlugin)

    def test_the_command_is_installed(self):
        self.assertTrue(shutil.which("timeout-policy", path=os.path.dirname(sys.executable)))

    def test_it_is_python_3_9_syntax(self):
        for name, source in modules():
            with self.subTest(module=name):
                ast.parse(source, filename=name, feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
