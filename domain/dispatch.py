"""Sending kits home (SPEC §5 *Etiketter* and *Ordermottagning*; manual 4.3, 4.4): which
orders wait for dispatch and whose they are, what goes on an address label, what a transport
company gets in an export, and receiving many orders at once (*Batchbearbetning*).

**Whose orders.** An order belongs to the care unit that receives its results: the offer's
result-receiving unit (*svarsmottagare*). That is the unit the manual's result registration
shows orders of ("endast beställningar som hör till den vårdenhet man är inloggad på"), and
SPEC §7 says staff see only data of the units they hold a permission for. So staff with the
*Etiketter* (or *Ordermottagning*) permission at a care unit see, print, export and receive
exactly the home-kit (anonymous-kit) orders of offers whose results that unit receives —
whatever region the citizen lives in (a nationwide offer's kits are sent by the unit of the
offering region). An order of another unit is answered as not found.

**Protected identity** (*skyddad folkbokföring*, SPEC §10): the address is never shown,
printed or exported. `place_order` marks such an order `manual_handling:
protected_identity`; the register's flag (the cached copy) counts as well, for a citizen
protected after ordering. Such orders are listed apart with the reason; printing an address
label or exporting them is refused (`ManualHandlingRequired`). Staff send the kit by the
separate route and then receive the order (batch receipt), or print its tube labels alone.

**Export for transport companies.** Only what delivering a parcel needs: name, c/o, street,
postal code, city and the RID as the parcel's reference. No personnummer, no offer or
product name, no answers: the name of a test (e.g. chlamydia) is health data a carrier has
no need of. Every cell that a spreadsheet would read as a formula is neutralised.

**Anonymous kits ordered home** (manual 3.2, 4.4): an anonymous-kit offer that asks for a
delivery address may be ordered through the citizen flow; *Ordermottagning* prints only the
address label (the kit already carries its kit number and RID) and sets *Hanterad*. When
the citizen later registers the kit, it is bound to that handled order (the order takes the
kit's RID, which the tube carries) instead of becoming a second order; see
`kit_delivery_binds`. An anonymous-kit offer without a delivery address is handed out only
(pharmacies, schools) and is registered, never ordered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.errors import Conflict, NotFound
from domain.identity_numbers import LegalSex
from domain.offers import SamplingMethod, Unavailability
from domain.orders import OrderStatus


class DispatchKind(StrEnum):
    """The two modules that send kits, by the sampling method of the orders they handle."""

    HOME_KIT = "home_kit"  # Etiketter: an address label and one tube label per product
    ANONYMOUS_KIT = "anonymous_kit"  # Ordermottagning: the address label only

    @property
    def sampling_method(self) -> SamplingMethod:
        return SamplingMethod(self.value)

    @property
    def prints_tube_labels(self) -> bool:
        return self is DispatchKind.HOME_KIT


class ManualHandling(StrEnum):
    """Why an order's kit cannot go out on an ordinary address label."""

    PROTECTED_IDENTITY = "protected_identity"


def manual_handling(
    answers: Mapping[str, Any], *, register_protected: bool
) -> ManualHandling | None:
    """The order's own mark (set at ordering) or the register's current flag."""
    if answers.get("manual_handling") == ManualHandling.PROTECTED_IDENTITY or register_protected:
        return ManualHandling.PROTECTED_IDENTITY
    return None


# Orders that may be printed for, exported or received: waiting for dispatch.
RECEIVABLE = frozenset({OrderStatus.ORDERED})
# Orders an export may list: waiting, or sent and not yet sampled (a carrier's list may be
# made after printing).
EXPORTABLE = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED})

# One print or export selection; one batch receipt (manual 4.3: "stora mängder").
MAX_SELECTION = 1000
MAX_BATCH = 20000


def home_delivery_refusal(
    method: SamplingMethod, *, asks_delivery_address: bool
) -> Unavailability | None:
    """Whether the citizen's order flow may take an order of this method: an anonymous kit
    only when the offer asks where to post it; otherwise its kit is registered."""
    if method is SamplingMethod.ANONYMOUS_KIT and not asks_delivery_address:
        return Unavailability.REGISTER_KIT
    return None


def kit_delivery_binds(status: OrderStatus, *, has_kit: bool) -> bool:
    """A registered kit is bound to the citizen's anonymous-kit order of the same offer when
    that order was posted (Hanterad) and has no kit yet: that kit is the one sent. An order
    not yet posted keeps waiting (a kit fetched elsewhere becomes its own order)."""
    return status is OrderStatus.HANDLED and not has_kit


# --- labels ---------------------------------------------------------------------------------


def sex_mark(sex: LegalSex) -> str:
    """M for a man, K (kvinna) for a woman (manual 4.3)."""
    return "M" if sex == "M" else "K"


@dataclass(frozen=True, slots=True)
class DeliveryAddress:
    """Where the kit goes: the name from the person register (the citizen cannot change it)
    and the delivery address given when ordering (manual 4.3)."""

    name: str
    care_of: str | None
    street: str
    postal_code: str
    city: str

    def label_values(self) -> dict[str, str]:
        """The placeholders of domain.labels.ADDRESS_LABEL_TEMPLATE."""
        return {
            "name": self.name,
            "care_of": f"c/o {self.care_of}" if self.care_of else "",
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
        }


def delivery_address(name: str, answers: Mapping[str, Any]) -> DeliveryAddress | None:
    """The address stored with the order, or None when the order has none."""
    given = answers.get("delivery_address")
    if not given:
        return None
    return DeliveryAddress(
        name=name,
        care_of=given.get("care_of") or None,
        street=given.get("street") or "",
        postal_code=given.get("postal_code") or "",
        city=given.get("city") or "",
    )


def tube_label_values(
    *,
    rid: str,
    personnummer: str,
    sex: LegalSex,
    product_name: str,
    lab_code: str | None,
    tube_code: str | None,
) -> dict[str, str]:
    """The placeholders of a tube label (the laboratory's template or
    domain.labels.TUBE_LABEL_TEMPLATE): the RID as the barcode and text carry it, the
    laboratory's codes, the personnummer and the M/K mark (manual 4.3). No address: the tube
    goes to the laboratory, the address only on the envelope."""
    return {
        "rid": rid,
        "tube_code": tube_code or "",
        "lab_code": lab_code or "",
        "product_name": product_name,
        "personnummer": personnummer,
        "sex_mark": sex_mark(sex),
        "address_line1": "",
        "address_line2": "",
        "address_line3": "",
    }


# --- export ---------------------------------------------------------------------------------

EXPORT_HEADER = ("Namn", "c/o", "Gatuadress", "Postnummer", "Ort", "RID")
# What a spreadsheet reads as the start of a formula (or DDE), SPEC §10 and OWASP's CSV
# injection advice: such a cell gets a leading apostrophe and is plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_row(address: DeliveryAddress, *, rid: str) -> tuple[str, ...]:
    """One carrier's row, every cell neutralised."""
    return tuple(
        neutralised(cell)
        for cell in (
            address.name,
            address.care_of or "",
            address.street,
            address.postal_code,
            address.city,
            rid,
        )
    )


# --- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offender:
    """An order of a selection that may not take part, and its current state (None: no
    order of this unit's kits has that id)."""

    order_id: str
    rid: str | None
    status: str | None


_LISTED = 50


def _listing(offenders: Sequence[Offender]) -> str:
    shown = ", ".join(
        f"{o.rid} ({o.status})" if o.rid else f"{o.order_id} (not found)"
        for o in offenders[:_LISTED]
    )
    more = len(offenders) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")


class DispatchOrdersNotFound(NotFound):
    """Orders of the selection that are no orders of this unit's kits (or no orders)."""

    def __init__(self, offenders: Sequence[Offender]) -> None:
        super().__init__(
            f"{len(offenders)} of the selected orders are not kit orders of this care unit: "
            + _listing(offenders)
        )
        self.offenders = tuple(offenders)


class OrdersNotReceivable(Conflict):
    """Orders of the selection that are no longer waiting for dispatch (somebody printed or
    received them first, or the citizen cancelled): the whole selection is refused, and the
    answer lists each with its current state."""

    def __init__(
        self, offenders: Sequence[Offender], *, expected: str = "waiting (Beställd)"
    ) -> None:
        super().__init__(
            f"{len(offenders)} of the selected orders are not {expected}; nothing was "
            "changed: " + _listing(offenders)
        )
        self.offenders = tuple(offenders)

    @property
    def problem_extensions(self) -> dict[str, object]:
        return {
            "orders": [
                {"order_id": o.order_id, "rid": o.rid, "status": o.status}
                for o in self.offenders[:_LISTED]
            ]
        }


class ManualHandlingRequired(Conflict):
    """An address label or export was asked for an order whose address must not be used."""

    def __init__(self, rids: Sequence[str]) -> None:
        super().__init__(
            "protected identity: no address is printed or exported for "
            + ", ".join(rids[:_LISTED])
            + "; send the kit by the separate route and receive the order without an address"
        )
        self.rids = tuple(rids)


class NoLaboratoryForOrder(Conflict):
    """No laboratory performs every product of the order for its result-receiving unit, so
    there are no tube codes to print."""
