#!/usr/bin/env python3
"""A SASL-enabled Kafka broker for tests: authenticates clients itself, then
forwards their requests to an upstream broker without SASL (the embedded Tansu,
whose own SASL stores no users).

usage: sasl_front.py --upstream HOST:PORT [--port PORT] [--user NAME:PASSWORD]...
                     [--token TOKEN] [--session-lifetime-ms MS] [--log FILE]
                     [--aws-credentials ACCESS_KEY:SECRET] [--aws-region REGION] [--aws-host HOST]
                     [--mechanism NAME]... [--no-rewrite-metadata] [--exit-on-stdin-eof]

Prints the port it listens on (127.0.0.1; --port 0, the default, picks a free
one) as the first line of stdout, then serves until killed.

Like Kafka:
- ApiVersions is forwarded, and the answer always lists SaslHandshake v0-1 and
  SaslAuthenticate v0-2.
- Before authentication, anything other than ApiVersions, SaslHandshake and
  SaslAuthenticate closes the connection.
- SaslHandshake (v0 is treated like v1: tokens travel in SaslAuthenticate) and
  SaslAuthenticate (v0-2, v2 flexible) are answered here: SCRAM-SHA-256/512
  through scramp's server, PLAIN against the same users, OAUTHBEARER accepting
  --token (a wrong token gets the RFC 7628 error JSON, then error 58), and
  AWS_MSK_IAM (with --aws-credentials; needs botocore): the SigV4 signature of
  the client's JSON payload is recomputed with botocore from the known secret,
  and host (--aws-host, default 127.0.0.1), region (--aws-region, default
  us-east-1), action kafka-cluster:Connect, date and expiry are checked; the
  answer is MSK's {"version":"2020_10_22","request-id":"..."}. The user logged
  is the access key id. With --aws-credentials OAUTHBEARER also accepts MSK
  tokens (aws-msk-iam-sasl-signer format: a base64url presigned
  https://kafka.REGION.amazonaws.com/?Action=kafka-cluster%3AConnect&... URL),
  checked the same way.
- Wrong credentials: SaslAuthenticate error 58 (SASL_AUTHENTICATION_FAILED)
  with a message, then the connection closes.
- With --session-lifetime-ms, successful SaslAuthenticate v1+ responses carry
  session_lifetime_ms, and a request other than ApiVersions/SASL after the
  session expired closes the connection (KIP-368).
- After authentication requests are forwarded in order; SaslHandshake and
  SaslAuthenticate (re-authentication) are still answered here, and responses
  go back in request order whichever side produced them.
- Metadata and FindCoordinator responses name this front instead of the
  upstream broker, so clients keep coming back through it (disable with
  --no-rewrite-metadata).

With --exit-on-stdin-eof it exits when its stdin closes, so a test process
that dies without stopping it does not leave it running.

Every successful authentication prints to stderr (and --log):
    auth ok conn=ID mechanism=NAME user=NAME count=N
where N counts successful authentications on that connection; failures print
    auth failed conn=ID mechanism=NAME reason=...
"""
import argparse
import asyncio
import base64
import datetime
import hmac
import json
import os
import struct
import sys
import threading
import time
import uuid
from urllib.parse import parse_qsl, urlsplit

import scramp

SASL_HANDSHAKE, SASL_AUTHENTICATE, API_VERSIONS, METADATA, PRODUCE, FIND_COORDINATOR = 17, 36, 18, 3, 0, 10
UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED = 33, 34, 58
SCRAM_MECHANISMS = ("SCRAM-SHA-256", "SCRAM-SHA-512")
ALL_MECHANISMS = ("PLAIN",) + SCRAM_MECHANISMS + ("OAUTHBEARER", "AWS_MSK_IAM")


class AuthFailure(Exception):
    """Wrong credentials or a broken exchange: error 58, then close."""


class Closed(Exception):
    """Close the client connection (what Kafka does for illegal requests)."""


# ---------------------------------------------------------------- wire helpers

class Reader:
    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def int16(self):
        return struct.unpack(">h", self.take(2))[0]

    def int32(self):
        return struct.unpack(">i", self.take(4))[0]

    def uvarint(self):
        shift = value = 0
        while True:
            b = self.take(1)[0]
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7

    def string(self, compact):
        n = self.uvarint() - 1 if compact else self.int16()
        return None if n < 0 else self.take(n).decode()

    def bytes_(self, compact):
        n = self.uvarint() - 1 if compact else self.int32()
        return None if n < 0 else self.take(n)

    def skip_tags(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())

    def rest(self):
        return self.data[self.pos:]


def uvarint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def string(value, compact):
    if value is None:
        return uvarint(0) if compact else struct.pack(">h", -1)
    raw = value.encode()
    return (uvarint(len(raw) + 1) if compact else struct.pack(">h", len(raw))) + raw


def bytes_(value, compact):
    return (uvarint(len(value) + 1) if compact else struct.pack(">i", len(value))) + value


def is_flexible(api_key, version):
    """Flexible versions of the APIs whose bodies the front reads or writes."""
    return {API_VERSIONS: 3, SASL_AUTHENTICATE: 2, METADATA: 9, PRODUCE: 9, FIND_COORDINATOR: 3}.get(api_key, 1 << 15) <= version


class Request:
    def __init__(self, frame):
        r = Reader(frame)
        self.frame = frame
        self.api_key, self.api_version, self.correlation_id = r.int16(), r.int16(), r.int32()
        r.string(False)  # client_id: a classic nullable string even in header v2
        # Only bodies the front reads need the header's tagged fields skipped.
        if is_flexible(self.api_key, self.api_version):
            r.skip_tags()
        self.body = r


def response(correlation_id, body, flexible_header=False):
    return struct.pack(">i", correlation_id) + (b"\x00" if flexible_header else b"") + body


# ---------------------------------------------------------------- mechanisms

class Mechanisms:
    def __init__(self, users, token, enabled, aws=None):
        self.users, self.token, self.aws = users, token, aws
        self.enabled = [m for m in ALL_MECHANISMS if m in enabled
                        and (m != "OAUTHBEARER" or token is not None or aws is not None)
                        and (m != "AWS_MSK_IAM" or aws is not None)
                        and (m in ("OAUTHBEARER", "AWS_MSK_IAM") or users)]
        # Stored keys as a broker keeps them (4096 iterations, Kafka's minimum).
        self.scram = {}
        for name in SCRAM_MECHANISMS:
            mechanism = scramp.ScramMechanism(name)
            self.scram[name] = (mechanism, {u: mechanism.make_auth_info(p, iteration_count=4096)
                                            for u, p in users.items()})

    def start(self, name):
        if name in SCRAM_MECHANISMS:
            return ScramExchange(*self.scram[name])
        if name == "PLAIN":
            return PlainExchange(self.users)
        if name == "AWS_MSK_IAM":
            return MSKIAMExchange(*self.aws)
        return OAuthExchange(self.token, MSKIAMExchange(*self.aws) if self.aws else None)


class PlainExchange:
    def __init__(self, users):
        self.users, self.user = users, None

    def step(self, data):
        """Returns (reply bytes, finished)."""
        parts = data.split(b"\x00")
        if len(parts) != 3:
            raise AuthFailure("malformed PLAIN message")
        authzid, user, password = (p.decode("utf-8", "replace") for p in parts)
        if user not in self.users or self.users[user] != password or authzid not in ("", user):
            raise AuthFailure("invalid credentials")
        self.user = user
        return b"", True


class ScramExchange:
    def __init__(self, mechanism, infos):
        self.server = mechanism.make_server(infos.get)
        self.user, self.first = None, True

    def step(self, data):
        try:
            if self.first:
                self.first = False
                self.server.set_client_first(data.decode())
                self.user = self.server.client_first_bare.split(",")[0][2:].replace("=2C", ",").replace("=3D", "=")
                return self.server.get_server_first().encode(), False
            self.server.set_client_final(data.decode())
            return self.server.get_server_final().encode(), True
        except (scramp.ScramException, UnicodeDecodeError) as error:
            # Kafka answers error 58, not SCRAM's e= attribute.
            raise AuthFailure(str(error)) from None


class OAuthExchange:
    def __init__(self, token, msk=None):
        self.token, self.user, self.rejected = token, None, None
        self.msk = msk  # an MSKIAMExchange checking MSK tokens, when AWS credentials are configured
        self.reason = ""

    def step(self, data):
        if self.rejected is not None:
            if data == b"\x01":
                raise AuthFailure(self.rejected + self.reason)
            raise AuthFailure("expected 0x01 after the error reply")
        try:
            text = data.decode()
            header, rest = text.split("\x01", 1)
            fields = dict(kv.split("=", 1) for kv in rest.split("\x01") if kv)
            assert header.startswith("n,") and rest.endswith("\x01\x01")
            scheme, token = fields.pop("auth").split(" ", 1)
            assert scheme.lower() == "bearer"
        except (ValueError, KeyError, AssertionError, UnicodeDecodeError):
            raise AuthFailure("malformed OAUTHBEARER message") from None
        if self.msk is not None and token != self.token:
            try:
                self.msk.verify_token(token)
                self.user = self.msk.access_key
                return b"", True
            except AuthFailure as failure:
                self.reason = f" ({failure})"
        if token != self.token:
            self.rejected = '{"status":"invalid_token"}'
            return self.rejected.encode(), False
        self.user = "token" + "".join(f" {k}={v}" for k, v in sorted(fields.items()))
        return b"", True


class MSKIAMExchange:
    """AWS_MSK_IAM as MSK checks it, with botocore (imported only when enabled)
    recomputing the SigV4 query signature from the known secret."""
    VERSION, ACTION, SERVICE, MAX_SKEW = "2020_10_22", "kafka-cluster:Connect", "kafka-cluster", 300

    def __init__(self, access_key, secret, region, host):
        self.access_key, self.secret, self.region, self.host = access_key, secret, region, host
        self.user = None

    def step(self, data):
        try:
            payload = json.loads(data.decode())
            assert isinstance(payload, dict) and all(isinstance(v, str) for v in payload.values())
        except (ValueError, AssertionError, UnicodeDecodeError):
            raise AuthFailure("malformed AWS_MSK_IAM payload") from None
        if payload.get("version") != self.VERSION:
            raise AuthFailure(f"unsupported version {payload.get('version')!r}")
        self.verify(payload, self.host)
        self.user = self.access_key
        reply = {"version": self.VERSION, "request-id": str(uuid.uuid4())}
        return json.dumps(reply).encode(), True

    def verify_token(self, token):
        """Checks an MSK OAUTHBEARER token: the presigned URL for kafka.REGION.amazonaws.com."""
        try:
            url = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            raise AuthFailure("not an MSK token") from None
        parts = urlsplit(url)
        host = f"kafka.{self.region}.amazonaws.com"
        if parts.scheme != "https" or parts.netloc != host or parts.path != "/":
            raise AuthFailure(f"the token's URL is not https://{host}/")
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        params.pop("User-Agent", None)  # appended after signing
        payload = {name.lower(): value for name, value in params.items()}
        payload["host"] = host
        self.verify(payload, host)

    def verify(self, payload, host):
        """Checks the presigned parameters (lower-cased names) of a Connect request to `host`."""
        get = lambda name: payload.get(name) or ""
        if get("action") != self.ACTION:
            raise AuthFailure(f"action must be {self.ACTION}")
        if get("host") != host:
            raise AuthFailure(f"signed host {get('host')!r} is not {host!r}")
        if get("x-amz-algorithm") != "AWS4-HMAC-SHA256" or get("x-amz-signedheaders") != "host":
            raise AuthFailure("algorithm must be AWS4-HMAC-SHA256 signing only host")
        try:
            signed_at = datetime.datetime.strptime(get("x-amz-date"), "%Y%m%dT%H%M%SZ")
            expires = int(get("x-amz-expires"))
        except ValueError:
            raise AuthFailure("bad x-amz-date or x-amz-expires") from None
        scope = get("x-amz-credential").split("/")
        if scope != [self.access_key, signed_at.strftime("%Y%m%d"), self.region, self.SERVICE, "aws4_request"]:
            raise AuthFailure("credential scope does not name the known key, date, region and service")
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
        if abs((now - signed_at).total_seconds()) > self.MAX_SKEW:
            raise AuthFailure("x-amz-date is too far from now")
        if not 0 < expires <= 900 or now > signed_at + datetime.timedelta(seconds=expires):
            raise AuthFailure("the signature has expired or an invalid expiry")
        if not hmac.compare_digest(get("x-amz-signature"), self.expected_signature(host, signed_at, expires, payload)):
            raise AuthFailure("signature mismatch")

    def expected_signature(self, host, signed_at, expires, payload):
        import botocore.auth
        from botocore.auth import SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        saved = botocore.auth.get_current_datetime
        botocore.auth.get_current_datetime = (
            lambda remove_tzinfo=True: signed_at if remove_tzinfo else signed_at.replace(tzinfo=datetime.timezone.utc))
        try:
            request = AWSRequest(method="GET", url=f"https://{host}/", params={"Action": self.ACTION})
            credentials = Credentials(self.access_key, self.secret, payload.get("x-amz-security-token"))
            SigV4QueryAuth(credentials, self.SERVICE, self.region, expires=expires).add_auth(request)
        finally:
            botocore.auth.get_current_datetime = saved
        return dict(parse_qsl(urlsplit(request.url).query))["X-Amz-Signature"]


# ---------------------------------------------------------------- connection

class Front:
    def __init__(self, args):
        self.args = args
        self.upstream_host, port = args.upstream.rsplit(":", 1)
        self.upstream_port = int(port)
        users = dict(u.split(":", 1) for u in args.user)
        aws = None
        if args.aws_credentials:
            access_key, secret = args.aws_credentials.split(":", 1)
            aws = (access_key, secret, args.aws_region, args.aws_host)
        self.mechanisms = Mechanisms(users, args.token, args.mechanism or ALL_MECHANISMS, aws)
        self.log_file = open(args.log, "a", buffering=1) if args.log else None
        self.next_id = 0
        self.port = None

    def log(self, line):
        print(line, file=sys.stderr, flush=True)
        if self.log_file:
            self.log_file.write(line + "\n")

    async def serve(self, reader, writer):
        self.next_id += 1
        await Connection(self, self.next_id, reader, writer).run()


class Connection:
    def __init__(self, front, ident, reader, writer):
        self.front, self.id, self.reader, self.writer = front, ident, reader, writer
        self.responses = asyncio.Queue()   # futures of (bytes or None, close after)
        self.upstream_pending = []         # futures waiting for upstream's next response
        self.upstream = None
        self.mechanism = None              # negotiated in SaslHandshake, None outside an exchange
        self.exchange = None
        self.principal = None              # set once authenticated
        self.mechanism_used = None         # the mechanism that authenticated; re-authentication must reuse it
        self.expires_at = None
        self.count = 0

    async def run(self):
        writer_task = asyncio.create_task(self.write_responses())
        try:
            while True:
                size = struct.unpack(">i", await self.reader.readexactly(4))[0]
                request = Request(await self.reader.readexactly(size))
                future = asyncio.get_running_loop().create_future()
                expects_reply = await self.handle(request, future)
                if expects_reply:
                    await self.responses.put(future)
                if future.done() and future.result()[1]:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, UnicodeDecodeError, struct.error):
            pass
        finally:
            closer = asyncio.get_running_loop().create_future()
            closer.set_result((None, True))
            await self.responses.put(closer)
            await writer_task
            if self.upstream:
                self.upstream[1].close()

    async def write_responses(self):
        try:
            while True:
                payload, close = await (await self.responses.get())
                if payload is not None:
                    self.writer.write(struct.pack(">i", len(payload)) + payload)
                    await self.writer.drain()
                if close:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.writer.close()

    async def handle(self, request, future):
        """Answers `request` into `future`; returns whether a response is expected."""
        key = request.api_key
        if key == SASL_HANDSHAKE:
            future.set_result((self.handshake(request), False))
        elif key == SASL_AUTHENTICATE:
            future.set_result(self.authenticate(request))
        elif key == API_VERSIONS:
            await self.forward(request, future, self.patch_api_versions)
        elif self.principal is None:
            self.front.log(f"closing conn={self.id}: api {key} before authentication")
            future.set_result((None, True))
        elif self.expires_at is not None and time.monotonic() > self.expires_at:
            self.front.log(f"closing conn={self.id}: session expired (api {key})")
            future.set_result((None, True))
        elif key == PRODUCE and self.produce_acks(request) == 0:
            await self.forward(request, None, None)
            return False
        else:
            patches = {METADATA: self.patch_metadata, FIND_COORDINATOR: self.patch_find_coordinator}
            patch = patches.get(key) if self.front.args.rewrite_metadata else None
            await self.forward(request, future, patch)
        return True

    # ------------------------------------------------------------ SASL

    def handshake(self, request):
        name = request.body.string(False)
        enabled = self.front.mechanisms.enabled
        if self.exchange is not None or (self.principal is not None and name != self.mechanism_used):
            error = ILLEGAL_SASL_STATE if self.exchange is not None else UNSUPPORTED_SASL_MECHANISM
        elif name in enabled:
            error = 0
            self.exchange = self.front.mechanisms.start(name)
            self.mechanism = name
        else:
            error = UNSUPPORTED_SASL_MECHANISM
        body = struct.pack(">hi", error, len(enabled)) + b"".join(string(m, False) for m in enabled)
        return response(request.correlation_id, body)

    def authenticate(self, request):
        version = request.api_version
        flexible = version >= 2
        try:
            if self.exchange is None:
                raise AuthFailure("SaslAuthenticate without a SaslHandshake")
            data = request.body.bytes_(flexible) or b""
            reply, finished = self.exchange.step(data)
        except AuthFailure as failure:
            self.front.log(f"auth failed conn={self.id} mechanism={self.mechanism} reason={failure}")
            message = (f"Authentication failed during authentication due to invalid credentials "
                       f"with SASL mechanism {self.mechanism}: {failure}")
            return self.authenticate_response(request, SASL_AUTHENTICATION_FAILED, message, b"", 0), True
        lifetime = 0
        if finished:
            user = self.exchange.user
            if self.principal is not None and user != self.principal:
                self.front.log(f"auth failed conn={self.id} reason=principal changed")
                return self.authenticate_response(request, SASL_AUTHENTICATION_FAILED,
                                                  "Cannot change principals during re-authentication",
                                                  b"", 0), True
            self.principal, self.mechanism_used, self.exchange = user, self.mechanism, None
            self.count += 1
            if self.front.args.session_lifetime_ms:
                lifetime = self.front.args.session_lifetime_ms
                self.expires_at = time.monotonic() + lifetime / 1000
            self.front.log(f"auth ok conn={self.id} mechanism={self.mechanism} user={user} count={self.count}")
        return self.authenticate_response(request, 0, None, reply, lifetime), False

    @staticmethod
    def authenticate_response(request, error, message, auth_bytes, lifetime):
        flexible = request.api_version >= 2
        body = struct.pack(">h", error) + string(message, flexible) + bytes_(auth_bytes, flexible)
        if request.api_version >= 1:
            body += struct.pack(">q", lifetime)
        if flexible:
            body += b"\x00"
        return response(request.correlation_id, body, flexible_header=flexible)

    # ------------------------------------------------------------ forwarding

    async def forward(self, request, future, patch):
        if self.upstream is None:
            self.upstream = await asyncio.open_connection(self.front.upstream_host, self.front.upstream_port)
            asyncio.create_task(self.read_upstream())
        if future is not None:
            self.upstream_pending.append((future, request, patch))
        self.upstream[1].write(struct.pack(">i", len(request.frame)) + request.frame)
        await self.upstream[1].drain()

    async def read_upstream(self):
        reader = self.upstream[0]
        try:
            while True:
                size = struct.unpack(">i", await reader.readexactly(4))[0]
                payload = await reader.readexactly(size)
                future, request, patch = self.upstream_pending.pop(0)
                if patch is not None:
                    try:
                        payload = patch(request, payload)
                    except (ValueError, struct.error) as error:
                        self.front.log(f"conn={self.id}: cannot rewrite api {request.api_key}: {error}")
                future.set_result((payload, False))
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            for future, _, _ in self.upstream_pending:
                if not future.done():
                    future.set_result((None, True))
            self.upstream_pending.clear()
            self.writer.close()

    @staticmethod
    def produce_acks(request):
        r = Reader(request.body.data, request.body.pos)
        if request.api_version >= 3:
            r.string(is_flexible(PRODUCE, request.api_version))  # transactional_id
        return r.int16()

    @staticmethod
    def patch_api_versions(request, payload):
        """Makes sure SaslHandshake v0-1 and SaslAuthenticate v0-2 are listed."""
        r = Reader(payload)
        correlation_id, error = r.int32(), r.int16()  # ApiVersions responses keep header v0
        if error != 0:
            return payload
        flexible = is_flexible(API_VERSIONS, request.api_version)
        count = r.uvarint() - 1 if flexible else r.int32()
        apis = {}
        for _ in range(count):
            key, low, high = r.int16(), r.int16(), r.int16()
            tags = b""
            if flexible:
                start = r.pos
                r.skip_tags()
                tags = r.data[start:r.pos]
            apis[key] = (low, high, tags)
        apis[SASL_HANDSHAKE] = (0, 1, b"\x00" if flexible else b"")
        apis[SASL_AUTHENTICATE] = (0, 2, b"\x00" if flexible else b"")
        out = struct.pack(">ih", correlation_id, error)
        out += uvarint(len(apis) + 1) if flexible else struct.pack(">i", len(apis))
        for key in sorted(apis):
            low, high, tags = apis[key]
            out += struct.pack(">hhh", key, low, high) + tags
        return out + r.rest()

    def patch_metadata(self, request, payload):
        """Points every broker in a Metadata response at this front."""
        version = request.api_version
        flexible = is_flexible(METADATA, version)
        r = Reader(payload)
        correlation_id = r.int32()
        if flexible:
            r.skip_tags()
        out = struct.pack(">i", correlation_id) + (b"\x00" if flexible else b"")
        if version >= 3:
            out += r.take(4)  # throttle_time_ms
        count = r.uvarint() - 1 if flexible else r.int32()
        out += uvarint(count + 1) if flexible else struct.pack(">i", count)
        for _ in range(count):
            node_id = r.take(4)
            r.string(flexible)
            r.int32()
            out += node_id + string("127.0.0.1", flexible) + struct.pack(">i", self.front.port)
            if version >= 1:
                out += string(r.string(flexible), flexible)  # rack
            if flexible:
                start = r.pos
                r.skip_tags()
                out += r.data[start:r.pos]
        return out + r.rest()

    def patch_find_coordinator(self, request, payload):
        """Points the coordinator(s) of a FindCoordinator response at this front."""
        version = request.api_version
        flexible = is_flexible(FIND_COORDINATOR, version)
        r = Reader(payload)
        correlation_id = r.int32()
        if flexible:
            r.skip_tags()
        out = struct.pack(">i", correlation_id) + (b"\x00" if flexible else b"")
        if version >= 1:
            out += r.take(4)  # throttle_time_ms

        def endpoint():
            node_id = r.int32()
            host, port = r.string(flexible), r.int32()
            if node_id >= 0:  # errors carry node -1 and no address
                host, port = "127.0.0.1", self.front.port
            return struct.pack(">i", node_id) + string(host, flexible) + struct.pack(">i", port)

        if version <= 3:
            out += r.take(2)  # error_code
            if version >= 1:
                out += string(r.string(flexible), flexible)  # error_message
            return out + endpoint() + r.rest()
        count = r.uvarint() - 1
        out += uvarint(count + 1)
        for _ in range(count):
            out += string(r.string(True), True)  # key
            out += endpoint() + r.take(2) + string(r.string(True), True)  # error_code, error_message
            start = r.pos
            r.skip_tags()
            out += r.data[start:r.pos]
        return out + r.rest()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the broker to forward to")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user", action="append", default=[], help="NAME:PASSWORD (SCRAM and PLAIN)")
    parser.add_argument("--token", help="the OAUTHBEARER token to accept")
    parser.add_argument("--session-lifetime-ms", type=int, default=0)
    parser.add_argument("--aws-credentials", help="ACCESS_KEY:SECRET accepted by AWS_MSK_IAM (needs botocore)")
    parser.add_argument("--aws-region", default="us-east-1", help="the region AWS_MSK_IAM signatures must name")
    parser.add_argument("--aws-host", default="127.0.0.1", help="the host AWS_MSK_IAM signatures must name")
    parser.add_argument("--mechanism", action="append", help="enable only these mechanisms")
    parser.add_argument("--log", help="also append auth lines to this file")
    parser.add_argument("--no-rewrite-metadata", dest="rewrite_metadata", action="store_false")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    front = Front(parser.parse_args())
    if front.args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()
    server = await asyncio.start_server(front.serve, "127.0.0.1", front.args.port)
    front.port = server.sockets[0].getsockname()[1]
    print(front.port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
