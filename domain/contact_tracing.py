"""Smittspårning (SPEC §5, §7; manual 4.8): for a personnummer, whether a home test for an
infection followed up by contact tracing (chlamydia, gonorrhoea: `products.contact_tracing`)
was done and answered, and when — never whether it was positive or negative.

**What is a home test.** An order of a home kit or an anonymous (pre-labelled) kit with at
least one contact-tracing product, in any region (the person may have tested anywhere).

**What is told.** Per test: the offer and the contact-tracing products it holds, when it was
ordered, when sampled (the order's sampling time, else the sampling date the laboratory gave),
whether it has an answer and when the first answer came, and a coarse state. Nothing of a
result: no insight, no value, no comment — and nothing that stands for one (a technical
error is an answer like any other). The days are Swedish calendar days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.sampling import today_in_stockholm

HOME_TEST_METHODS = ("home_kit", "anonymous_kit")


class HomeTestState(StrEnum):
    ORDERED = "ordered"
    SAMPLED = "sampled"
    ANSWERED = "answered"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class HomeTestFacts:
    """An order as the database tells it (no result content)."""

    order_status: str
    ordered_at: datetime
    sampled_at: datetime | None
    first_sampling_date: date | None
    first_answer_at: datetime | None


@dataclass(frozen=True, slots=True)
class HomeTest:
    state: HomeTestState
    ordered_on: date
    sampled_on: date | None
    answered: bool
    answered_on: date | None


def home_test(facts: HomeTestFacts) -> HomeTest:
    answered = facts.first_answer_at is not None
    if answered:
        state = HomeTestState.ANSWERED
    elif facts.order_status in ("sampled", "answered"):
        state = HomeTestState.SAMPLED
    elif facts.order_status in ("cancelled", "expired", "rejected"):
        state = HomeTestState(facts.order_status)
    else:
        state = HomeTestState.ORDERED
    sampled_on = (
        today_in_stockholm(facts.sampled_at)
        if facts.sampled_at is not None
        else facts.first_sampling_date
    )
    return HomeTest(
        state=state,
        ordered_on=today_in_stockholm(facts.ordered_at),
        sampled_on=sampled_on,
        answered=answered,
        answered_on=None
        if facts.first_answer_at is None
        else today_in_stockholm(facts.first_answer_at),
    )
