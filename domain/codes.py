"""RIDs and kit numbers: high-entropy, short enough to type, with a check character, and
printable as Code 128. Alphabet: Crockford's base32 (no I, L, O, U), so 0/O and 1/I/L
cannot be confused; the check character is Luhn mod 32 over the same alphabet, which catches
every single-character error and every swap of neighbours."""

from __future__ import annotations

from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# Forgiving input: what people type for what they see.
_NORMALISE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})

RID_BODY_LENGTH = 9
KIT_BODY_LENGTH = 11


class InvalidCode(ValueError):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code  # "format" or "check_character"


def check_character(body: str) -> str:
    factor, total, n = 2, 0, len(ALPHABET)
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_code(random_index: Callable[[int], int], body_length: int) -> str:
    """A new code; `random_index(n)` returns a uniformly random int in [0, n) (pass
    secrets.randbelow in production)."""
    body = "".join(ALPHABET[random_index(len(ALPHABET))] for _ in range(body_length))
    return body + check_character(body)


def normalise(raw: str, *, body_length: int) -> str:
    """Upper-cases, drops spaces and dashes, maps look-alikes, and verifies length and check
    character. Raises InvalidCode."""
    code = "".join(raw.split()).replace("-", "").upper().translate(_NORMALISE)
    if len(code) != body_length + 1 or any(c not in _VALUE for c in code):
        raise InvalidCode(f"expected {body_length + 1} characters of {ALPHABET}", code="format")
    if check_character(code[:-1]) != code[-1]:
        raise InvalidCode(
            "the check character does not match: check for a typo", code="check_character"
        )
    return code


def formatted(code: str) -> str:
    """Grouped for reading aloud and typing: XXXX-XXXX-XX."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
