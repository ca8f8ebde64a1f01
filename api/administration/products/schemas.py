from __future__ import annotations

from pydantic import Field

from adapters.db.models import Product
from api.web.schemas import PlainText, RequestModel


class ProductIn(RequestModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: PlainText = Field(min_length=2, max_length=200)
    material: PlainText = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")
    contact_tracing: bool = Field(
        default=False,
        description="An infection followed up by contact tracing (chlamydia, gonorrhoea): "
        "what Behandlingsansvar and Smittspårning look for",
    )


class NationalProduct(ProductIn):
    retired: bool
    version: int

    @classmethod
    def of(cls, p: Product) -> NationalProduct:
        return cls(
            code=p.code,
            name=p.name,
            material=p.material,
            npu_code=p.npu_code,
            contact_tracing=p.contact_tracing,
            retired=p.retired_at is not None,
            version=p.version,
        )


class ProductUpdate(RequestModel):
    name: PlainText = Field(min_length=2, max_length=200)
    material: PlainText = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")
    contact_tracing: bool | None = Field(
        default=None, description="Followed up by contact tracing; left out: unchanged"
    )
