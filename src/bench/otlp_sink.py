"""A stand-in OTLP/HTTP collector for src/bench/tracing.sh: accepts POST /v1/traces (protobuf), counts the
spans in it and throws them away; GET /stats answers "requests spans bytes". Standard library only.

    python3 src/bench/otlp_sink.py PORT
"""
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
totals = {"requests": 0, "spans": 0, "bytes": 0}


def fields(buf, start=0, end=None):
    """(field number, value) of each length-delimited field of one protobuf message; other fields skipped."""
    i, end = start, len(buf) if end is None else end
    while i < end:
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, i = varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            length, i = varint(buf, i)
            yield number, (i, i + length)
            i += length
        else:
            raise ValueError("unexpected wire type %d" % wire)


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def count_spans(body):
    """ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2)."""
    spans = 0
    for number, (s, e) in fields(body):
        if number != 1:
            continue
        for number2, (s2, e2) in fields(body, s, e):
            if number2 != 2:
                continue
            spans += sum(1 for number3, _ in fields(body, s2, e2) if number3 == 2)
    return spans


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        spans = count_spans(body)
        with lock:
            totals["requests"] += 1
            totals["spans"] += spans
            totals["bytes"] += len(body)
        # An empty ExportTraceServiceResponse: everything accepted.
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            text = "%(requests)d %(spans)d %(bytes)d\n" % totals
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
