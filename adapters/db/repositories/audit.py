from __future__ import annotations

import orjson
from sqlalchemy import text

from adapters.db.repositories import Executor, PreparedQuery
from adapters.protection import DataProtector
from adapters.request_scope import current_request_id
from domain.audit import AuditEvent

# Built once: every change and every look-up of patient data writes one.
# Prepared (see PreparedQuery): every audited request writes one.
_INSERT = PreparedQuery(
    text(
        "INSERT INTO audit_log (occurred_at, actor_kind, actor_id, care_unit_hsa_id,"
        " assignment_id, assignment_purpose, patient_hash, patient_encrypted, action, outcome,"
        " request_id, details)"
        " VALUES (:occurred_at, :actor_kind, :actor_id, :care_unit_hsa_id, :assignment_id,"
        " :assignment_purpose, :patient_hash, :patient_encrypted, :action, :outcome,"
        " :request_id, CAST(:details AS jsonb))"
    )
)


_COLUMNS = (
    "occurred_at",
    "actor_kind",
    "actor_id",
    "care_unit_hsa_id",
    "assignment_id",
    "assignment_purpose",
    "patient_hash",
    "patient_encrypted",
    "action",
    "outcome",
    "request_id",
    "details",
)
_TYPES = (
    "timestamptz", "varchar", "varchar", "varchar", "varchar", "varchar", "bytea", "bytea",
    "varchar", "varchar", "varchar", "jsonb",
)  # fmt: skip
_INSERT_MANY = text(
    f"INSERT INTO audit_log ({', '.join(_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{c} AS {t}[])" for c, t in zip(_COLUMNS, _TYPES, strict=True))
    + ")"
)


class AuditRepository:
    """Appends to the audit log inside the caller's transaction: the entry is kept exactly
    when the action it records is."""

    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def record_many(self, events: list[AuditEvent]) -> None:
        """Several entries in one statement (a batch of orders handed out at once): one
        INSERT over arrays, not a statement per entry."""
        if not events:
            return
        rows = [self._row(e) for e in events]
        await self._session.execute(
            _INSERT_MANY, {column: [row[column] for row in rows] for column in _COLUMNS}
        )

    async def record(self, event: AuditEvent) -> None:
        await _INSERT.fetch(self._session, **self._row(event))

    def _row(self, event: AuditEvent) -> dict[str, object]:
        patient_hash = patient_encrypted = None
        hashed: dict[str, bytes] = {}  # a citizen is usually the patient too: hashed once
        if event.patient is not None:
            value = event.patient.value
            patient_hash = hashed[value] = self._protector.lookup_hash(value)
            patient_encrypted = self._protector.encrypt(value.encode(), context=patient_hash)
        actor_id = event.actor_id
        if event.actor_kind == "citizen":
            actor_hash = hashed.get(actor_id) or self._protector.lookup_hash(actor_id)
            actor_id = actor_hash.hex()
        return {
            "occurred_at": event.occurred_at,
            "actor_kind": event.actor_kind,
            "actor_id": actor_id,
            "care_unit_hsa_id": event.care_unit_hsa_id,
            "assignment_id": event.assignment_id,
            "assignment_purpose": event.assignment_purpose,
            "patient_hash": patient_hash,
            "patient_encrypted": patient_encrypted,
            "action": event.action,
            "outcome": event.outcome,
            "request_id": event.request_id or current_request_id(),
            # jsonb: PostgreSQL keeps the value, not the text, so orjson's compact form will do.
            "details": orjson.dumps(event.details).decode(),
        }
