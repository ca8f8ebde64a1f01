"""Lists show configuration as it is stored, even where it no longer meets the rules for a
new entry: one odd row must not make a whole administration list fail."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.support.factories import create_laboratory, create_sampling_unit


async def test_a_sampling_unit_serving_no_laboratory_is_still_listed(regional_admin, services):
    lab = await create_laboratory(regional_admin)
    unit_id = await create_sampling_unit(regional_admin, laboratory_codes=[lab])
    async with services.uow() as uow:
        await uow.session.execute(
            text("DELETE FROM sampling_unit_laboratories WHERE sampling_unit_id = :id"),
            {"id": uuid.UUID(unit_id)},
        )
        await uow.commit()

    listed = await regional_admin.get("/api/admin/sampling-units")

    assert listed.status_code == 200, listed.text
    ours = [u for u in listed.json() if u["id"] == unit_id]
    assert [u["laboratory_codes"] for u in ours] == [[]]
