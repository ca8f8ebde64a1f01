"""Behandlingsansvar (SPEC §5; manual 1.4, 4.1, 4.7): staff anywhere register that they took
over treatment responsibility for a patient with a positive result of a home test for an
infection followed up by contact tracing, so that the STD clinic following the result sees
it in its worklist and can archive it.

**Who may.** Any staff member logged in with SITHS under a valid employee assignment — no
permission and no *Vård och behandling* purpose (manual 4.1; `domain/access.py`). Since the
module is that open, it shows as little as it can: only *positive* results (the newest
version positive), only of products flagged for contact tracing (`products.contact_tracing`:
chlamydia, gonorrhoea — a central administrator's configuration), only to someone who gives
the patient's personnummer; and every search and take-over is audited with the patient.

**Taking over.** One record per result and care unit: the care unit of the assignment the
staff member works under, by whom, when. Taking over again at the same unit changes nothing
and says that it was taken over already (by whom, when); another unit taking over the same
result is a record of its own."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import NotFound


class TakeoverOutcome(StrEnum):
    CREATED = "created"
    ALREADY_TAKEN_OVER = "already_taken_over"


class PositiveResultNotFound(NotFound):
    """No positive contact-tracing result of this patient with this id."""
