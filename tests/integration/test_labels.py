"""Etiketter (home kits): waiting orders with their labels, printing (→ Hanterad), export for
transport companies, batch receipt; what the citizen then sees; the expiry job on real
orders. Each test makes its own care unit, laboratory, offer and staff member, so the orders
it asserts on are exactly its own."""

from __future__ import annotations

import asyncio
import csv
import io
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from adapters.db.models import AuditEntry, LabelPrint, Order
from api.worker import expire_orders
from tests.support.browserless_login import login
from tests.support.factories import (
    StaffClient,
    create_care_unit,
    create_laboratory,
    create_offer,
    create_staff_member,
    grant_permission,
    log_in_staff,
)

TUBE_TEMPLATE = "^XA^CI28^FO30,30^FD{rid} {tube_code} {personnummer} {sex_mark}^FS^XZ"
TOLVAN = "19901212-9897"
ANNA = "19850412-9829"
SARA = "19920707-9881"  # protected identity
ADDRESS = {"street": "Storgatan 1", "postal_code": "111 22", "city": "Stockholm"}


@dataclass
class KitUnit:
    unit: str
    catalog_id: str
    staff: StaffClient
    hsa_id: str


def _body(catalog_id: str, address: dict[str, str | None] | None = None) -> dict[str, object]:
    return {
        "catalog_id": catalog_id,
        "contact": {"phone": "0701234567"},
        "delivery_address": address or ADDRESS,
        "answers": {},
    }


async def order(new_client, citizen: str, catalog_id: str, **address: str | None) -> dict:
    """The citizen orders the kit in a browser of their own; returns the order."""
    http = new_client()
    csrf = await login(http, kind="citizen", key=citizen)
    placed = await http.post(
        "/api/citizen/orders",
        json=_body(catalog_id, {**ADDRESS, **address} if address else None),
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert placed.status_code == 201, placed.text
    result: dict = placed.json()
    result["browser"] = (http, csrf)
    return result


async def kit_unit(
    regional_admin, services, new_client, *, permissions=("labels",), method="home_kit"
) -> KitUnit:
    unit = await create_care_unit(regional_admin)
    await create_laboratory(
        regional_admin, customers=[unit], products=["PEP-CT"], label_template_zpl=TUBE_TEMPLATE
    )
    offer = await create_offer(
        regional_admin,
        sampling_method=method,
        result_care_unit_hsa_id=unit,
        asks={"contact_details": True, "delivery_address": True, "questions": []},
    )
    member = create_staff_member(services.hsa, care_units=[unit])
    for permission in permissions:
        await grant_permission(
            regional_admin,
            staff_hsa_id=member.staff.hsa_id,
            permission=permission,
            care_unit_hsa_id=unit,
        )
    staff = await log_in_staff(new_client(), key=member.key, unit=unit)
    return KitUnit(unit, offer["catalog_id"], staff, member.staff.hsa_id)


def rid_of(placed: dict) -> str:
    return placed["rid"].replace("-", "")


def address_zpl(name: str, street: str, postal_city: str, care_of: str = "") -> str:
    return (
        "^XA^CI28^PW800^LL400"
        f"^FO40,40^A0N,36,36^FB720,1,0,L^FH\\^FD{name}^FS"
        f"^FO40,90^A0N,32,32^FB720,1,0,L^FH\\^FD{care_of}^FS"
        f"^FO40,135^A0N,32,32^FB720,1,0,L^FH\\^FD{street}^FS"
        f"^FO40,180^A0N,32,32^FB720,1,0,L^FH\\^FD{postal_city}^FS"
        "^XZ"
    )


def tube_zpl(rid: str, personnummer: str, sex: str) -> str:
    return f"^XA^CI28^FO30,30^FH\\^FD{rid} T1 {personnummer} {sex}^FS^XZ"


async def audit_of(services, action: str, actor_id: str) -> list[AuditEntry]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.actor_id == actor_id)
            .order_by(AuditEntry.id)
        )
        return list(rows.scalars())


async def order_row(services, order_id: str) -> Order:
    async with services.uow() as uow:
        return (
            await uow.session.execute(select(Order).where(Order.id == uuid.UUID(order_id)))
        ).scalar_one()


# --- listing -----------------------------------------------------------------------------


async def test_a_full_page_of_waiting_kits_still_counts_every_waiting_order(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)
    await order(new_client, "erik-stockholm", kits.catalog_id)

    page = (await kits.staff.get("/api/staff/labels/orders?limit=2")).json()

    assert page["total"] == 3
    assert [o["order_id"] for o in page["orders"]] == [tolvan["order_id"], anna["order_id"]]


async def test_waiting_home_kits_of_the_unit_are_listed_with_their_labels_protected_apart(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    other = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id, care_of="Svensson")
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)
    sara = await order(new_client, "protected-person", kits.catalog_id)
    await order(new_client, "tolvan", other.catalog_id)  # another unit's

    listed = await kits.staff.get("/api/staff/labels/orders")

    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 3
    assert [o["order_id"] for o in body["orders"]] == [tolvan["order_id"], anna["order_id"]]
    first = body["orders"][0]
    assert first["rid"] == tolvan["rid"]
    assert first["personnummer"] == TOLVAN
    assert first["sex_mark"] == "M"
    assert first["name"] == "Tolvan Tolvansson"
    assert first["delivery_address"] == {"care_of": "Svensson", **ADDRESS}
    assert first["manual_handling"] is None
    assert first["laboratory_code"].startswith("LAB")
    assert first["tubes"] == [
        {
            "line_no": 1,
            "product_code": "PEP-CT",
            "product_name": "Klamydia (Chlamydia trachomatis), NAAT",
            "lab_code": "PEP-CT-L",
            "tube_code": "T1",
        }
    ]
    assert first["labels"] == [
        {
            "kind": "address",
            "line_no": None,
            "zpl": address_zpl(
                "Tolvan Tolvansson", "Storgatan 1", "111 22 Stockholm", "c/o Svensson"
            ),
        },
        {"kind": "tube", "line_no": 1, "zpl": tube_zpl(rid_of(tolvan), TOLVAN, "M")},
    ]
    assert body["orders"][1]["sex_mark"] == "K"
    assert body["orders"][1]["name"] == "Anna Maria Andersson"
    [manual] = body["manual_handling"]
    assert manual["order_id"] == sara["order_id"]
    assert manual["manual_handling"] == "protected_identity"
    assert manual["delivery_address"] is None
    assert [label["kind"] for label in manual["labels"]] == ["tube"]
    entries = await audit_of(services, "kit_orders_listed", kits.hsa_id)
    assert len(entries) == 3
    assert {e.patient_hash for e in entries} == {
        services.protector.lookup_hash(p.replace("-", "")) for p in (TOLVAN, ANNA, SARA)
    }
    assert {e.details["order_id"] for e in entries} == {
        tolvan["order_id"],
        anna["order_id"],
        sara["order_id"],
    }


# --- printing ----------------------------------------------------------------------------


async def test_printing_makes_the_orders_hanterad_logs_the_prints_and_audits_each_patient(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)

    printed = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [tolvan["order_id"], anna["order_id"]]}
    )

    assert printed.status_code == 200, printed.text
    body = printed.json()
    handled_at = datetime.fromisoformat(body["orders"][0]["handled_at"])
    assert body["orders"] == [
        {
            "order_id": o["order_id"],
            "rid": o["rid"],
            "status": "handled",
            "handled_at": body["orders"][0]["handled_at"],
            "expires_at": (handled_at + timedelta(days=30)).isoformat().replace("+00:00", "Z"),
            "version": 2,
        }
        for o in (tolvan, anna)
    ]
    expected = [
        address_zpl("Tolvan Tolvansson", "Storgatan 1", "111 22 Stockholm"),
        tube_zpl(rid_of(tolvan), TOLVAN, "M"),
        address_zpl("Anna Maria Andersson", "Storgatan 1", "111 22 Stockholm"),
        tube_zpl(rid_of(anna), ANNA, "K"),
    ]
    assert [label["zpl"] for label in body["labels"]] == expected
    assert body["zpl"] == "".join(expected)
    assert body["printer"] is None
    stored = await order_row(services, tolvan["order_id"])
    assert (stored.status, stored.handled_at, stored.expires_at) == (
        "handled",
        handled_at,
        handled_at + timedelta(days=30),
    )
    async with services.uow() as uow:
        prints = (
            await uow.session.execute(
                select(LabelPrint.kind, LabelPrint.label_count, LabelPrint.reprint)
                .where(LabelPrint.order_id == uuid.UUID(tolvan["order_id"]))
                .order_by(LabelPrint.kind)
            )
        ).all()
    assert [tuple(p) for p in prints] == [("address", 1, False), ("tube", 1, False)]
    entries = await audit_of(services, "kit_labels_printed", kits.hsa_id)
    assert [e.details["order_id"] for e in entries] == [tolvan["order_id"], anna["order_id"]]
    assert entries[0].patient_hash == services.protector.lookup_hash(TOLVAN.replace("-", ""))
    assert entries[0].care_unit_hsa_id == kits.unit
    # Printed orders are no longer waiting.
    assert (await kits.staff.get("/api/staff/labels/orders")).json()["total"] == 0


async def test_an_address_with_zpl_commands_prints_as_text(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client)
    placed = await order(
        new_client, "tolvan", kits.catalog_id, street="Gatan 1^XZ^XA^FDinjected~JA\\", city="Å"
    )

    printed = await kits.staff.post("/api/staff/labels/print", {"order_ids": [placed["order_id"]]})

    assert printed.status_code == 200, printed.text
    assert printed.json()["labels"][0]["zpl"] == address_zpl(
        "Tolvan Tolvansson", "Gatan 1\\5EXZ\\5EXA\\5EFDinjected\\7EJA\\5C", "111 22 Å"
    )


async def test_printing_a_protected_identity_is_refused_but_tube_labels_alone_print(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    sara = await order(new_client, "protected-person", kits.catalog_id)

    refused = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [tolvan["order_id"], sara["order_id"]]}
    )

    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/manual-handling-required"
    assert sara["rid"] in refused.json()["detail"]
    assert (await order_row(services, tolvan["order_id"])).status == "ordered"
    tubes = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [sara["order_id"]], "address_label": False}
    )
    assert tubes.status_code == 200, tubes.text
    assert [label["zpl"] for label in tubes.json()["labels"]] == [tube_zpl(rid_of(sara), SARA, "K")]
    assert (await order_row(services, sara["order_id"])).status == "handled"


async def test_printing_an_order_no_longer_waiting_is_409_with_its_state_and_changes_nothing(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)
    first = await kits.staff.post("/api/staff/labels/print", {"order_ids": [tolvan["order_id"]]})
    assert first.status_code == 200

    second = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [anna["order_id"], tolvan["order_id"]]}
    )

    assert second.status_code == 409
    problem = second.json()
    assert problem["type"] == "/problems/kit-orders-not-waiting"
    assert problem["detail"] == (
        "1 of the selected orders are not waiting (Beställd); nothing was changed: "
        f"{tolvan['rid']} (handled)"
    )
    assert (await order_row(services, anna["order_id"])).status == "ordered"


async def test_an_order_of_another_units_kits_is_not_found_and_nothing_is_printed(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    other = await kit_unit(regional_admin, services, new_client)
    mine = await order(new_client, "tolvan", kits.catalog_id)
    theirs = await order(new_client, "anna-stockholm", other.catalog_id)

    refused = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [mine["order_id"], theirs["order_id"]]}
    )

    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/kit-orders-not-found"
    assert theirs["order_id"] in refused.json()["detail"]
    assert (await order_row(services, mine["order_id"])).status == "ordered"
    assert await audit_of(services, "kit_labels_printed", kits.hsa_id) == []


async def test_an_empty_selection_is_refused_naming_the_field(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client)

    refused = await kits.staff.post("/api/staff/labels/print", {"order_ids": []})

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "order_ids"


async def test_a_printer_not_configured_is_refused_before_anything_changes(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    placed = await order(new_client, "tolvan", kits.catalog_id)

    refused = await kits.staff.post(
        "/api/staff/labels/print",
        {"order_ids": [placed["order_id"]], "printer": "169.254.169.254:80"},
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "printer"
    assert (await order_row(services, placed["order_id"])).status == "ordered"


@pytest.fixture
def printers(services):
    """Network printers on 127.0.0.1 allowed for the test: one that takes the labels (what
    it received is kept) and one whose port nobody listens on."""
    before = list(services.settings.network_printers)
    received: list[bytes] = []

    async def take(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.read())
        writer.close()

    async def start() -> tuple[asyncio.Server, str, str]:
        server = await asyncio.start_server(take, "127.0.0.1", 0)
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            down = f"127.0.0.1:{closed.getsockname()[1]}"
        up = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
        services.settings.network_printers = [*before, up, down]
        return server, up, down

    yield start, received
    services.settings.network_printers = before


async def test_ip_print_sends_after_the_commit_and_a_printer_down_fails_only_that_copy(
    regional_admin, services, new_client, printers
):
    start, received = printers
    server, up, down = await start()
    kits = await kit_unit(regional_admin, services, new_client)
    first = await order(new_client, "tolvan", kits.catalog_id)
    second = await order(new_client, "anna-stockholm", kits.catalog_id)
    try:
        sent = await kits.staff.post(
            "/api/staff/labels/print", {"order_ids": [first["order_id"]], "printer": up}
        )
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.02)
    finally:
        server.close()
        await server.wait_closed()
    not_sent = await kits.staff.post(
        "/api/staff/labels/print", {"order_ids": [second["order_id"]], "printer": down}
    )

    assert sent.status_code == 200, sent.text
    assert sent.json()["network_print"] == {"printer": up, "sent": True, "error": None}
    assert received == [sent.json()["zpl"].encode()]
    # The print was saved before the printer was tried: the orders are Hanterad anyway, and
    # the answer says that copy did not reach the printer (the labels are in it).
    assert not_sent.status_code == 200, not_sent.text
    assert not_sent.json()["network_print"] == {
        "printer": down,
        "sent": False,
        "error": f"the printer {down} did not answer",
    }
    assert not_sent.json()["printer"] == down
    assert (await order_row(services, second["order_id"])).status == "handled"


# --- what the citizen sees, and expiry -----------------------------------------------------


async def test_after_the_labels_print_the_citizen_sees_the_date_and_cannot_cancel(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    placed = await order(new_client, "tolvan", kits.catalog_id)
    http, csrf = placed["browser"]
    printed = await kits.staff.post("/api/staff/labels/print", {"order_ids": [placed["order_id"]]})
    handled_at = printed.json()["orders"][0]["handled_at"]

    seen = (await http.get(f"/api/citizen/orders/{placed['order_id']}")).json()
    cancel = await http.post(
        f"/api/citizen/orders/{placed['order_id']}/cancel", headers={"X-CSRF-Token": csrf}
    )

    assert seen["status"] == "handled"
    assert seen["steps"] == [
        {"step": "ordered", "at": placed["created_at"]},
        {"step": "handled", "at": handled_at},
        {"step": "sampled", "at": None},
        {"step": "answered", "at": None},
    ]
    assert seen["can_cancel"] is False
    assert seen["cancel_refusal"] == "delivery_started"
    assert cancel.status_code == 409
    assert cancel.json()["type"] == "/problems/order-cannot-be-cancelled"
    assert (await order_row(services, placed["order_id"])).status == "handled"


async def test_a_printed_order_expires_when_its_validity_from_hanterad_has_passed(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    printed_order = await order(new_client, "tolvan", kits.catalog_id)
    waiting = await order(new_client, "anna-stockholm", kits.catalog_id)
    await kits.staff.post("/api/staff/labels/print", {"order_ids": [printed_order["order_id"]]})
    expires = (await order_row(services, printed_order["order_id"])).expires_at

    services.now_override = expires - timedelta(seconds=1)
    await expire_orders({"services": services})
    assert (await order_row(services, printed_order["order_id"])).status == "handled"
    services.now_override = expires + timedelta(seconds=1)
    await expire_orders({"services": services})

    assert (await order_row(services, printed_order["order_id"])).status == "expired"
    # Validity counts from Hanterad: an order still waiting never expires.
    assert (await order_row(services, waiting["order_id"])).status == "ordered"


# --- export ------------------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("https://example.invalid/x","Klicka")'


async def _export_unit(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client, permissions=("labels", "export"))
    tolvan = await order(new_client, "tolvan", kits.catalog_id, street=HYPERLINK, care_of="+46")
    anna = await order(new_client, "anna-stockholm", kits.catalog_id, city="@Solna")
    return kits, tolvan, anna


async def test_csv_export_lists_what_the_carrier_needs_with_formulas_neutralised(
    regional_admin, services, new_client
):
    kits, tolvan, anna = await _export_unit(regional_admin, services, new_client)

    exported = await kits.staff.post(
        "/api/staff/labels/export",
        {"order_ids": [tolvan["order_id"], anna["order_id"]], "format": "csv"},
    )

    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.headers["content-disposition"].startswith('attachment; filename="hemkit-')
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Namn", "c/o", "Gatuadress", "Postnummer", "Ort", "RID"],
        ["Tolvan Tolvansson", "'+46", "'" + HYPERLINK, "111 22", "Stockholm", tolvan["rid"]],
        ["Anna Maria Andersson", "", "Storgatan 1", "111 22", "'@Solna", anna["rid"]],
    ]
    entries = await audit_of(services, "kit_orders_exported", kits.hsa_id)
    assert [e.details["order_id"] for e in entries] == [tolvan["order_id"], anna["order_id"]]
    assert {(e.details["rows"], e.details["format"]) for e in entries} == {(2, "csv")}
    assert entries[0].details["export_id"] == exported.headers["x-export-id"]
    # Exporting changes no order.
    assert (await order_row(services, tolvan["order_id"])).status == "ordered"


async def test_xlsx_export_holds_the_same_rows_as_text(regional_admin, services, new_client):
    kits, tolvan, anna = await _export_unit(regional_admin, services, new_client)

    exported = await kits.staff.post(
        "/api/staff/labels/export",
        {"order_ids": [tolvan["order_id"], anna["order_id"]], "format": "xlsx"},
    )

    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(exported.content)).active
    cells = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert cells == [
        ["Namn", "c/o", "Gatuadress", "Postnummer", "Ort", "RID"],
        ["Tolvan Tolvansson", "'+46", "'" + HYPERLINK, "111 22", "Stockholm", tolvan["rid"]],
        ["Anna Maria Andersson", "", "Storgatan 1", "111 22", "'@Solna", anna["rid"]],
    ]
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value)


async def test_export_needs_the_export_permission(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client)
    placed = await order(new_client, "tolvan", kits.catalog_id)

    refused = await kits.staff.post(
        "/api/staff/labels/export", {"order_ids": [placed["order_id"]], "format": "csv"}
    )

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"
    assert await audit_of(services, "kit_orders_exported", kits.hsa_id) == []
    [refusal] = await audit_of(services, "module:export", kits.hsa_id)
    assert refusal.outcome == "refused"


async def test_a_protected_identity_is_never_exported(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client, permissions=("labels", "export"))
    sara = await order(new_client, "protected-person", kits.catalog_id)

    refused = await kits.staff.post(
        "/api/staff/labels/export", {"order_ids": [sara["order_id"]], "format": "xlsx"}
    )

    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/manual-handling-required"
    assert await audit_of(services, "kit_orders_exported", kits.hsa_id) == []


# --- batch receipt -------------------------------------------------------------------------


async def test_batch_receipt_makes_every_order_hanterad_without_printing(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    placed = [
        await order(new_client, citizen, kits.catalog_id)
        for citizen in ("tolvan", "anna-stockholm", "protected-person")
    ]

    received = await kits.staff.post(
        "/api/staff/labels/batch-receipt", {"order_ids": [o["order_id"] for o in placed]}
    )

    assert received.status_code == 200, received.text
    body = received.json()
    assert body["received"] == 3
    handled_at = datetime.fromisoformat(body["handled_at"])
    for o in placed:
        stored = await order_row(services, o["order_id"])
        assert (stored.status, stored.handled_at, stored.expires_at, stored.version) == (
            "handled",
            handled_at,
            handled_at + timedelta(days=30),
            2,
        )
    entries = await audit_of(services, "kit_orders_received", kits.hsa_id)
    assert sorted(e.details["order_id"] for e in entries) == sorted(o["order_id"] for o in placed)
    assert {e.details["batch_id"] for e in entries} == {body["batch_id"]}
    async with services.uow() as uow:
        logged = (
            await uow.session.execute(
                select(LabelPrint).where(
                    LabelPrint.order_id.in_([uuid.UUID(o["order_id"]) for o in placed])
                )
            )
        ).all()
    assert logged == []


async def test_batch_receipt_is_all_or_nothing_and_names_every_order_in_the_way(
    regional_admin, services, new_client
):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    anna = await order(new_client, "anna-stockholm", kits.catalog_id)
    erik = await order(new_client, "erik-stockholm", kits.catalog_id)
    await kits.staff.post("/api/staff/labels/print", {"order_ids": [anna["order_id"]]})
    http, csrf = erik["browser"]
    cancelled = await http.post(
        f"/api/citizen/orders/{erik['order_id']}/cancel", headers={"X-CSRF-Token": csrf}
    )
    assert cancelled.status_code == 200

    refused = await kits.staff.post(
        "/api/staff/labels/batch-receipt",
        {"order_ids": [tolvan["order_id"], anna["order_id"], erik["order_id"]]},
    )

    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "2 of the selected orders are not waiting (Beställd); nothing was changed: "
        f"{anna['rid']} (handled), {erik['rid']} (cancelled)"
    )
    assert (await order_row(services, tolvan["order_id"])).status == "ordered"
    assert await audit_of(services, "kit_orders_received", kits.hsa_id) == []


async def test_batch_receipt_of_an_unknown_order_is_not_found(regional_admin, services, new_client):
    kits = await kit_unit(regional_admin, services, new_client)
    tolvan = await order(new_client, "tolvan", kits.catalog_id)
    stranger = str(uuid.uuid4())

    refused = await kits.staff.post(
        "/api/staff/labels/batch-receipt", {"order_ids": [tolvan["order_id"], stranger]}
    )

    assert refused.status_code == 404
    assert refused.json()["detail"] == (
        f"1 of the selected orders are not kit orders of this care unit: {stranger} (not found)"
    )
    assert (await order_row(services, tolvan["order_id"])).status == "ordered"


@pytest.mark.parametrize("module", ["labels", "order_receipt"])
async def test_the_dispatch_modules_need_their_permission(
    regional_admin, services, new_client, module
):
    kits = await kit_unit(regional_admin, services, new_client, permissions=("sampling",))
    path = "labels" if module == "labels" else "order-receipt"

    refused = await kits.staff.get(f"/api/staff/{path}/orders")

    assert refused.status_code == 403
    [refusal] = await audit_of(services, f"module:{module}", kits.hsa_id)
    assert refusal.outcome == "refused"
