"""Every response field the client reads (timeout_policy.contract.FIELDS_READ) is in the service's OpenAPI
document, as the service's build stores it (TIMEOUT_POLICY_OPENAPI, default target/openapi/openapi.json)."""

import copy
import json
import os
import unittest

import support
from timeout_policy.contract import FIELDS_READ, STARTUP_CONFIG
from timeout_policy.models import TIMEOUT_KEYS

DOCUMENT = os.environ.get("TIMEOUT_POLICY_OPENAPI") or os.path.join(support.REPOSITORY, "target", "openapi",
                                                                     "openapi.json")


def load():
    if not os.path.isfile(DOCUMENT):
        raise AssertionError("the OpenAPI document %s is missing: run the service's build first"
                             " (./mvnw -B package -DskipTests writes it)" % DOCUMENT)
    with open(DOCUMENT, encoding="utf-8") as file:
        return json.load(file)


def missing(document, fields_read):
    """The "operation: field" pairs of ``fields_read`` that no success response of the operation has."""
    absent = []
    for operation, names in sorted(fields_read.items()):
        method, path = operation.split(" ", 1)
        responses = document["paths"].get(path, {}).get(method.lower(), {}).get("responses", {})
        schemas = [response["content"]["application/json"]["schema"] for code, response in responses.items()
                   if code.startswith("2") and "application/json" in response.get("content", {})]
        if not schemas:
            absent.append(operation + ": no JSON success response")
            continue
        absent += [operation + ": " + name for name in sorted(names)
                   if not any(has(document, schema, name.split(".")) for schema in schemas)]
    return absent


def has(document, schema, names):
    """Whether ``schema`` has the property path ``names``, following $ref, all/any/oneOf, items and maps."""
    if "$ref" in schema:
        return has(document, resolve(document, schema["$ref"]), names)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if any(has(document, choice, names) for choice in schema.get(combinator, ())):
            return True
    if not names:
        return True
    if "items" in schema:
        return has(document, schema["items"], names)
    head, rest = names[0], names[1:]
    if head == "*":
        values = schema.get("additionalProperties")
        return isinstance(values, dict) and has(document, values, rest)
    properties = schema.get("properties", {})
    return head in properties and has(document, properties[head], rest)


def resolve(document, reference):
    node = document
    for part in reference.lstrip("#/").split("/"):
        node = node[part]
    return node


class ContractTests(unittest.TestCase):

    def test_every_field_the_client_reads_is_in_the_service_document(self):
        self.assertEqual([], missing(load(), FIELDS_READ))

    def test_a_renamed_field_is_found_missing(self):
        document = copy.deepcopy(load())
        properties = document["components"]["schemas"]["Retry"]["properties"]
        properties["max_attempts"] = properties.pop("max_retries")
        self.assertEqual([STARTUP_CONFIG + ": retry.max_retries"], missing(document, FIELDS_READ))

    def test_a_renamed_timeout_key_is_found_missing(self):
        document = copy.deepcopy(load())
        properties = document["components"]["schemas"]["TimeoutValues"]["properties"]
        properties["connect_timeout"] = properties.pop("connection_timeout")
        self.assertEqual([STARTUP_CONFIG + ": timeouts.base_timeouts.connection_timeout",
                          STARTUP_CONFIG + ": timeouts.timeouts.connection_timeout"], missing(document, FIELDS_READ))

    def test_a_field_of_the_explanations_is_checked_for_every_key(self):
        document = copy.deepcopy(load())
        del document["components"]["schemas"]["Explanation"]["properties"]["text"]
        self.assertEqual(sorted(STARTUP_CONFIG + ": timeouts.explanations.%s.text" % key for key in TIMEOUT_KEYS),
                         missing(document, FIELDS_READ))

if __name__ == "__main__":
    unittest.main()
