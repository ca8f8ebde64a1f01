"""Putting the world in a state a test needs, through the same repositories the service
uses (e.g. a result from the lab, which arrives through integrations built later)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.engine import create_engine, create_session_factory
from adapters.db.repositories.orders import OrderRepository
from adapters.protection import DataProtector
from adapters.settings import Settings

POSITIVE_CHLAMYDIA: dict[str, Any] = {
    "values": [{"analysis": "Chlamydia trachomatis DNA", "value": "Påvisad", "unit": None}],
    "comment": "Kontakta din vårdgivare för behandling.",
}


async def _add_results(
    database_url: str, rid: str, insight: str | None, payload: dict[str, Any], sampled: date
) -> None:
    settings = Settings(environment="test", database_url=database_url)
    engine = create_engine(settings)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    async with create_session_factory(engine)() as session:
        row = (
            await session.execute(
                text(
                    "SELECT id, (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)"
                    " AS lines FROM orders o WHERE rid = :rid"
                ),
                {"rid": rid.replace("-", "")},
            )
        ).one()
        repository = OrderRepository(session, protector)
        for line_no in range(1, row.lines + 1):
            await repository.add_result(
                order_id=row.id,
                line_no=line_no,
                sampling_date=sampled,
                insight=insight,
                payload=payload,
                now=datetime.now().astimezone(),
            )
        await session.commit()
    await engine.dispose()


def add_results(
    database_url: str,
    rid: str,
    *,
    insight: str | None = "positive",
    payload: dict[str, Any] | None = None,
    sampled: date | None = None,
) -> None:
    """Registers a result on every line of the order with this RID (usable from sync tests,
    also while another event loop runs in the thread)."""
    coroutine = _add_results(
        database_url, rid, insight, payload or POSITIVE_CHLAMYDIA, sampled or date.today()
    )
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, coroutine).result()
