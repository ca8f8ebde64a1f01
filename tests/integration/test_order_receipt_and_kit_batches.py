"""Anonymous kits ordered home (manual 3.2, 4.4): the citizen orders one, Ordermottagning
prints its address label (→ Hanterad), the citizen registers the kit that came; and the
batches of pre-labelled kits administrators make."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from adapters.db.models import AnonymousKit, AuditEntry, KitBatch, LabelPrint, Order
from tests.integration.test_labels import (
    address_zpl,
    audit_of,
    kit_unit,
    order,
    order_row,
)
from tests.support.browserless_login import login
from tests.support.factories import create_offer, log_in_staff


async def _batch(admin, catalog_id: str, count: int):
    return await admin.post("/api/admin/kit-batches", {"catalog_id": catalog_id, "count": count})


async def test_an_anonymous_kit_is_ordered_home_received_and_then_registered_on_that_order(
    regional_admin, services, new_client
):
    kits = await kit_unit(
        regional_admin, services, new_client, permissions=("order_receipt",), method="anonymous_kit"
    )
    placed = await order(new_client, "tolvan", kits.catalog_id)
    assert placed["sampling_method"] == "anonymous_kit"
    assert placed["status"] == "ordered"

    listed = (await kits.staff.get("/api/staff/order-receipt/orders")).json()
    assert [o["order_id"] for o in listed["orders"]] == [placed["order_id"]]
    assert [label["kind"] for label in listed["orders"][0]["labels"]] == ["address"]

    printed = await kits.staff.post(
        "/api/staff/order-receipt/print", {"order_ids": [placed["order_id"]]}
    )
    assert printed.status_code == 200, printed.text
    # Only the address label: the kit already carries its kit number and RID.
    assert printed.json()["zpl"] == address_zpl(
        "Tolvan Tolvansson", "Storgatan 1", "111 22 Stockholm"
    )
    assert (await order_row(services, placed["order_id"])).status == "handled"

    batch = (await _batch(regional_admin, kits.catalog_id, 1)).json()
    [kit] = batch["kits"]
    http, csrf = placed["browser"]
    registered = await http.post(
        "/api/citizen/kits",
        json={"kit_number": kit["kit_number"], "rid": kit["rid"]},
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )

    assert registered.status_code == 201, registered.text
    body = registered.json()
    # The posted order became the kit's: same order, the kit's RID; no second order.
    assert body["order_id"] == placed["order_id"]
    assert body["rid"] == kit["rid"]
    assert body["status"] == "handled"
    stored = await order_row(services, placed["order_id"])
    assert stored.rid == kit["rid"].replace("-", "")
    assert stored.anonymous_kit_id is not None
    async with services.uow() as uow:
        orders = (
            await uow.session.execute(
                select(func.count())
                .select_from(Order)
                .where(
                    Order.citizen_hash == services.protector.lookup_hash("199012129897"),
                    Order.catalog_id == kits.catalog_id,
                )
            )
        ).scalar_one()
    assert orders == 1


async def test_a_kit_fetched_elsewhere_before_the_posted_one_left_becomes_its_own_order(
    regional_admin, services, new_client
):
    kits = await kit_unit(
        regional_admin, services, new_client, permissions=("order_receipt",), method="anonymous_kit"
    )
    placed = await order(new_client, "tolvan", kits.catalog_id)
    [kit] = (await _batch(regional_admin, kits.catalog_id, 1)).json()["kits"]
    http, csrf = placed["browser"]

    registered = await http.post(
        "/api/citizen/kits",
        json={"kit_number": kit["kit_number"], "rid": kit["rid"]},
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )

    assert registered.status_code == 201, registered.text
    assert registered.json()["order_id"] != placed["order_id"]
    assert registered.json()["status"] == "ordered"
    # The order to post still waits in Ordermottagning; a registered kit is never listed.
    listed = (await kits.staff.get("/api/staff/order-receipt/orders")).json()
    assert [o["order_id"] for o in listed["orders"]] == [placed["order_id"]]


async def test_order_receipt_batch_receipt_and_export(regional_admin, services, new_client):
    kits = await kit_unit(
        regional_admin,
        services,
        new_client,
        permissions=("order_receipt", "export"),
        method="anonymous_kit",
    )
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)

    exported = await kits.staff.post(
        "/api/staff/order-receipt/export", {"order_ids": [tolvan["order_id"]], "format": "csv"}
    )
    received = await kits.staff.post(
        "/api/staff/order-receipt/batch-receipt",
        {"order_ids": [tolvan["order_id"], anna["order_id"]]},
    )

    assert exported.status_code == 200, exported.text
    assert exported.content.decode("utf-8-sig").splitlines() == [
        "Namn;c/o;Gatuadress;Postnummer;Ort;RID",
        f"Tolvan Tolvansson;;Storgatan 1;111 22;Stockholm;{tolvan['rid']}",
    ]
    assert received.status_code == 200, received.text
    assert received.json()["received"] == 2
    assert (await order_row(services, anna["order_id"])).status == "handled"


async def test_etiketter_does_not_reach_anonymous_kit_orders(regional_admin, services, new_client):
    kits = await kit_unit(
        regional_admin,
        services,
        new_client,
        permissions=("labels", "order_receipt"),
        method="anonymous_kit",
    )
    placed = await order(new_client, "tolvan", kits.catalog_id)

    listed = (await kits.staff.get("/api/staff/labels/orders")).json()
    refused = await kits.staff.post("/api/staff/labels/print", {"order_ids": [placed["order_id"]]})

    assert listed == {"total": 0, "orders": [], "manual_handling": []}
    assert refused.status_code == 404


async def test_an_anonymous_kit_offer_without_a_delivery_address_is_registered_not_ordered(
    regional_admin, new_client
):
    offer = await create_offer(
        regional_admin,
        sampling_method="anonymous_kit",
        asks={"contact_details": True, "delivery_address": False, "questions": []},
    )
    http = new_client()
    csrf = await login(http, kind="citizen", key="tolvan")

    details = await http.get(f"/api/citizen/offers/{offer['catalog_id']}")
    placed = await http.post(
        "/api/citizen/orders",
        json={"catalog_id": offer["catalog_id"], "contact": {"phone": "0701234567"}},
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    listed = [o["catalog_id"] for o in (await http.get("/api/citizen/offers")).json()]

    assert details.status_code == 403
    assert details.json()["detail"] == "the offer is not available to you (register_kit)"
    assert placed.status_code == 403
    assert offer["catalog_id"] not in listed


async def test_a_protected_identity_ordering_an_anonymous_kit_is_handled_manually(
    regional_admin, services, new_client
):
    kits = await kit_unit(
        regional_admin, services, new_client, permissions=("order_receipt",), method="anonymous_kit"
    )
    sara = await order(new_client, "protected-person", kits.catalog_id)

    listed = (await kits.staff.get("/api/staff/order-receipt/orders")).json()
    refused = await kits.staff.post(
        "/api/staff/order-receipt/print", {"order_ids": [sara["order_id"]]}
    )

    assert listed["orders"] == []
    assert [o["order_id"] for o in listed["manual_handling"]] == [sara["order_id"]]
    assert listed["manual_handling"][0]["labels"] == []
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/manual-handling-required"


# --- kit batches ---------------------------------------------------------------------------


async def test_an_administrator_makes_a_batch_of_kits_shown_once_and_stored_hashed(
    regional_admin, services, new_client
):
    offer = await create_offer(
        regional_admin,
        sampling_method="anonymous_kit",
        asks={"contact_details": True, "delivery_address": False, "questions": []},
    )

    created = await _batch(regional_admin, offer["catalog_id"], 25)

    assert created.status_code == 201, created.text
    batch = created.json()
    assert batch["catalog_id"] == offer["catalog_id"]
    assert batch["offer_name"] == offer["name"]
    kits = batch["kits"]
    assert len(kits) == 25
    assert len({k["kit_number"] for k in kits}) == len({k["rid"] for k in kits}) == 25
    assert all(len(k["kit_number"]) == 14 and len(k["rid"]) == 12 for k in kits)  # XXXX-XXXX-XX…
    batch_id = uuid.UUID(batch["batch_id"])
    async with services.uow() as uow:
        stored = (
            await uow.session.execute(
                select(AnonymousKit.kit_hash, AnonymousKit.rid).where(
                    AnonymousKit.batch_id == batch_id
                )
            )
        ).all()
        row = (
            await uow.session.execute(select(KitBatch).where(KitBatch.id == batch_id))
        ).scalar_one()
    assert {r.rid for r in stored} == {k["rid"].replace("-", "") for k in kits}
    assert {r.kit_hash for r in stored} == {
        services.protector.lookup_hash("kit:" + k["kit_number"].replace("-", "")) for k in kits
    }
    assert (row.kit_count, row.created_by_hsa_id) == (25, "SE2321000016-1004")
    entries = await audit_of(services, "admin:create_kit_batch", "SE2321000016-1004")
    [entry] = [e for e in entries if e.details["batch_id"] == str(batch_id)]
    assert entry.details == {
        "catalog_id": offer["catalog_id"],
        "batch_id": str(batch_id),
        "kits": "25",
    }
    listed = await regional_admin.get("/api/admin/kit-batches", catalog_id=offer["catalog_id"])
    assert [(b["batch_id"], b["kit_count"], b["registered"]) for b in listed.json()] == [
        (str(batch_id), 25, 0)
    ]
    # A kit of the batch registers like any pre-labelled kit.
    http = new_client()
    csrf = await login(http, kind="citizen", key="anna-stockholm")
    registered = await http.post(
        "/api/citizen/kits",
        json={"kit_number": kits[0]["kit_number"], "rid": kits[0]["rid"]},
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert registered.status_code == 201, registered.text
    listed = await regional_admin.get("/api/admin/kit-batches", catalog_id=offer["catalog_id"])
    assert listed.json()[0]["registered"] == 1


async def test_kits_are_made_only_for_anonymous_kit_offers_of_ones_own_region(
    regional_admin, new_client
):
    home_kit = await create_offer(regional_admin)
    lund = await log_in_staff(new_client(), key="central-admin", unit="SE2321000255-B001")
    skane = await create_offer(
        lund,
        region_code="12",
        sampling_method="anonymous_kit",
        result_care_unit_hsa_id="SE2321000255-B002",
        asks={"contact_details": True, "delivery_address": False, "questions": []},
    )

    wrong_kind = await _batch(regional_admin, home_kit["catalog_id"], 5)
    other_region = await _batch(regional_admin, skane["catalog_id"], 5)
    too_many = await _batch(regional_admin, home_kit["catalog_id"], 5001)

    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["errors"][0]["field"] == "catalog_id"
    assert other_region.status_code == 403
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "count"


async def test_prints_of_order_receipt_are_logged_as_address_labels(
    regional_admin, services, new_client
):
    kits = await kit_unit(
        regional_admin, services, new_client, permissions=("order_receipt",), method="anonymous_kit"
    )
    placed = await order(new_client, "tolvan", kits.catalog_id)
    await kits.staff.post("/api/staff/order-receipt/print", {"order_ids": [placed["order_id"]]})

    async with services.uow() as uow:
        prints = (
            await uow.session.execute(
                select(LabelPrint.kind, LabelPrint.label_count, LabelPrint.care_unit_hsa_id).where(
                    LabelPrint.order_id == uuid.UUID(placed["order_id"])
                )
            )
        ).all()
        entries = (
            (
                await uow.session.execute(
                    select(AuditEntry.details).where(
                        AuditEntry.action == "kit_labels_printed",
                        AuditEntry.actor_id == kits.hsa_id,
                    )
                )
            )
            .scalars()
            .all()
        )
    assert [tuple(p) for p in prints] == [("address", 1, kits.unit)]
    assert entries == [
        {
            "module": "order_receipt",
            "address_label": True,
            "printer": None,
            "order_id": placed["order_id"],
        }
    ]
