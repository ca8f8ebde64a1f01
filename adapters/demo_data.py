"""A coherent demo region: regions, care units (from the local HSA data), laboratories with
product mappings and customers, sampling units serving them, national product codes,
offers of every kind, and permissions for the test staff. Idempotent (fixed ids, upserts):
`make run` loads it at every start and tests load it once per run.

    python -m adapters.demo_data"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db import models as m
from adapters.db.engine import create_engine, create_session_factory
from adapters.hsa.local import load_care_units, load_test_staff
from adapters.person_register.local import load_test_persons
from adapters.protection import DataProtector
from adapters.settings import DEVELOPMENT_SECRET, Settings
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, formatted, new_code
from domain.regions import REGIONS

_NAMESPACE = uuid.UUID("6f1c2b1e-3c55-4c1a-9e57-0d5b4a2c9e10")
DEMO_GRANTED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def demo_id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, name)


PRODUCTS = [
    ("PEP-CT", "Klamydia (Chlamydia trachomatis), NAAT", "Urin / vaginalprov", "NPU19823"),
    ("PEP-NG", "Gonorré (Neisseria gonorrhoeae), NAAT", "Urin / vaginalprov", "NPU19876"),
    ("PEP-HBA1C", "HbA1c", "Venblod EDTA", "NPU27300"),
    ("PEP-PSA", "PSA", "Venblod serum", "NPU08669"),
    ("PEP-HIV", "HIV-1/2 antikroppar och antigen", "Venblod serum", "NPU21622"),
    ("PEP-SYF", "Syfilis (Treponema pallidum) antikroppar", "Venblod serum", "NPU17703"),
    ("PEP-COV", "SARS-CoV-2 RNA, PCR", "Näsa-svalg", "NPU57853"),
]
# Infections followed up by contact tracing: Behandlingsansvar and Smittspårning look for them.
CONTACT_TRACING_PRODUCTS = frozenset({"PEP-CT", "PEP-NG"})

# code, name, region, products it performs (lab code, tube code)
LABORATORIES: list[tuple[str, str, str, dict[str, tuple[str, str]]]] = [
    (
        "KUL",
        "Karolinska Universitetslaboratoriet",
        "01",
        {
            "PEP-CT": ("CTNA", "UR10"),
            "PEP-NG": ("NGNA", "UR10"),
            "PEP-HBA1C": ("HBA1C", "EDTA4"),
            "PEP-PSA": ("PSA", "SST5"),
            "PEP-HIV": ("HIVAGAK", "SST5"),
            "PEP-SYF": ("TPAK", "SST5"),
        },
    ),
    (
        "SYNLAB-STH",
        "Synlab Stockholm",
        "01",
        {
            "PEP-CT": ("C-TRACH", "URIN"),
            "PEP-NG": ("N-GONO", "URIN"),
            "PEP-COV": ("COV2PCR", "VIRUS"),
        },
    ),
    (
        "LMS",
        "Labmedicin Skåne",
        "12",
        {
            "PEP-CT": ("CT-PCR", "UPCR"),
            "PEP-NG": ("NG-PCR", "UPCR"),
            "PEP-HBA1C": ("HBA1C", "LILA"),
        },
    ),
]

LABEL_TEMPLATE = (
    "^XA^CI28^FO30,20^A0N,28,28^FD{rid}^FS^FO30,55^BCN,60,N,N,N^FD{rid}^FS"
    "^FO30,125^A0N,24,24^FD{personnummer} {sex_mark}^FS^FO30,155^A0N,24,24^FD{tube_code}^FS^XZ"
)

# hsa id, name, region, street, postal code, city, labs served
SAMPLING_UNITS = [
    (
        "SE2321000016-P001",
        "Provtagningen Karolinska Huddinge",
        "01",
        "Hälsovägen 13",
        "14157",
        "Huddinge",
        ["KUL", "SYNLAB-STH"],
    ),
    ("SE2321000016-P002", "Provtagningen Solna", "01", "Solnavägen 1", "17165", "Solna", ["KUL"]),
    ("SE2321000255-P001", "Provtagningen Lund", "12", "Getingevägen 4", "22185", "Lund", ["LMS"]),
]

# Sampling units whose staff hold their assignments at a care unit (domain/sampling.py): the
# nurses of these care units sample at these sites (Provtagning).
SAMPLING_UNIT_CARE_UNITS = {
    "SE2321000016-P001": "SE2321000016-A003",
    "SE2321000016-P002": "SE2321000016-A001",
    "SE2321000255-P001": "SE2321000255-B001",
}

# lab code → care units it sends results to
LAB_CUSTOMERS = {
    "KUL": ["SE2321000016-A001", "SE2321000016-A002", "SE2321000016-A003"],
    "SYNLAB-STH": ["SE2321000016-A002"],
    "LMS": ["SE2321000255-B001", "SE2321000255-B002"],
}

CONTACT_AND_SYMPTOMS: dict[str, Any] = {
    "contact_details": True,
    "delivery_address": False,
    "order_key": False,
    "sampling_datetime": False,
    "questions": [
        {
            "id": "symptoms",
            "text": "Har du symtom?",
            "type": "yes_no",
            "required": True,
        }
    ],
}


def _asks(**overrides: Any) -> dict[str, Any]:
    return {**CONTACT_AND_SYMPTOMS, **overrides}


OFFERS: list[dict[str, Any]] = [
    {
        "catalog_id": "1001",
        "name": "Klamydia- och gonorrétest hemma",
        "instructions": "<p>Du får ett provtagningskit hem med posten. Följ instruktionen i "
        "kitet och skicka provet samma dag som du tagit det.</p>",
        "sampling_method": "home_kit",
        "visibility": "general",
        "region_code": "01",
        "result_unit": "SE2321000016-A002",
        "products": ["PEP-CT", "PEP-NG"],
        "validity_days": 30,
        "min_age": 15,
        "asks": _asks(delivery_address=True),
        "usage_limit": 4,
        "usage_period_days": 365,
    },
    {
        "catalog_id": "1002",
        "name": "Diabeteskontroll (HbA1c)",
        "instructions": "<p>Boka en tid på en provtagningsenhet. Du behöver inte vara fastande."
        "</p>",
        "sampling_method": "site_booking",
        "visibility": "personal",
        "region_code": "01",
        "result_unit": "SE2321000016-A001",
        "products": ["PEP-HBA1C"],
        "validity_days": 90,
        "assigning_units": ["SE2321000016-A001"],
        "asks": _asks(questions=[]),
    },
    {
        "catalog_id": "1003",
        "name": "PSA-prov",
        "instructions": "<p>Gå till en provtagningsenhet under öppettiderna. Ingen tidsbokning "
        "behövs.</p>",
        "sampling_method": "site_drop_in",
        "visibility": "personal",
        "region_code": "01",
        "result_unit": "SE2321000016-A001",
        "products": ["PEP-PSA"],
        "validity_days": 60,
        "sex": "M",
        "min_age": 40,
        "assigning_units": ["SE2321000016-A001"],
        "asks": _asks(questions=[]),
    },
    {
        "catalog_id": "1004",
        "name": "HIV- och syfilistest",
        "instructions": "<p>Boka en tid för blodprov på en provtagningsenhet.</p>",
        "sampling_method": "site_booking",
        "visibility": "general",
        "region_code": "01",
        "result_unit": "SE2321000016-A002",
        "products": ["PEP-HIV", "PEP-SYF"],
        "validity_days": 30,
        "min_age": 15,
        "asks": _asks(),
    },
    {
        "catalog_id": "1005",
        "name": "Opersonligt provtagningskit klamydia",
        "instructions": "<p>Beställ ett förmärkt provtagningskit hem, eller hämta ett på "
        "apotek, skola eller arbetsplats. Registrera sedan numret på ditt provtagningskit.</p>",
        "sampling_method": "anonymous_kit",
        "visibility": "general",
        "region_code": "01",
        "result_unit": "SE2321000016-A002",
        "products": ["PEP-CT"],
        "validity_days": 60,
        "min_age": 15,
        # Ordered home through the service (Ordermottagning posts it), or handed out.
        "asks": _asks(questions=[], delivery_address=True),
    },
    {
        "catalog_id": "2001",
        "name": "Klamydiatest hemma – hela landet",
        "instructions": "<p>Test för dig som bor i hela Sverige. Provet analyseras i Region "
        "Skåne.</p>",
        "sampling_method": "home_kit",
        "visibility": "nationwide",
        "region_code": "12",
        "result_unit": "SE2321000255-B002",
        "products": ["PEP-CT", "PEP-NG"],
        "validity_days": 30,
        "min_age": 15,
        "asks": _asks(delivery_address=True),
    },
    {
        "catalog_id": "2002",
        "name": "Diabeteskontroll Skåne (HbA1c)",
        "instructions": "<p>Boka tid på Provtagningen Lund.</p>",
        "sampling_method": "site_booking",
        "visibility": "general",
        "region_code": "12",
        "result_unit": "SE2321000255-B001",
        "products": ["PEP-HBA1C"],
        "validity_days": 90,
        "min_age": 18,
        "asks": _asks(questions=[]),
    },
]

# What the citizen reads for each insight of an offer's results (manual 3.5), over the neutral
# default of the insight; a result template's own text goes first. Each line of an order has
# its own insight: a text is read on one analysis (the negative gonorrhoea line of a positive
# chlamydia order must not say "no chlamydia").
OFFER_INSIGHT_TEXTS: dict[str, dict[str, str]] = {
    "1001": {
        "positive": "Provet visar att du har klamydia eller gonorré. Det behandlas med "
        "antibiotika. STI-mottagningen kontaktar dig; du kan också ringa dem.",
        "negative": "Analysen visar ingen infektion.",
    },
    "1005": {
        "positive": "Provet visar att du har klamydia. Det behandlas med antibiotika. "
        "STI-mottagningen kontaktar dig; du kan också ringa dem.",
        "negative": "Provet visar ingen klamydia.",
    },
    "2001": {
        "positive": "Provet visar att du har klamydia eller gonorré. Kontakta en "
        "STI-mottagning eller vårdcentral för behandling.",
        "negative": "Analysen visar ingen infektion.",
    },
    "1004": {
        "negative": "Provet visar ingen hiv eller syfilis.",
        "positive": "Provet behöver följas upp. Mottagningen kontaktar dig.",
    },
}
_NOT_FOUND = "Ej påvisad"
_FOUND = "Påvisad"
# Chlamydia found, gonorrhoea not: the gonorrhoea line is negative, not the template's positive.
_CHLAMYDIA_POSITIVE: list[dict[str, Any]] = [
    {"analysis": "Chlamydia trachomatis, NAAT", "value": _FOUND},
    {"analysis": "Neisseria gonorrhoeae, NAAT", "value": _NOT_FOUND, "insight": "negative"},
]
# Result templates (svarsmallar) for Svarsregistrering: (laboratory, name, insight, analyses
# as {analysis, unit, reference_range, value, insight: that of the analysis's line when not
# the template's}, default comment, the template's own text).
RESULT_TEMPLATES: list[
    tuple[str, str, str | None, list[dict[str, Any]], str | None, str | None]
] = [
    *[
        (
            lab,
            "Klamydia och gonorré – negativ",
            "negative",
            [
                {"analysis": "Chlamydia trachomatis, NAAT", "value": _NOT_FOUND},
                {"analysis": "Neisseria gonorrhoeae, NAAT", "value": _NOT_FOUND},
            ],
            None,
            None,
        )
        for lab in ("KUL", "SYNLAB-STH", "LMS")
    ],
    *[
        (
            lab,
            "Klamydia positiv",
            "positive",
            _CHLAMYDIA_POSITIVE,
            "Chlamydia trachomatis påvisad.",
            None,
        )
        for lab in ("KUL", "SYNLAB-STH", "LMS")
    ],
    *[
        (
            lab,
            "Tekniskt fel – nytt prov behövs",
            "technical_error",
            [
                {"analysis": "Chlamydia trachomatis, NAAT", "value": "Ej bedömbart"},
                {"analysis": "Neisseria gonorrhoeae, NAAT", "value": "Ej bedömbart"},
            ],
            "Provet kunde inte analyseras.",
            "Provet kunde inte analyseras, till exempel för att provröret läckt. Beställ "
            "ett nytt test.",
        )
        for lab in ("KUL", "SYNLAB-STH", "LMS")
    ],
    (
        "KUL",
        "HbA1c",
        "answer",
        [{"analysis": "HbA1c", "unit": "mmol/mol", "reference_range": "31–46", "value": ""}],
        None,
        None,
    ),
    (
        "KUL",
        "PSA",
        "answer",
        [{"analysis": "PSA", "unit": "µg/L", "reference_range": "<3", "value": ""}],
        None,
        None,
    ),
    (
        "SYNLAB-STH",
        "Covid-19 snabbtest – negativ",
        "negative",
        [{"analysis": "SARS-CoV-2, antigen", "value": _NOT_FOUND}],
        None,
        "Snabbtestet visar ingen covid-19.",
    ),
    (
        "SYNLAB-STH",
        "Covid-19 snabbtest – positiv",
        "positive",
        [{"analysis": "SARS-CoV-2, antigen", "value": _FOUND}],
        None,
        "Snabbtestet visar att du har covid-19. Stanna hemma tills du är feberfri och "
        "känner dig frisk.",
    ),
]

# Help for the input fields of the professional app (manual 1.5: *Aktivera hjälptexter*), by
# the keys the app asks for (frontend-professional/src/features/administration/sections.ts).
# Swedish only: the English locale shows the Swedish until a central administrator adds one.
HELP_TEXTS: dict[str, str] = {
    "assign.personnummer": "Patientens personnummer eller samordningsnummer, tolv siffror"
    " (ÅÅÅÅMMDDNNNN). Uppgifterna hämtas från folkbokföringen.",
    "care_unit.hsa_id": "Vårdenhetens HSA-id som det står i HSA-katalogen, till exempel"
    " SE2321000016-A001. Kan inte ändras efter att enheten lagts upp.",
    "care_unit.name": "Vårdenhetens namn som det visas för vårdpersonal och på provsvar.",
    "care_unit.care_giver_hsa_id": "HSA-id för vårdgivaren (regionen eller den privata"
    " vårdgivaren) som vårdenheten tillhör.",
    "care_unit.care_giver_name": "Vårdgivarens namn, till exempel Region Stockholm.",
    "care_unit.result_recipient_hsa_id": "Om provsvaren ska tas emot av en annan enhet än"
    " vårdenheten själv anges den enhetens HSA-id här. Lämna tomt annars.",
    "care_unit.worklist_insights": "Vilka svar som visas i enhetens arbetslista, till exempel"
    " positiva klamydiasvar. Välj de insikter enheten ska bevaka.",
    "care_unit.assignable_offers": "De personliga erbjudanden som vårdpersonal på enheten får"
    " tilldela patienter i Tilldela erbjudande.",
    "sampling_unit.hsa_id": "Provtagningsenhetens HSA-id som det står i HSA-katalogen.",
    "sampling_unit.name": "Namnet invånaren ser när hen väljer var provet ska tas.",
    "sampling_unit.opening_hours": "Öppettider som visas för invånaren, till exempel"
    " Mån–fre 07.30–16.00.",
    "sampling_unit.laboratory_codes": "De laboratorier enheten tar prover åt. Finns fler än"
    " ett väljer provtagaren laboratorium när beställningen öppnas.",
    "slots.first_day": "Första dagen som tiderna ska gå att boka.",
    "slots.weekdays": "Veckodagar då det finns bokningsbara tider.",
    "slots.minutes": "Hur lång varje tid är, i minuter (5–240).",
    "slots.capacity": "Hur många personer som kan boka samma tid.",
    "slots.closed_days": "Dagar inom perioden då enheten har stängt, till exempel helgdagar."
    " Inga tider skapas de dagarna.",
    "laboratory.code": "Laboratoriets kod i Egen provhantering, till exempel KUL. Kan inte"
    " ändras efteråt.",
    "laboratory.name": "Laboratoriets namn som det visas för vårdpersonal.",
    "laboratory.label_template_zpl": "Utskriftsmallen för provrörsetiketter i ZPL. Etiketten"
    " skrivs ut enligt det laboratorium som valts vid provtagningen.",
    "laboratory.customers": "Vårdenheter som laboratoriet kan skicka svar till. Svarsmottagaren"
    " i en beställning måste vara en av laboratoriets kunder.",
    "laboratory.mappings": "Laboratoriets egna analys- och rörkoder för de nationella"
    " produktkoderna. Laboratoriet måste kunna utföra alla produkter i en beställning.",
    "result_template.analyses": "Analyserna som svarsmallen fyller i vid manuell"
    " svarsregistrering, med enhet, referensintervall och förifyllt resultat. En analys kan"
    " ha en egen insikt när den skiljer sig från mallens (till exempel negativt för gonorré i"
    " mallen Klamydia positiv).",
    "result_template.insight": "Vilken insikt svaret ger (till exempel positivt eller"
    " negativt) för de analyser som inte har en egen. Insikten styr vad som visas i"
    " arbetslistan.",
    "product.code": "Den nationella produktkoden, till exempel PEP-CT. Laboratorierna mappar"
    " den till sina egna koder.",
    "product.npu_code": "NPU-koden för analysen, om det finns en.",
    "offer.name": "Erbjudandets namn som invånaren ser i 1177, till exempel Klamydia hemtest.",
    "offer.instructions": "Instruktionen invånaren läser innan hen beställer: när erbjudandet"
    " ska användas och hur provet tas.",
    "offer.sampling_method": "Hur provet tas: provtagning med tidsbokning, drop-in, hemtest"
    " som skickas hem eller opersonligt provtagningskit.",
    "offer.visibility": "Personliga erbjudanden tilldelas av vårdpersonal. Allmänna syns för"
    " invånare folkbokförda i regionen, nationella för alla invånare i Sverige.",
    "offer.products": "De nationella produktkoderna (analyserna) som ingår i erbjudandet.",
    "offer.validity_days": "Hur många dagar en beställning är giltig. Giltighetstiden räknas"
    " från att beställningen fått status Hanterad.",
    "offer.result_care_unit_hsa_id": "Vårdenheten som provsvaren registreras på. Den måste"
    " vara kund hos ett laboratorium som utför alla produkter.",
    "offer.age": "Lägsta och högsta ålder för vilka erbjudandet gäller. Lämna tomt för alla"
    " åldrar.",
    "offer.sex": "Om erbjudandet bara gäller kvinnor eller män, till exempel PSA-prov för män.",
    "offer.usage_limit": "Hur många gånger en invånare får beställa erbjudandet under"
    " perioden. Lämna tomt för obegränsat.",
    "offer.active_from": "Datum då erbjudandet börjar och slutar gälla.",
    "offer.asks": "Vilka uppgifter invånaren fyller i vid beställning, till exempel"
    " kontaktuppgifter och leveransadress för hemtest.",
    "offer.questions": "Egna frågor till invånaren vid beställning, till exempel om symtom.",
    "offer.assigning_units": "Vårdenheterna som får tilldela det personliga erbjudandet."
    " Flera enheter kan tilldela samma erbjudande till en patient.",
    "permission.staff_hsa_id": "Personens HSA-id. Personen måste finnas i HSA-katalogen och ha"
    " ett medarbetaruppdrag på vårdenheten.",
    "permission.permission": "Modulen eller rollen som behörigheten gäller. Behörighet till"
    " moduler med patientuppgifter ges av regionens administratörer. Ingen kan ge sig själv"
    " en behörighet.",
}

# staff key → [(permission, care unit HSA-id or region code or None)]
PERMISSIONS: dict[str, list[tuple[str, str | None]]] = {
    "nurse-solna": [
        ("sampling", "SE2321000016-A001"),
        ("labels", "SE2321000016-A001"),
        ("result_registration", "SE2321000016-A001"),
        ("worklist", "SE2321000016-A001"),
        ("assigned_offers", "SE2321000016-A001"),
    ],
    "nurse-sti": [
        ("sampling", "SE2321000016-A002"),
        ("labels", "SE2321000016-A002"),
        ("order_receipt", "SE2321000016-A002"),
        ("result_registration", "SE2321000016-A002"),
        ("worklist", "SE2321000016-A002"),
        ("contact_tracing", "SE2321000016-A002"),
        ("export", "SE2321000016-A002"),
        ("sampling", "SE2321000016-A003"),
    ],
    "unit-admin-solna": [("unit_admin", "SE2321000016-A001")],
    "regional-admin-stockholm": [("region_admin", "01")],
    "operator": [("operator", None)],
    "central-admin": [("central_admin", None)],
    "doctor-lund": [
        ("worklist", "SE2321000255-B001"),
        ("result_registration", "SE2321000255-B001"),
        ("worklist", "SE2321000255-B002"),
    ],
}


async def _upsert(session: AsyncSession, model: type[m.Base], rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(model).values(rows).on_conflict_do_nothing())


async def load_demo_data(
    session: AsyncSession, *, protector: DataProtector, today: date | None = None
) -> None:
    await _upsert(session, m.Region, [{"code": c, "name": n} for c, n in REGIONS.items()])
    units = load_care_units()
    await _upsert(
        session,
        m.CareUnit,
        [
            {
                "id": demo_id(u["hsa_id"]),
                "hsa_id": u["hsa_id"],
                "name": u["name"],
                "region_code": u["region_code"],
                "care_giver_hsa_id": u["care_giver_hsa_id"],
                "care_giver_name": u["care_giver_name"],
                "worklist_insights": ["positive"] if "STI" in u["name"] else [],
            }
            for u in units
        ],
    )
    await _upsert(
        session,
        m.Product,
        [
            {
                "code": c,
                "name": n,
                "material": mat,
                "npu_code": npu,
                "contact_tracing": c in CONTACT_TRACING_PRODUCTS,
            }
            for c, n, mat, npu in PRODUCTS
        ],
    )
    # The demo's contact-tracing products are flagged, also those loaded before the flag
    # existed (revision 0013).
    await session.execute(
        update(m.Product)
        .where(m.Product.code.in_(CONTACT_TRACING_PRODUCTS), m.Product.contact_tracing.is_(False))
        .values(contact_tracing=True)
    )
    await _upsert(
        session,
        m.Laboratory,
        [
            {
                "id": demo_id(code),
                "code": code,
                "name": name,
                "region_code": region,
                "label_template_zpl": LABEL_TEMPLATE,
            }
            for code, name, region, _ in LABORATORIES
        ],
    )
    await _upsert(
        session,
        m.LaboratoryProductMapping,
        [
            {
                "laboratory_id": demo_id(code),
                "product_code": product,
                "lab_code": lab_code,
                "tube_code": tube,
                "material": next(p[2] for p in PRODUCTS if p[0] == product),
            }
            for code, _, _, mapping in LABORATORIES
            for product, (lab_code, tube) in mapping.items()
        ],
    )
    await _upsert(
        session,
        m.LaboratoryCustomer,
        [
            {"laboratory_id": demo_id(lab), "care_unit_id": demo_id(unit)}
            for lab, customers in LAB_CUSTOMERS.items()
            for unit in customers
        ],
    )
    await _upsert(
        session,
        m.SamplingUnit,
        [
            {
                "id": demo_id(hsa_id),
                "hsa_id": hsa_id,
                "name": name,
                "region_code": region,
                "street": street,
                "postal_code": postal_code,
                "city": city,
                "opening_hours": "Mån–fre 07.30–16.00",
                "care_unit_id": demo_id(SAMPLING_UNIT_CARE_UNITS[hsa_id]),
            }
            for hsa_id, name, region, street, postal_code, city, _ in SAMPLING_UNITS
        ],
    )
    # Sampling units loaded before they named their care unit get it now.
    for hsa_id, care_unit in SAMPLING_UNIT_CARE_UNITS.items():
        await session.execute(
            update(m.SamplingUnit)
            .where(m.SamplingUnit.hsa_id == hsa_id, m.SamplingUnit.care_unit_id.is_(None))
            .values(care_unit_id=demo_id(care_unit))
        )
    await _upsert(
        session,
        m.SamplingUnitLaboratory,
        [
            {"sampling_unit_id": demo_id(unit[0]), "laboratory_id": demo_id(lab)}
            for unit in SAMPLING_UNITS
            for lab in unit[6]
        ],
    )
    await _load_integration_client(session)
    await _upsert(
        session,
        m.Offer,
        [
            {
                "id": demo_id(f"offer:{o['catalog_id']}:1"),
                "catalog_id": o["catalog_id"],
                "version": 1,
                "region_code": o["region_code"],
                "name": o["name"],
                "instructions": o["instructions"],
                "sampling_method": o["sampling_method"],
                "visibility": o["visibility"],
                "asks": o["asks"],
                "validity_days": o["validity_days"],
                "result_care_unit_id": demo_id(o["result_unit"]),
                "min_age": o.get("min_age"),
                "max_age": o.get("max_age"),
                "sex": o.get("sex"),
                "usage_limit": o.get("usage_limit"),
                "usage_period_days": o.get("usage_period_days"),
                "active_from": date(2026, 1, 1),
                "insight_texts": OFFER_INSIGHT_TEXTS.get(o["catalog_id"], {}),
            }
            for o in OFFERS
        ],
    )
    # Demo offers loaded before they had insight texts get them now (never overwriting an
    # administrator's change: only where the offer's first version has none).
    for catalog_id, texts in OFFER_INSIGHT_TEXTS.items():
        await session.execute(
            update(m.Offer)
            .where(
                m.Offer.id == demo_id(f"offer:{catalog_id}:1"),
                m.Offer.insight_texts == {},
            )
            .values(insight_texts=texts)
        )
    await _upsert(
        session,
        m.ResultTemplate,
        [
            {
                "id": demo_id(f"template:{lab}:{name}"),
                "laboratory_id": demo_id(lab),
                "name": name,
                "insight": insight,
                "analyses": analyses,
                "default_comment": comment,
                "insight_text": own_text,
            }
            for lab, name, insight, analyses, comment, own_text in RESULT_TEMPLATES
        ],
    )
    # Demo templates "Klamydia positiv" loaded before analyses had insights get the gonorrhoea
    # line's (never overwriting an administrator's change: only where the analyses are still
    # those first loaded).
    for lab in ("KUL", "SYNLAB-STH", "LMS"):
        await session.execute(
            update(m.ResultTemplate)
            .where(
                m.ResultTemplate.id == demo_id(f"template:{lab}:Klamydia positiv"),
                m.ResultTemplate.analyses
                == [{k: v for k, v in a.items() if k != "insight"} for a in _CHLAMYDIA_POSITIVE],
            )
            .values(analyses=_CHLAMYDIA_POSITIVE)
        )
    await _upsert(
        session,
        m.OfferProduct,
        [
            {"offer_id": demo_id(f"offer:{o['catalog_id']}:1"), "product_code": p}
            for o in OFFERS
            for p in o["products"]
        ],
    )
    await _upsert(
        session,
        m.OfferAssigningUnit,
        [
            {"catalog_id": o["catalog_id"], "care_unit_id": demo_id(u)}
            for o in OFFERS
            for u in o.get("assigning_units", [])
        ],
    )
    staff_by_key = {entry.key: entry.staff for entry in load_test_staff()}
    existing = set(
        (
            await session.execute(
                select(m.StaffPermission.id).where(m.StaffPermission.revoked_at.is_(None))
            )
        ).scalars()
    )
    permission_rows = []
    for key, grants in PERMISSIONS.items():
        hsa_id = staff_by_key[key].hsa_id
        for name, scope in grants:
            row_id = demo_id(f"permission:{hsa_id}:{name}:{scope}")
            if row_id in existing:
                continue
            national = name in ("operator", "central_admin")
            regional = name == "region_admin"
            permission_rows.append(
                {
                    "id": row_id,
                    "staff_hsa_id": hsa_id,
                    "module": name,
                    "care_unit_id": None if national or regional else demo_id(str(scope)),
                    "region_code": scope if regional else None,
                    "granted_by_hsa_id": "demo-data",
                    "granted_at": DEMO_GRANTED_AT,
                    "staff_name": staff_by_key[key].full_name,
                }
            )
    await _upsert(session, m.StaffPermission, permission_rows)
    # Kept when they exist: a central administrator may have changed them.
    await _upsert(
        session,
        m.HelpText,
        [
            {"key": key, "text_sv": text, "text_en": None, "updated_by_hsa_id": "demo-data"}
            for key, text in HELP_TEXTS.items()
        ],
    )
    await _load_assignments(session, protector)
    await _load_slots(session, today or datetime.now(STOCKHOLM).date())
    await _load_kits(session, protector)


# staff-assigned personal offers: citizen key → [(catalog id, assigning unit)]
ASSIGNED_OFFERS: dict[str, list[tuple[str, str]]] = {
    "tolvan": [("1002", "SE2321000016-A001")],
    "erik-stockholm": [("1002", "SE2321000016-A001"), ("1003", "SE2321000016-A001")],
    "anna-stockholm": [("1002", "SE2321000016-A001")],
}

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SLOT_DAYS = 21
SLOT_MINUTES = 15
SLOT_CAPACITY = 3


def demo_kits(count: int = 20) -> list[tuple[str, str]]:
    """(kit number, RID) pairs of pre-labelled demo kits for offer 1005, the same every time
    (a seeded generator), so a developer can register one by hand: see the README."""
    generator = random.Random("pep-demo-kits")
    return [
        (
            new_code(generator.randrange, KIT_BODY_LENGTH),
            new_code(generator.randrange, RID_BODY_LENGTH),
        )
        for _ in range(count)
    ]


async def _load_assignments(session: AsyncSession, protector: DataProtector) -> None:
    persons = {entry.key: entry.person for entry in load_test_persons()}
    for key, offers in ASSIGNED_OFFERS.items():
        personnummer = persons[key].personnummer.value
        digest = protector.lookup_hash(personnummer)
        for catalog_id, unit in offers:
            exists = (
                await session.execute(
                    select(m.AssignedOffer.id).where(
                        m.AssignedOffer.personnummer_hash == digest,
                        m.AssignedOffer.catalog_id == catalog_id,
                        m.AssignedOffer.assigning_care_unit_id == demo_id(unit),
                        m.AssignedOffer.removed_at.is_(None),
                    )
                )
            ).first()
            if exists:
                continue
            await _upsert(
                session,
                m.AssignedOffer,
                [
                    {
                        "personnummer_hash": digest,
                        "personnummer_encrypted": protector.encrypt(
                            personnummer.encode(), context=digest
                        ),
                        "catalog_id": catalog_id,
                        "assigning_care_unit_id": demo_id(unit),
                        "assigned_by_hsa_id": "SE2321000016-1001",
                        "assigned_by_name": "Karin Holm",
                        "assigned_at": DEMO_GRANTED_AT,
                    }
                ],
            )


async def _load_slots(session: AsyncSession, today: date) -> None:
    """Bookable times on weekdays 08:00–15:45 (Swedish time) for the coming weeks."""
    rows = []
    for unit in SAMPLING_UNITS:
        for offset in range(SLOT_DAYS):
            day = today + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            start = datetime.combine(day, time(8, 0), tzinfo=STOCKHOLM)
            while start.time() < time(16, 0):
                rows.append(
                    {
                        "id": demo_id(f"slot:{unit[0]}:{start.isoformat()}"),
                        "sampling_unit_id": demo_id(unit[0]),
                        "starts_at": start,
                        "ends_at": start + timedelta(minutes=SLOT_MINUTES),
                        "capacity": SLOT_CAPACITY,
                    }
                )
                start += timedelta(minutes=SLOT_MINUTES)
    for chunk in range(0, len(rows), 1000):
        await _upsert(session, m.SamplingSlot, rows[chunk : chunk + 1000])


async def _load_kits(session: AsyncSession, protector: DataProtector) -> None:
    await _upsert(
        session,
        m.AnonymousKit,
        [
            {
                "id": demo_id(f"kit:{rid}"),
                "kit_hash": protector.lookup_hash("kit:" + kit_number),
                "rid": rid,
                "catalog_id": "1005",
            }
            for kit_number, rid in demo_kits()
        ],
    )


# The demo laboratory system of the integration API (issue 9): Karolinska's laboratory, every
# scope. Its secret is known so that examples/integration_client.py runs against `make run`;
# `python -m adapters.demo_data --integration` prints both. Development only: the secret's
# hash is made with the development secret key, so with any real PEP_SECRET_KEY it matches
# nothing.
DEMO_INTEGRATION_CLIENT_ID = "pep-demo-kul"
DEMO_INTEGRATION_SECRET = "demo-kul-secret-development-only-not-for-production"


async def _load_integration_client(session: AsyncSession) -> None:
    from adapters.integration_tokens import IntegrationTokens

    tokens = IntegrationTokens(secret_key=DEVELOPMENT_SECRET, issuer="", ttl=timedelta(seconds=60))
    client_row_id = demo_id("integration-client:" + DEMO_INTEGRATION_CLIENT_ID)
    now = datetime.now(UTC)
    await _upsert(
        session,
        m.IntegrationClient,
        [
            {
                "id": client_row_id,
                "client_id": DEMO_INTEGRATION_CLIENT_ID,
                "name": "Demo: Karolinska Universitetslaboratoriets labbsystem",
                "region_code": "01",
                "secret_hash": tokens.hash_secret(DEMO_INTEGRATION_SECRET),
                "scopes": ["orders:read", "orders:write", "results:read", "results:write"],
                "laboratory_ids": [demo_id("KUL")],
                "sampling_unit_ids": [],
                "care_unit_ids": [],
                "created_at": now,
                "created_by_hsa_id": "demo-data",
                "secret_rotated_at": now,
            }
        ],
    )
    await _upsert(session, m.IntegrationQueueHead, [{"client_id": client_row_id, "head_seq": 0}])


async def main() -> None:
    settings = Settings()
    engine = create_engine(settings)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    async with create_session_factory(engine)() as session:
        await load_demo_data(session, protector=protector)
        # The STD clinic's worklist in development only (adapters/demo_worklist.py).
        from adapters.demo_worklist import load_demo_worklist

        await load_demo_worklist(session, protector=protector)
        await session.commit()
    await engine.dispose()
    print("demo data loaded")


if __name__ == "__main__":
    import sys

    if "--integration" in sys.argv:
        # The demo integration client, for examples/integration_client.py (development only).
        print(f"client_id     {DEMO_INTEGRATION_CLIENT_ID}")
        print(f"client_secret {DEMO_INTEGRATION_SECRET}")
    elif "--kits" in sys.argv:
        # The pre-labelled demo kits, to try "Registrera provtagningskit" by hand.
        for kit_number, rid in demo_kits():
            print(f"kit number {formatted(kit_number)}   RID {formatted(rid)}")
    else:
        asyncio.run(main())
