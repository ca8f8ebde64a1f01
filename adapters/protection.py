"""Protection of personal identity numbers at rest: a keyed hash for look-ups and
authenticated encryption for the data itself, so a database dump alone reveals neither
who is in it nor what they ordered."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class DataProtector:
    def __init__(self, *, hash_key: str, encryption_key: str) -> None:
        key = hashlib.sha256(b"pep-lookup:" + hash_key.encode()).digest()
        # HMAC-SHA256 (RFC 2104) with the key's inner and outer blocks hashed once: each
        # look-up copies the two states instead of setting up HMAC anew (one-shot
        # hmac.digest asks OpenSSL for the algorithm and the MAC context on every call,
        # and a citizen request hashes a personnummer several times).
        block = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        self._aead = AESGCM(hashlib.sha256(b"pep-encrypt:" + encryption_key.encode()).digest())

    def lookup_hash(self, value: str) -> bytes:
        """HMAC-SHA256 of the value under the lookup key."""
        inner = self._inner.copy()
        inner.update(value.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes:
        # The context (e.g. the lookup hash) is bound as associated data, so a ciphertext
        # cannot be moved to another row and decrypt there.
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def encrypt_many(self, items: Sequence[tuple[bytes, bytes]]) -> list[bytes]:
        """`encrypt` of each (plaintext, context), the nonces drawn from the system in one
        call instead of one per item (a batch of 1,000 results; bench/README.md)."""
        nonces = os.urandom(12 * len(items))
        encrypt = self._aead.encrypt
        sealed = []
        for i, (plaintext, context) in enumerate(items):
            nonce = nonces[12 * i : 12 * i + 12]
            sealed.append(nonce + encrypt(nonce, plaintext, context))
        return sealed

    def decrypt(self, ciphertext: bytes, *, context: bytes) -> bytes:
        return self._aead.decrypt(ciphertext[:12], ciphertext[12:], context)
