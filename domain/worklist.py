"""Arbetslista (SPEC §5; manual 4.6): a care unit follows up the results it receives.

**What is on a unit's list.** A result — one order line, whatever its corrections — is on the
worklist of the care unit that registers and follows up the order's results
(`orders.result_care_unit_id`) while the *newest* version of the result has an insight the
unit follows (the unit's `worklist_insights`, configured in administration): a correction
from positive to negative takes a result off a list of positives, a correction back puts it
on again. The list shows only orders made in this service (there are no others here).

**Following one up.** Staff see whether the citizen has read the newest version (a
correction is unread again), whether someone took over treatment responsibility
(Behandlingsansvar, by whom, where, when), and comment on it; they archive it when done and
may take it back (unarchive). A new version of an archived result comes back to the active
list: the citizen was told again, so the unit looks again.

**Change token.** The active list changes when a followed result arrives, is corrected,
read, taken over, commented, archived or taken back — or leaves the list. Every such change
draws a new, higher number for the result (`change_seq`); the token is made of how many
active results the unit follows and the sum of their numbers, so any committed change alters
it (an update raises one number, a new result adds one, a leaving one subtracts one)
whatever order concurrent transactions commit in, which a "highest number" alone would not
see. It covers the active results only, so that it costs the same however long the unit's
archived history grows: a change to a result that stays archived (a comment on it) does not
move it — the archived list is history, read when it is opened."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.errors import InvalidInput, NotFound
from domain.results import Insight
from domain.sampling import stockholm_day

COMMENT_MAX_LENGTH = 2000
# The list counts up to this many and says "more than" beyond (ADR 10: counting is bounded).
COUNT_CAP = 10_000


class WorklistSort(StrEnum):
    RESULT_DATE = "result_date"
    READ_DATE = "read_date"


class WorklistItemNotFound(NotFound):
    """No such result on this care unit's worklist (another unit's, or not followed)."""


class WorklistUnitNotFound(NotFound):
    """The care unit of the chosen assignment is not registered in this service."""


@dataclass(frozen=True, slots=True)
class WorklistQuery:
    """What the staff member asks of the list: every filter is optional except whether the
    active or the archived results are shown."""

    archived: bool = False
    insights: frozenset[Insight] | None = None
    read: bool | None = None
    taken_over: bool | None = None
    result_from: date | None = None
    result_to: date | None = None
    sort: WorklistSort = WorklistSort.RESULT_DATE
    descending: bool = True
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True, slots=True)
class WorklistFilter:
    """The query made concrete for one unit: the insights to show (those asked for among
    those the unit follows) and the result-date range as instants (Swedish days)."""

    archived: bool
    insights: tuple[str, ...]
    read: bool | None
    taken_over: bool | None
    result_from: datetime | None
    result_before: datetime | None
    sort: WorklistSort
    descending: bool
    limit: int
    offset: int


def worklist_filter(query: WorklistQuery, *, followed: Iterable[str]) -> WorklistFilter:
    """The filter for a unit following `followed`. Asking for an insight the unit does not
    follow is refused (422) rather than silently answered with nothing; a date range ending
    before it starts likewise."""
    configured = {Insight(i) for i in followed if i in Insight._value2member_map_}
    if query.insights is None:
        insights = configured
    else:
        unfollowed = query.insights - configured
        if unfollowed:
            raise InvalidInput(
                "insight",
                "the care unit's worklist does not show "
                + ", ".join(sorted(i.value for i in unfollowed)),
                code="insight_not_followed",
            )
        insights = set(query.insights)
    if (
        query.result_from is not None
        and query.result_to is not None
        and query.result_to < query.result_from
    ):
        raise InvalidInput("result_to", "the range ends before it starts", code="date_range")
    return WorklistFilter(
        archived=query.archived,
        insights=tuple(sorted(i.value for i in insights)),
        read=query.read,
        taken_over=query.taken_over,
        result_from=None if query.result_from is None else stockholm_day(query.result_from)[0],
        result_before=None if query.result_to is None else stockholm_day(query.result_to)[1],
        sort=query.sort,
        descending=query.descending,
        limit=query.page_size,
        offset=(query.page - 1) * query.page_size,
    )


def change_token(*, followed: int, sequence_sum: int) -> str:
    """The unit's change token (module docstring): short, opaque, the same for the same
    committed state."""
    digest = hashlib.sha256(f"{followed}:{sequence_sum}".encode()).hexdigest()
    return digest[:24]


def comment_text(text: str) -> str:
    """A comment as stored: trimmed, not empty, at most COMMENT_MAX_LENGTH characters."""
    trimmed = text.strip()
    if not trimmed:
        raise InvalidInput("text", "write a comment", code="required")
    if len(trimmed) > COMMENT_MAX_LENGTH:
        raise InvalidInput(
            "text", f"at most {COMMENT_MAX_LENGTH} characters", code="string_too_long"
        )
    return trimmed
