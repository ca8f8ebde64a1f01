"""Arbetslista through the HTTP API on the real database (SPEC §5; manual 4.6): which results
a care unit's list shows, read status, treatment taken over, archiving with If-Match,
comments, the change token, filters, sorting and paging, audit, and other units' results.
Results arrive as laboratory systems send them (the integration API), so the worklist's
read model is kept by its triggers on the real path. Each test makes its own care units,
laboratory, staff and citizens."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from adapters.db.models import AuditEntry, WorklistComment
from domain.identity_numbers import PersonalIdentityNumber
from domain.worklist import WorklistQuery, worklist_filter
from tests.support.browserless_login import login
from tests.support.statements import statements_sent
from tests.support.worklist_world import (
    Order,
    create_followed_unit,
    laboratory,
    line_of,
    new_citizen,
    place_order,
    post_result,
    scalar,
    staff_at,
)

URL = "/api/staff/worklist"


@pytest.fixture
async def world(services, regional_admin, new_client):
    """A unit following positive results, a nurse working its list, a laboratory."""
    unit = await create_followed_unit(services, insights=("positive",))
    nurse = await staff_at(services, regional_admin, new_client, unit=unit.hsa_id)
    lab = await laboratory(services)
    return unit, nurse, lab


async def _listing(nurse, **params) -> dict:
    response = await nurse.client.get(URL, **params)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(listing: dict) -> list[str]:
    return [item["id"] for item in listing["items"]]


async def _positive(services, client, lab, unit, citizen=None, *, product="PEP-CT") -> Order:
    order = await place_order(
        services, lab, citizen=(citizen or new_citizen(services)).value, result_unit=unit.id
    )
    await post_result(client, lab, order, product=product, insight="positive")
    return order


# --- What the list shows ------------------------------------------------------------------


async def test_the_list_shows_only_the_units_results_with_an_insight_it_follows(
    world, services, client
):
    unit, nurse, lab = world
    other_unit = await create_followed_unit(services, insights=("positive",))
    citizen = new_citizen(services, given_name="Vera")
    async with services.uow() as uow:
        person = await services.person_register.get_person(citizen)
        await uow.person_cache.store(person, fetched_at=services.now())
        await uow.commit()
    ours = await place_order(services, lab, citizen=citizen.value, result_unit=unit.id)
    await post_result(client, lab, ours, product="PEP-CT", insight="positive")
    await post_result(client, lab, ours, product="PEP-NG", insight="negative")
    theirs = await place_order(services, lab, citizen=citizen.value, result_unit=other_unit.id)
    await post_result(client, lab, theirs, product="PEP-CT", insight="positive")
    error = await place_order(services, lab, citizen=citizen.value, result_unit=unit.id)
    await post_result(client, lab, error, product="PEP-CT", insight="technical_error")
    no_insight = await place_order(services, lab, citizen=citizen.value, result_unit=unit.id)
    await post_result(client, lab, no_insight, product="PEP-CT", insight=None)

    listing = await _listing(nurse)

    assert listing["care_unit"] == {
        "hsa_id": unit.hsa_id,
        "name": unit.name,
        "insights": ["positive"],
    }
    assert (listing["total"], listing["total_capped"]) == (1, False)
    (item,) = listing["items"]
    assert item["id"] == str(await line_of(services, ours, "PEP-CT"))
    assert item["order_id"] == str(ours.id)
    assert item["patient"] == {"personnummer": citizen.formatted, "name": "Vera Testsson"}
    assert item["offer_name"] == "Klamydia- och gonorrétest hemma"
    assert item["product_code"] == "PEP-CT"
    assert item["product_name"] == "Klamydia (Chlamydia trachomatis), NAAT"
    assert item["sampling_method"] == "home_kit"
    assert item["insight"] == "positive"
    assert item["read"] is False
    assert item["read_at"] is None
    assert item["takeovers"] == []
    assert item["comments"] == {"count": 0, "latest": None}
    assert item["archived"] is False
    assert item["archive"] is None
    assert item["version"] == 1


async def test_a_unit_following_technical_errors_too_shows_them(
    services, client, regional_admin, new_client
):
    unit = await create_followed_unit(services, insights=("positive", "technical_error"))
    nurse = await staff_at(services, regional_admin, new_client, unit=unit.hsa_id)
    lab = await laboratory(services)
    positive = await _positive(services, client, lab, unit)
    error = await place_order(
        services, lab, citizen=new_citizen(services).value, result_unit=unit.id
    )
    await post_result(client, lab, error, product="PEP-CT", insight="technical_error")

    listing = await _listing(nurse)
    only_errors = await _listing(nurse, insight=["technical_error"])

    assert {i["order_id"]: i["insight"] for i in listing["items"]} == {
        str(positive.id): "positive",
        str(error.id): "technical_error",
    }
    assert [i["order_id"] for i in only_errors["items"]] == [str(error.id)]


async def test_the_newest_version_decides_a_correction_to_negative_takes_it_off_the_list(
    world, services, client
):
    unit, nurse, lab = world
    order = await _positive(services, client, lab, unit)
    assert (await _listing(nurse))["total"] == 1

    await post_result(client, lab, order, insight="negative", lab_version=2)
    assert (await _listing(nurse))["items"] == []

    await post_result(client, lab, order, insight="positive", lab_version=3)
    (back,) = (await _listing(nurse))["items"]
    assert back["order_id"] == str(order.id)
    # Each new version is a new thing to archive: the version (ETag) moved on.
    assert back["version"] == 3


async def test_a_unit_that_stops_following_an_insight_no_longer_lists_it(world, services, client):
    unit, nurse, lab = world
    await _positive(services, client, lab, unit)
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE care_units SET worklist_insights = '[\"technical_error\"]'::jsonb"
                " WHERE id = :id"
            ),
            {"id": unit.id},
        )
        await uow.commit()

    listing = await _listing(nurse)

    assert listing["care_unit"]["insights"] == ["technical_error"]
    assert listing["items"] == []
    asked = await nurse.client.get(URL, insight=["positive"])
    assert asked.status_code == 422
    assert asked.json()["errors"][0]["field"] == "insight"


async def test_read_status_appears_after_the_citizen_reads_the_result(
    world, services, client, new_client
):
    unit, nurse, lab = world
    anna = PersonalIdentityNumber.parse("198504129829")
    order = await _positive(services, client, lab, unit, anna)
    assert [i["read"] for i in (await _listing(nurse))["items"]] == [False]
    assert _ids(await _listing(nurse, read=True)) == []

    citizen = new_client()
    csrf = await login(citizen, kind="citizen", key="anna-stockholm")
    read = await citizen.post(
        f"/api/citizen/orders/{order.id}/results/read", headers={"X-CSRF-Token": csrf}
    )
    assert read.status_code == 204, read.text

    (item,) = (await _listing(nurse))["items"]
    assert item["read"] is True
    assert item["read_at"] is not None
    assert _ids(await _listing(nurse, read=False)) == []
    assert _ids(await _listing(nurse, read=True)) == [item["id"]]
    # A correction is news the citizen has not read yet.
    await post_result(client, lab, order, insight="positive", lab_version=2, value="Påvisad!")
    (corrected,) = (await _listing(nurse))["items"]
    assert corrected["read"] is False


async def test_a_takeover_of_treatment_shows_in_the_worklist(world, services, client, new_client):
    unit, nurse, lab = world
    citizen = new_citizen(services)
    order = await _positive(services, client, lab, unit, citizen)
    line = await line_of(services, order)
    # A doctor at a health centre, with an assignment and no permission at all.
    doctor = await staff_at(services, None, new_client, unit="SE2321000016-A001", permissions=())
    taken = await doctor.client.post(
        "/api/staff/treatment-responsibility/takeovers",
        {"personnummer": citizen.value, "result_id": str(line)},
    )
    assert taken.status_code == 201, taken.text

    (item,) = (await _listing(nurse))["items"]

    (takeover,) = item["takeovers"]
    assert takeover["taken_by_hsa_id"] == doctor.hsa_id
    assert takeover["taken_by_name"] == doctor.name
    assert takeover["care_unit_hsa_id"] == "SE2321000016-A001"
    assert takeover["care_unit_name"] == "Testmottagningen"
    assert takeover["taken_at"] == taken.json()["takeover"]["taken_at"]
    assert _ids(await _listing(nurse, taken_over=True)) == [str(line)]
    assert _ids(await _listing(nurse, taken_over=False)) == []


# --- Archiving ---------------------------------------------------------------------------


async def test_archiving_and_unarchiving_need_the_current_version(world, services, client):
    unit, nurse, lab = world
    order = await _positive(services, client, lab, unit)
    line = await line_of(services, order)
    archive = f"{URL}/items/{line}/archive"
    unarchive = f"{URL}/items/{line}/unarchive"

    missing = await nurse.client.post(archive)
    assert missing.status_code == 428
    stale = await nurse.client.post(archive, **{"If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/stale-version"

    archived = await nurse.client.post(archive, **{"If-Match": '"1"'})

    assert archived.status_code == 200, archived.text
    assert archived.headers["ETag"] == '"2"'
    assert archived.json()["archived"] is True
    assert archived.json()["archive"]["archived_by_hsa_id"] == nurse.hsa_id
    assert archived.json()["archive"]["archived_by_name"] == nurse.name
    assert (await _listing(nurse))["items"] == []
    assert _ids(await _listing(nurse, archived=True)) == [str(line)]
    # Taking it back with the version from before archiving: somebody changed it first.
    assert (await nurse.client.post(unarchive, **{"If-Match": '"1"'})).status_code == 412

    back = await nurse.client.post(unarchive, **{"If-Match": '"2"'})

    assert back.status_code == 200
    assert back.headers["ETag"] == '"3"'
    assert back.json()["archived"] is False
    assert back.json()["archive"] is None
    assert _ids(await _listing(nurse)) == [str(line)]
    assert (await _listing(nurse, archived=True))["items"] == []


async def test_a_new_version_of_an_archived_result_comes_back_to_the_active_list(
    world, services, client
):
    unit, nurse, lab = world
    order = await _positive(services, client, lab, unit)
    line = await line_of(services, order)
    archived = await nurse.client.post(f"{URL}/items/{line}/archive", **{"If-Match": '"1"'})
    assert archived.status_code == 200

    await post_result(client, lab, order, insight="positive", lab_version=2, value="Påvisad.")

    (item,) = (await _listing(nurse))["items"]
    assert item["id"] == str(line)
    assert item["archived"] is False
    assert item["version"] == 3


# --- Comments ----------------------------------------------------------------------------


async def test_comments_carry_author_and_time_and_their_text_is_encrypted(world, services, client):
    unit, nurse, lab = world
    order = await _positive(services, client, lab, unit)
    line = await line_of(services, order)
    first_at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    services.now_override = first_at
    first = await nurse.client.post(
        f"{URL}/items/{line}/comments", {"text": "  Ringt patienten, inget svar.  "}
    )
    services.now_override = first_at + timedelta(minutes=2)
    second = await nurse.client.post(
        f"{URL}/items/{line}/comments", {"text": "Patienten kallad till mottagningen."}
    )
    services.now_override = None

    assert first.status_code == 201, first.text
    assert first.json()["author_hsa_id"] == nurse.hsa_id
    assert first.json()["author_name"] == nurse.name
    assert datetime.fromisoformat(first.json()["created_at"]) == first_at
    assert first.json()["text"] == "Ringt patienten, inget svar."
    (item,) = (await _listing(nurse))["items"]
    assert item["comments"]["count"] == 2
    assert item["comments"]["latest"] == second.json()
    thread = await nurse.client.get(f"{URL}/items/{line}/comments")
    assert thread.status_code == 200
    assert [c["text"] for c in thread.json()["comments"]] == [
        "Ringt patienten, inget svar.",
        "Patienten kallad till mottagningen.",
    ]
    assert thread.json()["item"]["id"] == str(line)
    async with services.uow() as uow:
        stored = (
            await uow.session.execute(
                select(WorklistComment.text_encrypted).where(WorklistComment.order_line_id == line)
            )
        ).scalars()
        assert all(b"Ringt" not in s and b"kallad" not in s for s in stored)


async def test_an_empty_comment_is_refused_naming_the_field(world, services, client):
    unit, nurse, lab = world
    line = await line_of(services, await _positive(services, client, lab, unit))

    blank = await nurse.client.post(f"{URL}/items/{line}/comments", {"text": "   "})

    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "text"


# --- New results without a reload ----------------------------------------------------------


async def test_the_change_token_answers_304_until_the_list_changes(world, services, client):
    unit, nurse, lab = world
    changes = f"{URL}/changes"
    first = await nurse.client.get(changes)
    assert first.status_code == 200
    token = first.json()["change_token"]
    assert first.headers["ETag"] == f'"{token}"'
    assert (await _listing(nurse))["change_token"] == token

    async def unchanged() -> bool:
        answer = await nurse.client.client.get(changes, headers={"If-None-Match": f'"{token}"'})
        if answer.status_code == 304:
            assert answer.content == b""
            assert answer.headers["ETag"] == f'"{token}"'
            return True
        assert answer.status_code == 200
        return False

    assert await unchanged()
    # A negative the unit does not follow changes nothing of its list.
    negative = await place_order(
        services, lab, citizen=new_citizen(services).value, result_unit=unit.id
    )
    await post_result(client, lab, negative, insight="negative")
    assert await unchanged()

    order = await _positive(services, client, lab, unit)
    assert not await unchanged()
    token = (await nurse.client.get(changes)).json()["change_token"]
    line = await line_of(services, order)
    await nurse.client.post(f"{URL}/items/{line}/comments", {"text": "Noterat."})
    assert not await unchanged()
    token = (await nurse.client.get(changes)).json()["change_token"]
    # Leaving the list is a change too.
    await post_result(client, lab, order, insight="negative", lab_version=2)
    assert not await unchanged()


# --- Filters, sorting, paging -------------------------------------------------------------


async def _arrived(services, order: Order, at: datetime) -> None:
    """The result of the order came at `at` (the laboratory's system sent it then)."""
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE results SET received_at = :at WHERE order_line_id IN"
                " (SELECT id FROM order_lines WHERE order_id = :o)"
            ),
            {"at": at, "o": order.id},
        )
        await uow.commit()


async def test_filters_sorting_and_paging_by_result_and_read_date(world, services, client):
    unit, nurse, lab = world
    now = datetime.now(UTC)
    old = await _positive(services, client, lab, unit)
    middle = await _positive(services, client, lab, unit)
    new = await _positive(services, client, lab, unit)
    await _arrived(services, old, now - timedelta(days=10))
    await _arrived(services, middle, now - timedelta(days=5))
    await _arrived(services, new, now - timedelta(hours=1))
    lines = {o: str(await line_of(services, o)) for o in (old, middle, new)}
    async with services.uow() as uow:
        await uow.session.execute(
            text("UPDATE results SET read_at = :at WHERE order_line_id = ANY(CAST(:l AS uuid[]))"),
            {"at": now - timedelta(hours=2), "l": [lines[old]]},
        )
        await uow.session.execute(
            text("UPDATE results SET read_at = :at WHERE order_line_id = ANY(CAST(:l AS uuid[]))"),
            {"at": now - timedelta(days=4), "l": [lines[middle]]},
        )
        await uow.commit()

    newest_first = await _listing(nurse)
    oldest_first = await _listing(nurse, order="asc")
    page_one = await _listing(nurse, page_size=2)
    page_two = await _listing(nurse, page_size=2, page=2)
    by_read = await _listing(nurse, sort="read_date")
    by_read_ascending = await _listing(nurse, sort="read_date", order="asc")
    last_week = await _listing(
        nurse,
        result_from=(now - timedelta(days=7)).date().isoformat(),
        result_to=(now - timedelta(days=2)).date().isoformat(),
    )

    assert _ids(newest_first) == [lines[new], lines[middle], lines[old]]
    assert _ids(oldest_first) == [lines[old], lines[middle], lines[new]]
    assert (page_one["total"], _ids(page_one)) == (3, [lines[new], lines[middle]])
    assert (page_two["total"], _ids(page_two)) == (3, [lines[old]])
    # Read most recently first, the unread last; ascending the unread first.
    assert _ids(by_read) == [lines[old], lines[middle], lines[new]]
    assert _ids(by_read_ascending) == [lines[new], lines[middle], lines[old]]
    assert (last_week["total"], _ids(last_week)) == (1, [lines[middle]])


async def test_a_date_range_ending_before_it_starts_is_refused(world):
    _unit, nurse, _lab = world

    answer = await nurse.client.get(URL, result_from="2026-05-10", result_to="2026-05-01")

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "result_to"


async def test_listing_uses_a_fixed_number_of_statements(world, services, client):
    unit, nurse, lab = world
    await _positive(services, client, lab, unit)
    one = await statements_sent(services, lambda: nurse.client.get(URL))
    for _ in range(3):
        order = await _positive(services, client, lab, unit)
        line = await line_of(services, order)
        await nurse.client.post(f"{URL}/items/{line}/comments", {"text": "Noterat."})

    four = await statements_sent(services, lambda: nurse.client.get(URL))

    assert four == one


async def test_counting_stops_at_the_cap(world, services, client):
    unit, _nurse, lab = world
    for _ in range(3):
        await _positive(services, client, lab, unit)
    where = worklist_filter(WorklistQuery(), followed=["positive"])

    async with services.uow() as uow:
        capped = await uow.worklist.count(unit.id, where, cap=2)
        counted = await uow.worklist.count(unit.id, where, cap=10)

    assert (capped, counted) == (2, 3)


# --- Audit and scope -----------------------------------------------------------------------


async def _audited(services, actor: str, action: str) -> list[tuple[bytes | None, dict]]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry.patient_hash, AuditEntry.details, AuditEntry.care_unit_hsa_id)
            .where(AuditEntry.actor_id == actor, AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [(r.patient_hash, {**r.details, "unit": r.care_unit_hsa_id}) for r in rows]


async def test_every_view_and_change_is_audited_with_the_patient(world, services, client):
    unit, nurse, lab = world
    citizen = new_citizen(services)
    order = await _positive(services, client, lab, unit, citizen)
    line = await line_of(services, order)
    patient = services.protector.lookup_hash(citizen.value)

    await _listing(nurse)
    await _listing(nurse, archived=True)
    await nurse.client.post(f"{URL}/items/{line}/comments", {"text": "Noterat."})
    await nurse.client.get(f"{URL}/items/{line}/comments")
    await nurse.client.post(f"{URL}/items/{line}/archive", **{"If-Match": '"1"'})
    await nurse.client.post(f"{URL}/items/{line}/unarchive", **{"If-Match": '"2"'})
    await nurse.client.get(f"{URL}/changes")

    listed = await _audited(services, nurse.hsa_id, "worklist_listed")
    assert [(h, d["line_id"], d["unit"]) for h, d in listed if h] == [
        (patient, str(line), unit.hsa_id)
    ]
    # The empty archive was looked at too, showing nobody.
    assert [(h, d["rows"]) for h, d in listed if h is None] == [(None, "0")]
    for action in (
        "worklist_comment_added",
        "worklist_comments_viewed",
        "worklist_archived",
        "worklist_unarchived",
    ):
        assert [(h, d["line_id"]) for h, d in await _audited(services, nurse.hsa_id, action)] == [
            (patient, str(line))
        ], action


async def test_another_units_results_are_not_found(
    world, services, client, regional_admin, new_client
):
    unit, nurse, lab = world
    line = await line_of(services, await _positive(services, client, lab, unit))
    elsewhere = await create_followed_unit(services, insights=("positive",))
    other_nurse = await staff_at(services, regional_admin, new_client, unit=elsewhere.hsa_id)

    attempts = [
        await other_nurse.client.post(f"{URL}/items/{line}/archive", **{"If-Match": '"1"'}),
        await other_nurse.client.post(f"{URL}/items/{line}/comments", {"text": "Hej"}),
        await other_nurse.client.get(f"{URL}/items/{line}/comments"),
        await nurse.client.get(f"{URL}/items/{uuid.uuid4()}/comments"),
    ]

    assert [a.status_code for a in attempts] == [404, 404, 404, 404]
    assert {a.json()["type"] for a in attempts} == {"/problems/worklist-item-not-found"}
    assert (await _listing(other_nurse))["items"] == []
    assert (
        await scalar(
            services, "SELECT comment_count FROM worklist_entries WHERE order_line_id = :l", l=line
        )
        == 0
    )


async def test_the_worklist_needs_the_permission_and_the_care_purpose(
    world, services, regional_admin, new_client
):
    unit, _nurse, _lab = world
    without_permission = await staff_at(
        services, regional_admin, new_client, unit=unit.hsa_id, permissions=()
    )
    administrative = await staff_at(
        services, regional_admin, new_client, unit=unit.hsa_id, purpose="Administration"
    )

    refused = await without_permission.client.get(URL)
    not_for_care = await administrative.client.get(URL)

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"
    assert not_for_care.status_code == 403
    assert not_for_care.json()["type"] == "/problems/care-and-treatment-purpose-required"
