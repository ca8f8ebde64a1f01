"""Tables. The schema is made only by alembic (migrations/); a test proves these models and
the migration head agree. The models declare no ORM relationships at all, so nothing can
load behind a query's back: repositories join or batch what they need explicitly (tests count
the statements of list endpoints). A relationship added later must be lazy="raise"."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONB, list[Any]: JSONB}


def _uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now())


class Region(Base):
    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class CareUnit(Base):
    __tablename__ = "care_units"
    id: Mapped[uuid.UUID] = _uuid_pk()
    hsa_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    care_giver_hsa_id: Mapped[str] = mapped_column(String(64))
    care_giver_name: Mapped[str] = mapped_column(String(200))
    # Which insight results the unit's worklist shows, e.g. ["positive"].
    worklist_insights: Mapped[list[Any]] = mapped_column(server_default=text("'[]'::jsonb"))
    # Where the unit's results are delivered (svarsmottagare), when not the unit itself.
    result_recipient_hsa_id: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[datetime] = _created_at()


class Laboratory(Base):
    __tablename__ = "laboratories"
    id: Mapped[uuid.UUID] = _uuid_pk()
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    label_template_zpl: Mapped[str | None] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class LaboratoryCustomer(Base):
    """A care unit the laboratory may send results to."""

    __tablename__ = "laboratory_customers"
    laboratory_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("laboratories.id"), primary_key=True
    )
    care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"), primary_key=True)


class SamplingUnit(Base):
    __tablename__ = "sampling_units"
    id: Mapped[uuid.UUID] = _uuid_pk()
    hsa_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    opening_hours: Mapped[str | None] = mapped_column(String(500))
    # The care unit (vårdenhet) the site belongs to, when its staff hold their assignments
    # there rather than at the site's own HSA-id (domain/sampling.py: which sampling unit a
    # nurse works at).
    care_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_units.id"), unique=True)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class SamplingUnitLaboratory(Base):
    __tablename__ = "sampling_unit_laboratories"
    sampling_unit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sampling_units.id"), primary_key=True
    )
    laboratory_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("laboratories.id"), primary_key=True
    )


class Product(Base):
    """A national product code (analysis), e.g. chlamydia NAAT."""

    __tablename__ = "products"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    material: Mapped[str] = mapped_column(String(100))
    npu_code: Mapped[str | None] = mapped_column(String(32))
    # An infection followed up by contact tracing (chlamydia, gonorrhoea): what
    # Behandlingsansvar and Smittspårning look for (issue 10, slice C).
    contact_tracing: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class LaboratoryProductMapping(Base):
    __tablename__ = "laboratory_product_mappings"
    laboratory_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("laboratories.id"), primary_key=True
    )
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"), primary_key=True)
    lab_code: Mapped[str] = mapped_column(String(32))
    tube_code: Mapped[str] = mapped_column(String(32))
    material: Mapped[str] = mapped_column(String(100))


class Offer(Base):
    """One version of an offer. An order refers to the version it was made from, so editing
    an offer inserts a new version and never changes existing orders."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("catalog_id", "version", name="uq_offers_catalog_id_version"),
        CheckConstraint(
            "sampling_method IN ('site_booking','site_drop_in','home_kit','anonymous_kit')",
            name="sampling_method",
        ),
        CheckConstraint("visibility IN ('personal','general','nationwide')", name="visibility"),
        CheckConstraint("sex IS NULL OR sex IN ('F','M')", name="sex"),
        Index(
            "uq_offers_one_current_version",
            "catalog_id",
            unique=True,
            postgresql_where=text("is_current"),
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    catalog_id: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    name: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text)
    sampling_method: Mapped[str] = mapped_column(String(20))
    visibility: Mapped[str] = mapped_column(String(20))
    # What the order asks of the citizen: contact, delivery address, order key, questions...
    asks: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    validity_days: Mapped[int] = mapped_column(Integer)
    result_care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"))
    # The citizen's text per insight for this offer's results ({"positive": "..."}), over
    # the default of each insight (insight_texts); a result template's text goes first.
    insight_texts: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(1))
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    usage_period_days: Mapped[int | None] = mapped_column(Integer)
    active_from: Mapped[date | None] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = _created_at()
    created_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OfferProduct(Base):
    __tablename__ = "offer_products"
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id"), primary_key=True)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"), primary_key=True)


class OfferAssigningUnit(Base):
    """Care units allowed to assign a (personal) offer."""

    __tablename__ = "offer_assigning_units"
    catalog_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"), primary_key=True)


class PersonCacheEntry(Base):
    """The person register's answer, cached (SPEC §4.1). Looked up by a keyed hash of the
    personnummer; the person data itself is stored encrypted."""

    __tablename__ = "person_cache"
    personnummer_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    payload_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class StaffPermission(Base):
    """A permission (behörighet) for one staff member in one module. Patient-data modules and
    unit administration are scoped to a care unit; regional administration to a region;
    operator and central administration are national."""

    __tablename__ = "staff_permissions"
    __table_args__ = (
        CheckConstraint(
            "(module IN ('region_admin') AND region_code IS NOT NULL AND care_unit_id IS NULL)"
            " OR (module IN ('operator','central_admin') AND region_code IS NULL"
            " AND care_unit_id IS NULL)"
            " OR (module NOT IN ('region_admin','operator','central_admin')"
            " AND care_unit_id IS NOT NULL AND region_code IS NULL)",
            name="scope",
        ),
        Index(
            "uq_staff_permissions_active",
            "staff_hsa_id",
            "module",
            text("coalesce(care_unit_id::text, '')"),
            text("coalesce(region_code, '')"),
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    staff_hsa_id: Mapped[str] = mapped_column(String(64), index=True)
    module: Mapped[str] = mapped_column(String(40))
    care_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_units.id"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    granted_by_hsa_id: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Names as the HSA directory gave them when the permission was granted (None for rows
    # from before names were kept, and for grants made by the demo data).
    staff_name: Mapped[str | None] = mapped_column(String(200))
    granted_by_name: Mapped[str | None] = mapped_column(String(200))
    revoked_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Append-only (a trigger refuses UPDATE and DELETE). Written in the same transaction as
    the action it records. The patient is kept as a keyed hash (to find entries for a person)
    and encrypted (to show them to an auditor), never in clear."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    # HSA-id for staff, the client id for machines; for citizens the keyed hash (hex).
    actor_id: Mapped[str] = mapped_column(String(128), index=True)
    care_unit_hsa_id: Mapped[str | None] = mapped_column(String(64))
    assignment_id: Mapped[str | None] = mapped_column(String(64))
    assignment_purpose: Mapped[str | None] = mapped_column(String(100))
    patient_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32), index=True)
    patient_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(server_default=text("'{}'::jsonb"))


class AssignedOffer(Base):
    """A personal offer assigned to one citizen by staff of a care unit. Several care units
    may assign the same offer to one patient (manual 4.10), each once."""

    __tablename__ = "assigned_offers"
    __table_args__ = (
        Index(
            "uq_assigned_offers_active_unit",
            "personnummer_hash",
            "catalog_id",
            "assigning_care_unit_id",
            unique=True,
            postgresql_where=text("removed_at IS NULL"),
        ),
        # Tilldelade erbjudanden: one index per sort the list offers, each over the unit's
        # active assignments in that order (migration 0014, ADR 10).
        *(
            Index(
                name,
                "assigning_care_unit_id",
                *key,
                postgresql_where=text("removed_at IS NULL"),
            )
            for name, key in (
                ("ix_assigned_offers_unit_assigned", ("assigned_at", "id")),
                (
                    "ix_assigned_offers_unit_last_used",
                    (text("coalesce(last_used_at, '-infinity'::timestamptz)"), "id"),
                ),
                ("ix_assigned_offers_unit_times_used", ("times_used", "id")),
                (
                    "ix_assigned_offers_unit_assigned_by",
                    (text("coalesce(assigned_by_name, assigned_by_hsa_id)"), "id"),
                ),
                ("ix_assigned_offers_unit_offer", ("catalog_id", "assigned_at", "id")),
            )
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    personnummer_hash: Mapped[bytes] = mapped_column(LargeBinary(32), index=True)
    personnummer_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    catalog_id: Mapped[str] = mapped_column(String(32))
    assigning_care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"))
    assigned_by_hsa_id: Mapped[str] = mapped_column(String(64))
    # The assigner's name as their login had it (None for rows from before names were kept).
    assigned_by_name: Mapped[str | None] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    times_used: Mapped[int] = mapped_column(Integer, server_default="0")
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SamplingSlot(Base):
    """A bookable time at a sampling unit. `booked` can never pass `capacity`: the database
    enforces it, so no race between concurrent bookings can overbook."""

    __tablename__ = "sampling_slots"
    __table_args__ = (
        UniqueConstraint("sampling_unit_id", "starts_at", name="uq_sampling_slots_unit_start"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="positive_length"),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    sampling_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sampling_units.id"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, server_default="0")


class AnonymousKit(Base):
    """A pre-labelled kit (opersonligt provtagningskit). The kit number is stored only as a
    keyed hash, so the table cannot be read to claim kits."""

    __tablename__ = "anonymous_kits"
    id: Mapped[uuid.UUID] = _uuid_pk()
    kit_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    rid: Mapped[str] = mapped_column(String(16), unique=True)
    catalog_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = _created_at()
    registered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The batch an administrator created the kit in (None for kits from before batches).
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kit_batches.id"), index=True)


class KitBatch(Base):
    """Pre-labelled kits an administrator created together for an anonymous-kit offer. The
    kit numbers were shown once, when the batch was made; only their hashes are kept."""

    __tablename__ = "kit_batches"
    __table_args__ = (CheckConstraint("kit_count > 0", name="kit_count_positive"),)
    id: Mapped[uuid.UUID] = _uuid_pk()
    catalog_id: Mapped[str] = mapped_column(String(32), index=True)
    kit_count: Mapped[int] = mapped_column(Integer)
    created_by_hsa_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(
            "status IN ('ordered','handled','sampled','answered','cancelled','expired','rejected')",
            name="status",
        ),
        Index("ix_orders_citizen_created", "citizen_hash", "created_at"),
        # Usage limits count a citizen's orders of one offer within a period.
        Index("ix_orders_citizen_catalog_created", "citizen_hash", "catalog_id", "created_at"),
        # Bokade tider: a sampling unit's bookings of one day.
        Index("ix_orders_unit_booked", "sampling_unit_id", "booked_start"),
        # Utskrivna: the orders sampled at a sampling unit, newest first.
        Index("ix_orders_sampled_at_unit", "sampled_at_unit_id", "sampled_at"),
        # Integration platforms fetch a laboratory's sampled orders.
        Index("ix_orders_laboratory_status", "laboratory_id", "status"),
        # The integration API's order list: per way the client sees an order, its orders of
        # a status by when they last moved (migration 0015; the key is exactly
        # integration_deliveries._CHANGED_AT).
        *(
            Index(
                f"ix_orders_{name}_status_changed",
                column,
                "status",
                text(
                    "GREATEST(created_at, handled_at, sampled_at, answered_at, cancelled_at,"
                    " rejected_at)"
                ),
                "id",
                postgresql_where=text(f"{column} IS NOT NULL"),
            )
            for name, column in (
                ("laboratory", "laboratory_id"),
                ("sampling_unit", "sampling_unit_id"),
                ("sampled_at_unit", "sampled_at_unit_id"),
                ("result_care_unit", "result_care_unit_id"),
            )
        ),
        # Etiketter and Ordermottagning: kit orders waiting to be sent, per offer, oldest first.
        Index(
            "ix_orders_waiting_dispatch",
            "offer_id",
            "created_at",
            postgresql_where=text(
                "status = 'ordered' AND sampling_method IN ('home_kit', 'anonymous_kit')"
            ),
        ),
    )
    # Random (uuid4), so ids in URLs reveal nothing and cannot be guessed.
    id: Mapped[uuid.UUID] = _uuid_pk()
    rid: Mapped[str] = mapped_column(String(16), unique=True)
    citizen_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    citizen_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id"))
    catalog_id: Mapped[str] = mapped_column(String(32))
    sampling_method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    # Contact details, delivery address, order key, answers: personal data, encrypted.
    answers_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    slot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sampling_slots.id"))
    sampling_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sampling_units.id"))
    booked_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anonymous_kit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("anonymous_kits.id"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sampled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Set once, when the order is sampled (Provtagen), and locked from then on: the
    # laboratory it was opened as, the sampling unit where it was sampled, by whom, and the
    # care unit that receives its results (a customer of that laboratory).
    laboratory_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("laboratories.id"))
    sampled_at_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sampling_units.id"))
    sampled_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    result_care_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_units.id"))
    # Avvisad: an integration platform or laboratory refused the order or its sample, with
    # the reason it gave (terminal; issue 9).
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class LabelPrint(Base):
    """One print of an order's labels (Utskriftslogg): sample labels at a sampling unit, tube
    or address labels of a home kit. Repeats are rows of their own, marked `reprint`."""

    __tablename__ = "label_prints"
    __table_args__ = (
        CheckConstraint("kind IN ('sample','tube','address')", name="kind"),
        CheckConstraint("label_count > 0", name="label_count_positive"),
        Index("ix_label_prints_unit_printed", "sampling_unit_id", "printed_at"),
        Index("ix_label_prints_care_unit_printed", "care_unit_hsa_id", "printed_at"),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    # The log goes with the order when the citizen deletes it; the audit log keeps the fact.
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    sampling_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sampling_units.id"))
    care_unit_hsa_id: Mapped[str] = mapped_column(String(64))
    printed_by_hsa_id: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reprint: Mapped[bool] = mapped_column(Boolean)
    label_count: Mapped[int] = mapped_column(Integer)


class OrderLine(Base):
    """One product of an order: one tube label, later one result."""

    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no", name="uq_order_lines_order_line"),)
    id: Mapped[uuid.UUID] = _uuid_pk()
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str] = mapped_column(ForeignKey("products.code"))


class Result(Base):
    """A result for one order line. Unique per line and sampling date; a correction is a new
    version and the newest version is the one shown."""

    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint(
            "order_line_id", "sampling_date", "version", name="uq_results_line_date_version"
        ),
        CheckConstraint(
            "insight IS NULL OR insight IN ('positive','negative','technical_error','answer')",
            name="insight",
        ),
        CheckConstraint("source IN ('electronic','manual')", name="source"),
        # Only a manual result names who registered it, where and with which template.
        CheckConstraint(
            "source = 'manual' OR (registered_by_hsa_id IS NULL"
            " AND registered_at_care_unit_id IS NULL AND result_template_id IS NULL)",
            name="registration",
        ),
        # Svarslogg: a care unit's manually registered results, newest first.
        Index(
            "ix_results_manual_log",
            "registered_at_care_unit_id",
            text("received_at DESC"),
            text("id DESC"),
            postgresql_where=text("registered_at_care_unit_id IS NOT NULL"),
        ),
        # A laboratory's result id and version are received once (idempotent intake).
        Index(
            "uq_results_lab_result_version",
            "laboratory_id",
            "lab_result_id",
            "lab_version",
            unique=True,
            postgresql_where=text("lab_result_id IS NOT NULL"),
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    # Looked up through uq_results_line_date_version, which leads with it (no index of its
    # own since revision 0016).
    order_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE")
    )
    sampling_date: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    insight: Mapped[str | None] = mapped_column(String(20))
    # Values, units, reference ranges and the lab's comment, encrypted.
    payload_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Where the version came from (domain/results.py): the laboratory's own result id and
    # version (electronic results; None for manual ones), sent electronically or registered
    # by hand, and a keyed hash of its content (a re-send under the same version is told
    # from a correction sent without a new version).
    laboratory_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("laboratories.id"))
    lab_result_id: Mapped[str | None] = mapped_column(String(64))
    lab_version: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(12), server_default="manual")
    content_hash: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    # Svarsregistrering (issue 10): who registered a manual result (HSA id and name as the
    # login had them), at which care unit, with which result template (svarsmall).
    registered_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    registered_by_name: Mapped[str | None] = mapped_column(String(200))
    registered_at_care_unit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("care_units.id")
    )
    result_template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("result_templates.id"))


class IdempotencyRecord(Base):
    """An unsafe call made with an Idempotency-Key, stored in the same transaction as the
    call's effects: a retry is answered from the order it made (as that order is now) and
    changes nothing. Nothing of the order's content is kept here: the fingerprint is a keyed
    hash, and a deleted order cannot be replayed (its id no longer leads anywhere)."""

    __tablename__ = "idempotency_records"
    actor_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(32))
    status_code: Mapped[int] = mapped_column(Integer)
    # The order the call made (set when it is answered).
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # No longer written (it held the answer in plain text); emptied by revision 0005 and
    # dropped by a later one.
    response: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class UsageCount(Base):
    """Uses of an offer that still count against its usage limit after their orders were
    deleted (deleting must not give a use back). Content-free: who (keyed hash), which offer,
    which day, how many."""

    __tablename__ = "usage_counts"
    __table_args__ = (CheckConstraint("uses > 0", name="positive"),)
    citizen_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    catalog_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    counted_on: Mapped[date] = mapped_column(Date, primary_key=True)
    uses: Mapped[int] = mapped_column(Integer)


class ResultTemplate(Base):
    """A laboratory's template for manual result registration (svarsmall)."""

    __tablename__ = "result_templates"
    __table_args__ = (
        UniqueConstraint("laboratory_id", "name", name="uq_result_templates_lab_name"),
        CheckConstraint(
            "insight IS NULL OR insight IN ('positive','negative','technical_error','answer')",
            name="insight",
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    laboratory_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("laboratories.id"))
    name: Mapped[str] = mapped_column(String(200))
    # [{"analysis", "unit", "reference_range"}]
    analyses: Mapped[list[Any]] = mapped_column()
    default_comment: Mapped[str | None] = mapped_column(Text)
    insight: Mapped[str | None] = mapped_column(String(20))
    # What the citizen reads for this template's insight (over the offer's and the default).
    insight_text: Mapped[str | None] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class HelpText(Base):
    """Help for one input field of the professional app, shown when help is toggled on."""

    __tablename__ = "help_texts"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    text_sv: Mapped[str] = mapped_column(Text)
    # Swedish alone will do; the English locale falls back to it.
    text_en: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = _created_at()


class IntegrationClient(Base):
    """A machine allowed to call the integration API (OAuth2 client credentials, ADR 7):
    its scopes and the organisation whose orders it sees. The secret is kept only as a keyed
    hash (adapters/integration_tokens.py)."""

    __tablename__ = "integration_clients"
    id: Mapped[uuid.UUID] = _uuid_pk()
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The region whose administrators manage the client.
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # The organisation: ids of laboratories, sampling units and care units. Arrays, since
    # the row is read whole on every call; configuration is retired, never deleted, so the
    # ids stay valid (the administration checks them when they are set).
    laboratory_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), server_default=text("'{}'")
    )
    sampling_unit_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), server_default=text("'{}'")
    )
    care_unit_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), server_default=text("'{}'")
    )
    # RFC 8705: tokens are bound to this client certificate (SHA-256 thumbprint, base64url).
    certificate_thumbprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by_hsa_id: Mapped[str] = mapped_column(String(64))
    secret_rotated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class IntegrationDelivery(Base):
    """An order waiting for one client, or handed out to it under a lease (ADR 7): the
    queue of leased polling. Narrow on purpose (claims update it, acknowledgements delete
    it; the orders table is never written by polling). Rows are made by a trigger on
    `orders` when an order becomes handled or sampled, for every client that sees it, and
    when a client is created or its organisation changes."""

    __tablename__ = "integration_deliveries"
    __table_args__ = (
        Index("ix_integration_deliveries_queue", "client_id", "seq"),
        Index("ix_integration_deliveries_order_id", "order_id"),
        # Room on each page for the claim's update to stay HOT (no new index entries).
        {"postgresql_with": {"fillfactor": 50}},
    )
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integration_clients.id", ondelete="CASCADE"), primary_key=True
    )
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    # The position in the client's queue (a sequence: a re-queued order goes to the end).
    seq: Mapped[int] = mapped_column(
        BigInteger, server_default=text("nextval('integration_delivery_seq')")
    )
    lease_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    leased_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_out: Mapped[int] = mapped_column(Integer, server_default="0")


class IntegrationQueueHead(Base):
    """Per client, a sequence number below which its queue holds no rows: claims start their
    index scan here instead of walking over the entries of acknowledged (deleted) rows, which
    a long transaction elsewhere keeps from being vacuumed (ADR 7)."""

    __tablename__ = "integration_queue_heads"
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integration_clients.id", ondelete="CASCADE"), primary_key=True
    )
    head_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")


class OutboxEvent(Base):
    """An event written in the transaction of the change it announces, delivered after
    commit by the worker (api/outbox): at least once, its id being the delivery key the
    consumers deduplicate by; retried with back-off, dead-lettered after the last attempt.
    The payload holds ids only, never health data."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        CheckConstraint("status IN ('pending','delivered','dead')", name="status"),
        Index(
            "ix_outbox_events_pending",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_outbox_events_dead", "created_at", postgresql_where=text("status = 'dead'")),
    )
    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A worker's claim: others leave the event alone until then (a killed worker's claim
    # simply runs out).
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CareUnitResultDelivery(Base):
    """The local "result recipient's system" (adapters/notifications): a result delivered to
    a care unit, once per outbox event (`received` counts repeated deliveries of the same
    event, which change nothing else). The unit's own system fetches it with a lease and
    acknowledges it (results polling, `results:read`)."""

    __tablename__ = "care_unit_result_deliveries"
    __table_args__ = (
        Index(
            "ix_care_unit_result_deliveries_waiting",
            "care_unit_id",
            "delivered_at",
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
    )
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"))
    # The result goes with the citizen's deletion of the order (SPEC §3).
    result_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("results.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received: Mapped[int] = mapped_column(Integer, server_default="1")
    lease_token: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    leased_by: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_out: Mapped[int] = mapped_column(Integer, server_default="0")
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# --- Issue 10, slice A: manual result registration, Svarslogg, insight texts ---


class InsightText(Base):
    """The neutral default text of an insight (manual 3.5: Positivt, Negativt, Tekniskt fel,
    Svar), shown to the citizen when neither the result template nor the offer says more.
    Seeded by revision 0011; edited by central administrators."""

    __tablename__ = "insight_texts"
    __table_args__ = (
        CheckConstraint(
            "insight IN ('positive','negative','technical_error','answer')", name="insight"
        ),
    )
    insight: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by_hsa_id: Mapped[str | None] = mapped_column(String(64))


# --- Issue 10, slice B: inbox, notifications, contact details, reminders ---


class CitizenContactDetails(Base):
    """Where the citizen wants to be notified (domain/notifications.py): e-mail and mobile
    number, encrypted (bound to the citizen's keyed hash), edited with If-Match."""

    __tablename__ = "citizen_contact_details"
    citizen_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    email_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    mobile_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxMessage(Base):
    """A message of the citizen's inbox (Inkorg): a result arrived, was corrected, or is
    still unread (the reminder). Never the result itself. `origin_id` is what the message
    was made for — the outbox event of a result or correction, the reminded message of a
    reminder — and is unique: a message is made once, however often that is delivered.
    Shown to the citizen once the inbox delivery is done (`delivered_at`)."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('result','correction','reminder')", name="kind"),
        Index("ix_inbox_messages_citizen_created", "citizen_hash", "created_at"),
        # The reminder job's scan: announcing messages not settled yet, oldest first.
        Index(
            "ix_inbox_messages_reminder_due",
            "created_at",
            postgresql_where=text(
                "reminder_settled_at IS NULL AND kind IN ('result','correction')"
            ),
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    origin_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    citizen_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    # The messages go with the order when the citizen deletes it (manual 3.7).
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the reminder question was settled for an announcing message: reminded (a
    # reminder message with this message as its origin exists), or no longer needed (read,
    # its results read, or a newer message about the order took over).
    reminder_settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationDelivery(Base):
    """One inbox message on one channel (inbox, e-mail, SMS), delivered by the worker from
    its outbox event (docs/adr/0009-notifications.md): claimed under a token before sending,
    past the point of no return (`handed_over`) just before the message is irrevocably
    handed over, `sent` when confirmed. The address is not copied here: it is read from the
    contact details when sending."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "channel", name="uq_notification_deliveries_message"),
        CheckConstraint("channel IN ('inbox','email','sms')", name="channel"),
        CheckConstraint(
            "state IN ('pending','sending','handed_over','sent','skipped')", name="state"
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inbox_messages.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(12), server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    claim_token: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The channel's own id of what it accepted (the SMS gateway's message id).
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LocalSmsMessage(Base):
    """The local SMS gateway (adapters/notifications/sms.py) of development and tests: what
    it was given, one row per reference as a real gateway deduplicates (`received` counts
    repeats, which change nothing else)."""

    __tablename__ = "local_sms_messages"
    reference: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    recipient_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received: Mapped[int] = mapped_column(Integer, server_default="1")


# --- Issue 10, slice C: worklist, treatment responsibility, contact tracing ---


class WorklistEntry(Base):
    """The worklist's read model (docs/adr/0010-worklist-read-model.md): one row per order
    line whose newest result has an insight — that version's insight, result time and read
    time, whether the line's result care unit follows the insight (`followed`, from the
    unit's `worklist_insights`), and what the worklist adds (archived, treatment taken over,
    comments). Kept by the triggers of revision 0013 on `results`, `orders` and
    `care_units`, so every way a result is stored keeps it true; the worklist's own changes
    are made by its use cases. `change_seq` is drawn anew at every change: the unit's change
    token is made from it. The partial indexes hold only followed rows, active and archived
    apart, so a unit's active list, count and change token walk only its active followed
    rows."""

    __tablename__ = "worklist_entries"
    __table_args__ = (
        CheckConstraint(
            "insight IS NULL OR insight IN ('positive','negative','technical_error','answer')",
            name="insight",
        ),
        Index("ix_worklist_entries_order_id", "order_id"),
        # The configuration of a unit changes: its rows are found by unit and insight.
        Index("ix_worklist_entries_unit_insight", "care_unit_id", "insight"),
        # The list by result date (and its date range) and by the day the citizen read the
        # result (unread first when ascending): active and archived apart, so the active list
        # never walks the unit's archived history; each carries the columns the list filters
        # on, so a page (its offset included) is cut from the index alone.
        Index(
            "ix_worklist_entries_active",
            "care_unit_id",
            "result_at",
            "order_line_id",
            postgresql_where=text("followed AND NOT archived"),
            postgresql_include=["insight", "read_at", "taken_over_at"],
        ),
        Index(
            "ix_worklist_entries_active_read",
            "care_unit_id",
            text("read_at NULLS FIRST"),
            "order_line_id",
            postgresql_where=text("followed AND NOT archived"),
            postgresql_include=["insight", "result_at", "taken_over_at"],
        ),
        Index(
            "ix_worklist_entries_archived",
            "care_unit_id",
            "result_at",
            "order_line_id",
            postgresql_where=text("followed AND archived"),
            postgresql_include=["insight", "read_at", "taken_over_at"],
        ),
        Index(
            "ix_worklist_entries_archived_read",
            "care_unit_id",
            text("read_at NULLS FIRST"),
            "order_line_id",
            postgresql_where=text("followed AND archived"),
            postgresql_include=["insight", "result_at", "taken_over_at"],
        ),
        # The change token: count and sum of change_seq of the unit's active followed rows.
        Index(
            "ix_worklist_entries_changes",
            "care_unit_id",
            "change_seq",
            postgresql_where=text("followed AND NOT archived"),
        ),
    )
    order_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True
    )
    # Copies of the line's order and of its result care unit, written only by the refresh
    # from order_lines and orders: no foreign keys of their own (revision 0016), like
    # result_id; the row goes with its order line.
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    care_unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The newest version of the line's result.
    result_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    sampling_date: Mapped[date] = mapped_column(Date)
    result_version: Mapped[int] = mapped_column(Integer)
    insight: Mapped[str | None] = mapped_column(String(20))
    result_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    followed: Mapped[bool] = mapped_column(Boolean)
    taken_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment_count: Mapped[int] = mapped_column(Integer, server_default="0")
    last_comment_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_by_hsa_id: Mapped[str | None] = mapped_column(String(64))
    archived_by_name: Mapped[str | None] = mapped_column(String(200))
    # The ETag of archiving: changed by archiving, unarchiving and a new result version.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    change_seq: Mapped[int] = mapped_column(
        BigInteger, server_default=text("nextval('worklist_change_seq')")
    )


class WorklistComment(Base):
    """A comment on a result in a care unit's worklist, with its author and time. The text
    is patient data: encrypted (bound to the comment's id). Goes with the order when the
    citizen deletes it."""

    __tablename__ = "worklist_comments"
    __table_args__ = (Index("ix_worklist_comments_line_created", "order_line_id", "created_at"),)
    id: Mapped[uuid.UUID] = _uuid_pk()
    order_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE")
    )
    care_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_units.id"))
    author_hsa_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text_encrypted: Mapped[bytes] = mapped_column(LargeBinary)


class TreatmentTakeover(Base):
    """Behandlingsansvar: a staff member took over treatment responsibility for a positive
    result, at the care unit of their assignment (any unit in HSA, so its HSA-id and name are
    kept rather than a reference). One per result (order line) and care unit."""

    __tablename__ = "treatment_takeovers"
    __table_args__ = (
        UniqueConstraint(
            "order_line_id", "care_unit_hsa_id", name="uq_treatment_takeovers_line_unit"
        ),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    order_line_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE")
    )
    # The version of the result that was taken over.
    result_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    care_unit_hsa_id: Mapped[str] = mapped_column(String(64))
    care_unit_name: Mapped[str] = mapped_column(String(200))
    taken_by_hsa_id: Mapped[str] = mapped_column(String(64))
    taken_by_name: Mapped[str | None] = mapped_column(String(200))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
