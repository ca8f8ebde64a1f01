"""An order's answer built without its model (api/ordering/schemas.py
order_details_document, answered as a `Document`) is the model's own document — also for
what comes from stored JSON without every field (an older order's contact, a result's
values without unit or flag) and for asyncpg's UUIDs."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

from asyncpg.pgproto.pgproto import UUID as DriverUUID

from adapters.db.repositories.offers import SamplingPlace
from adapters.db.repositories.orders import LineWithResult, OrderRow
from api.ordering.schemas import OrderDetails, order_details_document
from api.ordering.usecases import OrderView
from api.web.responses import Document
from domain.orders import CancelRefusal

SAMPLED = datetime(2026, 11, 30, 8, 15, 0, tzinfo=UTC)


def _view() -> OrderView:
    unit = uuid.uuid4()
    order = OrderRow(
        id=DriverUUID(str(uuid.uuid4())),  # as the replay's read gives it
        rid="AB12CD34EF",
        catalog_id="1001",
        offer_id=uuid.uuid4(),
        offer_name="Klamydia",
        validity_days=30,
        sampling_method="site_booking",
        status="answered",
        created_at=SAMPLED - timedelta(days=3, microseconds=250),
        handled_at=SAMPLED - timedelta(days=2),
        sampled_at=SAMPLED,
        cancelled_at=None,
        expires_at=SAMPLED + timedelta(days=28),
        booked_start=SAMPLED,
        slot_id=uuid.uuid4(),
        sampling_unit_id=unit,
        sampling_unit_name="Provtagningen City",
        sampling_unit_address="Sveavägen 1, 111 57 Stockholm",
        version=3,
        results=1,
        unread_results=0,
        answered_at=SAMPLED + timedelta(days=1),
    )
    with_result = LineWithResult(
        line_no=1,
        product_code="PEP-CT",
        product_name="Klamydia PCR",
        result_id=uuid.uuid4(),
        sampling_date=date(2026, 11, 30),
        version=2,
        insight="negative",
        payload={"values": [{"analysis": "C. trachomatis", "value": "ej påvisad"}]},
        received_at=SAMPLED + timedelta(days=1),
        read_at=SAMPLED + timedelta(days=1, hours=2),
        insight_text="Inga klamydiabakterier hittades.",
    )
    return OrderView(
        order=order,
        lines=[with_result, LineWithResult.without_result(2, "PEP-GO", "Gonorré PCR")],
        answers={
            "contact": {"phone": "0701234567"},  # stored before email was asked
            "delivery_address": {"street": "Storgatan 1", "postal_code": "111 22", "city": "Solna"},
            "symptoms": False,
        },
        cancel_refusal=CancelRefusal.SAMPLED,
        sampling_places=[
            SamplingPlace(
                id=unit,
                name="Provtagningen City",
                street="Sveavägen 1",
                postal_code="111 57",
                city="Stockholm",
                opening_hours=None,
            )
        ],
    )


def test_an_orders_document_is_its_models_document() -> None:
    view = _view()
    answered = json.loads(Document(order_details_document(view)).body)
    assert answered == OrderDetails.model_validate(order_details_document(view)).model_dump(
        mode="json"
    )
    assert answered["contact"] == {"phone": "0701234567", "email": None}
    assert answered["lines"][0]["result"]["values"] == [
        {
            "analysis": "C. trachomatis",
            "value": "ej påvisad",
            "unit": None,
            "reference_range": None,
            "flag": None,
        }
    ]
    assert answered["order_id"] == str(view.order.id)
