"""Encryption at rest (adapters/protection.py): a batch's payloads sealed at once."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from adapters.protection import DataProtector


def protector() -> DataProtector:
    return DataProtector(hash_key="h" * 40, encryption_key="e" * 40)


def test_payloads_encrypted_together_decrypt_as_each_alone_with_a_nonce_of_their_own() -> None:
    items = [(f"value {n}".encode(), n.to_bytes(16, "big")) for n in range(200)]
    sealed = protector().encrypt_many(items)
    assert [protector().decrypt(s, context=c) for s, (_, c) in zip(sealed, items, strict=True)] == [
        p for p, _ in items
    ]
    assert len({s[:12] for s in sealed}) == 200
    assert protector().encrypt_many([]) == []


def test_a_payload_encrypted_with_others_cannot_be_moved_to_another_row() -> None:
    [first, _] = protector().encrypt_many([(b"positive", b"row-1"), (b"negative", b"row-2")])
    with pytest.raises(InvalidTag):
        protector().decrypt(first, context=b"row-2")


def test_the_lookup_hash_is_hmac_sha256_under_the_derived_lookup_key() -> None:
    # Stored hashes (personnummer, idempotency fingerprints) must stay what they were: the
    # precomputed inner and outer states give exactly the standard HMAC.
    import hashlib
    import hmac

    key = hashlib.sha256(b"pep-lookup:" + b"h" * 40).digest()
    for value in ("199012129897", "", "idempotency:" + "å" * 300):
        expected = hmac.new(key, value.encode(), hashlib.sha256).digest()
        assert protector().lookup_hash(value) == expected
