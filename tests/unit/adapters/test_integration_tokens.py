"""Access tokens and client secrets of integration clients (adapters/integration_tokens.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.integration_tokens import IntegrationTokens, InvalidAccessToken, new_client_secret

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def tokens(secret_key: str = "k" * 40) -> IntegrationTokens:
    return IntegrationTokens(
        secret_key=secret_key, issuer="https://pep/oauth", ttl=timedelta(seconds=300)
    )


def test_a_token_carries_the_client_and_its_granted_scopes_until_it_expires() -> None:
    issued = tokens().issue(client_id="pep-1", scopes=frozenset({"orders:read"}), now=NOW)
    claims = tokens().verify(issued.access_token, now=NOW + timedelta(seconds=299))
    assert (claims.client_id, claims.scopes) == ("pep-1", frozenset({"orders:read"}))
    with pytest.raises(InvalidAccessToken):
        tokens().verify(issued.access_token, now=NOW + timedelta(seconds=301))


def test_a_token_signed_under_another_key_or_altered_is_refused() -> None:
    issued = tokens("a" * 40).issue(client_id="pep-1", scopes=frozenset(), now=NOW)
    with pytest.raises(InvalidAccessToken):
        tokens("b" * 40).verify(issued.access_token, now=NOW)
    header, payload, signature = issued.access_token.split(".")
    with pytest.raises(InvalidAccessToken):
        tokens("a" * 40).verify(f"{header}.{payload}x.{signature}", now=NOW)


def test_a_secret_is_32_random_bytes_kept_as_a_keyed_hash() -> None:
    secret = new_client_secret()
    stored = tokens().hash_secret(secret)
    assert len(secret) == 43
    assert secret.encode() not in stored
    assert tokens().secret_matches(secret, stored)
    assert not tokens("other" * 10).secret_matches(secret, stored)
