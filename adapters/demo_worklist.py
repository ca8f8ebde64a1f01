"""Demo results for the STD clinic's worklist (Arbetslista, issue 10): chlamydia/gonorrhoea
home tests of offer 1001 answered by Karolinska's laboratory for STI-mottagningen
Södersjukhuset, which follows positive insights — unread and read positives, one taken
over by Vårdcentralen Solna and commented, one archived, and negatives it does not follow.

Loaded by `make run` (`python -m adapters.demo_data`) only, not into the test databases:
tests assert exactly on the orders of the test citizens. Idempotent: fixed ids, and nothing
is written again once the first demo order exists."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.demo_data import STOCKHOLM, demo_id
from adapters.protection import DataProtector


@dataclass(frozen=True)
class DemoTest:
    key: str
    personnummer: str
    days_ago: int
    # insight of the chlamydia (PEP-CT) and gonorrhoea (PEP-NG) lines
    chlamydia: str
    gonorrhoea: str
    read: bool = False
    taken_over: bool = False
    comment: str | None = None
    archived: bool = False


TESTS = [
    DemoTest("tolvan-1", "199012129897", 1, "positive", "negative"),
    DemoTest(
        "anna-1",
        "198504129829",
        3,
        "positive",
        "negative",
        read=True,
        taken_over=True,
        comment="Patienten har fått tid för behandling på vårdcentralen.",
    ),
    DemoTest("erik-1", "197809039816", 5, "negative", "positive", read=True),
    DemoTest("gunnar-1", "194101159830", 6, "negative", "negative", read=True),
    DemoTest("anna-0", "198504129829", 40, "positive", "negative", read=True, archived=True),
]

RESULT_UNIT = "SE2321000016-A002"
TAKEN_OVER_AT = ("SE2321000016-A001", "Vårdcentralen Solna", "SE2321000016-1001", "Karin Holm")
CLINIC_STAFF = ("SE2321000016-1002", "Mikael Sandberg")
VALUES = {
    "positive": ("Påvisad", "abnormal"),
    "negative": ("Ej påvisad", None),
}
ANALYSES = {"PEP-CT": "Chlamydia trachomatis DNA", "PEP-NG": "Neisseria gonorrhoeae DNA"}


async def load_demo_worklist(
    session: AsyncSession, *, protector: DataProtector, today: date | None = None
) -> None:
    today = today or datetime.now(STOCKHOLM).date()
    first = demo_id(f"worklist-demo:order:{TESTS[0].key}")
    exists = await session.execute(text("SELECT 1 FROM orders WHERE id = :id"), {"id": first})
    if exists.first() is not None:
        return
    offer = (
        await session.execute(
            text("SELECT id FROM offers WHERE catalog_id = '1001' AND version = 1")
        )
    ).scalar_one()
    for number, test in enumerate(TESTS):
        await _load_test(session, protector, test, number=number, offer_id=offer, today=today)


async def _load_test(
    session: AsyncSession,
    protector: DataProtector,
    test: DemoTest,
    *,
    number: int,
    offer_id: uuid.UUID,
    today: date,
) -> None:
    order_id = demo_id(f"worklist-demo:order:{test.key}")
    answered_day = today - timedelta(days=test.days_ago)
    answered_at = datetime.combine(answered_day, time(9, 30 + number), tzinfo=STOCKHOLM)
    sampled_at = answered_at - timedelta(days=2)
    ordered_at = sampled_at - timedelta(days=4)
    citizen = protector.lookup_hash(test.personnummer)
    await session.execute(
        text(
            """
            INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id, catalog_id,
                                sampling_method, status, answers_encrypted, created_at,
                                handled_at, sampled_at, answered_at, laboratory_id,
                                result_care_unit_id, version)
            VALUES (:id, :rid, :citizen, :citizen_encrypted, :offer, '1001', 'home_kit',
                    'answered', :answers, :ordered, :ordered, :sampled, :answered, :lab,
                    :unit, 4)
            """
        ),
        {
            "id": order_id,
            "rid": f"WLDEMO{number:04d}",
            "citizen": citizen,
            "citizen_encrypted": protector.encrypt(test.personnummer.encode(), context=citizen),
            "offer": offer_id,
            "answers": protector.encrypt(
                json.dumps({"answers": {}}).encode(), context=order_id.bytes
            ),
            "ordered": ordered_at,
            "sampled": sampled_at,
            "answered": answered_at,
            "lab": demo_id("KUL"),
            "unit": demo_id(RESULT_UNIT),
        },
    )
    for line_no, (product, insight) in enumerate(
        (("PEP-CT", test.chlamydia), ("PEP-NG", test.gonorrhoea)), start=1
    ):
        line_id = demo_id(f"worklist-demo:line:{test.key}:{line_no}")
        result_id = demo_id(f"worklist-demo:result:{test.key}:{line_no}")
        value, flag = VALUES[insight]
        payload = {
            "values": [
                {
                    "analysis": ANALYSES[product],
                    "analysis_code": None,
                    "value": value,
                    "unit": None,
                    "reference_range": "Ej påvisad",
                    "flag": flag,
                }
            ],
            "comment": None,
        }
        await session.execute(
            text(
                "INSERT INTO order_lines (id, order_id, line_no, product_code)"
                " VALUES (:id, :order, :line_no, :product)"
            ),
            {"id": line_id, "order": order_id, "line_no": line_no, "product": product},
        )
        # The worklist's read model follows from this row (the triggers of revision 0013).
        await session.execute(
            text(
                "INSERT INTO results (id, order_line_id, sampling_date, version, insight,"
                " payload_encrypted, received_at, read_at, laboratory_id, source)"
                " VALUES (:id, :line, :sampled, 1, :insight, :payload, :answered, :read,"
                " :lab, 'electronic')"
            ),
            {
                "id": result_id,
                "line": line_id,
                "sampled": sampled_at.date(),
                "insight": insight,
                "payload": protector.encrypt(json.dumps(payload).encode(), context=result_id.bytes),
                "answered": answered_at,
                "read": answered_at + timedelta(hours=5) if test.read else None,
                "lab": demo_id("KUL"),
            },
        )
        if insight == "positive":
            await _follow_up(session, protector, test, line_id, result_id, answered_at)


async def _follow_up(
    session: AsyncSession,
    protector: DataProtector,
    test: DemoTest,
    line_id: uuid.UUID,
    result_id: uuid.UUID,
    answered_at: datetime,
) -> None:
    if test.taken_over:
        unit, unit_name, by, name = TAKEN_OVER_AT
        taken_at = answered_at + timedelta(days=1)
        await session.execute(
            text(
                "INSERT INTO treatment_takeovers (id, order_line_id, result_id,"
                " care_unit_hsa_id, care_unit_name, taken_by_hsa_id, taken_by_name, taken_at)"
                " VALUES (:id, :line, :result, :unit, :unit_name, :by, :name, :at)"
            ),
            {
                "id": demo_id(f"worklist-demo:takeover:{test.key}"),
                "line": line_id,
                "result": result_id,
                "unit": unit,
                "unit_name": unit_name,
                "by": by,
                "name": name,
                "at": taken_at,
            },
        )
        await session.execute(
            text(
                "UPDATE worklist_entries SET taken_over_at = :at,"
                " change_seq = nextval('worklist_change_seq') WHERE order_line_id = :line"
            ),
            {"at": taken_at, "line": line_id},
        )
    if test.comment:
        comment_id = demo_id(f"worklist-demo:comment:{test.key}")
        at = answered_at + timedelta(days=1, hours=2)
        await session.execute(
            text(
                "INSERT INTO worklist_comments (id, order_line_id, care_unit_id, author_hsa_id,"
                " author_name, created_at, text_encrypted)"
                " VALUES (:id, :line, :unit, :by, :name, :at, :text)"
            ),
            {
                "id": comment_id,
                "line": line_id,
                "unit": demo_id(RESULT_UNIT),
                "by": CLINIC_STAFF[0],
                "name": CLINIC_STAFF[1],
                "at": at,
                "text": protector.encrypt(test.comment.encode(), context=comment_id.bytes),
            },
        )
        await session.execute(
            text(
                "UPDATE worklist_entries SET comment_count = comment_count + 1,"
                " last_comment_at = :at, change_seq = nextval('worklist_change_seq')"
                " WHERE order_line_id = :line"
            ),
            {"at": at, "line": line_id},
        )
    if test.archived:
        await session.execute(
            text(
                "UPDATE worklist_entries SET archived = true, archived_at = :at,"
                " archived_by_hsa_id = :by, archived_by_name = :name, version = version + 1,"
                " change_seq = nextval('worklist_change_seq') WHERE order_line_id = :line"
            ),
            {
                "at": answered_at + timedelta(days=2),
                "by": CLINIC_STAFF[0],
                "name": CLINIC_STAFF[1],
                "line": line_id,
            },
        )
