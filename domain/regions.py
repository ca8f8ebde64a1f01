"""Sweden's 21 regions, keyed by county code (länskod) as used by the population register."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "01": "Region Stockholm",
        "03": "Region Uppsala",
        "04": "Region Sörmland",
        "05": "Region Östergötland",
        "06": "Region Jönköpings län",
        "07": "Region Kronoberg",
        "08": "Region Kalmar län",
        "09": "Region Gotland",
        "10": "Region Blekinge",
        "12": "Region Skåne",
        "13": "Region Halland",
        "14": "Västra Götalandsregionen",
        "17": "Region Värmland",
        "18": "Region Örebro län",
        "19": "Region Västmanland",
        "20": "Region Dalarna",
        "21": "Region Gävleborg",
        "22": "Region Västernorrland",
        "23": "Region Jämtland Härjedalen",
        "24": "Region Västerbotten",
        "25": "Region Norrbotten",
    }
)


class UnknownRegion(ValueError):
    """The code is not the county code of one of Sweden's regions."""


def region_name(code: str) -> str:
    """The region's name for a county code; raises ``UnknownRegion`` for any other code."""
    try:
        return REGIONS[code]
    except KeyError:
        raise UnknownRegion(f"unknown region code {code!r}") from None


def is_region_code(code: str) -> bool:
    return code in REGIONS
