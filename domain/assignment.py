"""Offers assigned to a patient by a care unit (Tilldela erbjudande, manual 4.9–4.10), and
the deep link (uthopp) from a journal system that opens assignment for a patient."""

from __future__ import annotations

from dataclasses import dataclass

from domain.access import ModuleNotPermitted
from domain.errors import Conflict, NotFound, NotPermitted
from domain.identity_numbers import LegalSex
from domain.offers import CitizenFacts, Unavailability, outside_audience


class AlreadyAssigned(Conflict):
    pass


class OfferNotAssignable(NotPermitted):
    pass


class AssignmentNotFound(NotFound):
    pass


class LaunchRefused(NotPermitted):
    """The link cannot be trusted (not readable, unknown journal system, altered)."""


class LaunchExpiredRefused(LaunchRefused):
    pass


class LaunchAlreadyUsed(LaunchRefused):
    pass


class LaunchForOtherUser(LaunchRefused):
    """The link was made for another staff member; it stays usable for them."""


class NoAssignmentAtLaunchUnit(ModuleNotPermitted):
    pass


def launch_is_for(named_hsa_id: str, staff_hsa_id: str) -> bool:
    """The journal system names the staff member a link is for (HSA-ids compare without
    regard to case)."""
    return named_hsa_id.strip().upper() == staff_hsa_id.strip().upper()


# --- whom an offer may be assigned to -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Audience:
    """Whom an offer is for, by age (inclusive bounds) and legal sex."""

    min_age: int | None = None
    max_age: int | None = None
    sex: LegalSex | None = None

    def describe(self) -> str:
        """ "men aged 40–75", "women", "people aged 18 and over", "people aged up to 29"."""
        who = {"M": "men", "F": "women", None: "people"}[self.sex]
        if self.min_age is not None and self.max_age is not None:
            return f"{who} aged {self.min_age}–{self.max_age}"
        if self.min_age is not None:
            return f"{who} aged {self.min_age} and over"
        if self.max_age is not None:
            return f"{who} aged up to {self.max_age}"
        return who


class OfferNotForPatient(Conflict):
    """The patient is outside whom the offer is for: assigned, they could never see it."""

    def __init__(self, reason: Unavailability, audience: Audience) -> None:
        super().__init__(f"the offer is for {audience.describe()}")
        self.reason = reason


def ineligibility(audience: Audience, *, age: int, legal_sex: LegalSex) -> Unavailability | None:
    """Why the patient can never see an offer for `audience` (AGE or SEX), or None. Only age
    and sex count: the region and usage limits decide when they may order, not whether the
    offer is theirs."""
    return outside_audience(
        min_age=audience.min_age,
        max_age=audience.max_age,
        sex=audience.sex,
        citizen=CitizenFacts(age=age, legal_sex=legal_sex, region_code=None),
    )


def require_offer_for_patient(audience: Audience, *, age: int, legal_sex: LegalSex) -> None:
    reason = ineligibility(audience, age=age, legal_sex=legal_sex)
    if reason is not None:
        raise OfferNotForPatient(reason, audience)
