from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.products import usecases
from api.administration.products.schemas import NationalProduct, ProductIn, ProductUpdate
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


@router.get("/products", operation_id="listProducts")
async def list_products(
    admin: Annotated[Administrator, Depends(admin_access("list_products"))],
    services: ServicesDep,
) -> list[NationalProduct]:
    products = await administer(services, admin, lambda uow: usecases.list_products(uow=uow))
    return [NationalProduct.of(p) for p in products]


@router.put("/products/{code}", operation_id="updateProduct")
async def update_product(
    code: str,
    body: ProductUpdate,
    admin: Annotated[Administrator, Depends(admin_access("update_product"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> NationalProduct:
    change = usecases.ProductDetails(
        name=body.name,
        material=body.material,
        npu_code=body.npu_code,
        contact_tracing=body.contact_tracing,
    )
    expected = optional_version(if_match)
    product = await administer(
        services,
        admin,
        lambda uow: usecases.update_product(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            code=code,
            expected_version=expected,
            change=change,
        ),
    )
    set_etag(response, product.version)
    return NationalProduct.of(product)


@router.post("/products/{code}/retire", operation_id="retireProduct")
async def retire_product(
    code: str,
    admin: Annotated[Administrator, Depends(admin_access("retire_product"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> NationalProduct:
    """Refused while a current offer contains the product; past orders keep it."""
    expected = optional_version(if_match)
    product = await administer(
        services,
        admin,
        lambda uow: usecases.retire_product(
            uow=uow, actor=admin.actor, now=services.now(), code=code, expected_version=expected
        ),
    )
    set_etag(response, product.version)
    return NationalProduct.of(product)


@router.post("/products", operation_id="createProduct", status_code=201)
async def create_product(
    body: ProductIn,
    admin: Annotated[Administrator, Depends(admin_access("create_product"))],
    services: ServicesDep,
) -> NationalProduct:
    """National product codes: central administrators only."""
    details = usecases.ProductDetails(
        name=body.name,
        material=body.material,
        npu_code=body.npu_code,
        contact_tracing=body.contact_tracing,
    )
    product = await administer(
        services,
        admin,
        lambda uow: usecases.create_product(
            uow=uow, actor=admin.actor, now=services.now(), code=body.code, details=details
        ),
    )
    return NationalProduct.of(product)
