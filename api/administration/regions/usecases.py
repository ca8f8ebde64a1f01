"""Regions are fixed by law, not configured: listing them reads no database."""

from __future__ import annotations

from domain.regions import REGIONS


def list_regions() -> list[tuple[str, str]]:
    """(code, name) of every region, in county-code order."""
    return list(REGIONS.items())
