"""Launch tokens for the deep link (uthopp) from a journal system into offer assignment.

The journal system encrypts the patient and care unit context, and the HSA-id of the staff
member it opens the link for, with a key it shares with us (JWE, dir + A256GCM): the
personnummer is unreadable in the URL, the context cannot be forged or altered, it expires
within minutes, can be used once and only by that staff member. The link carries the token in
the fragment (`/pro/uthopp#launch=…`), which browsers never send to servers."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import sys
from collections.abc import Mapping, Sequence
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
    # The staff member the journal system made the link for: nobody else may use it.
    staff_hsa_id: str
    token_id: str


def _key(secret: str) -> OctKey:
    return OctKey.import_key(hashlib.sha256(b"pep-launch:" + secret.encode()).digest())


def create_launch_token(
    *,
    issuer: str,
    secret: str,
    personnummer: str,
    care_unit_hsa_id: str,
    staff_hsa_id: str,
    now: datetime,
    ttl: timedelta = timedelta(minutes=5),
) -> str:
    """What a journal system does to build the deep link (used by tests and documentation)."""
    claims = {
        "iss": issuer,
        "personnummer": personnummer,
        "care_unit_hsa_id": care_unit_hsa_id,
        "staff_hsa_id": staff_hsa_id,
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
            staff_hsa_id=str(claims["staff_hsa_id"]),
            token_id=str(claims["jti"]),
        )
    except KeyError as error:
        raise InvalidLaunch(
            "the launch token lacks the patient, the care unit or the staff member"
        ) from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m adapters.identity.launch",
        description="Prints a deep link (uthopp) into offer assignment as a journal system makes"
        " it, for trying `make run` by hand. Open it logged in as the staff member it names.",
        epilog="Example: python -m adapters.identity.launch 198504129829 SE2321000016-A001"
        " SE2321000016-1001 --port 8080",
    )
    parser.add_argument("personnummer", help="the patient, e.g. 198504129829")
    parser.add_argument("care_unit_hsa_id", help="the care unit, e.g. SE2321000016-A001")
    parser.add_argument(
        "staff_hsa_id",
        help="the staff member the link is for (only they can use it), e.g. SE2321000016-1001",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--base-url",
        help="where the service runs (default: PEP_PUBLIC_BASE_URL, else http://localhost:$PORT,"
        " else the settings' public_base_url)",
    )
    where.add_argument(
        "--port", type=int, help="the port `make run` / `python -m api.serve` listens on"
    )
    parser.add_argument(
        "--issuer", help="the journal system (a key of PEP_LAUNCH_SECRETS; default: the first)"
    )
    return parser


def base_url(
    *, explicit: str | None, port: int | None, environ: Mapping[str, str], default: str
) -> str:
    """The service's address as `python -m api.serve` announces it: an explicit URL or port
    first, then the environment the launcher reads (PEP_PUBLIC_BASE_URL, PORT)."""
    if explicit:
        return explicit.rstrip("/")
    if port is not None:
        return f"http://localhost:{port}"
    if environ.get("PEP_PUBLIC_BASE_URL"):
        return environ["PEP_PUBLIC_BASE_URL"].rstrip("/")
    if environ.get("PORT"):
        return f"http://localhost:{environ['PORT']}"
    return default.rstrip("/")


def main(argv: Sequence[str] | None = None) -> int:
    """python -m adapters.identity.launch 198504129829 SE2321000016-A001 SE2321000016-1001"""
    import os
    from datetime import UTC

    from adapters.settings import Settings

    args = _parser().parse_args(argv)
    settings = Settings()
    if args.issuer is not None and args.issuer not in settings.launch_secrets:
        print(f"unknown issuer {args.issuer!r}", file=sys.stderr)  # noqa: T201
        return 2
    issuer = args.issuer or next(iter(settings.launch_secrets))
    token = create_launch_token(
        issuer=issuer,
        secret=settings.launch_secrets[issuer],
        personnummer=args.personnummer,
        care_unit_hsa_id=args.care_unit_hsa_id,
        staff_hsa_id=args.staff_hsa_id,
        now=datetime.now(UTC),
    )
    url = base_url(
        explicit=args.base_url,
        port=args.port,
        environ=os.environ,
        default=settings.public_base_url,
    )
    print(f"{url}/pro/uthopp#launch={token}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
