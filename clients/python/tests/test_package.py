"""The package stays what backends can install anywhere: standard library only, Python 3.9 and later."""

import ast
import os
import sys
import unittest

import support

PACKAGE = os.path.join(support.CLIENT_ROOT, "timeout_policy")


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
                        self.assertIn(root, sys.stdlib_module_names | {"__future__"})

    def test_it_is_python_3_9_syntax(self):
        for name, source in modules():
            with self.subTest(module=name):
                ast.parse(source, filename=name, feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
