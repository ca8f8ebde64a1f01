"""Tilldela erbjudande, Tilldelade erbjudanden and the deep link from journal systems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from adapters.db.models import AuditEntry
from adapters.identity.launch import create_launch_token, read_launch_token
from adapters.settings import DEVELOPMENT_SECRET
from tests.support.browserless_login import login
from tests.support.factories import (
    create_care_unit,
    create_offer,
    create_staff_member,
    grant_permission,
    log_in_staff,
)

SOLNA = "SE2321000016-A001"


class Nurse:
    def __init__(self, client, csrf: str) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": csrf}

    async def post(self, url: str, body=None):
        return await self.client.post(url, json=body, headers=self.headers)


@pytest.fixture
def nurse_at(client):
    async def _login(key: str = "nurse-solna", unit: str = SOLNA) -> Nurse:
        csrf = await login(client, kind="staff", key=key)
        me = (await client.get("/api/staff/me")).json()
        assignment = next(a for a in me["assignments"] if a["care_unit_hsa_id"] == unit)
        await client.put(
            "/api/staff/context",
            json={"assignment_id": assignment["assignment_id"]},
            headers={"X-CSRF-Token": csrf},
        )
        return Nurse(client, csrf)

    return _login


class OwnUnit:
    """A care unit of the test's own, two personal offers it assigns and a nurse employed
    there: every assignment listed at the unit is one this test made."""

    def __init__(self, hsa_id: str, offers: list[dict], nurse: Nurse, nurse_hsa_id: str) -> None:
        self.hsa_id = hsa_id
        self.offers = offers
        self.nurse = nurse
        self.nurse_hsa_id = nurse_hsa_id


@pytest.fixture
async def own_unit(regional_admin, services, client) -> OwnUnit:
    unit = await create_care_unit(regional_admin)
    offers = [
        await create_offer(regional_admin, name=name, visibility="personal", assigning_units=[unit])
        for name in ("Alfa eget test", "Beta eget test")
    ]
    staff = create_staff_member(services.hsa, care_units=[unit])
    # Assigning needs only the employment; the list of assigned offers needs its permission.
    await grant_permission(
        regional_admin,
        staff_hsa_id=staff.staff.hsa_id,
        permission="assigned_offers",
        care_unit_hsa_id=unit,
    )
    nurse = await log_in_staff(client, key=staff.key, unit=unit)
    return OwnUnit(unit, offers, Nurse(client, nurse.csrf), staff.staff.hsa_id)


async def _citizen_offers(new_client, key: str) -> set[str]:
    http = new_client()
    await login(http, kind="citizen", key=key)
    return {o["catalog_id"] for o in (await http.get("/api/citizen/offers")).json()}


async def test_assigned_offer_is_seen_by_the_citizen_at_once_and_removal_hides_it(
    own_unit, new_client, services
):
    nurse, offer = own_unit.nurse, own_unit.offers[0]["catalog_id"]
    assert offer not in await _citizen_offers(new_client, "maja-teen")
    found = await nurse.post("/api/staff/patient-offers", {"personnummer": "20090214-9863"})
    assert found.status_code == 200
    assert found.json()["patient"]["given_name"] == "Maja"
    assert found.json()["assigned"] == []
    offers = {
        o["catalog_id"] for o in (await nurse.client.get("/api/staff/assignable-offers")).json()
    }
    assert offers == {o["catalog_id"] for o in own_unit.offers}
    assigned = await nurse.post(
        "/api/staff/assignments", {"personnummer": "200902149863", "catalog_id": offer}
    )
    assert assigned.status_code == 201, assigned.text
    assert assigned.json()["assigned_by_hsa_id"] == own_unit.nurse_hsa_id
    assert assigned.json()["care_unit_hsa_id"] == own_unit.hsa_id
    assert offer in await _citizen_offers(new_client, "maja-teen")
    again = await nurse.post(
        "/api/staff/assignments", {"personnummer": "20090214-9863", "catalog_id": offer}
    )
    assert again.status_code == 409
    removed = await nurse.post(f"/api/staff/assignments/{assigned.json()['id']}/remove")
    assert removed.status_code == 204
    assert offer not in await _citizen_offers(new_client, "maja-teen")
    async with services.uow() as uow:
        actions = (
            (
                await uow.session.execute(
                    select(AuditEntry.action)
                    .where(
                        AuditEntry.patient_hash == services.protector.lookup_hash("200902149863"),
                        AuditEntry.actor_id == own_unit.nurse_hsa_id,
                    )
                    .order_by(AuditEntry.id)
                )
            )
            .scalars()
            .all()
        )
    assert actions == ["patient_offers_lookup", "offer_assigned", "offer_unassigned"]


async def test_only_the_units_assignable_offers_can_be_assigned(nurse_at):
    nurse = await nurse_at()
    general = await nurse.post(
        "/api/staff/assignments", {"personnummer": "20090214-9863", "catalog_id": "1001"}
    )
    assert general.status_code == 403
    lund = await nurse_at("doctor-lund", "SE2321000255-B001")
    other_unit = await lund.post(
        "/api/staff/assignments", {"personnummer": "20090214-9863", "catalog_id": "1002"}
    )
    assert other_unit.status_code == 403


async def test_invalid_or_unknown_personnummer_is_refused(nurse_at):
    nurse = await nurse_at()
    invalid = await nurse.post("/api/staff/patient-offers", {"personnummer": "19900101-0000"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "personnummer"
    unknown = await nurse.post("/api/staff/patient-offers", {"personnummer": "19121212-1212"})
    assert unknown.status_code == 404


async def test_a_unit_cannot_remove_another_units_assignment(own_unit, nurse_at):
    assigned = await own_unit.nurse.post(
        "/api/staff/assignments",
        {"personnummer": "20100330-9877", "catalog_id": own_unit.offers[0]["catalog_id"]},
    )
    assert assigned.status_code == 201, assigned.text
    lund = await nurse_at("doctor-lund", "SE2321000255-B001")
    refused = await lund.post(f"/api/staff/assignments/{assigned.json()['id']}/remove")
    assert refused.status_code == 404


async def _assign_five(own_unit, services) -> dict[str, str]:
    """Five assignments at the unit, a minute apart, with uses and assigners set so that every
    sort has ties to break: personnummer → assignment id."""
    nurse = own_unit.nurse
    alfa, beta = (o["catalog_id"] for o in own_unit.offers)
    start = services.now()
    ids = {}
    for minute, (personnummer, offer) in enumerate(
        (
            ("194101159830", alfa),
            ("197011239857", beta),
            ("199608089901", alfa),
            ("197809039816", beta),
            ("198504129829", alfa),
        )
    ):
        services.now_override = start + timedelta(minutes=minute)
        response = await nurse.post(
            "/api/staff/assignments", {"personnummer": personnummer, "catalog_id": offer}
        )
        assert response.status_code == 201, response.text
        ids[personnummer] = response.json()["id"]
    services.now_override = None
    # Uses as ordering would record them (two never used, two used twice), and one row from
    # before assigners' names were kept.
    async with services.uow() as uow:
        for personnummer, times, last in (
            ("194101159830", 2, start + timedelta(days=2)),
            ("197011239857", 2, start + timedelta(days=3)),
            ("199608089901", 1, start + timedelta(days=1)),
        ):
            await uow.session.execute(
                text(
                    "UPDATE assigned_offers SET times_used = :n, last_used_at = :at WHERE id = :id"
                ),
                {"n": times, "at": last, "id": ids[personnummer]},
            )
        await uow.session.execute(
            text("UPDATE assigned_offers SET assigned_by_name = NULL WHERE id = :id"),
            {"id": ids["198504129829"]},
        )
        await uow.commit()
    return ids


async def _walk(nurse, **params) -> list[dict]:
    """Every page of the list, following the cursors."""
    items, cursor = [], None
    for _ in range(20):
        response = await nurse.client.get(
            "/api/staff/assigned-offers",
            params={**params, **({"cursor": cursor} if cursor else {})},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("the cursors never ended")


def _key(sort: str, item: dict):
    if sort == "last_used_at":
        # Never used counts as the oldest use.
        return item["last_used_at"] or ""
    if sort == "assigned_by_name":
        return item["assigned_by_name"] or item["assigned_by_hsa_id"]
    return item[sort]


@pytest.mark.parametrize("sort", ["assigned_at", "last_used_at", "times_used", "assigned_by_name"])
@pytest.mark.parametrize("order", ["asc", "desc"])
async def test_assigned_offers_list_pages_through_every_row_once_in_the_order_asked(
    own_unit, services, sort, order
):
    ids = await _assign_five(own_unit, services)

    walked = await _walk(own_unit.nurse, sort=sort, order=order, page_size=2)

    # Exactly the unit's five, each once, in the order of the key and then the id.
    assert sorted(i["id"] for i in walked) == sorted(ids.values())
    expected = sorted(walked, key=lambda i: (_key(sort, i), i["id"]), reverse=order == "desc")
    assert [i["id"] for i in walked] == [i["id"] for i in expected]


async def test_assigned_offers_list_names_patients_counts_and_filters_by_offer(own_unit, services):
    ids = await _assign_five(own_unit, services)
    alfa = own_unit.offers[0]["catalog_id"]

    first = (
        await own_unit.nurse.client.get("/api/staff/assigned-offers", params={"page_size": 2})
    ).json()
    only_alfa = await _walk(own_unit.nurse, catalog_id=alfa, page_size=2)

    assert (first["total"], first["total_capped"], first["page_size"]) == (5, False, 2)
    # Newest first: the last two assigned.
    assert [(i["personnummer"], i["name"]) for i in first["items"]] == [
        ("19850412-9829", "Anna Maria Andersson"),
        ("19780903-9816", "Erik Johansson"),
    ]
    assert {i["care_unit_hsa_id"] for i in first["items"]} == {own_unit.hsa_id}
    assert [i["id"] for i in only_alfa] == [
        ids["198504129829"],
        ids["199608089901"],
        ids["194101159830"],
    ]
    assert {i["offer_name"] for i in only_alfa} == {"Alfa eget test"}


async def test_assigned_offers_list_audits_each_patient_on_the_page(own_unit, services):
    ids = await _assign_five(own_unit, services)

    await own_unit.nurse.client.get("/api/staff/assigned-offers", params={"page_size": 2})

    async with services.uow() as uow:
        listed = (
            await uow.session.execute(
                select(AuditEntry.patient_hash, AuditEntry.details).where(
                    AuditEntry.action == "assigned_offers_listed",
                    AuditEntry.actor_id == own_unit.nurse_hsa_id,
                )
            )
        ).all()
    hashed = services.protector.lookup_hash
    assert sorted(listed, key=lambda r: r.details["assignment"]) == sorted(
        [(hashed(p), {"assignment": ids[p]}) for p in ("198504129829", "197809039816")],
        key=lambda r: r[1]["assignment"],
    )


@pytest.mark.parametrize("sort", ["personnummer", "name", "offer_name", "assigned_by_hsa_id"])
async def test_assigned_offers_cannot_be_sorted_on_encrypted_or_dropped_columns(own_unit, sort):
    response = await own_unit.nurse.client.get("/api/staff/assigned-offers", params={"sort": sort})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_cursor_of_another_sort_is_refused_and_not_a_server_error(own_unit, services):
    await _assign_five(own_unit, services)
    page = (
        await own_unit.nurse.client.get(
            "/api/staff/assigned-offers", params={"sort": "times_used", "page_size": 2}
        )
    ).json()

    for params in (
        {"sort": "assigned_at", "cursor": page["next_cursor"]},
        {"sort": "times_used", "order": "asc", "cursor": page["next_cursor"]},
        {"cursor": "bm90IGEgY3Vyc29y"},
    ):
        refused = await own_unit.nurse.client.get("/api/staff/assigned-offers", params=params)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "cursor"


async def test_assigned_offers_list_needs_its_permission(nurse_at):
    sti = await nurse_at("nurse-sti", "SE2321000016-A002")
    assert (await sti.client.get("/api/staff/assigned-offers")).status_code == 403


NURSE_SOLNA = "SE2321000016-1001"
NURSE_STI = "SE2321000016-1002"


def _token(
    services,
    *,
    personnummer="199608089901",
    unit=SOLNA,
    issuer="dev-journal",
    staff=NURSE_SOLNA,
    **kw,
):
    return create_launch_token(
        issuer=issuer,
        secret=kw.pop("secret", DEVELOPMENT_SECRET),
        personnummer=personnummer,
        care_unit_hsa_id=unit,
        staff_hsa_id=staff,
        now=kw.pop("now", services.now()),
        **kw,
    )


async def test_deep_link_selects_the_unit_and_prefills_the_patient_once(client, services):
    csrf = await login(client, kind="staff", key="nurse-sti")  # units A002 and A003
    headers = {"X-CSRF-Token": csrf}
    token = _token(services, unit="SE2321000016-A003", staff=NURSE_STI)
    launched = await client.post("/api/staff/launch", json={"token": token}, headers=headers)
    assert launched.status_code == 200, launched.text
    assert launched.json()["personnummer"] == "19960808-9901"
    assert launched.json()["me"]["selected_assignment_id"] is not None
    me = (await client.get("/api/staff/me")).json()
    selected = next(
        a for a in me["assignments"] if a["assignment_id"] == me["selected_assignment_id"]
    )
    assert selected["care_unit_hsa_id"] == "SE2321000016-A003"
    replay = await client.post("/api/staff/launch", json={"token": token}, headers=headers)
    assert replay.status_code == 403
    assert replay.json()["type"] == "/problems/launch-used"


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("expired", "launch-expired"),
        ("tampered", "launch-invalid"),
        ("unknown_issuer", "launch-invalid"),
        ("wrong_secret", "launch-invalid"),
        ("foreign_unit", "no-assignment-at-unit"),
    ],
)
async def test_deep_link_refuses_what_it_cannot_trust(client, services, case, problem):
    csrf = await login(client, kind="staff", key="nurse-solna")
    if case == "expired":
        token = _token(services, now=services.now() - timedelta(minutes=6))
    elif case == "tampered":
        token = _token(services)
        head, key, iv, ciphertext, tag = token.split(".")
        flipped = "A" if ciphertext[5] != "A" else "B"
        token = ".".join([head, key, iv, ciphertext[:5] + flipped + ciphertext[6:], tag])
    elif case == "unknown_issuer":
        token = _token(services, issuer="other-journal")
    elif case == "wrong_secret":
        token = _token(services, secret="not-the-shared-secret")
    else:
        token = _token(services, unit="SE2321000255-B001")
    response = await client.post(
        "/api/staff/launch", json={"token": token}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 403
    assert response.json()["type"] == f"/problems/{problem}"
    assert "199608089901" not in response.text


# --- issue 11 ---------------------------------------------------------------------------


async def test_a_deep_link_made_for_another_staff_member_is_refused_and_stays_theirs(
    client, new_client, services
):
    token = _token(services, staff=NURSE_SOLNA)
    # Eva Lund is employed at Solna too, but the journal made the link for Karin Holm.
    csrf = await login(client, kind="staff", key="unit-admin-solna")
    refused = await client.post(
        "/api/staff/launch", json={"token": token}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/launch-other-user"
    assert "199608089901" not in refused.text
    karin = new_client()
    karin_csrf = await login(karin, kind="staff", key="nurse-solna")
    launched = await karin.post(
        "/api/staff/launch", json={"token": token}, headers={"X-CSRF-Token": karin_csrf}
    )
    assert launched.status_code == 200, launched.text
    assert launched.json()["personnummer"] == "19960808-9901"


async def test_a_deep_link_refused_for_lack_of_an_assignment_is_not_used_up(client, services):
    # Made for Karin Holm at a unit where she has no assignment: refused, and not spent.
    token = _token(services, unit="SE2321000255-B001", staff=NURSE_SOLNA)
    csrf = await login(client, kind="staff", key="nurse-solna")
    refused = await client.post(
        "/api/staff/launch", json={"token": token}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.json()["type"] == "/problems/no-assignment-at-unit"
    token_id = read_launch_token(
        token, secrets_by_issuer=services.settings.launch_secrets, now=services.now()
    ).token_id
    used = await services.redis.exists(f"{services.settings.redis_prefix}:launch:{token_id}")
    assert used == 0


async def test_several_care_units_may_assign_the_same_offer_to_a_patient_each_once(
    regional_admin, services, client, new_client
):
    first, second = await create_care_unit(regional_admin), await create_care_unit(regional_admin)
    offer = await create_offer(
        regional_admin, visibility="personal", assigning_units=[first, second]
    )
    staff = create_staff_member(services.hsa, care_units=[first, second])
    at_first = await log_in_staff(client, key=staff.key, unit=first)
    at_second = await log_in_staff(new_client(), key=staff.key, unit=second)
    body = {"personnummer": "19410115-9830", "catalog_id": offer["catalog_id"]}

    assert (await at_first.post("/api/staff/assignments", body)).status_code == 201
    by_second = await at_second.post("/api/staff/assignments", body)
    assert by_second.status_code == 201, by_second.text
    assert by_second.json()["care_unit_hsa_id"] == second
    again = await at_first.post("/api/staff/assignments", body)
    assert again.status_code == 409

    citizen = new_client()
    await login(citizen, kind="citizen", key="gunnar-elder")
    offers = (await citizen.get("/api/citizen/offers")).json()
    assert [o["catalog_id"] for o in offers].count(offer["catalog_id"]) == 1


async def test_an_offer_the_patient_can_never_see_is_not_assigned_and_says_why(
    regional_admin, services, client
):
    unit = await create_care_unit(regional_admin)
    psa = await create_offer(
        regional_admin,
        visibility="personal",
        assigning_units=[unit],
        sex="M",
        min_age=40,
        max_age=75,
    )
    staff = create_staff_member(services.hsa, care_units=[unit])
    nurse = await log_in_staff(client, key=staff.key, unit=unit)

    # Anna: a woman of 41.
    found = await nurse.post("/api/staff/patient-offers", {"personnummer": "19850412-9829"})
    assert [
        (o["catalog_id"], o["eligible"], o["ineligible_reason"], o["sex"], o["min_age"])
        for o in found.json()["assignable"]
    ] == [(psa["catalog_id"], False, "sex", "M", 40)]
    refused = await nurse.post(
        "/api/staff/assignments",
        {"personnummer": "19850412-9829", "catalog_id": psa["catalog_id"]},
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/offer-not-for-patient"
    assert refused.json()["detail"] == "the offer is for men aged 40–75"
    # Erik: a man of 48.
    erik = await nurse.post(
        "/api/staff/assignments",
        {"personnummer": "19780903-9816", "catalog_id": psa["catalog_id"]},
    )
    assert erik.status_code == 201, erik.text


async def test_assigned_offers_name_who_assigned_them(own_unit, services):
    nurse = own_unit.nurse
    assigned = await nurse.post(
        "/api/staff/assignments",
        {"personnummer": "19960808-9901", "catalog_id": own_unit.offers[0]["catalog_id"]},
    )
    assert assigned.status_code == 201, assigned.text
    name = (await services.hsa.get_staff(own_unit.nurse_hsa_id)).full_name
    assert assigned.json()["assigned_by_name"] == name
    listed = (await nurse.client.get("/api/staff/assigned-offers")).json()["items"]
    assert [(i["assigned_by_hsa_id"], i["assigned_by_name"]) for i in listed] == [
        (own_unit.nurse_hsa_id, name)
    ]
