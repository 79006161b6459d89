#!/usr/bin/env python3
"""Launches a JVM and times it to its first answers, without forking curl on the cores the JVM needs.

Usage: first_answer.py PORT PATH [--match TEXT] [--log FILE] [--cwd DIR] [--env K=V ...] -- COMMAND...

Prints "FIRST_MS MATCH_MS CPU_MS": milliseconds from the launch to the first HTTP 200 of GET PATH (polled every
2 ms over a raw socket, as ../shared/baseline/bench/coldstart.py does for the bare app), and to the first
200 whose body holds TEXT (polled every 50 ms after the first 200; equal to FIRST_MS without --match).
and the CPU time the JVM had used by the first 200 (all threads). The JVM is then stopped by its PID (SIGTERM, SIGKILL after 10 s).
"""
import argparse
import os
import socket
import subprocess
import sys
import time


def get(port, path):
    """The whole response of GET path, or None when nothing answers yet."""
    req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5.0) as s:
            s.sendall(req)
            chunks = []
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
            return b"".join(chunks)
    except OSError:
        return None


def cpu_ms(pid):
    """User + system CPU time of the process (all its threads) so far: less sensitive to a loaded machine."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("path")
    p.add_argument("--match")
    p.add_argument("--log", default=os.devnull)
    p.add_argument("--cwd")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--timeout", type=float, default=180)
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: first_answer.py PORT PATH [options] -- COMMAND...")
    cut = argv.index("--")
    a = p.parse_args(argv[:cut])
    cmd = argv[cut + 1:]
    if get(a.port, a.path) is not None:
        sys.exit(f"something already answers on port {a.port}")
    env = dict(os.environ, **dict(kv.split("=", 1) for kv in a.env))
    log = open(a.log, "a")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=a.cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    first = matched = None
    try:
        while matched is None:
            r = get(a.port, a.path)
            now = time.monotonic()
            if r is not None and r.startswith(b"HTTP/1.1 200"):
                if first is None:
                    first = now - t0
                    first_cpu = cpu_ms(proc.pid)
                if a.match is None or a.match.encode() in r:
                    matched = now - t0
                    break
            if proc.poll() is not None:
                sys.exit(f"the JVM exited early (code {proc.returncode}), see {a.log}")
            if now - t0 > a.timeout:
                sys.exit(f"no answer within {a.timeout} s")
            time.sleep(0.002 if first is None else 0.05)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    print(f"{first * 1000:.0f} {matched * 1000:.0f} {first_cpu:.0f}")


if __name__ == "__main__":
    main()
