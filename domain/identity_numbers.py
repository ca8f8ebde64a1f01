"""Swedish personal identity numbers: personnummer and samordningsnummer.

The value object keeps the normalised 12-digit form ``YYYYMMDDNNNN``. Its ``repr`` and ``str``
are masked so that an identity number never reaches a log line by accident; use ``value`` or
``formatted`` when the full number is really needed.

The parsing of 10-digit forms is our own: the ``personnummer`` package resolves their century
against the machine's clock (``date.today()``), which the domain must not read. Every resulting
12-digit number is then also validated by that package, so both must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from personnummer import personnummer as _personnummer_package

PERSONNUMMER_OID = "1.2.752.129.2.1.3.1"
SAMORDNINGSNUMMER_OID = "1.2.752.129.2.1.3.3"

IdentityNumberKind = Literal["personnummer", "samordningsnummer"]
LegalSex = Literal["F", "M"]

# Samordningsnummer carry the day of birth plus 60.
_COORDINATION_DAY_OFFSET = 60

_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$",
    re.ASCII,
)


class InvalidPersonalIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer."""


def luhn_check_digit(nine_digits: str) -> int:
    """Check digit over YYMMDDNNN (the Luhn algorithm with weights 2,1,2,1,…)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


@dataclass(frozen=True, slots=True, repr=False)
class PersonalIdentityNumber:
    """A validated personnummer or samordningsnummer, normalised to ``YYYYMMDDNNNN``."""

    value: str

    def __post_init__(self) -> None:
        # Guards direct construction; parse() is the normal way in.
        if not (len(self.value) == 12 and self.value.isascii() and self.value.isdigit()):
            raise InvalidPersonalIdentityNumber("expected 12 digits in the form YYYYMMDDNNNN")
        _validate_twelve_digits(self.value)

    @classmethod
    def parse(cls, raw: str, *, today: date | None = None) -> PersonalIdentityNumber:
        """Parse ``YYYYMMDD[-+]NNNN`` or ``YYMMDD[-+]NNNN``.

        The 10-digit form has no century: it is resolved against ``today`` (required for that
        form), '-' meaning younger than 100 years and '+' meaning 100 years or older. When
        ``today`` is given, a birth date after it is rejected for both forms.
        """
        text = raw.strip()
        match = _PATTERN.match(text)
        if match is None:
            raise InvalidPersonalIdentityNumber(
                "expected YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN or YYMMDD+NNNN"
            )
        yy, mm, dd = match["yy"], match["mm"], match["dd"]
        tail = match["serial"] + match["check"]
        century = match["century"]
        if century is None:
            if today is None:
                raise InvalidPersonalIdentityNumber(
                    "a 10-digit identity number needs today's date to resolve its century"
                )
            year = _resolve_year(
                yy=int(yy),
                mm=int(mm),
                dd=_real_day(int(dd)),
                today=today,
                centenarian=match["sep"] == "+",
            )
            value = f"{year:04d}{mm}{dd}{tail}"
        else:
            value = f"{century}{yy}{mm}{dd}{tail}"
        number = cls(value)
        if today is not None and number.birth_date > today:
            raise InvalidPersonalIdentityNumber("the date of birth lies in the future")
        return number

    @property
    def kind(self) -> IdentityNumberKind:
        if int(self.value[6:8]) > _COORDINATION_DAY_OFFSET:
            return "samordningsnummer"
        return "personnummer"

    @property
    def oid(self) -> str:
        """The HL7 OID ("root") that names this kind of identity number."""
        return SAMORDNINGSNUMMER_OID if self.kind == "samordningsnummer" else PERSONNUMMER_OID

    @property
    def birth_date(self) -> date:
        return date(int(self.value[0:4]), int(self.value[4:6]), _real_day(int(self.value[6:8])))

    @property
    def legal_sex(self) -> LegalSex:
        return "M" if int(self.value[10]) % 2 == 1 else "F"

    def age(self, on: date) -> int:
        """Age in whole years on the given day (the birthday itself counts as the new year)."""
        born = self.birth_date
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def formatted(self) -> str:
        return f"{self.value[:8]}-{self.value[8:]}"

    @property
    def masked(self) -> str:
        return f"{self.value[:8]}-****"

    def __repr__(self) -> str:
        return f"PersonalIdentityNumber({self.masked!r})"

    def __str__(self) -> str:
        return self.masked


def _real_day(day: int) -> int:
    return day - _COORDINATION_DAY_OFFSET if day > _COORDINATION_DAY_OFFSET else day


@lru_cache(maxsize=65536)
def _validate_twelve_digits(value: str) -> None:
    # Memoized: the same numbers are validated on every request of a session (cached person
    # data, session subjects), and the answer for a given 12-digit string never changes.
    year, month, day = int(value[0:4]), int(value[4:6]), int(value[6:8])
    if value[8:11] == "000":
        raise InvalidPersonalIdentityNumber("the birth number 000 is never issued")
    try:
        date(year, month, _real_day(day))
    except ValueError:
        raise InvalidPersonalIdentityNumber("the date part is not a valid date") from None
    if luhn_check_digit(value[2:11]) != int(value[11]):
        raise InvalidPersonalIdentityNumber("the check digit does not match")
    # Second opinion from the maintained `personnummer` package. Given the full 12 digits it
    # needs no clock, so it agrees with our rules or we refuse the number.
    if not bool(_personnummer_package.valid(value)):
        raise InvalidPersonalIdentityNumber("not a valid personnummer or samordningsnummer")


def _resolve_year(*, yy: int, mm: int, dd: int, today: date, centenarian: bool) -> int:
    """Latest year ending in ``yy`` whose birthday is not after ``today``; 100 earlier with '+'."""
    year = today.year - (today.year - yy) % 100
    if (mm, dd) > (today.month, today.day) and year == today.year:
        year -= 100
    if centenarian:
        year -= 100
    return year
