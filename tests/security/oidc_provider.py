"""A small OpenID Connect provider on a loopback port, for the single sign-on tests: discovery,
JWKS, the authorization endpoint (which answers at once with a code, as if the person had signed
in) and the token endpoint, signing RS256 ID tokens with a key generated for the test.

What the next ID token says is set on the provider before the flow: ``claims`` (the person), and
``tamper`` to produce a bad one (another key, another audience or issuer, expired, another or no
nonce, no signature at all, or the client's secret as the key)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "compact-tracker-test"
CLIENT_SECRET = "test-client-secret"
KEY_ID = "test-key-1"

# The kinds of bad ID token the provider can be asked for.
TAMPERS = (
    "bad_signature",
    "wrong_audience",
    "wrong_issuer",
    "expired",
    "bad_nonce",
    "missing_nonce",
    "unsigned",
    "shared_secret",
)


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Provider:
    port: int = 0
    key: rsa.RSAPrivateKey = field(default_factory=_private_key)
    other_key: rsa.RSAPrivateKey = field(default_factory=_private_key)
    claims: dict[str, Any] = field(default_factory=dict)
    tamper: str = ""
    # Every authorization request, by code: what the client sent.
    grants: dict[str, dict[str, str]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    discovery_requests: int = 0

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "subject-" + secrets.token_hex(4),
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        key = self.key
        if self.tamper == "bad_signature":
            key = self.other_key
        elif self.tamper == "wrong_audience":
            payload["aud"] = "someone-else"
        elif self.tamper == "wrong_issuer":
            payload["iss"] = "https://impostor.example"
        elif self.tamper == "expired":
            payload["iat"] = now - 3600
            payload["exp"] = now - 1800
        elif self.tamper == "bad_nonce":
            payload["nonce"] = "not-the-nonce-that-was-sent"
        elif self.tamper == "missing_nonce":
            del payload["nonce"]
        elif self.tamper == "unsigned":
            return jwt.encode(payload, None, algorithm="none", headers={"kid": KEY_ID})
        elif self.tamper == "shared_secret":
            return jwt.encode(payload, CLIENT_SECRET, algorithm="HS256", headers={"kid": KEY_ID})
        if payload.get("nonce") is None:
            payload.pop("nonce", None)
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KEY_ID})


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/.well-known/openid-configuration":
                provider.discovery_requests += 1
                self._json(200, provider.discovery())
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/authorize":
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                    self._json(400, {"error": "invalid_request"})
                    return
                code = secrets.token_urlsafe(16)
                provider.grants[code] = query
                back = urlencode({"code": code, "state": query.get("state", "")})
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{back}")
                self.end_headers()
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {
                name: values[0]
                for name, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            if urlparse(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            provider.token_requests.append(form)
            grant = provider.grants.pop(form.get("code", ""), None)
            if (
                grant is None
                or form.get("grant_type") != "authorization_code"
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant.get("redirect_uri")
                or _challenge(form.get("code_verifier", "")) != grant.get("code_challenge")
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            self._json(
                200,
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant.get("nonce")),
                },
            )

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_provider() -> Iterator[Provider]:
    """A provider serving on a free loopback port until the block ends."""
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
