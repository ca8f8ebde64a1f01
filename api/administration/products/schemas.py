from __future__ import annotations

from pydantic import BaseModel, Field

from adapters.db.models import Product


class ProductIn(BaseModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=200)
    material: str = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")


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
            retired=p.retired_at is not None,
            version=p.version,
        )


class ProductUpdate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    material: str = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")
