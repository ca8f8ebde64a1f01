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
