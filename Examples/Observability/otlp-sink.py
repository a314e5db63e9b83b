#!/usr/bin/env python3
"""otlp-sink.py: the smallest OTLP/HTTP (JSON) trace receiver, for the observability
example when no collector runs: prints one line per span it receives.

    python3 Examples/Observability/otlp-sink.py [PORT]      (default 4318)

Each line: SPAN <name> kind=<kind> trace=<trace id> span=<span id> parent=<parent span id>.
Not a collector: it accepts /v1/traces only, in JSON (OTEL_EXPORTER_OTLP_PROTOCOL=http/json).
"""
import base64
import binascii
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = {0: "unspecified", 1: "internal", 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def hex_id(value):
    """OTLP/JSON carries ids in hex; some encoders use protobuf JSON's base64."""
    if not value:
        return "-"
    try:
        int(value, 16)
        return value.lower()
    except ValueError:
        return binascii.hexlify(base64.b64decode(value)).decode()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.rstrip("/") == "/v1/traces":
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                self.send_error(400, "expected OTLP JSON")
                return
            for resource in payload.get("resourceSpans", []):
                for scope in resource.get("scopeSpans", []):
                    for span in scope.get("spans", []):
                        kind = span.get("kind", 0)
                        kind = KINDS.get(kind, kind) if isinstance(kind, int) else str(kind).replace("SPAN_KIND_", "").lower()
                        print(f"SPAN {span.get('name')} kind={kind} trace={hex_id(span.get('traceId'))} "
                              f"span={hex_id(span.get('spanId'))} parent={hex_id(span.get('parentSpanId'))}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4318
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
