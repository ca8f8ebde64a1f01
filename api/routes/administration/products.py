"""National product codes (central administrators)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.routes.administration.common import (
    IfMatch,
    audit,
    check_version,
    etag,
    guarded,
    scope_of,
)
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    StillInUse,
    require_active,
    require_central,
)

router = APIRouter()


class ProductIn(BaseModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=200)
    material: str = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")


class NationalProduct(ProductIn):
    retired: bool
    version: int


def _product_out(p: m.Product) -> NationalProduct:
    return NationalProduct(
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


@router.get("/products", operation_id="listProducts")
async def list_products(staff: StaffSession, services: ServicesDep) -> list[NationalProduct]:
    await scope_of(services, staff, "admin:list_products")
    async with services.uow() as uow:
        return [_product_out(p) for p in await uow.administration.products()]


async def _central_product(
    uow: UnitOfWork, services: Services, staff: Staff, action: str, code: str
) -> m.Product:
    await guarded(services, staff, action, lambda: require_central(staff.context))
    product = await uow.administration.product(code, for_update=True)
    if product is None:
        raise ConfigurationNotFound("no such product code")
    return product


@router.put("/products/{code}", operation_id="updateProduct")
async def update_product(
    code: str,
    body: ProductUpdate,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> NationalProduct:
    await scope_of(services, staff, "admin:update_product")
    async with services.uow() as uow:
        product = await _central_product(uow, services, staff, "admin:update_product", code)
        check_version(product.version, if_match)
        require_active(product.retired_at, "product code")
        product.name, product.material, product.npu_code = body.name, body.material, body.npu_code
        product.version += 1
        await audit(uow, services, staff, "update_product", code=code, version=product.version)
        out = _product_out(product)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/products/{code}/retire", operation_id="retireProduct")
async def retire_product(
    code: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> NationalProduct:
    """Refused while a current offer contains the product; past orders keep it."""
    await scope_of(services, staff, "admin:retire_product")
    async with services.uow() as uow:
        product = await _central_product(uow, services, staff, "admin:retire_product", code)
        check_version(product.version, if_match)
        require_active(product.retired_at, "product code")
        offers = await uow.administration.current_offers(None)
        products = await uow.administration.offer_products([o.id for o in offers])
        using = sorted(
            o.catalog_id for o in offers if o.retired_at is None and code in products[o.id]
        )
        if using:
            raise StillInUse(f"offers {', '.join(using)} contain this product")
        product.retired_at = services.now()
        product.version += 1
        await audit(uow, services, staff, "retire_product", code=code)
        out = _product_out(product)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/products", operation_id="createProduct", status_code=201)
async def create_product(
    body: ProductIn, staff: StaffSession, services: ServicesDep
) -> NationalProduct:
    """National product codes: central administrators only."""
    await scope_of(services, staff, "admin:create_product")
    await guarded(services, staff, "admin:create_product", lambda: require_central(staff.context))
    async with services.uow() as uow:
        if await uow.administration.product(body.code) is not None:
            raise InvalidConfiguration("code", "the product code exists already")
        product = m.Product(
            code=body.code,
            name=body.name,
            material=body.material,
            npu_code=body.npu_code,
            version=1,
        )
        await uow.administration.add(product)
        await audit(uow, services, staff, "create_product", code=body.code)
        await uow.commit()
    return NationalProduct(**body.model_dump(), retired=False, version=1)
