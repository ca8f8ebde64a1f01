"""Access tokens and client secrets of integration clients (OAuth2 client credentials,
ADR 7).

Access tokens are short-lived JWTs (RFC 9068 profile) signed with HS256 under a key derived
from the service's secret key: this service is both the authorization server and the only
resource server, so nothing outside needs to verify them and a symmetric key is enough (and
verifying costs microseconds, no round trip). A token names the client and the scopes it was
granted; the client's row is still read on every call (api/web/deps.py), so a retired client
or a narrowed scope stops working at once, not when the token expires.

Client secrets are 32 random bytes, shown once and stored as an HMAC-SHA256 under a key
derived from the secret key. A slow password hash exists to make guessing a *human-chosen*
password expensive; a 256-bit random secret cannot be guessed, so a keyed hash is as strong
and keeps the token endpoint fast. The key means a database dump alone cannot even confirm a
leaked secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

AUDIENCE = "pep-integration-api"
_ALGORITHMS = ["HS256"]


class InvalidAccessToken(Exception):
    """Not a token of ours, tampered with, or expired."""


@dataclass(frozen=True, slots=True)
class AccessTokenClaims:
    client_id: str
    scopes: frozenset[str]
    expires_at: datetime
    # RFC 8705 certificate binding: the SHA-256 thumbprint of the client certificate the
    # token was issued to (None when not bound).
    certificate_thumbprint: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: frozenset[str]


class IntegrationTokens:
    def __init__(self, *, secret_key: str, issuer: str, ttl: timedelta) -> None:
        self._key = OctKey.import_key(
            hashlib.sha256(b"pep-integration-token:" + secret_key.encode()).digest()
        )
        self._secret_hash_key = hashlib.sha256(
            b"pep-integration-secret:" + secret_key.encode()
        ).digest()
        self._issuer = issuer
        self._ttl = ttl

    def hash_secret(self, secret: str) -> bytes:
        return hmac.new(self._secret_hash_key, secret.encode(), hashlib.sha256).digest()

    def secret_matches(self, secret: str, stored_hash: bytes) -> bool:
        return hmac.compare_digest(self.hash_secret(secret), stored_hash)

    def issue(
        self,
        *,
        client_id: str,
        scopes: frozenset[str],
        now: datetime,
        certificate_thumbprint: str | None = None,
    ) -> IssuedToken:
        issued_at = int(now.timestamp())
        expires_in = int(self._ttl.total_seconds())
        claims: dict[str, object] = {
            "iss": self._issuer,
            "aud": AUDIENCE,
            "sub": client_id,
            "client_id": client_id,
            "scope": " ".join(sorted(scopes)),
            "iat": issued_at,
            "exp": issued_at + expires_in,
            "jti": uuid.uuid4().hex,
        }
        if certificate_thumbprint is not None:
            claims["cnf"] = {"x5t#S256": certificate_thumbprint}
        token = jwt.encode({"alg": "HS256", "typ": "at+jwt"}, claims, self._key)
        return IssuedToken(access_token=token, expires_in=expires_in, scopes=scopes)

    def verify(self, token: str, *, now: datetime) -> AccessTokenClaims:
        try:
            decoded = jwt.decode(token, self._key, algorithms=_ALGORITHMS)
            jwt.JWTClaimsRegistry(
                now=int(now.timestamp()),
                iss={"essential": True, "value": self._issuer},
                aud={"essential": True, "value": AUDIENCE},
                exp={"essential": True},
                client_id={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise InvalidAccessToken(type(error).__name__) from None
        if decoded.header.get("typ") != "at+jwt":
            raise InvalidAccessToken("not an access token")
        claims = decoded.claims
        scope = claims.get("scope", "")
        cnf = claims.get("cnf") or {}
        return AccessTokenClaims(
            client_id=str(claims["client_id"]),
            scopes=frozenset(str(scope).split()),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=now.tzinfo),
            certificate_thumbprint=cnf.get("x5t#S256") if isinstance(cnf, dict) else None,
        )


def new_client_secret() -> str:
    """32 random bytes, base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


def new_client_id() -> str:
    return "pep-" + secrets.token_hex(8)
