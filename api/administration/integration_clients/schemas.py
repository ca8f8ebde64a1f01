from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.db.repositories.integration_clients import OrganisationUnit
from api.administration.integration_clients.usecases import ClientSettings, ClientView
from api.web.schemas import PlainText, RequestModel

ScopeName = Literal["orders:read", "orders:write", "results:write", "results:read"]


class ClientSettingsIn(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Karolinska labbsystem",
                    "scopes": ["orders:read", "orders:write", "results:write"],
                    "laboratory_codes": ["KS-LAB"],
                    "sampling_unit_ids": [],
                    "care_unit_hsa_ids": [],
                    "certificate_thumbprint": None,
                }
            ]
        }
    )

    name: PlainText = Field(min_length=2, max_length=200)
    scopes: list[ScopeName] = Field(min_length=1, max_length=4)
    laboratory_codes: list[str] = Field(default_factory=list, max_length=100)
    sampling_unit_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    care_unit_hsa_ids: list[str] = Field(default_factory=list, max_length=100)
    certificate_thumbprint: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{43}$",
        description="SHA-256 thumbprint (base64url) of the client's function certificate: "
        "tokens are then bound to it (RFC 8705)",
    )

    def settings(self) -> ClientSettings:
        return ClientSettings(
            name=self.name,
            scopes=list(self.scopes),
            laboratory_codes=self.laboratory_codes,
            sampling_unit_ids=self.sampling_unit_ids,
            care_unit_hsa_ids=self.care_unit_hsa_ids,
            certificate_thumbprint=self.certificate_thumbprint,
        )


class ClientCreate(ClientSettingsIn):
    region_code: str = Field(min_length=2, max_length=2)


class UnitOut(BaseModel):
    id: uuid.UUID
    code: str = Field(description="Laboratory code, or the unit's HSA-id")
    name: str

    @classmethod
    def of(cls, unit: OrganisationUnit) -> UnitOut:
        return cls(id=unit.id, code=unit.code, name=unit.name)


class IntegrationClientOut(BaseModel):
    client_id: str
    name: str
    region_code: str
    scopes: list[str]
    laboratories: list[UnitOut]
    sampling_units: list[UnitOut]
    care_units: list[UnitOut]
    certificate_thumbprint: str | None
    created_at: datetime
    created_by_hsa_id: str
    secret_rotated_at: datetime
    retired: bool
    version: int
    client_secret: str | None = Field(
        default=None,
        description="Only in the answer that created the client or rotated its secret: "
        "shown this once, stored only as a keyed hash",
    )

    @classmethod
    def of(cls, view: ClientView) -> IntegrationClientOut:
        c = view.client
        return cls(
            client_id=c.client_id,
            name=c.name,
            region_code=c.region_code,
            scopes=sorted(c.scopes),
            laboratories=[UnitOut.of(u) for u in view.organisation.laboratories],
            sampling_units=[UnitOut.of(u) for u in view.organisation.sampling_units],
            care_units=[UnitOut.of(u) for u in view.organisation.care_units],
            certificate_thumbprint=c.certificate_thumbprint,
            created_at=c.created_at,
            created_by_hsa_id=c.created_by_hsa_id,
            secret_rotated_at=c.secret_rotated_at,
            retired=c.retired_at is not None,
            version=c.version,
            client_secret=view.secret,
        )
