"""A local person register for development and tests, serving fictitious test citizens.

Answers are rendered as GetPersonsForProfile v3 XML and parsed back, so the local register runs
the same mapping as the production SOAP client. Test doubles (outages, call counts) live in
tests/support/doubles.py, not here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.person_register.getpersonsforprofile import build_response, parse_response
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonRegister, PostalAddress

DEFAULT_TEST_PERSONS_PATH = Path(__file__).with_name("test_persons.json")


@dataclass(frozen=True, slots=True)
class TestPersonEntry:
    """A test citizen with a stable ``key`` for tests and a display ``label`` for login pickers."""

    __test__ = False  # not a pytest test class

    key: str
    label: str
    person: Person


def load_test_persons(path: Path = DEFAULT_TEST_PERSONS_PATH) -> list[TestPersonEntry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [_entry(raw) for raw in data["persons"]]


class LocalPersonRegister(PersonRegister):
    def __init__(self, *, path: Path = DEFAULT_TEST_PERSONS_PATH) -> None:
        self._entries = {entry.key: entry for entry in load_test_persons(path)}
        self._persons = {
            entry.person.personnummer: entry.person for entry in self._entries.values()
        }

    @property
    def entries(self) -> Mapping[str, TestPersonEntry]:
        return self._entries

    def by_key(self, key: str) -> Person:
        return self._entries[key].person

    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        person = self._persons.get(personnummer)
        if person is None:
            xml = build_response([], not_found=[personnummer])
        else:
            xml = build_response([person])
        found = parse_response(xml)
        return found[0] if found else None


def _entry(raw: Mapping[str, Any]) -> TestPersonEntry:
    address = raw.get("address")
    person = Person(
        personnummer=PersonalIdentityNumber.parse(raw["personnummer"]),
        given_name=raw["given_name"],
        middle_name=raw.get("middle_name"),
        family_name=raw["family_name"],
        address=None
        if address is None
        else PostalAddress(
            care_of=address.get("care_of"),
            street=address["street"],
            postal_code=address["postal_code"],
            city=address["city"],
        ),
        region_code=raw.get("region_code"),
        municipality_code=raw.get("municipality_code"),
        protected_identity=bool(raw.get("protected_identity", False)),
        deceased=bool(raw.get("deceased", False)),
        test_person=bool(raw.get("test_person", True)),
        custodian_of=tuple(PersonalIdentityNumber.parse(n) for n in raw.get("custodian_of", [])),
    )
    return TestPersonEntry(key=raw["key"], label=raw["label"], person=person)
