"""Offers assigned to a patient by a care unit (Tilldela erbjudande, manual 4.9–4.10), and
the deep link (uthopp) from a journal system that opens assignment for a patient."""

from __future__ import annotations

from domain.access import ModuleNotPermitted
from domain.errors import Conflict, NotFound, NotPermitted


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


class NoAssignmentAtLaunchUnit(ModuleNotPermitted):
    pass
