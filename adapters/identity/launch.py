"""Launch tokens for the deep link (uthopp) from a journal system into offer assignment.

The journal system encrypts the patient and care unit context with a key it shares with us
(JWE, dir + A256GCM): the personnummer is unreadable in the URL, the context cannot be
forged or altered, it expires within minutes and can be used once. The link carries the token
in the fragment (`/pro/uthopp#launch=…`), which browsers never send to servers."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

MAX_TTL = timedelta(minutes=10)


class InvalidLaunch(Exception):
    pass


class LaunchExpired(InvalidLaunch):
    pass


@dataclass(frozen=True, slots=True)
class LaunchContext:
    issuer: str
    personnummer: str
    care_unit_hsa_id: str
    token_id: str


def _key(secret: str) -> OctKey:
    return OctKey.import_key(hashlib.sha256(b"pep-launch:" + secret.encode()).digest())


def create_launch_token(
    *,
    issuer: str,
    secret: str,
    personnummer: str,
    care_unit_hsa_id: str,
    now: datetime,
    ttl: timedelta = timedelta(minutes=5),
) -> str:
    """What a journal system does to build the deep link (used by tests and documentation)."""
    claims = {
        "iss": issuer,
        "personnummer": personnummer,
        "care_unit_hsa_id": care_unit_hsa_id,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": secrets.token_urlsafe(16),
    }
    return jwe.encrypt_compact(
        {"alg": "dir", "enc": "A256GCM", "kid": issuer}, json.dumps(claims), _key(secret)
    )


def read_launch_token(
    token: str, *, secrets_by_issuer: Mapping[str, str], now: datetime
) -> LaunchContext:
    try:
        encoded = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        issuer = str(header["kid"])
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidLaunch("not a launch token") from error
    secret = secrets_by_issuer.get(issuer)
    if secret is None:
        raise InvalidLaunch("unknown journal system")
    try:
        decrypted = jwe.decrypt_compact(token, _key(secret), algorithms=["dir", "A256GCM"])
        plaintext = decrypted.plaintext
        claims = json.loads(plaintext or b"")
    except (JoseError, ValueError) as error:
        raise InvalidLaunch("the launch token could not be read") from error
    issued, expires = claims.get("iat"), claims.get("exp")
    if not isinstance(issued, int) or not isinstance(expires, int):
        raise InvalidLaunch("the launch token lacks its validity")
    if expires - issued > MAX_TTL.total_seconds() or not issued - 60 <= now.timestamp() < expires:
        raise LaunchExpired("the launch token has expired")
    if claims.get("iss") != issuer:
        raise InvalidLaunch("the launch token names another issuer")
    try:
        return LaunchContext(
            issuer=issuer,
            personnummer=str(claims["personnummer"]),
            care_unit_hsa_id=str(claims["care_unit_hsa_id"]),
            token_id=str(claims["jti"]),
        )
    except KeyError as error:
        raise InvalidLaunch("the launch token lacks the patient or care unit") from error


def main() -> None:
    """Prints a deep link as a journal system would make it, for trying `make run` by hand:
    python -m adapters.identity.launch 198504129829 SE2321000016-A001"""
    import sys
    from datetime import UTC

    from adapters.settings import Settings

    settings = Settings()
    personnummer, unit = sys.argv[1], sys.argv[2]
    issuer, secret = next(iter(settings.launch_secrets.items()))
    token = create_launch_token(
        issuer=issuer,
        secret=secret,
        personnummer=personnummer,
        care_unit_hsa_id=unit,
        now=datetime.now(UTC),
    )
    print(f"{settings.public_base_url}/pro/uthopp#launch={token}")  # noqa: T201


if __name__ == "__main__":
    main()
