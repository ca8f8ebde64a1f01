"""What the worklist, Behandlingsansvar and Smittspårning tests need: a care unit following
some insights, staff with (or without) permissions there, orders of a laboratory whose
results that unit follows up, and results arriving as laboratory systems send them (the
integration API, so the worklist's triggers see the real path). Every id, code and citizen
is the test's own, so what a test asserts on is exact."""

from __future__ import annotations

import json
import random
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from api.services import Services
from domain.codes import RID_BODY_LENGTH, new_code
from domain.identity_numbers import PersonalIdentityNumber, luhn_check_digit
from domain.persons import Person, PostalAddress
from domain.staff import CARE_AND_TREATMENT
from tests.support.factories import (
    StaffClient,
    create_staff_member,
    grant_permission,
    log_in_staff,
    unique,
)
from tests.support.results_world import Lab, client_token, create_lab

RESULTS_URL = "/api/integration/v1/results"


@dataclass(frozen=True)
class Unit:
    id: uuid.UUID
    hsa_id: str
    name: str


async def create_followed_unit(
    services: Services, *, insights: Sequence[str] = ("positive",), name: str | None = None
) -> Unit:
    """A care unit of Region Stockholm whose worklist follows `insights`."""
    unit = Unit(
        id=uuid.uuid4(), hsa_id=unique("SE2321000016-W"), name=name or unique("STI-mottagning ")
    )
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "INSERT INTO care_units (id, hsa_id, name, region_code, care_giver_hsa_id,"
                " care_giver_name, worklist_insights) VALUES (:id, :hsa, :name, '01',"
                " 'SE2321000016-0001', 'Region Stockholm', CAST(:insights AS jsonb))"
            ),
            {
                "id": unit.id,
                "hsa": unit.hsa_id,
                "name": unit.name,
                "insights": json.dumps(list(insights)),
            },
        )
        await uow.commit()
    return unit


@dataclass
class StaffMember:
    client: StaffClient
    hsa_id: str
    name: str


async def staff_at(
    services: Any,
    admin: StaffClient,
    new_client: Callable[[], httpx.AsyncClient],
    *,
    unit: str,
    permissions: Sequence[str] = ("worklist",),
    purpose: str = CARE_AND_TREATMENT,
) -> StaffMember:
    """A staff member employed at `unit` (with `purpose`) holding `permissions` there,
    logged in and working there."""
    member = create_staff_member(services.hsa, care_units=[unit], purpose=purpose)
    for permission in permissions:
        await grant_permission(
            admin,
            staff_hsa_id=member.staff.hsa_id,
            permission=permission,
            care_unit_hsa_id=unit,
        )
    client = await log_in_staff(new_client(), key=member.key, unit=unit)
    return StaffMember(client=client, hsa_id=member.staff.hsa_id, name=member.staff.full_name)


def new_citizen(services: Any, *, given_name: str = "Provis") -> PersonalIdentityNumber:
    """A citizen only this test knows, in the test person register."""
    generator = random.Random(secrets.randbits(64))
    born = date(1970, 1, 1) + timedelta(days=generator.randrange(30 * 365))
    serial = generator.randrange(100, 999)
    nine = born.strftime("%y%m%d") + f"{serial:03d}"
    value = born.strftime("%Y%m%d") + f"{serial:03d}" + str(luhn_check_digit(nine))
    personnummer = PersonalIdentityNumber.parse(value)
    services.person_register.add_person(
        Person(
            personnummer=personnummer,
            given_name=given_name,
            middle_name=None,
            family_name="Testsson",
            address=PostalAddress(
                care_of=None, street="Gatan 1", postal_code="11122", city="Stockholm"
            ),
            region_code="01",
            municipality_code="0180",
            protected_identity=False,
            deceased=False,
            test_person=True,
        )
    )
    return personnummer


@dataclass(frozen=True)
class Order:
    id: uuid.UUID
    rid: str
    personnummer: str


@dataclass
class Laboratory:
    lab: Lab
    writer: dict[str, str]


async def laboratory(services: Services) -> Laboratory:
    """A laboratory analysing chlamydia and gonorrhoea, with a system posting its results."""
    lab = await create_lab(services)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    return Laboratory(lab=lab, writer=writer)


async def place_order(
    services: Services,
    laboratory: Laboratory,
    *,
    citizen: str,
    result_unit: uuid.UUID | None,
    catalog_id: str = "1001",
    status: str = "sampled",
    days_ago: int = 3,
) -> Order:
    """The citizen's order of offer `catalog_id` (its sampling method and products), made
    `days_ago` days ago and sampled for the laboratory yesterday (unless `status` says it
    is not), whose results `result_unit` registers and follows up."""
    order_id = uuid.uuid4()
    rid = new_code(secrets.randbelow, RID_BODY_LENGTH)
    now = services.now()
    async with services.uow() as uow:
        offer = (
            await uow.session.execute(
                text("SELECT id, sampling_method FROM offers WHERE catalog_id = :c AND is_current"),
                {"c": catalog_id},
            )
        ).one()
        products = list(
            (
                await uow.session.execute(
                    text(
                        "SELECT product_code FROM offer_products WHERE offer_id = :o"
                        " ORDER BY product_code"
                    ),
                    {"o": offer.id},
                )
            ).scalars()
        )
        inserted = await uow.orders.insert(
            order_id=order_id,
            rid=rid,
            citizen_value=citizen,
            offer_id=offer.id,
            catalog_id=catalog_id,
            sampling_method=offer.sampling_method,
            answers={"answers": {}},
            slot_id=None,
            sampling_unit_id=None,
            booked_start=None,
            anonymous_kit_id=None,
            product_codes=products,
            result_care_unit_id=result_unit,
            now=now - timedelta(days=days_ago),
        )
        assert inserted
        if status in ("sampled", "answered"):
            await uow.session.execute(
                text(
                    "UPDATE orders SET status = 'sampled', handled_at = :handled,"
                    " sampled_at = :sampled, laboratory_id = :lab WHERE id = :id"
                ),
                {
                    "handled": now - timedelta(days=days_ago - 1),
                    "sampled": now - timedelta(days=1),
                    "lab": laboratory.lab.id,
                    "id": order_id,
                },
            )
        elif status != "ordered":
            await uow.session.execute(
                text("UPDATE orders SET status = :status WHERE id = :id"),
                {"status": status, "id": order_id},
            )
        await uow.commit()
    return Order(id=order_id, rid=rid, personnummer=citizen)


VALUES = {"positive": "Påvisad", "negative": "Ej påvisad"}


def result_of(
    laboratory: Laboratory,
    order: Order,
    *,
    product: str = "PEP-CT",
    insight: str | None = "positive",
    lab_version: int = 1,
    value: str | None = None,
    comment: str = "Kontakta din vårdgivare.",
) -> dict[str, Any]:
    return {
        "rid": order.rid,
        "analysis_code": laboratory.lab.analysis_code(product),
        "value": value or VALUES.get(insight or "", "Se kommentar"),
        "reference_range": "Ej påvisad",
        "comment": comment,
        "sampling_date": (date.today() - timedelta(days=1)).isoformat(),
        "lab_result_id": f"{order.rid}-{product}",
        "lab_version": lab_version,
        "insight": insight,
    }


async def post_result(
    client: httpx.AsyncClient, laboratory: Laboratory, order: Order, **fields: Any
) -> dict[str, Any]:
    """The laboratory's system posts a result (a later `lab_version` corrects it)."""
    sent = await client.post(
        RESULTS_URL, json=result_of(laboratory, order, **fields), headers=laboratory.writer
    )
    assert sent.status_code in (200, 201), sent.text
    body: dict[str, Any] = sent.json()
    return body


async def scalar(services: Services, sql: str, **params: Any) -> Any:
    async with services.uow() as uow:
        return (await uow.session.execute(text(sql), params)).scalar_one()


async def line_of(services: Services, order: Order, product: str = "PEP-CT") -> uuid.UUID:
    value: uuid.UUID = await scalar(
        services,
        "SELECT id FROM order_lines WHERE order_id = :o AND product_code = :p",
        o=order.id,
        p=product,
    )
    return value
