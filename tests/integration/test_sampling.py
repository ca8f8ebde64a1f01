"""Provtagning through the HTTP API on the real database (SPEC §5, manual 4.2): finding a
citizen's orders, today's bookings, opening an order as a laboratory with the two checks,
sampling with labels (Browser Print and IP print), reprints, the lists and the print log.
Each test makes its own sampling unit, laboratories, nurse and citizen."""

from __future__ import annotations

import asyncio
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from adapters.db.models import AuditEntry, LabelPrint, Order
from domain.codes import RID_BODY_LENGTH, formatted, new_code
from domain.identity_numbers import PersonalIdentityNumber, luhn_check_digit
from domain.labels import render_label
from domain.persons import Person, PostalAddress
from domain.sampling import STOCKHOLM
from tests.support.factories import (
    StaffClient,
    create_laboratory,
    create_offer,
    create_staff_member,
    grant_permission,
    log_in_staff,
    unique,
)

TEMPLATE = (
    "^XA^CI28^FO10,10^FD{rid}^FS^FO10,50^FD{tube_code} {lab_code}^FS"
    "^FO10,90^FD{personnummer} {sex_mark}^FS^FO10,130^FD{product_name}^FS^XZ"
)
STI_UNIT = "SE2321000016-A002"  # the result unit of the offers create_offer makes
SOLNA = "SE2321000016-A001"
LOGIN_ACTIONS = ("login", "select_context")


@dataclass
class Site:
    nurse: StaffClient
    nurse_hsa: str
    hsa_id: str
    unit_id: uuid.UUID
    labs: list[str]


async def make_site(admin: StaffClient, services: Any, new_client: Any, *, labs: list[str]) -> Site:
    """A sampling unit that is its own care unit (same HSA-id) serving `labs`, and a nurse
    with the sampling permission there."""
    hsa_id = unique("SE2321000016-S")
    created = await admin.post(
        "/api/admin/sampling-units",
        {
            "hsa_id": hsa_id,
            "name": "Testprovtagningen",
            "region_code": "01",
            "street": "Testgatan 1",
            "postal_code": "11122",
            "city": "Stockholm",
            "laboratory_codes": labs,
        },
    )
    assert created.status_code == 201, created.text
    unit = await admin.post(
        "/api/admin/care-units",
        {
            "hsa_id": hsa_id,
            "name": "Testprovtagningen",
            "region_code": "01",
            "care_giver_hsa_id": "SE2321000016-0001",
            "care_giver_name": "Region Stockholm",
        },
    )
    assert unit.status_code == 201, unit.text
    nurse = create_staff_member(services.hsa, care_units=[hsa_id])
    await grant_permission(
        admin, staff_hsa_id=nurse.staff.hsa_id, permission="sampling", care_unit_hsa_id=hsa_id
    )
    client = await log_in_staff(new_client(), key=nurse.key, unit=hsa_id)
    return Site(
        nurse=client,
        nurse_hsa=nurse.staff.hsa_id,
        hsa_id=hsa_id,
        unit_id=uuid.UUID(created.json()["id"]),
        labs=labs,
    )


def new_citizen(services: Any, *, sex: str = "M") -> PersonalIdentityNumber:
    """A citizen only this test knows, in the test person register."""
    generator = random.Random(secrets.randbits(64))
    born = date(1960, 1, 1) + timedelta(days=generator.randrange(30 * 365))
    serial = generator.randrange(100, 999)
    if (serial % 2 == 1) != (sex == "M"):
        serial += 1 if serial < 998 else -1
    nine = born.strftime("%y%m%d") + f"{serial:03d}"
    value = born.strftime("%Y%m%d") + f"{serial:03d}" + str(luhn_check_digit(nine))
    personnummer = PersonalIdentityNumber.parse(value)
    services.person_register.add_person(
        Person(
            personnummer=personnummer,
            given_name="Provis",
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


async def seed_order(
    services: Any,
    personnummer: PersonalIdentityNumber,
    catalog_id: str,
    *,
    booked_unit: uuid.UUID | None = None,
    booked_start: datetime | None = None,
    status: str = "ordered",
    created_at: datetime | None = None,
) -> tuple[uuid.UUID, str]:
    """An order placed by the citizen (through the order repository, as the order flow
    stores it); returns (id, RID)."""
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
        # The result recipient as the order flow decides it (domain.orders.result_recipient).
        details = await uow.offers.get_for_citizen(
            catalog_id=catalog_id,
            citizen_hash=services.protector.lookup_hash(personnummer.value),
            now=datetime.now(UTC),
        )
        assert details is not None
        order_id, rid = uuid.uuid4(), new_code(secrets.randbelow, RID_BODY_LENGTH)
        assert await uow.orders.insert(
            order_id=order_id,
            rid=rid,
            citizen_value=personnummer.value,
            offer_id=offer.id,
            catalog_id=catalog_id,
            sampling_method=offer.sampling_method,
            answers={"answers": {}},
            slot_id=None,
            sampling_unit_id=booked_unit,
            booked_start=booked_start,
            anonymous_kit_id=None,
            product_codes=products,
            result_care_unit_id=details.result_recipient,
            now=created_at or datetime.now(UTC) - timedelta(days=1),
        )
        if status != "ordered":
            await uow.session.execute(
                text("UPDATE orders SET status = :s WHERE id = :id"), {"s": status, "id": order_id}
            )
        await uow.commit()
    return order_id, rid


async def order_row(services: Any, order_id: uuid.UUID) -> Any:
    async with services.uow() as uow:
        return (await uow.session.execute(select(Order).where(Order.id == order_id))).scalar_one()


async def prints_of(services: Any, order_id: uuid.UUID) -> list[Any]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(LabelPrint)
            .where(LabelPrint.order_id == order_id)
            .order_by(LabelPrint.printed_at)
        )
        return list(rows.scalars())


async def audit_actions(services: Any, actor_id: str) -> list[tuple[str, str]]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry.action, AuditEntry.outcome)
            .where(AuditEntry.actor_id == actor_id, AuditEntry.action.not_in(LOGIN_ACTIONS))
            .order_by(AuditEntry.id)
        )
        return [(r.action, r.outcome) for r in rows]


async def patient_of_last_audit(services: Any, actor_id: str, action: str) -> bytes | None:
    async with services.uow() as uow:
        return (
            await uow.session.execute(
                select(AuditEntry.patient_hash)
                .where(AuditEntry.actor_id == actor_id, AuditEntry.action == action)
                .order_by(AuditEntry.id.desc())
                .limit(1)
            )
        ).scalar_one()


async def audited_patients(services: Any, actor_id: str, action: str) -> list[tuple[bytes, str]]:
    """(patient hash, order id) of each entry of `action` by the actor, in the order made;
    (None, "") for one that showed nobody."""
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry.patient_hash, AuditEntry.details)
            .where(AuditEntry.actor_id == actor_id, AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [(r.patient_hash, r.details.get("order_id", "")) for r in rows]


def expected_labels(
    rid: str, personnummer: PersonalIdentityNumber, lines: list[tuple[str, str, str]]
) -> str:
    """(product code, lab code, product name) per line, as the lab template prints them."""
    return (
        "\n".join(
            render_label(
                TEMPLATE,
                {
                    "rid": rid,
                    "tube_code": "T1",
                    "lab_code": lab_code,
                    "product_name": name,
                    "personnummer": personnummer.formatted,
                    "sex_mark": "M" if personnummer.legal_sex == "M" else "K",
                },
            )
            for _code, lab_code, name in lines
        )
        + "\n"
    )


@pytest.fixture
async def world(regional_admin, services, new_client):
    """One laboratory for PEP-CT whose customer is the offers' result unit, a sampling site
    serving it, a drop-in offer of PEP-CT and a citizen of this test."""
    lab = await create_laboratory(
        regional_admin, customers=(STI_UNIT,), label_template_zpl=TEMPLATE
    )
    site = await make_site(regional_admin, services, new_client, labs=[lab])
    offer = await create_offer(regional_admin, sampling_method="site_drop_in")
    citizen = new_citizen(services)
    return site, offer["catalog_id"], citizen


async def sample(site: Site, order_id: uuid.UUID, *, version: int = 1, **body: Any) -> Any:
    payload = {"sampled_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(), **body}
    return await site.nurse.post(
        f"/api/staff/sampling/orders/{order_id}/sample", payload, **{"If-Match": f'"{version}"'}
    )


# --- Sök beställning ------------------------------------------------------------------------


async def test_search_lists_every_not_yet_sampled_site_order_of_the_citizen_with_flags(
    world, services, regional_admin, new_client
):
    site, drop_in, citizen = world
    other_site = await make_site(regional_admin, services, new_client, labs=site.labs)
    booked_here = datetime.now(UTC) + timedelta(hours=2)
    here, _ = await seed_order(services, citizen, drop_in)
    skane, _ = await seed_order(services, citizen, "2002")  # Region Skåne's offer
    elsewhere, _ = await seed_order(
        services, citizen, "1004", booked_unit=other_site.unit_id, booked_start=booked_here
    )
    handled, _ = await seed_order(services, citizen, drop_in, status="handled")
    await seed_order(services, citizen, drop_in, status="sampled")
    await seed_order(services, citizen, drop_in, status="cancelled")
    await seed_order(services, citizen, "1001")  # a home kit: sampled by the citizen

    response = await site.nurse.post(
        "/api/staff/sampling/search", {"personnummer": citizen.formatted}
    )

    assert response.status_code == 200, response.text
    found = response.json()
    assert found["patient"] == {
        "personnummer": citizen.formatted,
        "name": "Provis Testsson",
        "legal_sex": "M",
        "sex_mark": "M",
    }
    flags = {
        uuid.UUID(o["id"]): (o["status"], o["other_region"], o["booked_elsewhere"])
        for o in found["orders"]
    }
    assert flags == {
        here: ("ordered", False, False),
        skane: ("ordered", True, False),
        elsewhere: ("ordered", False, True),
        handled: ("handled", False, False),
    }
    skane_order = next(o for o in found["orders"] if o["id"] == str(skane))
    assert skane_order["offer_region_name"] == "Region Skåne"
    assert skane_order["result_recipient"]["hsa_id"] == "SE2321000255-B001"
    hashed = services.protector.lookup_hash(citizen.value)
    assert await patient_of_last_audit(services, site.nurse_hsa, "sampling_search") == hashed


async def test_search_for_a_person_the_register_does_not_know_is_404_and_audited(world, services):
    site, _, _ = world
    unknown = PersonalIdentityNumber.parse("19121212-1212")

    response = await site.nurse.post(
        "/api/staff/sampling/search", {"personnummer": unknown.formatted}
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert await audit_actions(services, site.nurse_hsa) == [("sampling_search", "success")]


async def test_search_with_an_invalid_personnummer_is_422_naming_it(world):
    site, _, _ = world

    response = await site.nurse.post(
        "/api/staff/sampling/search", {"personnummer": "19121212-1213"}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["personnummer"]


async def test_a_care_unit_that_is_no_sampling_unit_answers_not_configured(
    regional_admin, services, new_client
):
    # The STI clinic sends home kits; no sampling unit is (or belongs to) it.
    nurse = create_staff_member(services.hsa, care_units=[STI_UNIT])
    await grant_permission(
        regional_admin,
        staff_hsa_id=nurse.staff.hsa_id,
        permission="sampling",
        care_unit_hsa_id=STI_UNIT,
    )
    client = await log_in_staff(new_client(), key=nurse.key, unit=STI_UNIT)

    response = await client.get("/api/staff/sampling/bookings")

    assert response.status_code == 404
    assert response.json()["type"] == "/problems/sampling-unit-not-configured"


# --- Bokade tider ---------------------------------------------------------------------------


async def test_bookings_are_todays_at_this_unit_in_time_order_with_names(
    world, services, regional_admin, new_client
):
    site, _, citizen = world
    other = new_citizen(services, sex="F")
    other_site = await make_site(regional_admin, services, new_client, labs=site.labs)
    today = datetime.now(STOCKHOLM).date()
    at = lambda hour: datetime(today.year, today.month, today.day, hour, tzinfo=STOCKHOLM)  # noqa: E731
    late, _ = await seed_order(
        services, citizen, "1004", booked_unit=site.unit_id, booked_start=at(15)
    )
    early, _ = await seed_order(
        services, other, "1004", booked_unit=site.unit_id, booked_start=at(8)
    )
    await seed_order(
        services, citizen, "1004", booked_unit=site.unit_id, booked_start=at(9) + timedelta(days=1)
    )
    await seed_order(services, citizen, "1004", booked_unit=other_site.unit_id, booked_start=at(10))
    await seed_order(
        services, citizen, "1004", booked_unit=site.unit_id, booked_start=at(11), status="cancelled"
    )
    # The names come from the cached register copies, as the search leaves them.
    for person in (citizen, other):
        searched = await site.nurse.post(
            "/api/staff/sampling/search", {"personnummer": person.formatted}
        )
        assert searched.status_code == 200

    response = await site.nurse.get("/api/staff/sampling/bookings")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["day"] == today.isoformat()
    assert [
        (
            b["order"]["id"],
            b["patient"]["personnummer"],
            b["patient"]["name"],
            b["patient"]["sex_mark"],
        )
        for b in body["bookings"]
    ] == [
        (str(early), other.formatted, "Provis Testsson", "K"),
        (str(late), citizen.formatted, "Provis Testsson", "M"),
    ]
    # Every patient shown is audited, one entry per order listed.
    hashed = services.protector.lookup_hash
    assert await audited_patients(services, site.nurse_hsa, "sampling_bookings_listed") == [
        (hashed(other.value), str(early)),
        (hashed(citizen.value), str(late)),
    ]


# --- Opening an order -----------------------------------------------------------------------


async def test_opening_translates_national_codes_to_the_labs_codes(world, services):
    site, drop_in, citizen = world
    order_id, rid = await seed_order(services, citizen, drop_in)

    response = await site.nurse.get(f"/api/staff/sampling/orders/{order_id}")

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"1"'
    opened = response.json()
    assert opened["laboratory"]["code"] == site.labs[0]
    assert [
        (line["product_code"], line["lab_code"], line["tube_code"]) for line in opened["lines"]
    ] == [("PEP-CT", "PEP-CT-L", "T1")]
    assert opened["order"]["rid"] == formatted(rid)
    assert opened["order"]["other_region"] is False
    hashed = services.protector.lookup_hash(citizen.value)
    assert await patient_of_last_audit(services, site.nurse_hsa, "sampling_order_opened") == hashed


async def test_with_several_labs_the_nurse_chooses_and_an_unserved_lab_is_named(
    regional_admin, services, new_client
):
    first = await create_laboratory(regional_admin, customers=(STI_UNIT,))
    second = await create_laboratory(regional_admin, customers=(STI_UNIT,))
    site = await make_site(regional_admin, services, new_client, labs=[first, second])
    offer = await create_offer(regional_admin, sampling_method="site_drop_in")
    citizen = new_citizen(services)
    order_id, _ = await seed_order(services, citizen, offer["catalog_id"])

    unchosen = await site.nurse.get(f"/api/staff/sampling/orders/{order_id}")
    chosen = await site.nurse.get(f"/api/staff/sampling/orders/{order_id}", laboratory_code=second)
    not_served = await site.nurse.get(
        f"/api/staff/sampling/orders/{order_id}", laboratory_code="KUL"
    )
    sampled_unchosen = await sample(site, order_id)

    assert unchosen.status_code == 200
    assert unchosen.json()["laboratory"] is None
    assert sorted(lab["code"] for lab in unchosen.json()["laboratories"]) == sorted([first, second])
    assert [line["lab_code"] for line in unchosen.json()["lines"]] == [None]
    assert chosen.json()["laboratory"]["code"] == second
    assert not_served.status_code == 422
    assert not_served.json()["errors"][0]["field"] == "laboratory_code"
    assert not_served.json()["errors"][0]["code"] == "not_served"
    assert "'KUL'" in not_served.json()["errors"][0]["message"]
    assert sampled_unchosen.status_code == 422
    assert sampled_unchosen.json()["errors"][0]["field"] == "laboratory_code"
    assert (await order_row(services, order_id)).status == "ordered"


async def test_a_lab_that_does_not_perform_every_product_is_refused_naming_them(
    regional_admin, services, new_client
):
    lab = await create_laboratory(regional_admin, customers=(STI_UNIT,), products=("PEP-CT",))
    site = await make_site(regional_admin, services, new_client, labs=[lab])
    offer = await create_offer(
        regional_admin, sampling_method="site_drop_in", products=("PEP-CT", "PEP-NG")
    )
    citizen = new_citizen(services)
    order_id, _ = await seed_order(services, citizen, offer["catalog_id"])

    opened = await site.nurse.get(f"/api/staff/sampling/orders/{order_id}")
    sampled = await sample(site, order_id)

    for response in (opened, sampled):
        assert response.status_code == 409
        problem = response.json()
        assert problem["type"] == "/problems/product-not-performed"
        assert problem["product_codes"] == ["PEP-NG"]
        assert problem["laboratory_code"] == lab
        assert "PEP-NG" in problem["detail"]
    assert (await order_row(services, order_id)).status == "ordered"
    assert await prints_of(services, order_id) == []


async def test_a_recipient_who_is_no_customer_of_the_lab_is_refused_naming_it(
    regional_admin, services, new_client
):
    lab = await create_laboratory(regional_admin, customers=(SOLNA,))
    site = await make_site(regional_admin, services, new_client, labs=[lab])
    offer = await create_offer(regional_admin, sampling_method="site_drop_in")
    citizen = new_citizen(services)
    order_id, _ = await seed_order(services, citizen, offer["catalog_id"])

    sampled = await sample(site, order_id)

    assert sampled.status_code == 409
    problem = sampled.json()
    assert problem["type"] == "/problems/recipient-not-customer"
    assert problem["recipient"] == {
        "care_unit_hsa_id": STI_UNIT,
        "name": "STI-mottagningen Södersjukhuset",
    }
    assert "product_codes" not in problem
    assert (await order_row(services, order_id)).status == "ordered"


async def test_an_assigned_offers_recipient_is_the_assigning_unit(
    regional_admin, services, new_client
):
    # Demo offer 1002 (HbA1c) is assigned by Vårdcentralen Solna, whose results go there.
    lab = await create_laboratory(regional_admin, customers=(STI_UNIT,), products=("PEP-HBA1C",))
    site = await make_site(regional_admin, services, new_client, labs=[lab])
    citizen = new_citizen(services)
    async with services.uow() as uow:
        solna = await uow.assignments.care_unit_id(SOLNA)
        await uow.session.execute(
            text(
                "INSERT INTO assigned_offers (id, personnummer_hash, personnummer_encrypted,"
                " catalog_id, assigning_care_unit_id, assigned_by_hsa_id, assigned_at)"
                " VALUES (:id, :h, :e, '1002', :u, 'SE2321000016-1001', :at)"
            ),
            {
                "id": uuid.uuid4(),
                "h": (digest := services.protector.lookup_hash(citizen.value)),
                # Encrypted as the repository does: the unit's assigned-offers list decrypts
                # every row it shows, and other tests read that list.
                "e": services.protector.encrypt(citizen.value.encode(), context=digest),
                "u": solna,
                "at": datetime.now(UTC) - timedelta(days=3),
            },
        )
        await uow.commit()
    order_id, _ = await seed_order(services, citizen, "1002")

    sampled = await sample(site, order_id)

    assert sampled.status_code == 409
    assert sampled.json()["recipient"]["care_unit_hsa_id"] == SOLNA


async def test_an_order_outside_the_units_scope_is_not_found(
    world, services, regional_admin, new_client
):
    site, drop_in, citizen = world
    other_site = await make_site(regional_admin, services, new_client, labs=site.labs)
    booked_elsewhere, _ = await seed_order(
        services,
        citizen,
        "1004",
        booked_unit=other_site.unit_id,
        booked_start=datetime.now(UTC) + timedelta(hours=1),
    )
    home_kit, _ = await seed_order(services, citizen, "1001")
    cancelled, _ = await seed_order(services, citizen, drop_in, status="cancelled")

    for order_id in (booked_elsewhere, home_kit, cancelled, uuid.uuid4()):
        opened = await site.nurse.get(f"/api/staff/sampling/orders/{order_id}")
        assert opened.status_code == 404, order_id
        assert opened.json()["type"] == "/problems/order-not-found"
    assert (await sample(site, booked_elsewhere)).status_code == 404
    assert (await order_row(services, booked_elsewhere)).status == "ordered"


# --- Sampling and printing ------------------------------------------------------------------


async def test_sampling_sets_provtagen_locks_lab_and_time_logs_the_print_and_answers_zpl(
    world, services
):
    site, drop_in, citizen = world
    order_id, rid = await seed_order(services, citizen, drop_in)
    sampled_at = (datetime.now(UTC) - timedelta(minutes=7)).replace(microsecond=0)

    response = await sample(site, order_id, sampled_at=sampled_at.isoformat())

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["zpl"] == expected_labels(
        rid, citizen, [("PEP-CT", "PEP-CT-L", "Klamydia (Chlamydia trachomatis), NAAT")]
    )
    assert body["label_count"] == 1
    assert body["reprint"] is False
    assert body["network_print"] is None
    assert body["opened"]["order"]["status"] == "sampled"
    assert response.headers["ETag"] == '"2"'
    row = await order_row(services, order_id)
    assert (row.status, row.sampled_at, row.sampled_at_unit_id, row.sampled_by_hsa_id) == (
        "sampled",
        sampled_at,
        site.unit_id,
        site.nurse_hsa,
    )
    assert row.handled_at is not None
    async with services.uow() as uow:
        lab_code = (
            await uow.session.execute(
                text("SELECT code FROM laboratories WHERE id = :id"), {"id": row.laboratory_id}
            )
        ).scalar_one()
        recipient = (
            await uow.session.execute(
                text("SELECT hsa_id FROM care_units WHERE id = :id"),
                {"id": row.result_care_unit_id},
            )
        ).scalar_one()
    assert (lab_code, recipient) == (site.labs[0], STI_UNIT)
    prints = await prints_of(services, order_id)
    assert [
        (
            p.kind,
            p.sampling_unit_id,
            p.care_unit_hsa_id,
            p.printed_by_hsa_id,
            p.reprint,
            p.label_count,
        )
        for p in prints
    ] == [("sample", site.unit_id, site.hsa_id, site.nurse_hsa, False, 1)]
    hashed = services.protector.lookup_hash(citizen.value)
    assert await patient_of_last_audit(services, site.nurse_hsa, "order_sampled") == hashed


async def test_a_sampling_time_in_the_future_is_422_naming_sampled_at(world, services):
    site, drop_in, citizen = world
    order_id, _ = await seed_order(services, citizen, drop_in)

    future = await sample(
        site, order_id, sampled_at=(datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    )
    missing = await site.nurse.post(
        f"/api/staff/sampling/orders/{order_id}/sample", {}, **{"If-Match": '"1"'}
    )

    assert future.status_code == 422
    assert future.json()["errors"] == [
        {"field": "sampled_at", "message": "must not be in the future", "code": "in_future"}
    ]
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["sampled_at"]
    assert (await order_row(services, order_id)).status == "ordered"
    assert await prints_of(services, order_id) == []


async def test_sampling_without_if_match_is_428_and_with_a_stale_version_412(world, services):
    site, drop_in, citizen = world
    order_id, _ = await seed_order(services, citizen, drop_in)

    without = await site.nurse.post(
        f"/api/staff/sampling/orders/{order_id}/sample",
        {"sampled_at": datetime.now(UTC).isoformat()},
    )
    stale = await sample(site, order_id, version=7)

    assert without.status_code == 428
    assert stale.status_code == 412
    assert (await order_row(services, order_id)).status == "ordered"


async def test_a_second_sampling_is_409_with_the_current_state_and_nothing_changes(world, services):
    site, drop_in, citizen = world
    order_id, _ = await seed_order(services, citizen, drop_in)
    first_time = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    assert (await sample(site, order_id, sampled_at=first_time.isoformat())).status_code == 200
    row = await order_row(services, order_id)

    again = await sample(site, order_id, version=2)

    assert again.status_code == 409
    problem = again.json()
    assert problem["type"] == "/problems/order-already-sampled"
    assert (problem["order_status"], problem["version"], problem["sampled_at"]) == (
        "sampled",
        2,
        first_time.isoformat(),
    )
    assert problem["laboratory_id"] == str(row.laboratory_id)
    after = await order_row(services, order_id)
    assert (after.sampled_at, after.laboratory_id, after.version) == (
        first_time,
        row.laboratory_id,
        2,
    )
    assert len(await prints_of(services, order_id)) == 1


async def test_two_nurses_sampling_the_same_order_at_once_exactly_one_wins(
    world, services, regional_admin, new_client
):
    site, drop_in, citizen = world
    colleague = create_staff_member(services.hsa, care_units=[site.hsa_id])
    await grant_permission(
        regional_admin,
        staff_hsa_id=colleague.staff.hsa_id,
        permission="sampling",
        care_unit_hsa_id=site.hsa_id,
    )
    second = Site(
        nurse=await log_in_staff(new_client(), key=colleague.key, unit=site.hsa_id),
        nurse_hsa=colleague.staff.hsa_id,
        hsa_id=site.hsa_id,
        unit_id=site.unit_id,
        labs=site.labs,
    )
    order_id, _ = await seed_order(services, citizen, drop_in)

    answers = await asyncio.gather(sample(site, order_id), sample(second, order_id))

    assert sorted(a.status_code for a in answers) == [200, 409]
    loser = next(a for a in answers if a.status_code == 409).json()
    assert (loser["type"], loser["order_status"], loser["version"]) == (
        "/problems/order-already-sampled",
        "sampled",
        2,
    )
    assert len(await prints_of(services, order_id)) == 1
    assert (await order_row(services, order_id)).version == 2


async def test_a_reprint_is_logged_as_such_and_leaves_lab_and_time_alone(world, services):
    site, drop_in, citizen = world
    order_id, rid = await seed_order(services, citizen, drop_in)
    not_yet = await site.nurse.post(f"/api/staff/sampling/orders/{order_id}/reprint", {})
    first = await sample(site, order_id)
    before = await order_row(services, order_id)

    reprint = await site.nurse.post(f"/api/staff/sampling/orders/{order_id}/reprint", {})

    assert not_yet.status_code == 409
    assert not_yet.json()["type"] == "/problems/order-not-sampled"
    assert reprint.status_code == 200, reprint.text
    assert reprint.json()["zpl"] == first.json()["zpl"]
    assert reprint.json()["reprint"] is True
    after = await order_row(services, order_id)
    assert (after.sampled_at, after.laboratory_id, after.version) == (
        before.sampled_at,
        before.laboratory_id,
        before.version,
    )
    assert [p.reprint for p in await prints_of(services, order_id)] == [False, True]


async def test_utskrivna_lists_each_sampled_order_once_and_the_log_every_print(world, services):
    site, drop_in, citizen = world
    first, _ = await seed_order(services, citizen, drop_in)
    second, _ = await seed_order(services, citizen, drop_in)
    assert (await sample(site, first)).status_code == 200
    assert (await sample(site, second)).status_code == 200
    for _ in range(2):
        reprinted = await site.nurse.post(f"/api/staff/sampling/orders/{first}/reprint", {})
        assert reprinted.status_code == 200

    sampled = await site.nurse.get("/api/staff/sampling/sampled", page_size=1)
    sampled_next = await site.nurse.get("/api/staff/sampling/sampled", page=2, page_size=1)
    log = await site.nurse.get("/api/staff/sampling/print-log")
    past_end = await site.nurse.get("/api/staff/sampling/print-log", page=9)

    assert sampled.json()["total"] == 2
    assert [
        (o["id"], o["prints"]) for o in sampled.json()["items"] + sampled_next.json()["items"]
    ] == [(str(second), 1), (str(first), 3)]
    entries = log.json()
    assert entries["total"] == 4
    assert [(e["order_id"], e["reprint"], e["printed_by_hsa_id"]) for e in entries["items"]] == [
        (str(first), True, site.nurse_hsa),
        (str(first), True, site.nurse_hsa),
        (str(second), False, site.nurse_hsa),
        (str(first), False, site.nurse_hsa),
    ]
    assert past_end.json() == {"total": 4, "page": 9, "page_size": 50, "items": []}
    # Every patient shown is audited, one entry per order listed on each page.
    patient = services.protector.lookup_hash(citizen.value)
    assert await audited_patients(services, site.nurse_hsa, "sampling_printed_listed") == [
        (patient, str(second)),
        (patient, str(first)),
    ]
    assert await audited_patients(services, site.nurse_hsa, "sampling_print_log_listed") == [
        (patient, str(first)),
        (patient, str(second)),
        (None, ""),  # the page past the end showed nobody
    ]


# --- IP print -------------------------------------------------------------------------------


class PrinterStandIn:
    """A network label printer on 127.0.0.1: keeps what each connection sent."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.server: asyncio.Server | None = None
        self.address = ""

    async def __aenter__(self) -> PrinterStandIn:
        self.server = await asyncio.start_server(self._take, "127.0.0.1", 0)
        self.address = f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _take(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.received.append(await reader.read())
        writer.close()

    async def wait_for(self, count: int) -> None:
        for _ in range(100):
            if len(self.received) >= count:
                return
            await asyncio.sleep(0.02)


@pytest.fixture
def allow_printers(services):
    before = list(services.settings.network_printers)

    def allow(*printers: str) -> None:
        services.settings.network_printers = [*before, *printers]

    yield allow
    services.settings.network_printers = before


async def test_ip_print_sends_exactly_the_answered_zpl_to_the_chosen_printer(
    world, services, allow_printers
):
    site, drop_in, citizen = world
    order_id, _ = await seed_order(services, citizen, drop_in)
    async with PrinterStandIn() as printer:
        allow_printers(printer.address)
        listed = await site.nurse.get("/api/staff/sampling/printers")

        response = await sample(site, order_id, printer=printer.address)
        await printer.wait_for(1)

    assert printer.address in listed.json()["printers"]
    assert response.status_code == 200, response.text
    assert response.json()["network_print"] == {
        "printer": printer.address,
        "sent": True,
        "error": None,
    }
    assert printer.received == [response.json()["zpl"].encode()]


async def test_a_printer_not_on_the_list_is_422_and_nothing_is_written(world, services):
    site, drop_in, citizen = world
    order_id, _ = await seed_order(services, citizen, drop_in)

    response = await sample(site, order_id, printer="169.254.169.254:80")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "printer"
    assert response.json()["errors"][0]["code"] == "not_allowed"
    assert (await order_row(services, order_id)).status == "ordered"
    assert await prints_of(services, order_id) == []


async def test_an_address_with_an_end_of_label_reaches_the_printer_escaped(allow_printers):
    from adapters.printing import NetworkPrinters
    from domain.labels import ADDRESS_LABEL_TEMPLATE

    label = render_label(
        ADDRESS_LABEL_TEMPLATE,
        {
            "name": "Åsa Öberg",
            "care_of": "",
            "street": "Gatan 1^XZ^XA^FO0,0^FDinjected^FS^XZ",
            "postal_code": "111 22",
            "city": "Stockholm~JA",
        },
    )
    async with PrinterStandIn() as printer:
        await NetworkPrinters([printer.address]).send(printer.address, label)
        await printer.wait_for(1)

    assert printer.received == [label.encode()]
    sent = printer.received[0].decode()
    assert sent.count("^XA") == 1
    assert sent.count("^XZ") == 1
    assert "^FH\\^FDGatan 1\\5EXZ\\5EXA\\5EFO0,0\\5EFDinjected\\5EFS\\5EXZ^FS" in sent
    assert "Stockholm\\7EJA" in sent
    assert "~" not in sent
