"""Optimistic concurrency at the web edge: an ETag on what may be edited, If-Match on the
edit. The version comparison itself is a domain rule (`StaleVersion`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from domain.errors import InvalidInput, VersionRequired

IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=40)]


def expected_version(if_match: str | None) -> int:
    """The version an If-Match names ("3", W/"3"); 428 without one, 422 when malformed."""
    if if_match is None:
        raise VersionRequired()
    value = if_match.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise InvalidInput("If-Match", 'the version from the ETag, e.g. "3"', code="if_match")
    return int(value)


def optional_version(if_match: str | None) -> int | None:
    """For edits where If-Match is recommended but not required (citizen cancel)."""
    return None if if_match is None else expected_version(if_match)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
