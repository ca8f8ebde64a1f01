"""OpenID Connect relying party (authorization code + PKCE + nonce) on authlib, with the ID
token verified against the provider's JWKS. The same code runs against the embedded IdP in
development and tests and against the 1177/BankID and SITHS IdPs in production: only the
issuer and client credentials differ."""

from __future__ import annotations

import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# authlib 1.9 prefers the httpx2 package; plain httpx is what we ship and is still supported.
warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning, message=".*httpx2.*")
from authlib.integrations.httpx_client import AsyncOAuth2Client  # noqa: E402

METADATA_TTL_SECONDS = 3600


class OidcError(Exception):
    """The login could not be completed: a protocol or verification failure."""


@dataclass(frozen=True, slots=True)
class PendingLogin:
    state: str
    nonce: str
    code_verifier: str


class OidcClient:
    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scope: str = "openid profile",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.issuer = issuer
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._scope = scope
        self.transport = transport
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._fetched_at = 0.0

    def _http(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self._client_id,
            client_secret=self._client_secret,
            scope=self._scope,
            redirect_uri=self._redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
            transport=self.transport,
            timeout=10.0,
        )

    async def _discover(self, *, force: bool = False) -> tuple[dict[str, Any], KeySet]:
        fresh = time.monotonic() - self._fetched_at < METADATA_TTL_SECONDS
        if self._metadata is not None and self._keys is not None and fresh and not force:
            return self._metadata, self._keys
        async with self._http() as http:
            response = await http.request(
                "GET", f"{self.issuer}/.well-known/openid-configuration", withhold_token=True
            )
            response.raise_for_status()
            metadata = response.json()
            if metadata.get("issuer") != self.issuer:
                raise OidcError("discovery document names another issuer")
            keys_response = await http.request("GET", metadata["jwks_uri"], withhold_token=True)
            keys_response.raise_for_status()
        self._metadata = metadata
        self._keys = KeySet.import_key_set(keys_response.json())
        self._fetched_at = time.monotonic()
        return metadata, self._keys

    async def begin(self) -> tuple[str, PendingLogin]:
        metadata, _ = await self._discover()
        pending = PendingLogin(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            code_verifier=secrets.token_urlsafe(48),
        )
        async with self._http() as http:
            url, _ = http.create_authorization_url(
                metadata["authorization_endpoint"],
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return url, pending

    async def complete(self, *, code: str, pending: PendingLogin) -> dict[str, Any]:
        """Exchanges the code and returns the verified ID token claims."""
        metadata, keys = await self._discover()
        try:
            async with self._http() as http:
                token = await http.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                    redirect_uri=self._redirect_uri,
                )
        except Exception as error:  # authlib raises its own OAuthError or httpx errors
            raise OidcError(f"token exchange failed: {type(error).__name__}") from error
        id_token = token.get("id_token")
        if not id_token:
            raise OidcError("no id_token in the token response")
        return self._verify(id_token, keys=keys, nonce=pending.nonce)

    def _verify(self, id_token: str, *, keys: KeySet, nonce: str) -> dict[str, Any]:
        try:
            decoded = jwt.decode(id_token, keys, algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self._client_id},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise OidcError(f"ID token rejected: {type(error).__name__}") from error
        return dict(decoded.claims)
