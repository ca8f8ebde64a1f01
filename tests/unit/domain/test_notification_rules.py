"""The rules of the citizen's messages and contact details (domain/notifications.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.notifications import (
    CLAIMABLE,
    Channel,
    ContactDetails,
    DeliveryState,
    MessageKind,
    change_summary,
    email_body,
    inbox_text,
    message_id_for,
    notice_text,
    reminder_due_before,
    validated_email,
    validated_mobile,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("anna@example.se", "anna@example.se"),
        ("  Anna.Andersson@Example.SE ", "Anna.Andersson@example.se"),
        ("a+notiser@sub.example.com", "a+notiser@sub.example.com"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_an_email_address_is_kept_with_its_domain_in_lower_case(typed, kept):
    assert validated_email(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "anna",
        "anna@",
        "@example.se",
        "anna@example",
        "anna@example.s",
        "an na@example.se",
        "anna@exa mple.se",
        "anna..b@example.se",
        ".anna@example.se",
        "anna.@example.se",
        "anna@-example.se",
        "anna@example.se>",
        "åsa@example.se",
        "a" * 65 + "@example.se",
        "anna@" + "a" * 250 + ".se",
    ],
)
def test_what_is_not_an_email_address_is_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        validated_email(typed)
    assert (refused.value.field, refused.value.code) == ("email", "invalid_email")


@pytest.mark.parametrize(
    "typed",
    [
        "0701234567",
        "070-123 45 67",
        "070 123 45 67",
        "(070) 123 45 67",
        "+46701234567",
        "+46 70 123 45 67",
        "0046701234567",
    ],
)
def test_a_swedish_mobile_number_is_kept_in_international_form(typed):
    assert validated_mobile(typed) == "+46701234567"


@pytest.mark.parametrize("prefix", ["070", "072", "073", "076", "079"])
def test_every_swedish_mobile_series_is_accepted(prefix):
    assert validated_mobile(f"{prefix}1234567") == f"+46{prefix[1:]}1234567"


@pytest.mark.parametrize(
    "typed",
    [
        "08-123 456 78",  # a landline
        "0711234567",  # not a mobile series
        "070123456",  # a digit short
        "07012345678",  # a digit too many
        "+4712345678",  # not Swedish
        "701234567",
        "070-123 45 6x",
    ],
)
def test_what_is_not_a_swedish_mobile_number_is_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        validated_mobile(typed)
    assert (refused.value.field, refused.value.code) == ("mobile", "invalid_mobile")


def test_empty_mobile_is_no_mobile():
    assert validated_mobile("") is None
    assert validated_mobile(None) is None


def test_channels_follow_the_contact_details_and_the_inbox_is_always_one():
    assert ContactDetails(None, None, 0).channels == {Channel.INBOX}
    assert ContactDetails("a@example.se", None, 1).channels == {Channel.INBOX, Channel.EMAIL}
    assert ContactDetails(None, "+46701234567", 1).channels == {Channel.INBOX, Channel.SMS}
    assert ContactDetails("a@example.se", "+46701234567", 1).channels == {
        Channel.INBOX,
        Channel.EMAIL,
        Channel.SMS,
    }


def test_the_audit_keeps_what_changed_never_the_values():
    before = ContactDetails("a@example.se", None, 1)
    after = ContactDetails("b@example.se", "+46701234567", 2)
    assert change_summary(before, after) == {"email": "changed", "mobile": "added"}
    assert change_summary(after, ContactDetails(None, "+46701234567", 3)) == {
        "email": "removed",
        "mobile": "unchanged",
    }


@pytest.mark.parametrize("kind", list(MessageKind))
def test_the_email_and_sms_only_ask_the_citizen_to_log_in(kind):
    notice = notice_text(kind)
    assert notice.body.endswith("Logga in på 1177 för att läsa det.")
    body = email_body(kind, signature="Hälsningar")
    assert notice.body in body
    assert "Meddelandet innehåller inget provsvar." in body
    assert "{" not in notice.subject + body


def test_the_new_result_notice_is_the_agreed_generic_text():
    assert notice_text(MessageKind.RESULT).body == (
        "Du har fått ett nytt provsvar i Egen provhantering. Logga in på 1177 för att läsa det."
    )


@pytest.mark.parametrize("kind", list(MessageKind))
def test_the_inbox_message_names_the_order_but_nothing_of_the_result(kind):
    text = inbox_text(kind, offer_name="Klamydiatest")
    assert "Klamydiatest" in text.body
    assert "{" not in text.subject + text.body


def test_a_reminder_is_due_for_messages_older_than_the_period():
    now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    assert reminder_due_before(now, after=timedelta(days=3)) == datetime(
        2026, 12, 1, 12, 0, tzinfo=UTC
    )


def test_a_delivery_past_its_point_of_no_return_is_never_claimed_again():
    assert DeliveryState.HANDED_OVER not in CLAIMABLE
    assert DeliveryState.SENT not in CLAIMABLE
    assert DeliveryState.SKIPPED not in CLAIMABLE
    assert {DeliveryState.PENDING, DeliveryState.SENDING} == CLAIMABLE


def test_the_message_id_is_the_same_for_every_attempt_of_a_delivery():
    delivery = uuid.uuid4()
    assert message_id_for(delivery, domain="example.se") == f"<{delivery}@example.se>"
    assert message_id_for(delivery, domain="example.se") == message_id_for(
        delivery, domain="example.se"
    )
