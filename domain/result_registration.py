"""Svarsregistrering (SPEC §5; manual 4.5): staff register a result by hand — where no
laboratory system is connected, or for a rapid test done by staff — and Svarslogg; and the
insight texts the citizen reads (manual 3.5).

**Whose orders.** A care unit registers the results of the orders whose results go to it
(`orders.result_care_unit_id`, decided when the order was placed: domain.orders
.result_recipient) — found by the citizen's personnummer, or by RID for an anonymous kit. Any
other order is answered as not found.

**What may be registered.** An order that is ordered, handled, sampled or answered (a
cancelled, expired or rejected one receives no result). The staff member chooses one of the
result templates (*svarsmall*) of the order's laboratory — or, for an order not yet sampled
(a home kit posted to the laboratory, a rapid test), of a laboratory that has the unit as its
customer, which then becomes the order's laboratory, locked as sampling locks it. The
template prefills each line's value and insight, and the comment; the staff member may
change them (manual 4.5: *går det bra att ändra resultatet eller kommentaren*). **Each line
has its own insight**: a template "Klamydia positiv" answers the gonorrhoea line of a
chlamydia and gonorrhoea order "Ej påvisad", Negativt — it must not reach the worklist or
Behandlingsansvar as a positive gonorrhoea result. A line's default insight is its template
analysis's own insight, else the template's (`default_insights`); what is stored is the
line's insight as registered.

**The sampling date** is part of the result's key (SPEC §7), so it cannot change: the first
registration for an order sets it (never in the future, never before the order was placed);
every later one — a correction, or the answer to another line — must use the same date.
A correction is the next version of the line's result; the citizen is told again.

Everything registered goes through the one result intake (domain/results.py,
api/results_intake/usecases.receive_results): the same rules, the same outbox events, the
same audit as a laboratory system's result.

**Insight texts.** The citizen reads, for a result's insight, the text of the result
template it was registered with when the result has the template's insight, else the
offer's text for that insight, else the neutral default of the insight (configuration,
edited by central administrators)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from datetime import date, datetime, time

from domain.errors import Conflict, InvalidInput, NotFound
from domain.orders import OrderStatus
from domain.results import (
    IncomingResult,
    Insight,
    OrderNotAwaitingResults,
    ResultSource,
    check_not_before_order,
    check_sampling_date,
)
from domain.sampling import STOCKHOLM

# An order in these states takes a result by hand (a not yet sampled one is sampled by it).
REGISTRABLE = frozenset(
    {OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED, OrderStatus.ANSWERED}
)
NOT_YET_SAMPLED = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED})
MAX_INSIGHT_TEXT = 1000


class CareUnitNotInService(NotFound):
    """The selected care unit is not configured in this service (or retired): it has no
    orders whose results it registers."""


class TemplateNotForOrder(InvalidInput):
    """The result template is not one the order may be answered with: another laboratory's,
    or retired."""

    def __init__(self) -> None:
        super().__init__(
            "template_id",
            "choose one of the result templates of the order's laboratory",
            code="template_not_for_order",
        )


class SamplingDateLocked(Conflict):
    """The order has results of another sampling date: the date is part of the result's
    key and cannot be changed (manual 4.5)."""

    def __init__(self, locked: date) -> None:
        super().__init__(
            f"the sampling date is {locked.isoformat()} and cannot be changed: it is part of "
            "the result's key"
        )
        self.locked = locked

    @property
    def problem_extensions(self) -> dict[str, object]:
        return {"sampling_date": self.locked.isoformat()}


@dataclass(frozen=True, slots=True)
class SearchCriteria:
    """Exactly one of personnummer (already validated) or RID."""

    personnummer: str | None = None
    rid: str | None = None


def search_criteria(*, personnummer: str | None, rid: str | None) -> SearchCriteria:
    if (personnummer is None) == (rid is None):
        raise InvalidInput(
            "personnummer", "search by personnummer or by RID, one of them", code="one_of"
        )
    if rid is not None:
        normalised = "".join(rid.split()).replace("-", "").upper()
        if not normalised.isalnum() or not 4 <= len(normalised) <= 16:
            raise InvalidInput("rid", "the RID as printed on the label", code="invalid_rid")
        return SearchCriteria(rid=normalised)
    return SearchCriteria(personnummer=personnummer)


@dataclass(frozen=True, slots=True)
class TemplateAnalysis:
    analysis: str
    unit: str | None = None
    reference_range: str | None = None
    value: str | None = None
    # The insight of a line this analysis prefills; None: the template's.
    insight: Insight | None = None


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """A result template as registration uses it."""

    id: uuid.UUID
    laboratory_id: uuid.UUID
    name: str
    insight: Insight | None
    analyses: tuple[TemplateAnalysis, ...]
    default_comment: str | None


@dataclass(frozen=True, slots=True)
class LineValue:
    """What the staff member entered for one order line, its insight included (None: the
    line's result has no insight)."""

    line_no: int
    value: str
    unit: str | None = None
    reference_range: str | None = None
    _: KW_ONLY
    insight: Insight | None


def prefill(template: TemplateRef, line_count: int) -> list[TemplateAnalysis | None]:
    """The template's analysis that prefills each order line: by position; a template of
    one analysis prefills every line."""
    analyses = template.analyses
    if len(analyses) == 1:
        return [analyses[0]] * line_count
    return [analyses[i] if i < len(analyses) else None for i in range(line_count)]


def default_insights(template: TemplateRef, line_count: int) -> list[Insight | None]:
    """The insight each order line starts with when the template is chosen: that of the
    template analysis prefilling the line (`prefill`) when it has one, else the template's."""
    return [
        analysis.insight
        if analysis is not None and analysis.insight is not None
        else template.insight
        for analysis in prefill(template, line_count)
    ]


def require_registrable(status: OrderStatus) -> None:
    if status not in REGISTRABLE:
        raise OrderNotAwaitingResults(
            f"a {status.value} order receives no results", order_status=status.value
        )


def check_registration_date(
    sampling_date: date,
    *,
    now: datetime,
    placed_at: datetime,
    registered_dates: Sequence[date],
) -> None:
    """Not in the future (Sweden's today), not before the order was placed, and the date of
    the results already registered for the order when there are any (SamplingDateLocked)."""
    check_sampling_date(sampling_date, now=now)
    if registered_dates:
        locked = max(registered_dates)
        if sampling_date != locked:
            raise SamplingDateLocked(locked)
        return
    check_not_before_order(sampling_date, placed_at=placed_at)


def sampled_at_for(sampling_date: date, *, placed_at: datetime, now: datetime) -> datetime:
    """The sampling time recorded when a registration samples an order (only the date is
    known): the start of that day in Sweden, but not before the order was placed nor after
    now."""
    start = datetime.combine(sampling_date, time(0, 0), tzinfo=STOCKHOLM)
    return min(max(start, placed_at), now)


def registration_items(
    *,
    rid: str,
    sampling_date: date,
    comment: str | None,
    values: Sequence[LineValue],
) -> list[IncomingResult]:
    """The results to receive: one per line entered, each with its own insight and the one
    comment, as a manual result."""
    if not values:
        raise InvalidInput("values", "enter a result for at least one line", code="required")
    seen: set[int] = set()
    items = []
    for index, entered in enumerate(values):
        if entered.line_no in seen:
            raise InvalidInput(f"values.{index}.line_no", "each line once", code="duplicate")
        seen.add(entered.line_no)
        if not entered.value.strip():
            raise InvalidInput(f"values.{index}.value", "enter the result", code="required")
        items.append(
            IncomingResult(
                rid=rid,
                sampling_date=sampling_date,
                value=entered.value.strip(),
                line_no=entered.line_no,
                unit=_blank_is_none(entered.unit),
                reference_range=_blank_is_none(entered.reference_range),
                comment=_blank_is_none(comment),
                insight=entered.insight,
                source=ResultSource.MANUAL,
            )
        )
    return items


def _blank_is_none(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip()


# --- insight texts ----------------------------------------------------------------------------


def insight_text(
    insight: Insight | None,
    *,
    template_insight: Insight | None,
    template_text: str | None,
    offer_texts: Mapping[str, str],
    defaults: Mapping[str, str],
) -> str | None:
    """What the citizen reads for a result's insight: the result template's text (when the
    result was registered with a template of that insight), else the offer's text for the
    insight, else the insight's default. None for a result without an insight."""
    if insight is None:
        return None
    if template_text and template_text.strip() and template_insight == insight:
        return template_text.strip()
    offer_text = offer_texts.get(insight.value)
    if isinstance(offer_text, str) and offer_text.strip():
        return offer_text.strip()
    default = defaults.get(insight.value)
    return default.strip() if default and default.strip() else None


def validate_insight_texts(field: str, texts: Mapping[str, str]) -> dict[str, str]:
    """An offer's insight texts: known insights only, each a non-empty text (blank ones are
    dropped: the default applies), at most MAX_INSIGHT_TEXT characters."""
    known = {i.value for i in Insight}
    cleaned: dict[str, str] = {}
    for key, value in texts.items():
        if key not in known:
            raise InvalidInput(f"{field}.{key}", "not an insight", code="unknown_insight")
        text = value.strip()
        if len(text) > MAX_INSIGHT_TEXT:
            raise InvalidInput(
                f"{field}.{key}", f"at most {MAX_INSIGHT_TEXT} characters", code="too_long"
            )
        if text:
            cleaned[key] = text
    return cleaned
