"""The audit log (användarlogg): who did what to whose data, when. Entries are made by the
factories below from the acting `Actor`, so that every entry names its actor the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.actors import Actor, CitizenActor, IntegrationActor, StaffActor
from domain.identity_numbers import PersonalIdentityNumber


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the audit log. `request_id` is filled in by the audit repository from
    the request being served when left None."""

    occurred_at: datetime
    action: str
    actor_kind: str  # "citizen" | "staff" | "integration" | "anonymous"
    actor_id: str
    outcome: str = "success"  # "success" | "refused" | "failed"
    care_unit_hsa_id: str | None = None
    assignment_id: str | None = None
    assignment_purpose: str | None = None
    patient: PersonalIdentityNumber | None = None
    request_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def audit_event(
    actor: Actor,
    action: str,
    *,
    now: datetime,
    outcome: str = "success",
    patient: PersonalIdentityNumber | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """The entry for `actor` doing `action`. A citizen acts on their own data, so they are
    also the patient; staff name the care-unit context and its assignment; an integration
    client is named by its client id."""
    if isinstance(actor, IntegrationActor):
        return AuditEvent(
            occurred_at=now,
            action=action,
            actor_kind="integration",
            actor_id=actor.client_id,
            outcome=outcome,
            patient=patient,
            details=details or {},
        )
    if isinstance(actor, CitizenActor):
        return AuditEvent(
            occurred_at=now,
            action=action,
            actor_kind="citizen",
            actor_id=actor.personnummer.value,
            outcome=outcome,
            patient=actor.personnummer if patient is None else patient,
            details=details or {},
        )
    assert isinstance(actor, StaffActor)
    selected = actor.selected
    return AuditEvent(
        occurred_at=now,
        action=action,
        actor_kind="staff",
        actor_id=actor.hsa_id,
        outcome=outcome,
        care_unit_hsa_id=selected.care_unit_hsa_id if selected else None,
        assignment_id=selected.assignment_id if selected else None,
        assignment_purpose=selected.purpose if selected else None,
        patient=patient,
        details=details or {},
    )


def anonymous_event(
    action: str,
    *,
    now: datetime,
    actor_kind: str,
    actor_id: str,
    outcome: str = "success",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """An entry before anybody is logged in (a refused or completed login)."""
    return AuditEvent(
        occurred_at=now,
        action=action,
        actor_kind=actor_kind,
        actor_id=actor_id,
        outcome=outcome,
        details=details or {},
    )
