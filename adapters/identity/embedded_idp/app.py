"""A small but real OpenID Connect provider for development and tests, standing in for
BankID via the 1177 IdP (citizens) and SITHS via the national IdP (staff). It speaks the
same protocol as production: discovery, JWKS, authorization code flow with PKCE (S256),
nonce, client authentication, signed ID tokens. Instead of a BankID or SITHS card it lets
the user pick one of the test identities.

Mounted under /idp/citizen and /idp/staff; never in production (settings refuse it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CODE_TTL_SECONDS = 60


@dataclass(frozen=True, slots=True)
class TestIdentity:
    key: str
    label: str
    claims: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RegisteredClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def create_idp(
    *,
    issuer: str,
    title: str,
    identities: Sequence[TestIdentity],
    clients: Sequence[RegisteredClient],
    signing_key: RSAKey,
    redis: Redis,
    redis_prefix: str,
) -> Starlette:
    by_key = {identity.key: identity for identity in identities}
    by_client = {client.client_id: client for client in clients}
    code_prefix = f"{redis_prefix}:idp:code:"

    async def discovery(_request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code"],
            }
        )

    async def jwks(_request: Request) -> JSONResponse:
        return JSONResponse({"keys": [signing_key.as_dict(private=False)]})

    def _check_authorization_request(params: dict[str, str]) -> RegisteredClient | Response:
        client = by_client.get(params.get("client_id", ""))
        if client is None or params.get("redirect_uri") not in client.redirect_uris:
            # Never redirect to an unregistered URI: show the error here.
            return HTMLResponse("<h1>Okänd klient eller redirect_uri</h1>", status_code=400)
        missing = [name for name in ("state", "nonce", "code_challenge") if not params.get(name)]
        if (
            params.get("response_type") != "code"
            or "openid" not in params.get("scope", "").split()
            or params.get("code_challenge_method") != "S256"
            or missing
        ):
            return HTMLResponse(
                "<h1>Ogiltig begäran</h1><p>code flow med PKCE (S256), state och nonce krävs</p>",
                status_code=400,
            )
        return client

    async def authorize_page(request: Request) -> Response:
        params = dict(request.query_params)
        checked = _check_authorization_request(params)
        if isinstance(checked, Response):
            return checked
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in params.items()
        )
        options = "".join(
            f'<li><button type="submit" name="identity" value="{html.escape(i.key)}">'
            f"{html.escape(i.label)}</button></li>"
            for i in identities
        )
        page = f"""<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,sans-serif;margin:0;background:#f4f4f4;color:#1c1c1c}}
header{{background:#1f3a6e;color:#fff;padding:1rem 1.5rem}}
main{{max-width:40rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:6px}}
ul{{list-style:none;padding:0}} li{{margin:.4rem 0}}
button{{width:100%;text-align:left;padding:.7rem 1rem;font-size:1rem;border:1px solid #1f3a6e;
background:#fff;color:#1f3a6e;border-radius:4px;cursor:pointer}}
button:hover,button:focus{{background:#e8eef8;outline:3px solid #1f3a6e}}
</style></head>
<body><header><p>Testinloggning (utvecklingsmiljö)</p></header>
<main><h1>{html.escape(title)}</h1>
<p>Välj en testidentitet att logga in som.</p>
<form method="post" action="{issuer}/authorize">{hidden}<ul>{options}</ul></form>
</main></body></html>"""
        return HTMLResponse(page, headers={"Cache-Control": "no-store"})

    async def authorize_submit(request: Request) -> Response:
        form = await request.form()
        params = {k: str(v) for k, v in form.items() if k != "identity"}
        checked = _check_authorization_request(params)
        if isinstance(checked, Response):
            return checked
        identity = by_key.get(str(form.get("identity", "")))
        if identity is None:
            return HTMLResponse("<h1>Okänd testidentitet</h1>", status_code=400)
        code = secrets.token_urlsafe(32)
        grant = {
            "client_id": checked.client_id,
            "redirect_uri": params["redirect_uri"],
            "code_challenge": params["code_challenge"],
            "nonce": params["nonce"],
            "identity": identity.key,
            "auth_time": int(time.time()),
        }
        await redis.set(code_prefix + code, json.dumps(grant), ex=CODE_TTL_SECONDS)
        query = urlencode({"code": code, "state": params["state"], "iss": issuer})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=303)

    def _authenticate_client(request: Request, form: dict[str, str]) -> RegisteredClient | None:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:]).decode()
            except (ValueError, UnicodeDecodeError):
                return None
            client_id, _, secret = decoded.partition(":")
        client = by_client.get(client_id)
        if client is None or not hmac.compare_digest(client.client_secret, secret):
            return None
        return client

    async def token(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        client = _authenticate_client(request, form)
        if client is None:
            return _oauth_error("invalid_client", "client authentication failed", 401)
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type", "only authorization_code")
        # GETDEL makes the code single-use even with several workers.
        raw = await redis.getdel(code_prefix + form.get("code", ""))
        if raw is None:
            return _oauth_error("invalid_grant", "unknown, used or expired code")
        grant = json.loads(raw)
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if (
            grant["client_id"] != client.client_id
            or grant["redirect_uri"] != form.get("redirect_uri")
            or not hmac.compare_digest(challenge, grant["code_challenge"])
        ):
            return _oauth_error("invalid_grant", "code does not match client, redirect or PKCE")
        identity = by_key[grant["identity"]]
        now = int(time.time())
        claims = {
            **identity.claims,
            "iss": issuer,
            "aud": client.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": grant["auth_time"],
            "nonce": grant["nonce"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": signing_key.kid}, claims, signing_key)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(32),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
                "scope": "openid profile",
            },
            headers={"Cache-Control": "no-store"},
        )

    return Starlette(
        routes=[
            Route("/.well-known/openid-configuration", discovery),
            Route("/jwks", jwks),
            Route("/authorize", authorize_page, methods=["GET"]),
            Route("/authorize", authorize_submit, methods=["POST"]),
            Route("/token", token, methods=["POST"]),
        ]
    )
