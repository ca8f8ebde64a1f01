"""What the result-intake tests need, made through the database the service uses: a
laboratory with its analysis codes, a care unit receiving results, an order sampled for the
laboratory, and an integration client of the laboratory or the unit with a bearer token.
Every code, RID and id is generated, so tests own their rows and assert exactly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from api.services import Services
from tests.support.factories import unique

CITIZEN = "199001012385"


@dataclass(frozen=True)
class Lab:
    id: uuid.UUID
    code: str

    def analysis_code(self, product: str) -> str:
        return f"{self.code}-{product}"


async def create_lab(services: Services, products: tuple[str, ...] = ("PEP-CT", "PEP-NG")) -> Lab:
    lab = Lab(id=uuid.uuid4(), code=unique("RL"))
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO laboratories (id, code, name, region_code) VALUES (:id, :code,"
                " 'Resultatlab', '01')"
            ),
            {"id": lab.id, "code": lab.code},
        )
        for product in products:
            await uow.session.execute(
                text(
                    "INSERT INTO laboratory_product_mappings (laboratory_id, product_code,"
                    " lab_code, tube_code, material) VALUES (:lab, :product, :code, 'T1', 'Urin')"
                ),
                {"lab": lab.id, "product": product, "code": lab.analysis_code(product)},
            )
        await uow.commit()
    return lab


async def create_care_unit(services: Services) -> uuid.UUID:
    unit = uuid.uuid4()
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO care_units (id, hsa_id, name, region_code, care_giver_hsa_id,"
                " care_giver_name) VALUES (:id, :hsa, 'Svarsmottagaren', '01',"
                " 'SE2321000016-0001', 'Region Stockholm')"
            ),
            {"id": unit, "hsa": unique("SE2321000016-R")},
        )
        await uow.commit()
    return unit


async def create_sampling_site(services: Services, lab: Lab) -> uuid.UUID:
    """A sampling unit sending to `lab` (a sampling unit sends to at least one)."""
    unit = uuid.uuid4()
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO sampling_units (id, hsa_id, name, region_code, street, postal_code,"
                " city) VALUES (:id, :hsa, 'Provtagningen', '01', 'Testgatan 1', '11122',"
                " 'Stockholm')"
            ),
            {"id": unit, "hsa": unique("SE2321000016-P")},
        )
        await uow.session.execute(
            text(
                "INSERT INTO sampling_unit_laboratories (sampling_unit_id, laboratory_id)"
                " VALUES (:unit, :lab)"
            ),
            {"unit": unit, "lab": lab.id},
        )
        await uow.commit()
    return unit


@dataclass(frozen=True)
class SampledOrder:
    id: uuid.UUID
    rid: str


async def create_sampled_order(
    services: Services,
    lab: Lab,
    *,
    care_unit_id: uuid.UUID | None,
    products: tuple[str, ...] = ("PEP-CT", "PEP-NG"),
    status: str = "sampled",
    sampled_at_unit_id: uuid.UUID | None = None,
    citizen: str = CITIZEN,
) -> SampledOrder:
    order_id = uuid.uuid4()
    rid = unique("R")[:10]
    now = services.now()
    async with services.uow() as uow:
        offer = (
            await uow.session.execute(
                text("SELECT id, catalog_id, result_care_unit_id FROM offers LIMIT 1")
            )
        ).one()
        inserted = await uow.orders.insert(
            order_id=order_id,
            rid=rid,
            citizen_value=citizen,
            offer_id=offer.id,
            catalog_id=offer.catalog_id,
            sampling_method="site_drop_in",
            answers={},
            slot_id=None,
            sampling_unit_id=None,
            booked_start=None,
            anonymous_kit_id=None,
            product_codes=list(products),
            result_care_unit_id=offer.result_care_unit_id,
            now=now - timedelta(days=2),
        )
        assert inserted
        await uow.session.execute(
            text(
                "UPDATE orders SET status = :status, handled_at = :at, sampled_at = :at,"
                " laboratory_id = :lab, result_care_unit_id = :unit,"
                " sampled_at_unit_id = :site WHERE id = :id"
            ),
            {
                "site": sampled_at_unit_id,
                "status": status,
                "at": now - timedelta(days=1),
                "lab": lab.id,
                "unit": care_unit_id,
                "id": order_id,
            },
        )
        await uow.commit()
    return SampledOrder(id=order_id, rid=rid)


async def client_token(
    services: Services,
    *,
    scopes: tuple[str, ...],
    laboratory_ids: tuple[uuid.UUID, ...] = (),
    care_unit_ids: tuple[uuid.UUID, ...] = (),
    sampling_unit_ids: tuple[uuid.UUID, ...] = (),
) -> dict[str, str]:
    """An integration client of this organisation; the Authorization header of a token."""
    client_id = unique("results-client-").lower()
    now = services.now()
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO integration_clients (id, client_id, name, region_code, secret_hash,"
                " scopes, laboratory_ids, care_unit_ids, sampling_unit_ids, created_at,"
                " created_by_hsa_id, secret_rotated_at) VALUES (:id, :client_id, 'Testsystem',"
                " '01', :hash, CAST(:scopes AS varchar[]), CAST(:labs AS uuid[]),"
                " CAST(:units AS uuid[]), CAST(:sites AS uuid[]), :now, 'SE2321000016-1001',"
                " :now)"
            ),
            {
                "id": uuid.uuid4(),
                "client_id": client_id,
                "hash": b"\0" * 32,
                "scopes": list(scopes),
                "labs": list(laboratory_ids),
                "units": list(care_unit_ids),
                "sites": list(sampling_unit_ids),
                "now": now,
            },
        )
        await uow.commit()
    token = services.integration_tokens.issue(
        client_id=client_id, scopes=frozenset(scopes), now=now
    ).access_token
    return {"Authorization": f"Bearer {token}"}


def result_body(lab: Lab, order: SampledOrder, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rid": order.rid,
        "analysis_code": lab.analysis_code("PEP-CT"),
        "value": "Påvisad",
        "reference_range": "Ej påvisad",
        "abnormal_flag": "abnormal",
        "comment": "Kontakta din vårdgivare.",
        "sampling_date": (date.today() - timedelta(days=1)).isoformat(),
        "lab_result_id": f"{order.rid}-CT",
        "lab_version": 1,
        "insight": "positive",
    }
    body.update(fields)
    return body


async def scalar(services: Services, sql: str, **params: Any) -> Any:
    async with services.uow() as uow:
        return (await uow.session.execute(text(sql), params)).scalar_one()
