"""Rules of integration clients (domain/integration.py) and the Avvisad step
(domain/orders.py `mark_rejected`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import IntegrationActor, IntegrationOrganisation
from domain.audit import audit_event
from domain.errors import InvalidInput
from domain.integration import (
    InsufficientScope,
    InvalidScope,
    OrderPlacement,
    batch_size,
    check_scopes,
    granted_scopes,
    lease_length,
    require_scopes,
    sees,
)
from domain.orders import OrderState, OrderStatus, OrderStatusConflict, mark_rejected

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LAB, OTHER_LAB, UNIT, CARE = (uuid.uuid4() for _ in range(4))


def placement(**fields: uuid.UUID | None) -> OrderPlacement:
    values: dict[str, uuid.UUID | None] = {
        "laboratory_id": None,
        "sampling_unit_id": None,
        "sampled_at_unit_id": None,
        "result_care_unit_id": None,
    }
    values.update(fields)
    return OrderPlacement(**values)


def test_no_scope_asked_grants_every_scope_the_client_holds() -> None:
    held = frozenset({"orders:read", "orders:write"})
    assert granted_scopes(None, allowed=held) == held
    assert granted_scopes("orders:read", allowed=held) == {"orders:read"}


def test_asking_for_a_scope_the_client_does_not_hold_is_invalid_scope() -> None:
    with pytest.raises(InvalidScope):
        granted_scopes("orders:read results:write", allowed=frozenset({"orders:read"}))


def test_a_missing_scope_names_every_scope_needed() -> None:
    actor = IntegrationActor(client_id="c", scopes=frozenset({"orders:read"}))
    with pytest.raises(InsufficientScope) as refused:
        require_scopes(actor, ["orders:read", "orders:write"])
    assert refused.value.needed == ("orders:write",)
    assert refused.value.www_authenticate == (
        'Bearer error="insufficient_scope", scope="orders:write"'
    )


def test_unknown_scopes_are_refused_when_set() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_scopes(["orders:read", "orders:delete"])
    assert refused.value.code == "unknown_scope"


@pytest.mark.parametrize(
    ("order", "visible"),
    [
        (placement(laboratory_id=LAB), True),
        (placement(laboratory_id=OTHER_LAB), False),
        (placement(sampling_unit_id=UNIT), True),
        (placement(sampled_at_unit_id=UNIT, laboratory_id=OTHER_LAB), True),
        (placement(result_care_unit_id=CARE), True),
        (placement(), False),
    ],
)
def test_a_client_sees_orders_of_its_labs_sampling_units_and_result_units(
    order: OrderPlacement, visible: bool
) -> None:
    organisation = IntegrationOrganisation(
        laboratory_ids=frozenset({LAB}),
        sampling_unit_ids=frozenset({UNIT}),
        care_unit_ids=frozenset({CARE}),
    )
    assert sees(organisation, order) is visible


def test_lease_defaults_and_stays_within_bounds() -> None:
    assert lease_length(None, default=120, maximum=900) == timedelta(seconds=120)
    assert lease_length(900, default=120, maximum=900) == timedelta(seconds=900)
    for wrong in (4, 901):
        with pytest.raises(InvalidInput):
            lease_length(wrong, default=120, maximum=900)


def test_claim_batch_stays_within_bounds() -> None:
    assert batch_size(None, maximum=500) == 100
    with pytest.raises(InvalidInput):
        batch_size(501, maximum=500)


@pytest.mark.parametrize("status", [OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED])
def test_an_ongoing_order_may_be_rejected_with_a_reason(status: OrderStatus) -> None:
    order = OrderState(status=status, created_at=NOW - timedelta(days=1), version=2)
    rejected = mark_rejected(order, reason=" Hemolys ", now=NOW)
    assert (rejected.status, rejected.rejected_at, rejected.version) == (
        OrderStatus.REJECTED,
        NOW,
        3,
    )


@pytest.mark.parametrize(
    "status",
    [OrderStatus.ANSWERED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REJECTED],
)
def test_a_finished_order_cannot_be_rejected_and_the_conflict_carries_its_state(
    status: OrderStatus,
) -> None:
    order = OrderState(status=status, created_at=NOW, version=4)
    with pytest.raises(OrderStatusConflict) as refused:
        mark_rejected(order, reason="x", now=NOW)
    assert refused.value.problem_extensions["order_status"] == status.value


def test_a_rejection_needs_a_reason() -> None:
    order = OrderState(status=OrderStatus.SAMPLED, created_at=NOW)
    with pytest.raises(InvalidInput) as refused:
        mark_rejected(order, reason="  ", now=NOW)
    assert refused.value.field == "reason"


def test_an_integration_clients_audit_entry_names_the_client() -> None:
    actor = IntegrationActor(client_id="pep-abc", scopes=frozenset({"orders:read"}))
    event = audit_event(actor, "integration:claim_orders", now=NOW)
    assert (event.actor_kind, event.actor_id, event.care_unit_hsa_id) == (
        "integration",
        "pep-abc",
        None,
    )
