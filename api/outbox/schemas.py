from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from adapters.db.repositories.outbox import DeadEvent


class DeadLetterOut(BaseModel):
    id: uuid.UUID
    kind: str
    attempts: int
    last_error: str | None
    created_at: datetime
    last_attempt_due: datetime

    @classmethod
    def of(cls, event: DeadEvent) -> DeadLetterOut:
        return cls(
            id=event.id,
            kind=event.kind,
            attempts=event.attempts,
            last_error=event.last_error,
            created_at=event.created_at,
            last_attempt_due=event.last_attempt_due,
        )


class DeadLetterPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[DeadLetterOut]
