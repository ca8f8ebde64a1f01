from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.identity_numbers import PersonalIdentityNumber


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the audit log (användarlogg): who did what to whose data, when."""

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
