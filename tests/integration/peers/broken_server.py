#!/usr/bin/python3
"""A fraud-scoring server (examples/fraud/contract.yaml) with faults planted on request.

Without --fault it follows the contract as modelgate serves it, and `modelgate test` passes
against it. Each --fault breaks one clause, which a contract test must report.
It uses the standard library only and listens on 127.0.0.1. With port 0 it picks a free
port; either way it prints "listening on 127.0.0.1:PORT" on standard output once ready.

Usage: broken_server.py PORT [--fault NAME] [--rps R --burst B --burst-window-s S]
"""

import argparse
import hashlib
import http.server
import json
import re
import sys
import threading
import time
import uuid

FAULTS = {
    "score-out-of-range": "risk_score is 1.5, outside its range [0, 1]",
    "wrong-error-code": "invalid input gets code BAD_REQUEST instead of INVALID_INPUT",
    "wrong-status": "invalid input gets status 422 instead of 400",
    "missing-retry-after": "RATE_LIMIT (429) answers have no Retry-After header",
    "ignored-bounds": "ranges and lengths of the request are not checked",
    "missing-field": "the required response field model_version is left out",
    "wrong-retryable": "INVALID_INPUT says retryable: true",
    "slow": "every response waits 50 ms first",
}

ROUTE = "/v1/score"
MAX_PAYLOAD_BYTES = 16384
MODEL_VERSION = "broken-peer-1"
MERCHANTS = ["grocery", "fuel", "restaurants", "travel", "electronics", "digital_goods",
             "gaming", "jewelry", "gift_cards", "other"]
# name: (type, required, (minimum, maximum) or None, (min_len, max_len) or None)
FIELDS = {
    "transaction_id": ("string", True, None, (1, 64)),
    "amount": ("number", True, (0, 100000), None),
    "currency": ("string", True, None, None),
    "features": ("object", False, None, None),
    "idempotency_key": ("string", True, None, (1, 255)),
}
FEATURES = {
    "merchant_category": ("string", False, None, None),
    "country_mismatch": ("boolean", False, None, None),
    "card_age_days": ("integer", False, (0, 36500), None),
    "txn_count_1h": ("integer", False, (0, 10000), None),
    "txn_count_24h": ("integer", False, (0, 100000), None),
    "hour_of_day": ("integer", False, (0, 23), None),
}
ERRORS = {
    "INVALID_INPUT": (400, False), "NOT_FOUND": (404, False),
    "METHOD_NOT_ALLOWED": (405, False), "PAYLOAD_TOO_LARGE": (413, False),
    "UNSUPPORTED_MEDIA_TYPE": (415, False), "IDEMPOTENCY_KEY_REUSED": (422, False),
    "RATE_LIMIT": (429, True),
}


def type_ok(kind, value):
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int)
    return isinstance(value, (int, float))


def check_members(spec, document, prefix, fault, errors):
    for name, (kind, required, value_range, lengths) in spec.items():
        pointer = prefix + "/" + name
        if name not in document:
            if required:
                errors.append({"field": pointer, "rule": "required",
                               "message": "missing required field"})
            continue
        value = document[name]
        if not type_ok(kind, value):
            errors.append({"field": pointer, "rule": "type", "message": "must be " + kind})
            continue
        if fault != "ignored-bounds":
            if value_range and not value_range[0] <= value <= value_range[1]:
                errors.append({"field": pointer, "rule": "range",
                               "message": "must be in %s" % (value_range,)})
            if lengths and not lengths[0] <= len(value) <= lengths[1]:
                errors.append({"field": pointer, "rule": "length",
                               "message": "length must be in %s" % (lengths,)})
    for name in document:
        if name not in spec:
            errors.append({"field": prefix + "/" + name, "rule": "unknown_field",
                           "message": "unknown field"})


def validate(document, fault):
    if not isinstance(document, dict):
        return [{"field": "", "rule": "type", "message": "must be an object"}]
    errors = []
    check_members(FIELDS, document, "", fault, errors)
    transaction_id = document.get("transaction_id")
    if isinstance(transaction_id, str) and not re.fullmatch(r"[A-Za-z0-9_-]+", transaction_id):
        if transaction_id:
            errors.append({"field": "/transaction_id", "rule": "pattern", "message": "pattern"})
    currency = document.get("currency")
    if isinstance(currency, str) and not re.fullmatch(r"[A-Z]{3}", currency):
        errors.append({"field": "/currency", "rule": "format", "message": "ISO 4217 code"})
    features = document.get("features")
    if isinstance(features, dict):
        check_members(FEATURES, features, "/features", fault, errors)
        merchant = features.get("merchant_category")
        if isinstance(merchant, str) and merchant not in MERCHANTS:
            errors.append({"field": "/features/merchant_category", "rule": "enum",
                           "message": "must be one of " + ", ".join(MERCHANTS)})
    return errors


class RateLimiter:
    """The token buckets of modelgate's limiter: sustained plus an optional burst bucket."""

    def __init__(self, rps, burst, window_s):
        extra = max(0.0, burst - rps)
        self.buckets = [[rps, max(1.0, rps + extra * window_s)]]
        if extra > 0 and window_s > 0:
            self.buckets.append([burst, max(1.0, burst)])
        self.tokens = [capacity for _, capacity in self.buckets]
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def admit(self):
        with self.lock:
            now = time.monotonic()
            elapsed, self.last = now - self.last, now
            for i, (rate, capacity) in enumerate(self.buckets):
                self.tokens[i] = min(capacity, self.tokens[i] + rate * elapsed)
            if all(tokens >= 1.0 for tokens in self.tokens):
                self.tokens = [tokens - 1.0 for tokens in self.tokens]
                return True
            return False


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "broken-peer"
    # Buffered writes send the header and body in one segment, which avoids a delayed-ACK stall
    # of about 40 ms per response on a kept-alive connection.
    wbufsize = 1 << 16

    def log_message(self, format, *args):  # keeps test output short
        pass

    def send_json(self, status, document, media_type="application/json", headers=()):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", self.request_id)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def problem(self, code, detail, errors=None, headers=()):
        fault = self.server.fault
        status, retryable = ERRORS[code]
        if code == "INVALID_INPUT":
            if fault == "wrong-error-code":
                code = "BAD_REQUEST"
            if fault == "wrong-status":
                status = 422
            if fault == "wrong-retryable":
                retryable = True
        document = {"type": "urn:broken:" + code.lower(), "title": code, "status": status,
                    "detail": detail, "code": code, "retryable": retryable,
                    "request_id": self.request_id}
        if errors:
            document["errors"] = errors
        self.send_json(status, document, "application/problem+json", headers)

    def do_GET(self):
        self.request_id = uuid.uuid4().hex
        self.close_connection = False
        self.problem("NOT_FOUND", "only POST " + ROUTE + " is served")

    def do_POST(self):
        self.request_id = self.headers.get("X-Request-Id") or uuid.uuid4().hex
        length = int(self.headers.get("Content-Length") or 0)
        if self.server.fault == "slow":
            time.sleep(0.05)
        if self.path != ROUTE:
            self.rfile.read(length)
            return self.problem("NOT_FOUND", "no operation at " + self.path)
        if self.server.limiter and not self.server.limiter.admit():
            self.rfile.read(length)
            headers = [] if self.server.fault == "missing-retry-after" else [("Retry-After", "1")]
            return self.problem("RATE_LIMIT", "too many requests", headers=headers)
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media_type != "application/json":
            self.rfile.read(length)
            return self.problem("UNSUPPORTED_MEDIA_TYPE", "send Content-Type: application/json")
        if length > MAX_PAYLOAD_BYTES:
            # The unread body makes the connection unusable, so it is closed after the response.
            self.close_connection = True
            return self.problem("PAYLOAD_TOO_LARGE", "the maximum is 16384 bytes",
                                headers=[("Connection", "close")])
        body = self.rfile.read(length)
        try:
            document = json.loads(body, parse_constant=self.reject_constant)
        except ValueError as error:
            return self.problem("INVALID_INPUT", "the body is not valid JSON: %s" % error)
        errors = validate(document, self.server.fault)
        if errors:
            return self.problem("INVALID_INPUT", "the request breaks the contract", errors)
        self.answer(document)

    @staticmethod
    def reject_constant(name):
        raise ValueError("%s is not JSON" % name)

    def answer(self, document):
        key = document["idempotency_key"]
        canonical = json.dumps(document, sort_keys=True)
        with self.server.lock:
            stored = self.server.store.get(key)
            if stored is None:
                self.server.store[key] = (canonical, self.score(canonical))
        if stored is not None and stored[0] != canonical:
            return self.problem("IDEMPOTENCY_KEY_REUSED", "the key was used with another body")
        headers = [("X-Model-Version", MODEL_VERSION)]
        if stored is not None:
            headers.append(("Idempotency-Replayed", "true"))
        self.send_json(200, (stored or self.server.store[key])[1], headers=headers)

    def score(self, canonical):
        digest = hashlib.sha256(canonical.encode()).digest()
        response = {"risk_score": round(digest[0] / 255.0, 6), "reasons": ["HIGH_AMOUNT"],
                    "model_version": MODEL_VERSION}
        if self.server.fault == "score-out-of-range":
            response["risk_score"] = 1.5
        if self.server.fault == "missing-field":
            del response["model_version"]
        return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--fault", choices=sorted(FAULTS), help="the clause to break")
    parser.add_argument("--rps", type=float, help="sustained rate limit; off when not given")
    parser.add_argument("--burst", type=float, default=0.0)
    parser.add_argument("--burst-window-s", type=float, default=0.0)
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.fault = args.fault
    server.limiter = RateLimiter(args.rps, args.burst, args.burst_window_s) if args.rps else None
    server.store = {}
    server.lock = threading.Lock()
    print("listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
