"""Protection of personal identity numbers at rest: a keyed hash for look-ups and
authenticated encryption for the data itself, so a database dump alone reveals neither
who is in it nor what they ordered."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class DataProtector:
    def __init__(self, *, hash_key: str, encryption_key: str) -> None:
        self._hash_key = hashlib.sha256(b"pep-lookup:" + hash_key.encode()).digest()
        self._aead = AESGCM(hashlib.sha256(b"pep-encrypt:" + encryption_key.encode()).digest())

    def lookup_hash(self, value: str) -> bytes:
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).digest()

    def encrypt(self, plaintext: bytes, *, context: bytes) -> bytes:
        # The context (e.g. the lookup hash) is bound as associated data, so a ciphertext
        # cannot be moved to another row and decrypt there.
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def decrypt(self, ciphertext: bytes, *, context: bytes) -> bytes:
        return self._aead.decrypt(ciphertext[:12], ciphertext[12:], context)
