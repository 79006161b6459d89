"""The last answer of the service per environment (and pressure), on disk, for when it cannot be asked."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from typing import Any, Dict, Optional, Sequence, Tuple

log = logging.getLogger("timeout_policy")

FORMAT = 1
_PLAIN = re.compile(r"^[a-z0-9_-]+$")


def default_directory() -> str:
    """``$TIMEOUT_POLICY_CACHE_DIR``, else the per-user cache folder: ``$XDG_CACHE_HOME/timeout-policy``,
    ``~/.cache/timeout-policy`` (``%LOCALAPPDATA%`` on Windows), else one in the temporary folder."""
    configured = os.environ.get("TIMEOUT_POLICY_CACHE_DIR")
    if configured:
        return configured
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    if not base:
        home = os.path.expanduser("~")
        base = os.path.join(home, ".cache") if home != "~" else None
    if not base:
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
        return os.path.join(tempfile.gettempdir(), "timeout-policy-" + user)
    return os.path.join(base, "timeout-policy")


class Cache:
    """One JSON file per environment and set of pressure indicators, replaced atomically (a temporary file
    in the same folder, then ``os.replace``), so a reader sees the old answer or the new one, never half of
    one. Neither method raises: a cache that cannot be read or written is no cache."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def path(self, environment: str, pressure: Sequence[str]) -> str:
        names = sorted(set(pressure))
        if not names:
            name = environment
        elif all(_PLAIN.match(n) for n in names):
            name = environment + "+" + "+".join(names)
        else:
            name = environment + "+" + hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:16]
        return os.path.join(self.directory, name + ".json")

    def store(self, environment: str, pressure: Sequence[str], answer: Dict[str, Any]) -> None:
        target = self.path(environment, pressure)
        temporary = None
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            document = json.dumps({"format": FORMAT, "stored_at": time.time(), "answer": answer})
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
            # No fsync: it can take long on a busy disk, and this runs within the start-up budget. A reader
            # sees the old file or the new one; a file torn by a power cut is not JSON and is ignored.
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(document)
            os.replace(temporary, target)
            temporary = None
        except (OSError, ValueError) as e:
            log.debug("timeout-policy: cannot write the cache %s: %s", target, e)
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass

    def load(self, environment: str, pressure: Sequence[str]) -> Optional[Tuple[Dict[str, Any], float]]:
        """The stored answer and its age in seconds, or None."""
        target = self.path(environment, pressure)
        try:
            with open(target, encoding="utf-8") as source:
                document = json.load(source)
            if document.get("format") != FORMAT or not isinstance(document.get("answer"), dict):
                return None
            stored_at = float(document["stored_at"])
            return document["answer"], max(0.0, time.time() - stored_at)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            log.debug("timeout-policy: ignoring the unreadable cache %s: %s", target, e)
            return None
