"""``python3 -m timeout_policy gate …``: a deploy pipeline's bypass gate whose exit code is the decision.

Exit codes: 0 the deployment may proceed (bypass), 1 it may not (refused), 2 no decision (the service could
not be asked, refused the key or the input, or the command line is wrong).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from typing import List, Optional

from .client import Client, DecisionUnavailable

BYPASS, REFUSED, COULD_NOT_ASK = 0, 1, 2


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m timeout_policy",
                                     description="Timeout Policy Service client. URL and key from"
                                                 " TIMEOUT_POLICY_URL and TIMEOUT_POLICY_KEY.")
    commands = parser.add_subparsers(dest="command", required=True)
    gate = commands.add_parser(
        "gate", help="ask for a bypass decision; exit 0 bypass, 1 refused, 2 could not ask",
        description="Asks whether a deployment may proceed although start-up validation failed (SPEC 4.5)."
                    " Exit code: 0 bypass, 1 refused, 2 could not ask. Needs a key with the deployer role.")
    gate.add_argument("--environment", required=True)
    gate.add_argument("--failures", required=True, type=_count, help="critical failures found (≥ 0)")
    gate.add_argument("--types", default="", help="failure types, comma-separated (e.g. database_timeout)")
    gate.add_argument("--service")
    gate.add_argument("--deployment")
    gate.add_argument("--requested-by", default=os.environ.get("TIMEOUT_POLICY_REQUESTED_BY"),
                      help="who asks, e.g. the pipeline's URL (default $TIMEOUT_POLICY_REQUESTED_BY)")
    gate.add_argument("--manual-override", action="store_true", help="bypass whatever the failures (audited)")
    gate.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the service (default 10)")
    gate.add_argument("--json", action="store_true", help="print the whole stored decision as JSON")
    arguments = parser.parse_args(argv)
    return _gate(arguments)


def _gate(arguments: argparse.Namespace) -> int:
    client = Client()
    try:
        decision = client.bypass_decision(
            arguments.environment, arguments.failures,
            failure_types=[t.strip() for t in arguments.types.split(",") if t.strip()],
            manual_override=arguments.manual_override, service=arguments.service,
            deployment=arguments.deployment, requested_by=arguments.requested_by, timeout=arguments.timeout)
    except (DecisionUnavailable, ValueError) as e:
        print("timeout-policy gate: no decision: %s" % e, file=sys.stderr)
        return COULD_NOT_ASK
    if arguments.json:
        print(json.dumps(asdict(decision), indent=2))
    else:
        print("bypass=%s rule=%s decision=%s%s" % ("true" if decision.bypass else "false", decision.rule,
                                                  decision.id, " (degraded)" if decision.degraded else ""))
        print(decision.reason)
    return BYPASS if decision.bypass else REFUSED


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be ≥ 0")
    return number


if __name__ == "__main__":
    sys.exit(main())
