"""The citizen's inbox, notifications and reminders (issue 10; manual 3.4–3.6) through the
HTTP API and the worker's consumers, against the real database, Redis and a real SMTP
server (aiosmtpd). Each test has its own citizen, laboratory, order and e-mail address
(tests/support/inbox_world.py), so its assertions are exact."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text as sql

from api.notifications.usecases import (
    create_due_reminders,
    deliver_notifications,
    post_result_messages,
)
from api.worker import send_reminders
from domain.notifications import CLAIMABLE, Channel, DeliveryState, OutgoingSms
from domain.outbox import EventKind, OutboxEvent, RetryPolicy
from tests.support.inbox_world import (
    Mailer,
    deliveries_of,
    new_citizen,
    new_laboratory,
    order_for,
    post_result,
    rows,
    sms_of,
)
from tests.support.results_world import client_token, scalar
from tests.support.statements import statements_sent

# What the laboratory sends (tests/support/results_world.py result_body): none of it may
# ever be in a message.
RESULT_WORDS = ("Påvisad", "positiv", "Positiv", "Kontakta din vårdgivare", "Ej påvisad")
NOTICE = "Du har fått ett nytt provsvar i Egen provhantering. Logga in på 1177 för att läsa det."
REMINDER_NOTICE = (
    "Du har ett provsvar i Egen provhantering som du inte har läst. "
    "Logga in på 1177 för att läsa det."
)


@pytest.fixture
async def mailer(services, tmp_path):
    mailer = Mailer(services, tmp_path / "mail")
    yield mailer
    await mailer.close()


def _address() -> str:
    return f"invanare-{uuid.uuid4().hex[:10]}@example.se"


def _free_of_results(text: str) -> None:
    for word in RESULT_WORDS:
        assert word not in text, f"{word!r} in {text!r}"


async def _offer_name(services, order) -> str:
    return await scalar(
        services,
        "SELECT f.name FROM orders o JOIN offers f ON f.id = o.offer_id WHERE o.id = :id",
        id=order.id,
    )


# --- the inbox -----------------------------------------------------------------------------


async def test_a_new_result_makes_one_inbox_message_that_never_holds_the_result(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    # Made by the worker, after the result's transaction: nothing yet.
    assert (await citizen.inbox())["items"] == []

    await mailer.drain()
    await mailer.drain()  # delivering again makes nothing new

    inbox = await citizen.inbox()
    offer_name = await _offer_name(services, order)
    [message] = inbox["items"]
    assert (inbox["total"], inbox["unread"]) == (1, 1)
    assert message == {
        "id": message["id"],
        "kind": "result",
        "subject": "Nytt provsvar",
        "body": f"Det finns ett nytt provsvar för din beställning {offer_name} i Egen "
        "provhantering. Öppna beställningen för att läsa svaret.",
        "order_id": str(order.id),
        "offer_name": offer_name,
        "created_at": message["created_at"],
        "read": False,
        "read_at": None,
    }
    [stored] = await rows(
        services, "SELECT subject, body FROM inbox_messages WHERE order_id = :o", o=order.id
    )
    _free_of_results(stored.subject + stored.body)
    # No contact details: the inbox is the only channel.
    assert await deliveries_of(services, order) == [("result", "inbox", "sent")]


async def test_the_inbox_lists_newest_first_in_pages(client, new_client, services, mailer):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    # After every posting below, so that each drain finds its event due.
    start = services.now() + timedelta(minutes=1)
    orders = []
    for hour in range(3):
        order = await order_for(services, laboratory, citizen)
        orders.append(order)
        services.now_override = None
        await post_result(client, laboratory, order)
        # The messages are made an hour apart.
        services.now_override = start + timedelta(hours=hour)
        await mailer.drain()
    services.now_override = None

    first = await citizen.inbox(page=1, page_size=2)
    second = await citizen.inbox(page=2, page_size=2)
    assert (first["total"], first["unread"], first["page"], first["page_size"]) == (3, 3, 1, 2)
    assert [m["order_id"] for m in first["items"]] == [str(orders[2].id), str(orders[1].id)]
    assert [m["order_id"] for m in second["items"]] == [str(orders[0].id)]
    refused = await citizen.http.get("/api/citizen/inbox", params={"page_size": 101})
    assert refused.status_code == 422


async def test_the_inbox_and_its_summary_cost_the_same_statements_however_many_messages(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)

    async def costs() -> tuple[int, int]:
        inbox = await statements_sent(services, lambda: citizen.http.get("/api/citizen/inbox"))
        summary = await statements_sent(
            services, lambda: citizen.http.get("/api/citizen/inbox/summary")
        )
        return inbox, summary

    async def one_more() -> None:
        order = await order_for(services, laboratory, citizen)
        await post_result(client, laboratory, order)
        await mailer.drain()

    await one_more()
    few = await costs()
    for _ in range(3):
        await one_more()
    assert (await citizen.inbox())["total"] == 4
    assert await costs() == few


async def test_reading_a_message_counts_it_read_once(client, new_client, services, mailer):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await mailer.drain()
    [message] = (await citizen.inbox())["items"]

    read = await citizen.http.post(
        f"/api/citizen/inbox/{message['id']}/read", headers=citizen.headers
    )
    assert read.status_code == 204
    inbox = await citizen.inbox()
    assert inbox["unread"] == 0
    [opened] = inbox["items"]
    assert opened["read"] is True
    # Again: still read, at the first time.
    again = await citizen.http.post(
        f"/api/citizen/inbox/{message['id']}/read", headers=citizen.headers
    )
    assert again.status_code == 204
    assert (await citizen.inbox())["items"][0]["read_at"] == opened["read_at"]
    summary = (await citizen.http.get("/api/citizen/inbox/summary")).json()
    assert summary["unread_messages"] == 0


async def test_another_citizens_message_is_not_found(client, new_client, services, mailer):
    owner = await new_citizen(services, new_client())
    other = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, owner)
    await post_result(client, laboratory, order)
    await mailer.drain()
    [message] = (await owner.inbox())["items"]

    refused = await other.http.post(
        f"/api/citizen/inbox/{message['id']}/read", headers=other.headers
    )
    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/inbox-message-not-found"
    unknown = await other.http.post(
        f"/api/citizen/inbox/{uuid.uuid4()}/read", headers=other.headers
    )
    assert unknown.status_code == 404
    assert (await other.inbox())["items"] == []
    # Still unread for its owner.
    assert (await owner.inbox())["unread"] == 1


async def test_the_start_page_shows_results_not_read_until_they_are_read(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await post_result(
        client,
        laboratory,
        order,
        analysis_code=laboratory.lab.analysis_code("PEP-NG"),
        lab_result_id=f"{order.rid}-NG",
    )
    await mailer.drain()

    summary = (await citizen.http.get("/api/citizen/inbox/summary")).json()
    assert summary["unread_messages"] == 2
    assert summary["unread_results"] == 2
    assert [(n["order_id"], n["unread_results"]) for n in summary["new_results"]] == [
        (str(order.id), 2)
    ]
    assert summary["new_results"][0]["offer_name"] == await _offer_name(services, order)
    read = await citizen.http.post(
        f"/api/citizen/orders/{order.id}/results/read", headers=citizen.headers
    )
    assert read.status_code == 204
    after = (await citizen.http.get("/api/citizen/inbox/summary")).json()
    assert (after["unread_results"], after["new_results"]) == (0, [])
    # Reading the results is not opening the messages.
    assert after["unread_messages"] == 2


async def test_an_order_deleted_before_delivery_gets_no_message(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    deleted = await citizen.http.post(
        f"/api/citizen/orders/{order.id}/delete",
        json={"confirm_personnummer": citizen.personnummer},
        headers=citizen.headers,
    )
    assert deleted.status_code == 204, deleted.text
    await mailer.drain()
    assert (await citizen.inbox())["items"] == []


# --- notifications -------------------------------------------------------------------------


async def test_an_email_only_with_an_email_address_and_an_sms_only_with_a_mobile_number(
    client, new_client, services, mailer
):
    laboratory = await new_laboratory(services)
    nothing = await new_citizen(services, new_client())
    email_only = await new_citizen(services, new_client())
    mobile_only = await new_citizen(services, new_client())
    both = await new_citizen(services, new_client())
    address_1, address_2 = _address(), _address()
    assert (await email_only.set_contact_details(email=address_1)).status_code == 200
    assert (await mobile_only.set_contact_details(mobile="070-123 45 67")).status_code == 200
    assert (
        await both.set_contact_details(email=address_2, mobile="+46 73 111 22 33")
    ).status_code == 200
    orders = {}
    for citizen in (nothing, email_only, mobile_only, both):
        orders[citizen.key] = await order_for(services, laboratory, citizen)
        await post_result(client, laboratory, orders[citizen.key])
    await mailer.drain()

    sent = "sent"
    assert await deliveries_of(services, orders[nothing.key]) == [("result", "inbox", sent)]
    assert await deliveries_of(services, orders[email_only.key]) == [
        ("result", "email", sent),
        ("result", "inbox", sent),
    ]
    assert await deliveries_of(services, orders[mobile_only.key]) == [
        ("result", "inbox", sent),
        ("result", "sms", sent),
    ]
    assert await deliveries_of(services, orders[both.key]) == [
        ("result", "email", sent),
        ("result", "inbox", sent),
        ("result", "sms", sent),
    ]
    assert len(mailer.mails_to(address_1)) == 1
    assert len(mailer.mails_to(address_2)) == 1
    assert await sms_of(services, orders[nothing.key]) == []
    assert await sms_of(services, orders[email_only.key]) == []
    assert await sms_of(services, orders[mobile_only.key]) == [(NOTICE, 1)]
    assert await sms_of(services, orders[both.key]) == [(NOTICE, 1)]
    [recipient] = await rows(
        services,
        "SELECT s.recipient_encrypted, s.reference FROM local_sms_messages s"
        " JOIN notification_deliveries d ON d.id = s.reference"
        " JOIN inbox_messages m ON m.id = d.message_id WHERE m.order_id = :o",
        o=orders[mobile_only.key].id,
    )
    number = services.protector.decrypt(
        recipient.recipient_encrypted, context=b"local-sms:" + recipient.reference.bytes
    )
    assert number == b"+46701234567"


async def test_the_email_says_only_that_there_is_a_result(client, new_client, services, mailer):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await mailer.drain()

    [mail] = mailer.mails_to(address)
    assert mail.subject == "Nytt provsvar i Egen provhantering"
    assert NOTICE in mail.text
    assert mail.message["Auto-Submitted"] == "auto-generated"
    [delivery] = await rows(
        services,
        "SELECT d.id, d.provider_reference FROM notification_deliveries d"
        " JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND d.channel = 'email'",
        o=order.id,
    )
    assert mail.message_id == f"<{delivery.id}@egenprovhantering.se>"
    assert delivery.provider_reference == mail.message_id
    offer_name = await _offer_name(services, order)
    raw = mail.path.read_bytes().decode()
    for text in (mail.subject, mail.text, raw):
        _free_of_results(text)
        assert offer_name not in text
        assert order.rid not in text
        assert citizen.personnummer not in text


async def test_a_corrected_result_makes_a_new_message_and_notifies_again(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address, mobile="0709876543")
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await mailer.drain()
    corrected = await post_result(
        client, laboratory, order, lab_version=2, value="Ej påvisad", insight="negative"
    )
    assert corrected["outcome"] == "corrected"
    await mailer.drain()

    inbox = await citizen.inbox()
    assert [m["kind"] for m in inbox["items"]] == ["correction", "result"]
    assert inbox["items"][0]["subject"] == "Korrigerat provsvar"
    for message in inbox["items"]:
        _free_of_results(message["subject"] + message["body"])
    assert len(mailer.mails_to(address)) == 2
    assert await sms_of(services, order) == [(NOTICE, 1), (NOTICE, 1)]


async def test_a_contact_detail_removed_before_sending_is_not_used(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    # The message and its deliveries are made; the e-mail address goes before it is sent.
    await mailer.drain(policy=RetryPolicy())
    assert len(mailer.mails_to(address)) == 1
    await citizen.set_contact_details(email=None)
    await post_result(client, laboratory, order, lab_version=2, value="Ej påvisad")
    await mailer.drain()
    # The second message has no e-mail delivery at all.
    assert [d for d in await deliveries_of(services, order) if d[1] == "email"] == [
        ("result", "email", "sent")
    ]
    assert len(mailer.mails_to(address)) == 1


async def test_an_email_removed_between_the_message_and_its_sending_is_skipped(
    client, new_client, services, mailer
):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    # Only the message (with its deliveries) is made; the e-mail is not sent yet.
    await _make_messages_only(services, order)
    await citizen.set_contact_details(email=None)
    await mailer.drain()
    assert [d for d in await deliveries_of(services, order) if d[1] == "email"] == [
        ("result", "email", DeliveryState.SKIPPED.value)
    ]
    assert mailer.mails_to(address) == []


# --- retries and dead letters --------------------------------------------------------------


async def test_a_refused_email_is_retried_with_back_off_then_dead_for_operators(
    client, new_client, services, mailer, login_as
):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    mailer.sink.handler.refuse = "451 4.3.0 Try again later"
    policy = RetryPolicy(max_attempts=2, base=timedelta(seconds=60))
    start = services.now()
    services.now_override = start
    await mailer.drain(policy=policy)
    [event] = await rows(
        services,
        "SELECT e.id, e.status, e.attempts, e.next_attempt_at, e.last_error FROM outbox_events e"
        " JOIN notification_deliveries d ON d.id = CAST(e.payload->>'delivery_id' AS uuid)"
        " JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND e.kind = 'email_notification'",
        o=order.id,
    )
    assert (event.status, event.attempts) == ("pending", 1)
    assert event.next_attempt_at == start + timedelta(seconds=60)
    assert event.last_error == "SMTP refused the message: 451 4.3.0 Try again later"
    # The inbox message itself is there: only the e-mail waits.
    assert (await citizen.inbox())["total"] == 1

    services.now_override = start + timedelta(seconds=59)
    await mailer.drain(policy=policy)
    assert (await _event(services, event.id)).attempts == 1  # not due yet
    services.now_override = start + timedelta(seconds=61)
    await mailer.drain(policy=policy)
    assert (await _event(services, event.id)).status == "dead"
    services.now_override = None
    assert mailer.mails_to(address) == []
    [delivery] = await rows(
        services,
        "SELECT d.state, d.attempts, d.last_error FROM notification_deliveries d"
        " JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND d.channel = 'email'",
        o=order.id,
    )
    assert (delivery.state, delivery.attempts) == ("pending", 2)

    operator = await login_as("staff", "operator")
    listed = await client.get("/api/operator/outbox/dead-letters", params={"page_size": 200})
    [dead] = [e for e in listed.json()["items"] if e["id"] == str(event.id)]
    assert (dead["kind"], dead["attempts"]) == ("email_notification", 2)
    # The server takes mail again; the operator requeues: delivered, once.
    mailer.sink.handler.refuse = None
    requeued = await client.post(
        f"/api/operator/outbox/dead-letters/{event.id}/requeue", headers=operator.headers
    )
    assert requeued.status_code == 204
    await mailer.drain(policy=policy)
    await mailer.drain(policy=policy)
    assert len(mailer.mails_to(address)) == 1
    assert (await _event(services, event.id)).status == "delivered"


async def test_an_address_the_server_echoes_is_kept_nowhere(client, new_client, services, mailer):
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    mailer.sink.handler.refuse = f"550 5.1.1 <{address}>: Recipient address rejected"
    await mailer.drain()
    [row] = await rows(
        services,
        "SELECT e.last_error AS event_error, d.last_error AS delivery_error"
        " FROM outbox_events e"
        " JOIN notification_deliveries d ON d.id = CAST(e.payload->>'delivery_id' AS uuid)"
        " JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND e.kind = 'email_notification'",
        o=order.id,
    )
    expected = "SMTP refused the message: 550 5.1.1 <address> Recipient address rejected"
    assert (row.event_error, row.delivery_error) == (expected, expected)


async def _event(services, event_id):
    [row] = await rows(
        services, "SELECT status, attempts FROM outbox_events WHERE id = :id", id=event_id
    )
    return row


async def test_an_email_past_its_point_of_no_return_is_never_sent_again(
    client, new_client, services, mailer
):
    """A worker that died after recording the point of no return (the final dot may have
    reached the server) leaves the delivery handed over: later attempts send nothing."""
    address = _address()
    order, delivery = await _waiting_email(client, new_client, services, address=address)
    async with services.uow() as uow:
        token = uuid.uuid4()
        claimed = await uow.notifications.claim_delivery(
            delivery.id, channel=Channel.EMAIL, token=token, states=CLAIMABLE, now=services.now()
        )
        assert claimed is not None
        assert await uow.notifications.hand_over(delivery.id, token=token, now=services.now())
        await uow.commit()
    await mailer.drain()
    assert mailer.mails_to(address) == []
    assert [d for d in await deliveries_of(services, order) if d[1] == "email"] == [
        ("result", "email", "handed_over")
    ]


async def test_an_email_without_an_answer_to_its_end_is_not_sent_again(
    client, new_client, services, mailer
):
    """The server took the message and hung up before answering: perhaps delivered, so never
    sent again (the inbox keeps the message; the reminder still comes)."""
    citizen = await new_citizen(services, new_client())
    address = _address()
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    mailer.sink.handler.hang_up_after_store = True
    await mailer.drain()
    mailer.sink.handler.hang_up_after_store = False
    await mailer.drain()
    assert len(mailer.mails_to(address)) == 1
    [delivery] = await rows(
        services,
        "SELECT d.state, d.last_error FROM notification_deliveries d"
        " JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND d.channel = 'email'",
        o=order.id,
    )
    assert delivery.state == "handed_over"
    assert delivery.last_error.startswith("no reply to the end of the message")
    assert (await citizen.inbox())["total"] == 1


async def test_an_email_whose_attempt_died_before_its_point_of_no_return_is_sent(
    client, new_client, services, mailer
):
    """Claimed (`sending`) by an attempt that never reached the point of no return: the
    server has nothing, and the next attempt sends the e-mail — once."""
    address = _address()
    order, delivery = await _waiting_email(client, new_client, services, address=address)
    async with services.uow() as uow:
        claimed = await uow.notifications.claim_delivery(
            delivery.id,
            channel=Channel.EMAIL,
            token=uuid.uuid4(),
            states=CLAIMABLE,
            now=services.now(),
        )
        assert claimed is not None
        await uow.commit()
    await mailer.drain()
    await mailer.drain()
    assert len(mailer.mails_to(address)) == 1
    [(_, _, state)] = [d for d in await deliveries_of(services, order) if d[1] == "email"]
    assert state == "sent"


async def test_an_email_whose_point_of_no_return_is_recorded_too_late_is_sent_by_the_next_attempt(
    client, new_client, services, tmp_path
):
    """The point of no return waits on the database longer than the SMTP timeout: the final
    dot is not sent, and the delivery goes back to pending with the reason (never left
    `sending` under an event settled as delivered, where no attempt would ever come); the
    next attempt sends the e-mail — once."""
    mailer = Mailer(services, tmp_path / "mail", smtp_timeout=2.0)
    try:
        address = f"{mailer.sink.handler.slow_rcpt_prefix}{uuid.uuid4().hex[:10]}@example.se"
        order, delivery = await _waiting_email(client, new_client, services, address=address)
        # The attempt waits a second at RCPT TO after claiming the delivery: meanwhile the
        # delivery's row is locked, so recording the point of no return waits past 2 s.
        mailer.sink.handler.delay_at_rcpt = 1.0
        attempt = asyncio.create_task(mailer.drain())
        async with services.uow() as locker:
            for _ in range(200):
                state = await scalar(
                    services,
                    "SELECT state FROM notification_deliveries WHERE id = :id",
                    id=delivery.id,
                )
                if state == "sending":
                    break
                await asyncio.sleep(0.01)
            assert state == "sending"
            await locker.session.execute(
                sql("SELECT 1 FROM notification_deliveries WHERE id = :id FOR UPDATE"),
                {"id": delivery.id},
            )
            await asyncio.sleep(3.5)
        await asyncio.wait_for(attempt, timeout=30)
        mailer.sink.handler.delay_at_rcpt = 0.0
        assert mailer.mails_to(address) == []
        reason = "the point of no return was not recorded in time; the message was not sent"
        [row] = await rows(
            services,
            "SELECT d.state, d.last_error, e.status, e.last_error AS event_error"
            " FROM notification_deliveries d JOIN outbox_events e"
            " ON CAST(e.payload->>'delivery_id' AS uuid) = d.id WHERE d.id = :id",
            id=delivery.id,
        )
        assert tuple(row) == ("pending", reason, "pending", reason)
        services.now_override = services.now() + timedelta(minutes=5)
        await mailer.drain()
        await mailer.drain()
        assert len(mailer.mails_to(address)) == 1
        [(_, _, state)] = [d for d in await deliveries_of(services, order) if d[1] == "email"]
        assert state == "sent"
    finally:
        services.now_override = None
        await mailer.close()


async def test_an_attempt_whose_claim_ran_out_leaves_the_delivery_to_the_later_claim(
    client, new_client, services, mailer
):
    """An attempt that waited past its lease (its batch is long) while a later drain claimed
    the event again and is sending: it must not take the delivery over — else the later
    drain stops at its point of no return and settles the event, and the stale attempt's
    worker, if killed then, leaves an e-mail that nothing will ever send."""
    address = _address()
    order, delivery = await _waiting_email(client, new_client, services, address=address)
    [event] = await rows(
        services,
        "SELECT id, kind, payload, attempts, created_at FROM outbox_events"
        " WHERE payload->>'delivery_id' = :d",
        d=str(delivery.id),
    )
    # The later claim holds the event and its attempt holds the delivery (sending).
    later_token = uuid.uuid4()
    async with services.uow() as uow:
        await uow.session.execute(
            sql(
                "UPDATE outbox_events SET locked_by = 'later-claim', attempts = 2,"
                " locked_until = :until WHERE id = :id"
            ),
            {"id": event.id, "until": services.now() + timedelta(minutes=1)},
        )
        assert await uow.notifications.claim_delivery(
            delivery.id,
            channel=Channel.EMAIL,
            token=later_token,
            states=CLAIMABLE,
            now=services.now(),
        )
        await uow.commit()
    stale = OutboxEvent(
        id=event.id,
        kind=EventKind(event.kind),
        payload=dict(event.payload),
        attempts=1,
        created_at=event.created_at,
        holder="stale-claim",
    )
    failures = await deliver_notifications(
        uow_factory=services.uow,
        events=[stale],
        channels=mailer.channels,
        clock=services.now,
        concurrency=1,
    )
    assert failures == {}
    assert mailer.mails_to(address) == []
    [row] = await rows(
        services,
        "SELECT state, attempts, claim_token FROM notification_deliveries WHERE id = :id",
        id=delivery.id,
    )
    assert (row.state, row.attempts, row.claim_token) == ("sending", 1, later_token)
    # The later claim's worker died: its lease runs out, the next drain sends the e-mail once.
    async with services.uow() as uow:
        await uow.session.execute(
            sql("UPDATE outbox_events SET locked_until = :past WHERE id = :id"),
            {"id": event.id, "past": services.now() - timedelta(seconds=1)},
        )
        await uow.commit()
    await mailer.drain()
    assert len(mailer.mails_to(address)) == 1
    [(_, _, state)] = [d for d in await deliveries_of(services, order) if d[1] == "email"]
    assert state == "sent"


async def test_an_sms_whose_attempt_died_is_sent_again_under_the_same_reference(
    client, new_client, services, mailer
):
    """The SMS gateway keeps one message per reference (our delivery id): an attempt that
    died after its request leaves the delivery `sending`, the next attempt sends it again,
    and the gateway shows the person one message (the local gateway counts the repeat)."""
    citizen = await new_citizen(services, new_client())
    await citizen.set_contact_details(mobile="0731234567")
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await _make_messages_only(services, order)
    [delivery] = await rows(
        services,
        "SELECT d.id FROM notification_deliveries d JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND d.channel = 'sms'",
        o=order.id,
    )
    # The first attempt: claimed, sent, and the worker died before recording it.
    async with services.uow() as uow:
        claimed = await uow.notifications.claim_delivery(
            delivery.id,
            channel=Channel.SMS,
            token=uuid.uuid4(),
            states=CLAIMABLE,
            now=services.now(),
        )
        assert claimed is not None
        await uow.commit()
    await mailer.channels.sms.send(
        OutgoingSms(to="+46731234567", text=NOTICE, reference=delivery.id)
    )
    await mailer.drain()
    await mailer.drain()
    assert await sms_of(services, order) == [(NOTICE, 2)]
    assert [d for d in await deliveries_of(services, order) if d[1] == "sms"] == [
        ("result", "sms", "sent")
    ]


async def _make_messages_only(services, order) -> None:
    """Runs the result_available consumer for the order's event, and nothing else."""
    async with services.uow() as uow:
        events = await uow.outbox.claim(
            worker="test-messages-only",
            kinds=[EventKind.RESULT_AVAILABLE],
            limit=500,
            until=services.now() + timedelta(minutes=1),
            now=services.now(),
        )
        await uow.commit()
    async with services.uow() as uow:
        await post_result_messages(
            uow=uow,
            events=[e for e in events if e.payload["order_id"] == str(order.id)],
            now=services.now(),
        )


async def _waiting_email(client, new_client, services, *, address: str):
    """A citizen of the test's own with this e-mail address, a result for their order, and
    its messages made (nothing sent yet): the order and its e-mail delivery."""
    citizen = await new_citizen(services, new_client())
    await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await _make_messages_only(services, order)
    [delivery] = await _email_delivery(services, order)
    return order, delivery


async def _email_delivery(services, order):
    return await rows(
        services,
        "SELECT d.id FROM notification_deliveries d JOIN inbox_messages m ON m.id = d.message_id"
        " WHERE m.order_id = :o AND d.channel = 'email'",
        o=order.id,
    )


# --- reminders -----------------------------------------------------------------------------


async def _unread_result(client, new_client, services, mailer, *, address: str | None = None):
    citizen = await new_citizen(services, new_client())
    if address:
        await citizen.set_contact_details(email=address)
    laboratory = await new_laboratory(services)
    order = await order_for(services, laboratory, citizen)
    await post_result(client, laboratory, order)
    await mailer.drain()
    [message] = await rows(
        services, "SELECT id, created_at FROM inbox_messages WHERE order_id = :o", o=order.id
    )
    return citizen, laboratory, order, message


async def _remind(services, *, at) -> None:
    async with services.uow() as uow:
        await create_due_reminders(uow=uow, now=at, after=timedelta(days=3), limit=500)


async def _reminders_of(services, order) -> int:
    return await scalar(
        services,
        "SELECT count(*) FROM inbox_messages WHERE order_id = :o AND kind = 'reminder'",
        o=order.id,
    )


async def test_one_reminder_when_a_result_is_unread_after_three_days(
    client, new_client, services, mailer
):
    address = _address()
    citizen, _laboratory, order, message = await _unread_result(
        client, new_client, services, mailer, address=address
    )
    await _remind(services, at=message.created_at + timedelta(days=3) - timedelta(seconds=1))
    assert await _reminders_of(services, order) == 0
    await _remind(services, at=message.created_at + timedelta(days=3))
    assert await _reminders_of(services, order) == 1
    await _remind(services, at=message.created_at + timedelta(days=4))
    await _remind(services, at=message.created_at + timedelta(days=10))
    assert await _reminders_of(services, order) == 1
    # The reminder's deliveries are due from when it was made.
    services.now_override = message.created_at + timedelta(days=10)
    await mailer.drain()
    services.now_override = None

    inbox = await citizen.inbox()
    assert [(m["kind"], m["subject"]) for m in inbox["items"]] == [
        ("reminder", "Påminnelse: oläst provsvar"),
        ("result", "Nytt provsvar"),
    ]
    _free_of_results(inbox["items"][0]["body"])
    mails = mailer.mails_to(address)
    assert [m.subject for m in mails] == [
        "Nytt provsvar i Egen provhantering",
        "Påminnelse: oläst provsvar i Egen provhantering",
    ]
    assert REMINDER_NOTICE in mails[1].text
    _free_of_results(mails[1].text)


async def test_the_worker_job_reminds_after_the_configured_days(
    client, new_client, services, mailer
):
    _citizen, _laboratory, order, message = await _unread_result(
        client, new_client, services, mailer
    )
    assert services.settings.reminder_after_days == 3
    services.now_override = message.created_at + timedelta(days=2, hours=23)
    await send_reminders({"services": services})
    assert await _reminders_of(services, order) == 0
    services.now_override = message.created_at + timedelta(days=3, minutes=1)
    assert await send_reminders({"services": services}) >= 1
    assert await _reminders_of(services, order) == 1


async def test_no_reminder_when_the_result_was_read(client, new_client, services, mailer):
    citizen, _laboratory, order, message = await _unread_result(
        client, new_client, services, mailer
    )
    read = await citizen.http.post(
        f"/api/citizen/orders/{order.id}/results/read", headers=citizen.headers
    )
    assert read.status_code == 204
    await _remind(services, at=message.created_at + timedelta(days=4))
    assert await _reminders_of(services, order) == 0
    [settled] = await rows(
        services, "SELECT reminder_settled_at FROM inbox_messages WHERE id = :id", id=message.id
    )
    assert settled.reminder_settled_at is not None


async def test_no_reminder_when_the_message_was_read(client, new_client, services, mailer):
    citizen, _laboratory, order, message = await _unread_result(
        client, new_client, services, mailer
    )
    read = await citizen.http.post(f"/api/citizen/inbox/{message.id}/read", headers=citizen.headers)
    assert read.status_code == 204
    await _remind(services, at=message.created_at + timedelta(days=4))
    assert await _reminders_of(services, order) == 0


async def test_a_correction_takes_over_the_reminder_of_the_result_it_corrects(
    client, new_client, services, mailer
):
    _citizen, laboratory, order, first = await _unread_result(client, new_client, services, mailer)
    # The correction arrives two days later: one reminder, three days after it.
    services.now_override = first.created_at + timedelta(days=2)
    laboratory.writer = await client_token(
        services, scopes=("results:write",), laboratory_ids=(laboratory.lab.id,)
    )
    await post_result(client, laboratory, order, lab_version=2, value="Ej påvisad")
    await mailer.drain()
    services.now_override = None
    await _remind(services, at=first.created_at + timedelta(days=3, hours=1))
    assert await _reminders_of(services, order) == 0
    await _remind(services, at=first.created_at + timedelta(days=5))
    assert await _reminders_of(services, order) == 1
    [origin] = await rows(
        services,
        "SELECT r.origin_id = c.id AS of_correction FROM inbox_messages r"
        " JOIN inbox_messages c ON c.order_id = r.order_id AND c.kind = 'correction'"
        " WHERE r.order_id = :o AND r.kind = 'reminder'",
        o=order.id,
    )
    assert origin.of_correction


async def test_two_reminder_runs_at_the_same_moment_remind_once(
    client, new_client, services, mailer
):
    address = _address()
    _citizen, _laboratory, order, message = await _unread_result(
        client, new_client, services, mailer, address=address
    )
    at = message.created_at + timedelta(days=3, minutes=1)
    await asyncio.gather(_remind(services, at=at), _remind(services, at=at))
    assert await _reminders_of(services, order) == 1
    services.now_override = at
    await mailer.drain()
    services.now_override = None
    assert [m.subject for m in mailer.mails_to(address)] == [
        "Nytt provsvar i Egen provhantering",
        "Påminnelse: oläst provsvar i Egen provhantering",
    ]


# --- contact details -----------------------------------------------------------------------


async def test_contact_details_are_set_with_if_match_and_audited_without_values(
    new_client, services
):
    citizen = await new_citizen(services, new_client())
    url = "/api/citizen/contact-details"
    first = await citizen.http.get(url)
    assert first.status_code == 200
    assert first.json() == {"email": None, "mobile": None, "version": 0}
    assert first.headers["ETag"] == '"0"'
    body = {"email": "  Tolvan.Tolvansson@Example.SE ", "mobile": "070-123 45 67"}

    missing = await citizen.http.put(url, json=body, headers=citizen.headers)
    assert missing.status_code == 428
    assert missing.json()["type"] == "/problems/if-match-required"
    saved = await citizen.http.put(url, json=body, headers={**citizen.headers, "If-Match": '"0"'})
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "email": "Tolvan.Tolvansson@example.se",
        "mobile": "+46701234567",
        "version": 1,
    }
    assert saved.headers["ETag"] == '"1"'
    stale = await citizen.http.put(
        url, json={"email": None}, headers={**citizen.headers, "If-Match": '"0"'}
    )
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/stale-version"
    removed = await citizen.http.put(
        url,
        json={"email": "", "mobile": "+46701234567"},
        headers={**citizen.headers, "If-Match": '"1"'},
    )
    assert removed.status_code == 200
    assert removed.json() == {"email": None, "mobile": "+46701234567", "version": 2}
    assert (await citizen.http.get(url)).json() == removed.json()

    hashed = services.protector.lookup_hash(citizen.personnummer)
    [stored] = await rows(
        services,
        "SELECT email_encrypted, mobile_encrypted FROM citizen_contact_details"
        " WHERE citizen_hash = :h",
        h=hashed,
    )
    assert stored.email_encrypted is None
    assert b"+46701234567" not in stored.mobile_encrypted
    # The audit log names the citizen by the keyed hash of their personnummer.
    audit = await rows(
        services,
        "SELECT details::text AS details FROM audit_log WHERE action = 'contact_details_changed'"
        " AND actor_kind = 'citizen' AND actor_id = :actor ORDER BY id",
        actor=hashed.hex(),
    )
    assert [a.details for a in audit] == [
        '{"email": "added", "mobile": "added"}',
        '{"email": "removed", "mobile": "unchanged"}',
    ]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"email": "inte-en-adress"}, "email", "invalid_email"),
        ({"email": "a@b"}, "email", "invalid_email"),
        ({"email": "två..punkter@example.se"}, "email", "invalid_email"),
        ({"email": "namn@exa mple.se"}, "email", "invalid_email"),
        ({"mobile": "08-123 456 78"}, "mobile", "invalid_mobile"),
        ({"mobile": "+4712345678"}, "mobile", "invalid_mobile"),
        ({"mobile": "070-123 45 6"}, "mobile", "invalid_mobile"),
    ],
)
async def test_invalid_contact_details_are_refused(new_client, services, body, field, code):
    citizen = await new_citizen(services, new_client())
    refused = await citizen.http.put(
        "/api/citizen/contact-details", json=body, headers={**citizen.headers, "If-Match": '"0"'}
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    assert (await citizen.http.get("/api/citizen/contact-details")).json()["version"] == 0
