"""Revision 0011 gives every order placed before it the care unit its result goes to, by the
rule that decided it at sampling before (and now at ordering): an assigned offer's result
goes to the unit that assigned it, any other to the offer's result unit; a recipient already
stored stays. Run on a scratch database of its own, with plain SQL (psycopg)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.support import environment

PLACED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def database_at_0010():
    name, url = environment.create_database("pep_migration_0011")
    environment.migrate(url, "0010")
    yield url
    environment.drop_database(name)


def _care_unit(db: psycopg.Connection, hsa_id: str) -> uuid.UUID:
    unit_id = uuid.uuid4()
    db.execute(
        "INSERT INTO care_units (id, hsa_id, name, region_code, care_giver_hsa_id,"
        " care_giver_name) VALUES (%s, %s, 'Enhet', '01', 'SE2321000016-0001', 'Region')",
        (unit_id, hsa_id),
    )
    return unit_id


def _offer(db: psycopg.Connection, catalog_id: str, visibility: str, unit: uuid.UUID) -> uuid.UUID:
    offer_id = uuid.uuid4()
    db.execute(
        "INSERT INTO offers (id, catalog_id, version, region_code, name, instructions,"
        " sampling_method, visibility, validity_days, result_care_unit_id)"
        " VALUES (%s, %s, 1, '01', 'Erbjudande', '<p>x</p>', 'home_kit', %s, 30, %s)",
        (offer_id, catalog_id, visibility, unit),
    )
    return offer_id


def _order(
    db: psycopg.Connection,
    offer_id: uuid.UUID,
    catalog_id: str,
    citizen: bytes,
    *,
    recipient: uuid.UUID | None = None,
) -> uuid.UUID:
    order_id = uuid.uuid4()
    db.execute(
        "INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id, catalog_id,"
        " sampling_method, status, answers_encrypted, created_at, result_care_unit_id)"
        " VALUES (%s, %s, %s, 'x', %s, %s, 'home_kit', 'ordered', 'x', %s, %s)",
        (order_id, uuid.uuid4().hex[:10].upper(), citizen, offer_id, catalog_id, PLACED, recipient),
    )
    return order_id


def test_orders_placed_before_0011_get_the_unit_their_result_goes_to(database_at_0010):
    url = database_at_0010.replace("postgresql+asyncpg://", "postgresql://", 1)
    citizen, other_citizen = b"c" * 32, b"d" * 32
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(
            "INSERT INTO regions (code, name) VALUES ('01', 'Stockholm') ON CONFLICT DO NOTHING"
        )
        offer_unit = _care_unit(db, "SE-OFFER")
        assigner = _care_unit(db, "SE-ASSIGNER")
        later_assigner = _care_unit(db, "SE-LATER")
        kept = _care_unit(db, "SE-KEPT")
        general = _offer(db, "9001", "general", offer_unit)
        personal = _offer(db, "9002", "personal", offer_unit)
        for unit, at in (
            (assigner, PLACED - timedelta(days=2)),
            (later_assigner, PLACED + timedelta(hours=1)),
        ):
            db.execute(
                "INSERT INTO assigned_offers (id, personnummer_hash, personnummer_encrypted,"
                " catalog_id, assigning_care_unit_id, assigned_by_hsa_id, assigned_at)"
                " VALUES (%s, %s, 'x', '9002', %s, 'SE-STAFF', %s)",
                (uuid.uuid4(), citizen, unit, at),
            )
        general_order = _order(db, general, "9001", citizen)
        personal_order = _order(db, personal, "9002", citizen)
        unassigned_order = _order(db, personal, "9002", other_citizen)
        sampled_order = _order(db, general, "9001", citizen, recipient=kept)

    environment.migrate(database_at_0010, "0011")

    with psycopg.connect(url) as db:
        rows = dict(
            db.execute(
                "SELECT id, result_care_unit_id FROM orders WHERE id = ANY(%s)",
                ([general_order, personal_order, unassigned_order, sampled_order],),
            ).fetchall()
        )
    assert rows == {
        general_order: offer_unit,
        # The assignment made before the order, not the one made after it.
        personal_order: assigner,
        unassigned_order: offer_unit,
        sampled_order: kept,
    }
