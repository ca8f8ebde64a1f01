"""The citizen's contact details (Inställningar): e-mail and mobile number for
notifications. Empty or null removes one."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.web.schemas import RequestModel
from domain.notifications import EMAIL_MAX, ContactDetails


class ContactDetailsOut(BaseModel):
    email: str | None = Field(description="Where e-mail notifications go; null: none.")
    mobile: str | None = Field(
        description="Where SMS notifications go, as +46701234567; null: none."
    )
    version: int = Field(description="0 when none were saved yet; also the ETag.")

    @classmethod
    def of(cls, details: ContactDetails) -> ContactDetailsOut:
        return cls(email=details.email, mobile=details.mobile, version=details.version)


class ContactDetailsIn(RequestModel):
    email: str | None = Field(
        default=None,
        max_length=EMAIL_MAX,
        description="An e-mail address, or empty/null to receive no e-mail.",
    )
    mobile: str | None = Field(
        default=None,
        max_length=30,
        description="A Swedish mobile number (070-123 45 67, +46701234567), or empty/null to "
        "receive no SMS.",
    )
