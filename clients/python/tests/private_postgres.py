"""A PostgreSQL of the tests' own, with password (SCRAM) authentication and no SSL: a wrong password must be
refused by a real server, and the shared cluster trusts 127.0.0.1 (and must not be reconfigured).

It is made with Debian's initdb and pg_ctl (postgresql-15) in a temporary folder, on a free port of
127.0.0.1 and a socket directory of its own, and stopped and removed at exit. Run as root (as CI does),
the server runs as the ``postgres`` user, since PostgreSQL refuses to run as root.

    with PrivatePostgres() as pg:
        pg.dsn()                     # postgresql://app:<password>@127.0.0.1:<port>/postgres
        pg.dsn(password="wrong")     # refused: 28P01
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from typing import List, Optional

USER = "app"
PASSWORD = "s3cret-app-password"


def binaries() -> Optional[str]:
    """The folder of Debian's initdb and pg_ctl (the newest installed major version), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


class PrivatePostgres:

    def __init__(self) -> None:
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError("no initdb: apt-get install postgresql")
        self.port = 0
        self.folder = ""

    def __enter__(self) -> "PrivatePostgres":
        self.folder = tempfile.mkdtemp(prefix="timeout-policy-pg-")
        data = os.path.join(self.folder, "data")
        password_file = os.path.join(self.folder, "password")
        with open(password_file, "w") as out:
            out.write(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(password_file, "postgres", "postgres")
        self._run(["initdb", "-D", data, "-U", USER, "--pwfile", password_file, "--auth=scram-sha-256",
                   "-E", "UTF8", "--no-sync"])
        self.port = _free_port()
        options = "-p %d -k %s -c listen_addresses=127.0.0.1 -c ssl=off -c fsync=off" % (self.port, self.folder)
        self._run(["pg_ctl", "-D", data, "-o", options, "-l", os.path.join(self.folder, "log"), "-w", "-t", "30",
                   "start"])
        return self

    def dsn(self, password: str = PASSWORD, **parameters: str) -> str:
        query = "&".join("%s=%s" % item for item in parameters.items())
        return "postgresql://%s:%s@127.0.0.1:%d/postgres%s" % (USER, password, self.port,
                                                                 "?" + query if query else "")

    def __exit__(self, *exc: object) -> None:
        try:
            self._run(["pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, command: List[str]) -> None:
        command = [os.path.join(self.bin or "", command[0])] + command[1:]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        if done.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(command), done.returncode,
                                                       done.stdout.decode(errors="replace")[-2000:]))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":  # a manual check: start, show the DSN, wait a little, stop
    with PrivatePostgres() as pg:
        print(pg.dsn())
        time.sleep(float(os.environ.get("HOLD", "1")))
