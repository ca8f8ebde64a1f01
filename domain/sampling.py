"""Provtagning (SPEC §5; manual 4.2): a nurse at a sampling site finds a citizen's orders,
opens one as one of the site's laboratories, enters the sampling time and prints the labels;
the order becomes *Provtagen* (domain/orders.py `mark_sampled`).

**Which sampling unit the nurse works at.** Staff act in the care unit (vårdenhet) of the
HSA employee assignment they chose at login; their *Provtagning* permission is granted for
that care unit (module access checks both). A sampling unit (provtagningsenhet) has an HSA-id
of its own. The selected care unit is the sampling unit
1. whose HSA-id *is* the care unit's HSA-id — a sampling site that is its own vårdenhet, where
   the staff hold their assignments (the usual case in HSA); otherwise
2. that names the care unit as the one it belongs to (`sampling_units.care_unit_id`, at most
   one site per care unit) — a site run by a care unit whose staff are employed there.
A care unit that is neither is no sampling site: the module answers *sampling unit not
configured* (404). Retired sampling units are never chosen.

**Which orders a sampling unit sees** (its scope). Orders sampled at a site: the sampling
methods *site booking* and *drop-in*. Home kits and anonymous kits are sampled by the citizen
and labelled in *Etiketter* / *Ordermottagning*, so they are not "beställningar som kan
provtas" here. Within those:
- *Sök beställning* lists every not-yet-sampled (Beställd or Hanterad) order of the citizen,
  also of offers from other regions (flagged `other_region`, and explained when opened), and
  also those booked at another sampling unit (flagged `booked_elsewhere`: they are that
  unit's, and cannot be opened here);
- an order can be opened here when it is not booked at another unit and is either still to be
  sampled or was sampled here (for reprints); anything else is answered as not found;
- *Bokade tider*: the bookings at this unit on today's date in Europe/Stockholm;
- *Utskrivna*: the orders sampled here; *Utskriftslogg*: every print made here.

**Choosing the laboratory.** A sampling unit serves one or more laboratories
(`sampling_unit_laboratories`); with one, it is chosen; with several, the nurse chooses. Once
sampled, the laboratory is locked. The order's national product codes are translated to the
chosen laboratory's codes and tube codes, and two checks are made (manual 4.2, *Kontroll av
uppgifter i beställningen*): the laboratory performs every product of the order, and the
order's result recipient is a customer of the laboratory.

**The result recipient** (*svarsmottagare*) of an order: the care unit that registers and
follows up its result (domain.orders.result_recipient) — for a personal offer, the care unit
that assigned it to the citizen ("assigning care unit (where the result is registered)",
SPEC §5), otherwise the offer's result-receiving care unit. It is stored when the order is
placed (`orders.result_care_unit_id`); sampling keeps it, checks that it is a customer of the
chosen laboratory, and locks it with the laboratory.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import Conflict, InvalidInput, NotFound
from domain.identity_numbers import LegalSex
from domain.labels import TUBE_LABEL_TEMPLATE, render_label
from domain.offers import SamplingMethod
from domain.orders import OrderStatus

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SITE_METHODS = frozenset({SamplingMethod.SITE_BOOKING, SamplingMethod.SITE_DROP_IN})
NOT_YET_SAMPLED = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED})
SAMPLED = frozenset({OrderStatus.SAMPLED, OrderStatus.ANSWERED})


class SamplingUnitNotConfigured(NotFound):
    """The selected care unit is no sampling unit of this service."""


class LaboratoryChoiceRequired(InvalidInput):
    def __init__(self, codes: Sequence[str]) -> None:
        super().__init__(
            "laboratory_code",
            "the sampling unit serves several laboratories: choose one of " + ", ".join(codes),
            code="required",
        )


class LaboratoryNotServed(InvalidInput):
    """A laboratory the sampling unit does not take samples for (or none at all)."""

    def __init__(self, code: str | None, served: Sequence[str]) -> None:
        detail = f"the sampling unit takes samples for no laboratory {code!r}; it serves " + (
            ", ".join(served) if served else "no laboratory at all"
        )
        super().__init__("laboratory_code", detail, code="not_served")
        self.laboratory_code = code


class LaboratoryCheckFailed(Conflict):
    """One of the two checks of manual 4.2 failed for the chosen laboratory. The problem
    names everything that is missing, also when both checks failed."""

    def __init__(
        self,
        *,
        laboratory_code: str,
        missing_products: Sequence[str],
        recipient_hsa_id: str | None,
        recipient_name: str | None,
    ) -> None:
        reasons = []
        if missing_products:
            reasons.append(
                f"the laboratory {laboratory_code} does not perform " + ", ".join(missing_products)
            )
        if recipient_hsa_id is not None:
            reasons.append(
                f"the result recipient {recipient_name or recipient_hsa_id} ({recipient_hsa_id})"
                f" is no customer of the laboratory {laboratory_code}"
            )
        super().__init__("; ".join(reasons))
        self.laboratory_code = laboratory_code
        self.missing_products = tuple(missing_products)
        self.recipient_hsa_id = recipient_hsa_id
        self.recipient_name = recipient_name

    @property
    def problem_extensions(self) -> dict[str, object]:
        extensions: dict[str, object] = {"laboratory_code": self.laboratory_code}
        if self.missing_products:
            extensions["product_codes"] = list(self.missing_products)
        if self.recipient_hsa_id is not None:
            extensions["recipient"] = {
                "care_unit_hsa_id": self.recipient_hsa_id,
                "name": self.recipient_name,
            }
        return extensions


class ProductNotPerformed(LaboratoryCheckFailed):
    """The laboratory does not perform every product of the order (it maps no code for
    them)."""


class RecipientNotCustomer(LaboratoryCheckFailed):
    """The order's result recipient is no customer of the laboratory: it could not send the
    results anywhere."""


class OrderNotSampled(Conflict):
    """A reprint of an order whose labels were never printed here (it is not sampled)."""


@dataclass(frozen=True, slots=True)
class LaboratoryRef:
    id: uuid.UUID
    code: str
    name: str
    label_template_zpl: str | None


def choose_laboratory(
    served: Sequence[LaboratoryRef], *, requested: str | None, locked: uuid.UUID | None
) -> LaboratoryRef | None:
    """The laboratory the order is opened as: the locked one once sampled (whatever is
    asked), the requested one when the unit serves it, the only one when there is one, else
    None (the nurse still has to choose). Raises LaboratoryNotServed for a laboratory the unit
    does not serve."""
    codes = [lab.code for lab in served]
    if locked is not None:
        for lab in served:
            if lab.id == locked:
                return lab
        return None  # the unit stopped serving it since: shown by the order as stored
    if requested is not None:
        for lab in served:
            if lab.code == requested:
                return lab
        raise LaboratoryNotServed(requested, codes)
    if len(served) == 1:
        return served[0]
    return None


def require_laboratory(served: Sequence[LaboratoryRef], *, requested: str | None) -> LaboratoryRef:
    """For sampling, a laboratory must be settled."""
    if not served:
        raise LaboratoryNotServed(requested, [])
    chosen = choose_laboratory(served, requested=requested, locked=None)
    if chosen is None:
        raise LaboratoryChoiceRequired([lab.code for lab in served])
    return chosen


@dataclass(frozen=True, slots=True)
class MappedLine:
    """An order line as the laboratory knows it (None: the lab maps no code for it)."""

    line_no: int
    product_code: str
    product_name: str
    lab_code: str | None
    tube_code: str | None
    material: str | None


def check_laboratory(
    lab: LaboratoryRef,
    lines: Sequence[MappedLine],
    *,
    recipient_is_customer: bool,
    recipient_hsa_id: str,
    recipient_name: str | None,
) -> None:
    """The two checks of manual 4.2. Raises ProductNotPerformed (naming the products, and
    the recipient too when that check failed as well) or RecipientNotCustomer."""
    missing = sorted({line.product_code for line in lines if line.lab_code is None})
    recipient = None if recipient_is_customer else recipient_hsa_id
    if missing:
        raise ProductNotPerformed(
            laboratory_code=lab.code,
            missing_products=missing,
            recipient_hsa_id=recipient,
            recipient_name=recipient_name if recipient else None,
        )
    if recipient is not None:
        raise RecipientNotCustomer(
            laboratory_code=lab.code,
            missing_products=(),
            recipient_hsa_id=recipient,
            recipient_name=recipient_name,
        )


def sex_mark(sex: LegalSex) -> str:
    """M for a man, K for a woman (kvinna), as the tube label shows it (manual 4.3)."""
    return "M" if sex == "M" else "K"


def sample_labels(
    lab: LaboratoryRef,
    lines: Sequence[MappedLine],
    *,
    rid: str,
    personnummer: str,
    sex: LegalSex,
) -> str:
    """One label per order line (tube) from the laboratory's template, or the built-in tube
    label when it has none; values escaped by render_label."""
    template = lab.label_template_zpl or TUBE_LABEL_TEMPLATE
    labels = []
    for line in lines:
        values: Mapping[str, str] = {
            "rid": rid,
            "tube_code": line.tube_code or "",
            "lab_code": line.lab_code or "",
            "product_name": line.product_name,
            "personnummer": personnummer,
            "sex_mark": sex_mark(sex),
        }
        labels.append(render_label(template.strip(), values))
    return "\n".join(labels) + "\n"


def stockholm_day(day: date) -> tuple[datetime, datetime]:
    """The start and end of a calendar day in Sweden (23 or 25 hours at the clock changes)."""
    start = datetime.combine(day, time(0), tzinfo=STOCKHOLM)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=STOCKHOLM)
    return start, end


def today_in_stockholm(now: datetime) -> date:
    return now.astimezone(STOCKHOLM).date()
