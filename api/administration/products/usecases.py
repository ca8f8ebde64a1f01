"""National product codes: any administrator reads them, central administrators change
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.db.models import Product
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit, record_change
from domain.actors import StaffActor
from domain.administration import InvalidConfiguration, StillInUse, require_central


@dataclass(frozen=True, slots=True)
class ProductDetails:
    name: str
    material: str
    npu_code: str | None
    # Followed up by contact tracing (Behandlingsansvar, Smittspårning); None: unchanged.
    contact_tracing: bool | None = None


async def list_products(*, uow: UnitOfWork) -> list[Product]:
    return await uow.products.all()


async def create_product(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, code: str, details: ProductDetails
) -> Product:
    require_central(actor.context)
    if await uow.products.get(code) is not None:
        raise InvalidConfiguration("code", "the product code exists already")
    product = await uow.products.add(
        code=code,
        name=details.name,
        material=details.material,
        npu_code=details.npu_code,
        contact_tracing=bool(details.contact_tracing),
    )
    await record_change(uow, actor=actor, now=now, action="create_product", code=code)
    await uow.commit()
    return product


async def _identity(product: Product) -> Product:
    return product


async def update_product(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    code: str,
    expected_version: int | None,
    change: ProductDetails,
) -> Product:
    # Who may is decided before whether the code exists: to others, it need not.
    require_central(actor.context)

    async def apply(product: Product) -> Product:
        product.name, product.material = change.name, change.material
        product.npu_code = change.npu_code
        if change.contact_tracing is not None:
            product.contact_tracing = change.contact_tracing
        return product

    return await edit(
        uow,
        await uow.products.get(code, for_update=True),
        what="product code",
        actor=actor,
        now=now,
        action="update_product",
        expected_version=expected_version,
        authorize=None,
        change=apply,
        details=lambda product: {"code": code, "version": product.version},
        view=_identity,
    )


async def retire_product(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, code: str, expected_version: int | None
) -> Product:
    """Refused while an offer in use contains the product; past orders keep it."""
    require_central(actor.context)

    async def retire(product: Product) -> Product:
        using = await uow.offers_admin.containing(code)
        if using:
            raise StillInUse(f"offers {', '.join(using)} contain this product")
        product.retired_at = now
        return product

    return await edit(
        uow,
        await uow.products.get(code, for_update=True),
        what="product code",
        actor=actor,
        now=now,
        action="retire_product",
        expected_version=expected_version,
        authorize=None,
        change=retire,
        details=lambda _product: {"code": code},
        view=_identity,
    )
