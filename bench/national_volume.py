"""`python -m bench.national_volume`: fills a database with national volume (issue 12).

At `--scale 1.0`: 1.0 M cached persons, 510 k offer assignments, 5.0 M orders, 7.5 M order
lines, 6.2 M results — and what goes with them (label prints, integration queues, result
deliveries, audit entries) — over a national organisation: the demo region of
`adapters/demo_data.py` plus 21 regions of synthetic care units, sampling units,
laboratories, offers and integration clients.

    python -m bench.national_volume --scale 1.0 --database-url postgresql://…/pep_national
    python -m bench.national_volume --scale 0.02 …      # while developing: ~2 % of that

How:
1. the database is migrated to head (alembic) and loaded with the demo data; a database
   that already holds orders is refused (fill a fresh one);
2. the columns of every table filled are read from the live schema: a column the generator
   does not know is left to its default or NULL when it may be (new columns of later
   revisions, e.g. issue 10's), and the run stops naming it when it is NOT NULL without a
   default; a column the generator knows but the schema no longer has is skipped;
3. the big tables' foreign keys, primary keys, unique constraints and indexes are dropped,
   the rows COPYed in (text format, one stream per table, triggers off for the session:
   the integration queue the trigger of revision 0009 would fill is written directly, as
   the trigger would have), then every constraint and index is created again from its
   definition as read before (`pg_get_constraintdef`, `pg_get_indexdef`) and the tables are
   VACUUM ANALYZEd (autovacuum may be off);
4. what it made is printed (rows per table, seconds per phase).

**The bench world** (what `bench.national_lists` measures) is part of the demo organisation
and written with real encryption (`adapters.protection.DataProtector` with the servers'
development keys): every person in the person cache, the orders, lines and results of the
demo offers, the assignments of Vårdcentralen Solna. Its size follows `--scale` with a floor
that fills the first pages of every list, so `--scale 0` writes only that floor: a demo
database whose lists show as many rows per page as the national one (the comparison of
`bench.national_lists`). The rest (synthetic organisations) carries filler bytes where
ciphertext would be: no bench user can see it. Numbers, dates and RIDs are deterministic
for a given `--seed`; the ids are derived from counters (uuid-shaped, not uuid4).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY = 86_400

# --- volumes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Volumes:
    """Row counts at a scale; the bench world's floors fill the first pages of each list."""

    scale: float
    persons: int
    assignments: int
    orders: int
    # The bench world (demo organisation, real encryption).
    solna_assignments: int
    huddinge_sampled: int
    sti_home_kits_waiting: int
    sti_anonymous_kits_waiting: int
    demo_answered: int
    audit_entries: int

    @classmethod
    def at(cls, scale: float) -> Volumes:
        def n(at_one: float, floor: int = 0) -> int:
            return max(floor, round(at_one * scale))

        return cls(
            scale=scale,
            # Floor: enough that a list's page of names (up to 200) is a small part of the
            # cache, as at national volume (the EXPLAIN test's planner decides on it).
            persons=n(1_000_000, 30_000),
            assignments=n(510_000),
            orders=n(5_000_000),
            solna_assignments=n(25_000, 60),
            huddinge_sampled=n(60_000, 60),
            # Floors: a full first page of Etiketter and Ordermottagning (200 each).
            sti_home_kits_waiting=n(3_000, 200),
            sti_anonymous_kits_waiting=n(1_000, 200),
            # Floor: a page of Svarslogg and Arbetslista at STI-mottagningen.
            demo_answered=n(400_000, 2_500),
            audit_entries=n(2_000_000),
        )


# Fixed in both databases (demo and national), so that the citizens' own lists and the
# integration queue are the same size on both sides of the comparison.
BENCH_CITIZEN_ORDERS = {
    "tolvan": 200,  # the heavy citizen of the issue (~200 orders)
    "anna-stockholm": 20,
    "erik-stockholm": 20,
    "lars-malmo": 20,
    "johan-goteborg": 20,
    "ingrid-uppsala": 20,
}
BOOKINGS_TODAY_AT_HUDDINGE = 40
# Sampled orders at KUL waiting for the laboratory's integration clients (claims).
KUL_QUEUE = 20_000
BENCH_POLLER_CLIENT = "pep-bench-poller"
BENCH_POLLER_SECRET = "bench-poller-secret-0000000000000000000000"

# Regions whose residents are bench citizens: synthetic offers there are personal only, so
# the bench citizens' offer lists are the same in both databases.
BENCH_REGIONS = {"01", "03", "12", "14"}
SYNTHETIC_CARE_UNITS_PER_REGION = 40
SYNTHETIC_SAMPLING_UNITS_PER_REGION = 12


# --- COPY text ------------------------------------------------------------------------------

NULL = "\\N"
_DAYS: dict[int, str] = {}
_SECONDS = [f"{h:02}:{m:02}:{s:02}+00" for h in range(24) for m in range(60) for s in range(60)]


def ts(epoch: int) -> str:
    """A timestamptz in COPY text, UTC, to the second."""
    day, second = divmod(epoch, DAY)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat() + " "
    return text + _SECONDS[second]


def day_of(epoch: int) -> str:
    return ts(epoch)[:10]


def hexa(value: bytes) -> str:
    """bytea in COPY text (the backslash doubled for COPY's own escaping)."""
    return "\\\\x" + value.hex()


_UID_PREFIX = [f"be{kind:02x}" for kind in range(32)]


def uid(kind: int, i: int) -> str:
    """A uuid-shaped id from a counter (kind: which table). Sequential, not uuid4: the bench
    reads rows by their keys, it does not guess them."""
    return _UID_PREFIX[kind] + format(i, "028x")


# Kinds of derived ids.
K_ORDER, K_LINE, K_RESULT, K_ASSIGNMENT, K_PRINT, K_EVENT, K_MESSAGE = 1, 2, 3, 4, 5, 6, 7
K_CARE_UNIT, K_SAMPLING_UNIT, K_LAB, K_OFFER, K_CLIENT = 16, 17, 18, 19, 20


# --- persons ---------------------------------------------------------------------------------

GIVEN = (
    "Anna Eva Maria Karin Sara Lena Emma Elin Ida Linnea Erik Lars Karl Anders Johan Per "
    "Nils Mikael Jonas Oskar Ali Fatima Mohammed Amira Sofia Hugo Liam Alva Maja Noah"
).split()
FAMILY = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
    "Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson "
    "Magnusson Olofsson Lindström Lindqvist Lindgren Berg Axelsson Bergström Lundberg "
    "Lundgren Lundqvist Mattsson"
).split()
STREETS = "Storgatan Kungsgatan Drottninggatan Skolgatan Parkvägen Ringvägen Åsgatan".split()
CITIES = "Stockholm Göteborg Malmö Uppsala Västerås Örebro Linköping Umeå Lund Gävle".split()
REGION_CODES = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
]  # fmt: skip


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


_BIRTH_BASE = date(1940, 1, 1).toordinal()


def personnummer(p: int, taken: frozenset[str] = frozenset()) -> str:
    """A valid personnummer (or, every other twenty, samordningsnummer) of person p: birth
    dates from 1940 on, forty numbers a day from Skatteverket's test series (birth numbers
    980–999; 960–979 where that number is one of the demo persons')."""
    born = date.fromordinal(_BIRTH_BASE + p // 40)
    sub = p % 40
    day = born.day + (60 if sub >= 20 else 0)
    for first in (980, 960):
        serial = first + sub % 20
        body = f"{born.year % 100:02}{born.month:02}{day:02}{serial:03}"
        value = f"{born.year}{born.month:02}{day:02}{serial:03}{_luhn(body)}"
        if value not in taken:
            return value
    raise AssertionError(f"no free number for person {p}")


# --- the live schema --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    nullable: bool
    has_default: bool


def live_columns(conn: psycopg.Connection[Any], table: str) -> dict[str, Column]:
    rows = conn.execute(
        "SELECT column_name, is_nullable = 'YES', column_default IS NOT NULL OR is_identity = 'YES'"
        " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    ).fetchall()
    return {name: Column(name, nullable, default) for name, nullable, default in rows}


class UnknownRequiredColumn(SystemExit):
    pass


class Stream:
    """Rows of one table, COPYed on a connection of its own as they are made. The columns
    are ours intersected with the live schema (see the module's docstring)."""

    def __init__(
        self, url: str, table: str, columns: Sequence[str], *, flush_rows: int = 20_000
    ) -> None:
        self.table = table
        self.conn = psycopg.connect(url, autocommit=False)
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        live = live_columns(self.conn, table)
        missing = [
            c.name
            for c in live.values()
            if not c.nullable and not c.has_default and c.name not in columns
        ]
        if missing:
            raise UnknownRequiredColumn(
                f"{table}: the schema has NOT NULL columns without a default that the "
                f"generator does not know: {', '.join(missing)} — teach bench/national_volume.py"
            )
        self.skipped = [c for c in columns if c not in live]
        self.keep = None if not self.skipped else [i for i, c in enumerate(columns) if c in live]
        kept = [c for c in columns if c in live]
        self._copy_cm = self.conn.cursor().copy(f"COPY {table} ({', '.join(kept)}) FROM STDIN")
        self._copy = self._copy_cm.__enter__()
        self._rows: list[str] = []
        self._flush_rows = flush_rows
        self.count = 0

    def add(self, fields: Sequence[str]) -> None:
        if self.keep is not None:
            fields = [fields[i] for i in self.keep]
        self._rows.append("\t".join(fields))
        if len(self._rows) >= self._flush_rows:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._copy.write(("\n".join(self._rows) + "\n").encode())
            self.count += len(self._rows)
            self._rows = []

    def close(self) -> None:
        self.flush()
        self._copy_cm.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()


# --- the organisation -------------------------------------------------------------------------


@dataclass(slots=True)
class OfferRef:
    catalog_id: str
    id: str
    method: str
    products: tuple[str, ...]
    validity_days: int
    result_unit: str  # care unit id
    region: str
    visibility: str
    name: str = ""


@dataclass(slots=True)
class RegionOrg:
    code: str
    care_units: list[tuple[str, str]]  # (id, hsa id)
    sampling_units: list[str]
    lab: str
    client: str
    staff: list[str]
    offers: list[OfferRef]
    personal: list[OfferRef]


@dataclass(slots=True)
class DemoOrg:
    """The ids of the demo organisation the bench users work in."""

    solna: str  # care unit A001 (Vårdcentralen Solna)
    sti: str  # care unit A002 (STI-mottagningen Södersjukhuset)
    huddinge_care_unit: str  # A003
    lund: str  # B001
    malmo_sti: str  # B002
    huddinge: str  # sampling unit P001
    solna_site: str  # sampling unit P002
    lund_site: str  # sampling unit P003 (Lund)
    kul: str
    synlab: str
    lms: str
    demo_client: str
    poller_client: str
    offers: dict[str, OfferRef]


@dataclass(slots=True)
class Org:
    regions: list[RegionOrg]
    demo: DemoOrg
    clients_by_lab: dict[str, list[str]] = field(default_factory=dict)


def _demo_org() -> DemoOrg:
    from adapters.demo_data import OFFERS, demo_id

    offers = {}
    for o in OFFERS:
        offers[o["catalog_id"]] = OfferRef(
            catalog_id=o["catalog_id"],
            id=str(demo_id(f"offer:{o['catalog_id']}:1")),
            method=o["sampling_method"],
            products=tuple(o["products"]),
            validity_days=o["validity_days"],
            result_unit=str(demo_id(o["result_unit"])),
            region=o["region_code"],
            visibility=o["visibility"],
            name=o["name"],
        )
    return DemoOrg(
        solna=str(demo_id("SE2321000016-A001")),
        sti=str(demo_id("SE2321000016-A002")),
        huddinge_care_unit=str(demo_id("SE2321000016-A003")),
        lund=str(demo_id("SE2321000255-B001")),
        malmo_sti=str(demo_id("SE2321000255-B002")),
        huddinge=str(demo_id("SE2321000016-P001")),
        solna_site=str(demo_id("SE2321000016-P002")),
        lund_site=str(demo_id("SE2321000255-P001")),
        kul=str(demo_id("KUL")),
        synlab=str(demo_id("SYNLAB-STH")),
        lms=str(demo_id("LMS")),
        demo_client=str(demo_id("integration-client:pep-demo-kul")),
        poller_client=uid(K_CLIENT, 10_000),
        offers=offers,
    )


def _insert(conn: psycopg.Connection[Any], table: str, rows: list[dict[str, Any]]) -> None:
    """Configuration rows (hundreds): only the columns the live schema has."""
    if not rows:
        return
    live = live_columns(conn, table)
    columns = [c for c in rows[0] if c in live]
    placeholders = ", ".join(["%s"] * len(columns))
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
            " ON CONFLICT DO NOTHING",
            [[row[c] for c in columns] for row in rows],
        )


def create_organisation(
    conn: psycopg.Connection[Any], *, now: datetime, secret_key: str, synthetic: bool
) -> Org:
    """The synthetic regions' organisation (when `synthetic`) and the bench poller client."""
    from adapters.integration_tokens import IntegrationTokens

    demo = _demo_org()
    regions: list[RegionOrg] = []
    tokens = IntegrationTokens(secret_key=secret_key, issuer="", ttl=timedelta(seconds=60))
    clients = [
        {
            "id": demo.poller_client,
            "client_id": BENCH_POLLER_CLIENT,
            "name": "Bench: KUL poller",
            "region_code": "01",
            "secret_hash": tokens.hash_secret(BENCH_POLLER_SECRET),
            "scopes": ["orders:read", "orders:write"],
            "laboratory_ids": [demo.kul],
            "sampling_unit_ids": [],
            "care_unit_ids": [],
            "created_at": now,
            "created_by_hsa_id": "bench",
            "secret_rotated_at": now,
        }
    ]
    clients_by_lab = {demo.kul: [demo.demo_client, demo.poller_client]}
    if synthetic:
        care_units, sampling_units, labs, offers, products, assigning = [], [], [], [], [], []
        customers, served, mappings = [], [], []
        from adapters.demo_data import PRODUCTS

        for r_index, code in enumerate(REGION_CODES):
            units = [
                (uid(K_CARE_UNIT, r_index * 1000 + k), f"SE99{code}000000-BC{k:03}")
                for k in range(SYNTHETIC_CARE_UNITS_PER_REGION)
            ]
            sites = [
                uid(K_SAMPLING_UNIT, r_index * 1000 + k)
                for k in range(SYNTHETIC_SAMPLING_UNITS_PER_REGION)
            ]
            lab = uid(K_LAB, r_index)
            client = uid(K_CLIENT, r_index)
            for unit_id, hsa_id in units:
                care_units.append(
                    {
                        "id": unit_id,
                        "hsa_id": hsa_id,
                        "name": f"Bench vårdenhet {hsa_id[-3:]} region {code}",
                        "region_code": code,
                        "care_giver_hsa_id": f"SE99{code}000000-0001",
                        "care_giver_name": f"Bench region {code}",
                    }
                )
                customers.append({"laboratory_id": lab, "care_unit_id": unit_id})
            for k, site in enumerate(sites):
                sampling_units.append(
                    {
                        "id": site,
                        "hsa_id": f"SE99{code}000000-BP{k:03}",
                        "name": f"Bench provtagning {k} region {code}",
                        "region_code": code,
                        "street": "Provgatan 1",
                        "postal_code": "11122",
                        "city": "Bench",
                    }
                )
                served.append({"sampling_unit_id": site, "laboratory_id": lab})
            labs.append(
                {
                    "id": lab,
                    "code": f"BENCH-{code}",
                    "name": f"Bench lab {code}",
                    "region_code": code,
                }
            )
            for product in PRODUCTS:
                mappings.append(
                    {
                        "laboratory_id": lab,
                        "product_code": product[0],
                        "lab_code": product[0][4:],
                        "tube_code": "TUBE",
                        "material": product[2],
                    }
                )
            general = "personal" if code in BENCH_REGIONS else "general"
            kinds = [
                ("home_kit", ("PEP-CT", "PEP-NG"), 30, general),
                ("site_booking", ("PEP-HIV", "PEP-SYF"), 30, general),
                ("site_drop_in", ("PEP-HBA1C",), 90, "personal"),
                ("home_kit", ("PEP-CT",), 30, "personal"),
            ]
            region_offers = []
            for k, (method, offer_products, validity, visibility) in enumerate(kinds):
                offer = OfferRef(
                    catalog_id=f"B{code}{k}",
                    id=uid(K_OFFER, r_index * 10 + k),
                    method=method,
                    products=offer_products,
                    validity_days=validity,
                    result_unit=units[k][0],
                    region=code,
                    visibility=visibility,
                    name=f"Bench {method} {k} region {code}",
                )
                region_offers.append(offer)
                offers.append(
                    {
                        "id": offer.id,
                        "catalog_id": offer.catalog_id,
                        "version": 1,
                        "is_current": True,
                        "region_code": code,
                        "name": offer.name,
                        "instructions": "<p>Bench.</p>",
                        "sampling_method": method,
                        "visibility": visibility,
                        "asks": json.dumps({"contact_details": True, "questions": []}),
                        "validity_days": validity,
                        "result_care_unit_id": offer.result_unit,
                        "min_age": 15,
                        "active_from": date(2024, 1, 1),
                    }
                )
                products += [{"offer_id": offer.id, "product_code": p} for p in offer_products]
                if visibility == "personal":
                    assigning += [
                        {"catalog_id": offer.catalog_id, "care_unit_id": unit_id}
                        for unit_id, _ in units
                    ]
            clients.append(
                {
                    "id": client,
                    "client_id": f"bench-lab-{code}",
                    "name": f"Bench lab system {code}",
                    "region_code": code,
                    "secret_hash": tokens.hash_secret(f"bench-{code}-{secret_key}"),
                    "scopes": ["orders:read", "orders:write", "results:write"],
                    "laboratory_ids": [lab],
                    "sampling_unit_ids": [],
                    "care_unit_ids": [],
                    "created_at": now,
                    "created_by_hsa_id": "bench",
                    "secret_rotated_at": now,
                }
            )
            clients_by_lab[lab] = [client]
            regions.append(
                RegionOrg(
                    code=code,
                    care_units=units,
                    sampling_units=sites,
                    lab=lab,
                    client=client,
                    staff=[f"SE99{code}000000-S{k:03}" for k in range(60)],
                    offers=region_offers,
                    personal=[o for o in region_offers if o.visibility == "personal"],
                )
            )
        _insert(conn, "care_units", care_units)
        _insert(conn, "laboratories", labs)
        _insert(conn, "laboratory_customers", customers)
        _insert(conn, "laboratory_product_mappings", mappings)
        _insert(conn, "sampling_units", sampling_units)
        _insert(conn, "sampling_unit_laboratories", served)
        _insert(conn, "offers", offers)
        _insert(conn, "offer_products", products)
        _insert(conn, "offer_assigning_units", assigning)
    _insert(conn, "integration_clients", clients)
    _insert(
        conn,
        "integration_queue_heads",
        [{"client_id": c["id"], "head_seq": 0} for c in clients],
    )
    return Org(regions=regions, demo=demo, clients_by_lab=clients_by_lab)


# --- the big tables: constraints and indexes off while loading ---------------------------------

BIG_TABLES = (
    "person_cache",
    "assigned_offers",
    "orders",
    "order_lines",
    "results",
    "label_prints",
    "integration_deliveries",
    "care_unit_result_deliveries",
    "audit_log",
    # Issue 10's, when at head.
    "inbox_messages",
    "worklist_entries",
)


@dataclass(slots=True)
class Definitions:
    """What is dropped before loading, to be made again after, in this order."""

    keys: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, definition
    indexes: list[str] = field(default_factory=list)  # CREATE INDEX statements
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)


def read_definitions(conn: psycopg.Connection[Any], tables: Sequence[str]) -> Definitions:
    defs = Definitions()
    oids = conn.execute(
        "SELECT array_agg(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relname = ANY(%s)",
        (list(tables),),
    ).fetchone()
    assert oids is not None
    table_oids = oids[0]
    for table, name, definition in conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND (conrelid = ANY(%s) OR confrelid = ANY(%s)) ORDER BY conname",
        (table_oids, table_oids),
    ).fetchall():
        defs.foreign_keys.append((table, name, definition))
    for table, name, definition in conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype IN ('p', 'u') AND conrelid = ANY(%s) ORDER BY contype, conname",
        (table_oids,),
    ).fetchall():
        defs.keys.append((table, name, definition))
    for (definition,) in conn.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s) AND NOT EXISTS ("
        "   SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
        "     AND c.contype IN ('p', 'u', 'x'))"
        " ORDER BY i.indexrelid::regclass::text",
        (table_oids,),
    ).fetchall():
        defs.indexes.append(definition)
    return defs


def drop_definitions(conn: psycopg.Connection[Any], defs: Definitions) -> None:
    for table, name, _ in defs.foreign_keys:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for table, name, _ in defs.keys:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for definition in defs.indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        conn.execute(f"DROP INDEX {name}")
    conn.commit()


def restore_definitions(
    url: str, defs: Definitions, log: Callable[[str], None], *, parallel: int = 2
) -> None:
    """Keys and indexes (a table's on one connection, tables on `parallel` connections at
    once, largest first), then foreign keys (which validate against the keys)."""
    from concurrent.futures import ThreadPoolExecutor

    def run(statements: list[tuple[str, str]]) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            for name, statement in statements:
                started = time.monotonic()
                conn.execute(statement)
                log(f"  {name} ({time.monotonic() - started:.1f}s)")

    per_table: dict[str, list[tuple[str, str]]] = {}
    for table, name, definition in defs.keys:
        per_table.setdefault(table, []).append(
            (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        )
    for definition in defs.indexes:
        name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
        table = definition.split(" ON ", 1)[1].split(" USING ", 1)[0].removeprefix("public.")
        per_table.setdefault(table, []).append((name, definition))
    with psycopg.connect(url) as conn:
        sizes: dict[str, int] = dict(
            conn.execute(
                "SELECT relname, pg_table_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                (list(per_table),),
            ).fetchall()
        )
    tables = sorted(per_table, key=lambda t: -sizes.get(t, 0))
    with ThreadPoolExecutor(max_workers=parallel) as executor:
        for done in [executor.submit(run, per_table[t]) for t in tables]:
            done.result()
        foreign = [
            (name, f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for table, name, definition in defs.foreign_keys
        ]
        for done in [executor.submit(run, [statement]) for statement in foreign]:
            done.result()


# --- the rows --------------------------------------------------------------------------------

ORDER_COLUMNS = (
    "id", "rid", "citizen_hash", "citizen_encrypted", "offer_id", "catalog_id",
    "sampling_method", "status", "answers_encrypted", "slot_id", "sampling_unit_id",
    "booked_start", "anonymous_kit_id", "created_at", "handled_at", "sampled_at",
    "answered_at", "cancelled_at", "expires_at", "version", "laboratory_id",
    "sampled_at_unit_id", "sampled_by_hsa_id", "result_care_unit_id", "rejected_at",
    "rejection_reason",
)  # fmt: skip
LINE_COLUMNS = ("id", "order_id", "line_no", "product_code")
RESULT_COLUMNS = (
    "id", "order_line_id", "sampling_date", "version", "insight", "payload_encrypted",
    "received_at", "read_at", "laboratory_id", "lab_result_id", "lab_version", "source",
    "content_hash", "registered_by_hsa_id", "registered_by_name", "registered_at_care_unit_id",
)  # fmt: skip
PRINT_COLUMNS = (
    "id", "order_id", "kind", "sampling_unit_id", "care_unit_hsa_id", "printed_by_hsa_id",
    "printed_at", "reprint", "label_count",
)  # fmt: skip
ASSIGNMENT_COLUMNS = (
    "id", "personnummer_hash", "personnummer_encrypted", "catalog_id", "assigning_care_unit_id",
    "assigned_by_hsa_id", "assigned_by_name", "assigned_at", "removed_at", "times_used",
    "last_used_at",
)  # fmt: skip
PERSON_COLUMNS = ("personnummer_hash", "payload_encrypted", "fetched_at")
DELIVERY_COLUMNS = ("client_id", "order_id", "lease_id", "leased_until", "handed_out")
RESULT_DELIVERY_COLUMNS = (
    "event_id", "care_unit_id", "result_id", "order_id", "delivered_at", "received",
    "acknowledged_at", "handed_out",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "origin_id", "citizen_hash", "order_id", "kind", "subject", "body", "created_at",
    "delivered_at", "read_at", "reminder_settled_at",
)  # fmt: skip
# Issue 10's worklist read model (revision 0013's worklist_refresh() makes the same rows).
WORKLIST_COLUMNS = (
    "order_line_id", "order_id", "care_unit_id", "result_id", "sampling_date",
    "result_version", "insight", "result_at", "read_at", "followed",
)  # fmt: skip
AUDIT_COLUMNS = (
    "occurred_at", "actor_kind", "actor_id", "care_unit_hsa_id", "assignment_id",
    "assignment_purpose", "patient_hash", "patient_encrypted", "action", "outcome",
    "request_id", "details",
)  # fmt: skip

_RID_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHJKMNPQRSTVWXYZ")}
_RID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FILLER = hexa(b"\x00" * 28)  # where ciphertext would be, for nobody to read
FILLER_HASH = hexa(b"\x00" * 32)


# Luhn mod 32 (domain.codes.check_character) as a table: what the character of value v adds
# at position k from the right.
_RID_ADDS = [[(f * v) // 32 + (f * v) % 32 for v in range(32)] for f in (2, 1, 2, 1, 2, 1, 2, 1, 2)]


def rid(i: int) -> str:
    """A RID of the service's format (9 characters of Crockford base32 and the check
    character of domain.codes), from a counter: 'Z' then eight digits. new_code() draws such
    a body once in 32 times, and a taken RID only makes the service draw again."""
    total = _RID_ADDS[8][31]  # the leading 'Z'
    chars = []
    for k in range(8):
        value = (i >> (5 * k)) & 31
        total += _RID_ADDS[k][value]
        chars.append(_RID_ALPHABET[value])
    return "Z" + "".join(reversed(chars)) + _RID_ALPHABET[(32 - total % 32) % 32]


@dataclass(slots=True)
class World:
    """Everything the row makers share. `counters` start at an offset of their own in each
    process that writes orders, so that ids and RIDs never meet."""

    url: str
    volumes: Volumes
    org: Org
    now: int
    rng: random.Random
    protector: Any
    hashes: list[bytes]
    hash_text: list[str]  # the same as COPY text
    numbers: list[str]
    streams: dict[str, Stream]
    counters: dict[int, int] = field(default_factory=dict)
    bench_citizens: dict[str, str] = field(default_factory=dict)  # key → personnummer
    # Care unit id → the insights its worklist follows (the demo STI units: positive).
    followed: dict[str, frozenset[str]] = field(default_factory=dict)
    offset: int = 0
    tables: frozenset[str] = frozenset()  # of BIG_TABLES, those the schema has

    def next(self, kind: int) -> int:
        value = self.counters.get(kind, self.offset)
        self.counters[kind] = value + 1
        return value

    def made(self, kind: int) -> int:
        return self.counters.get(kind, self.offset) - self.offset

    def encrypt(self, plain: bytes, context: bytes) -> str:
        return hexa(self.protector.encrypt(plain, context=context))


def _uuid_bytes(value: str) -> bytes:
    return bytes.fromhex(value)


@dataclass(slots=True)
class OrderPlan:
    """One order to write: who, what, where and how far it got."""

    person: int
    offer: OfferRef
    status: str
    created: int
    real: bool
    lab: str | None = None
    sampling_unit: str | None = None  # booked at
    booked_start: int | None = None
    sampled_unit: str | None = None  # sampled at (site methods)
    sampled_unit_care_hsa: str = ""
    recipient: str | None = None
    sampler: str = "SE2321000016-1002"
    print_labels: bool = True
    clients: Sequence[str] = ()
    manual_result_share: float = 0.0
    positive_share: float = 0.08


_ANSWERS_HOME = (
    '{"contact": {"phone": "0701234567"}, "delivery_address": {"street": "%s %d", '
    '"postal_code": "%s", "city": "%s"}, "answers": {}}'
)
_ANSWERS_SITE = '{"contact": {"email": "bench@example.se"}, "answers": {"symptoms": false}}'
_AFTER_HANDLED = frozenset({"handled", "sampled", "answered", "expired", "rejected"})
_REJECTION = "Provet kunde inte analyseras (bench)"


def write_order(world: World, plan: OrderPlan) -> None:
    """The order with its lines; results when answered; label prints when sampled at a
    site; the integration queue's rows when sampled (for the laboratory's clients, as the
    trigger of revision 0009 would have queued it)."""
    r = world.rng.random
    i = world.next(K_ORDER)
    order_id = uid(K_ORDER, i)
    offer = plan.offer
    status = plan.status
    created = plan.created
    latest = world.now - 60  # nothing has happened in the future (a booking may be ahead)
    handled = sampled = answered = cancelled = expires = rejected = None
    if status in _AFTER_HANDLED:
        handled = min(created + 600 + int(r() * 2 * DAY), latest)
        expires = handled + offer.validity_days * DAY
        if status == "expired":
            expires = min(expires, world.now - 3600)
    if status == "sampled" or status == "answered" or (status == "rejected" and r() < 0.5):
        base = handled or created
        sampled = (
            plan.booked_start if plan.booked_start is not None else base + 3600 + int(r() * 5 * DAY)
        )
        sampled = min(max(sampled, base + 60), latest)
    if status == "answered":
        answered = min(sampled + 4 * 3600 + int(r() * 3 * DAY), latest)  # type: ignore[operator]
    elif status == "cancelled":
        cancelled = min(created + 600 + int(r() * 3 * DAY), latest)
    elif status == "rejected":
        rejected = min((sampled or handled or created) + 3600 + int(r() * 2 * DAY), latest)
    lab = plan.lab if sampled is not None or rejected is not None else None
    version = 1 + sum(x is not None for x in (handled, sampled, answered, cancelled, rejected))
    if plan.real:
        person = plan.person
        citizen_encrypted = world.encrypt(world.numbers[person].encode(), world.hashes[person])
        answers = (
            _ANSWERS_HOME
            % (
                STREETS[person % len(STREETS)],
                person % 90 + 1,
                f"{11000 + person % 80000}",
                CITIES[person % len(CITIES)],
            )
            if offer.method in ("home_kit", "anonymous_kit")
            else _ANSWERS_SITE
        )
        answers_encrypted = world.encrypt(answers.encode(), _uuid_bytes(order_id))
    else:
        citizen_encrypted = answers_encrypted = FILLER
    sampled_unit = plan.sampled_unit if sampled is not None else None
    world.streams["orders"].add(
        (
            order_id,
            rid(i),
            world.hash_text[plan.person],
            citizen_encrypted,
            offer.id,
            offer.catalog_id,
            offer.method,
            status,
            answers_encrypted,
            NULL,
            plan.sampling_unit or NULL,
            NULL if plan.booked_start is None else ts(plan.booked_start),
            NULL,
            ts(created),
            NULL if handled is None else ts(handled),
            NULL if sampled is None else ts(sampled),
            NULL if answered is None else ts(answered),
            NULL if cancelled is None else ts(cancelled),
            NULL if expires is None else ts(expires),
            str(version),
            lab or NULL,
            sampled_unit or NULL,
            plan.sampler if sampled is not None else NULL,
            plan.recipient or offer.result_unit,
            NULL if rejected is None else ts(rejected),
            NULL if rejected is None else _REJECTION,
        )
    )
    add_line = world.streams["order_lines"].add
    line_ids = []
    for line_no, product in enumerate(offer.products, start=1):
        line_id = uid(K_LINE, world.next(K_LINE))
        line_ids.append((line_id, product))
        add_line((line_id, order_id, str(line_no), product))
    if sampled_unit is not None and plan.print_labels:
        add_print = world.streams["label_prints"].add
        for reprint in (False, True) if r() < 0.05 else (False,):
            add_print(
                (
                    uid(K_PRINT, world.next(K_PRINT)),
                    order_id,
                    "sample",
                    sampled_unit,
                    plan.sampled_unit_care_hsa or "SE2321000016-A003",
                    plan.sampler,
                    ts(sampled + (3600 if reprint else 0)),  # type: ignore[operator]
                    "t" if reprint else "f",
                    str(len(offer.products)),
                )
            )
    if status == "sampled" and lab is not None:
        add_delivery = world.streams["integration_deliveries"].add
        for client in plan.clients:
            add_delivery((client, order_id, NULL, NULL, "0"))
    if answered is not None:
        write_results(world, plan, order_id, line_ids, sampled, answered, lab)  # type: ignore[arg-type]


def copy_text(value: str) -> str:
    """Text for COPY's text format (its escapes)."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


_MESSAGE_TEXTS: dict[str, tuple[str, str]] = {}


def message_text(offer: OfferRef) -> tuple[str, str]:
    """The inbox message of a new result (issue 10's domain.notifications), as COPY text."""
    found = _MESSAGE_TEXTS.get(offer.catalog_id)
    if found is None:
        from domain.notifications import MessageKind, inbox_text

        text = inbox_text(MessageKind.RESULT, offer_name=offer.name or offer.catalog_id)
        found = _MESSAGE_TEXTS[offer.catalog_id] = (copy_text(text.subject), copy_text(text.body))
    return found


_PAYLOAD = (
    '{"values": [{"analysis": "%s", "analysis_code": "%s", "value": "%s", "unit": null, '
    '"reference_range": "Ej påvisad", "flag": null}], "comment": null}'
)
_INFECTIONS = frozenset({"PEP-CT", "PEP-NG"})


def write_results(
    world: World,
    plan: OrderPlan,
    order_id: str,
    lines: list[tuple[str, str]],
    sampled: int,
    answered: int,
    lab: str | None,
) -> None:
    """A result per line (3 % corrected by a second version), the citizen's inbox message,
    the result's delivery to its care unit when recent, and the worklist's read model (issue
    10: one row per line, of its newest version) — the last two when the schema has them."""
    r = world.rng.random
    now = world.now
    streams = world.streams
    inbox = streams.get("inbox_messages")
    if inbox is not None:
        subject, body = message_text(plan.offer)
        read_message = answered + 600 + int(r() * 3 * DAY) if r() < 0.8 else now
        inbox.add(
            (
                uid(K_MESSAGE, world.next(K_MESSAGE)),
                uid(K_EVENT, world.next(K_EVENT)),
                world.hash_text[plan.person],
                order_id,
                "result",
                subject,
                body,
                ts(answered),
                ts(answered),
                NULL if read_message >= now else ts(read_message),
                NULL,
            )
        )
    add_result = streams["results"].add
    worklist = streams.get("worklist_entries")
    manual = r() < plan.manual_result_share
    recipient = plan.recipient or plan.offer.result_unit
    followed = world.followed.get(recipient, frozenset())
    sampling_date = day_of(sampled)
    for line_id, product in lines:
        infection = product in _INFECTIONS
        positive = infection and r() < plan.positive_share
        insight = "positive" if positive else "negative" if infection else "answer"
        versions = 2 if r() < 0.03 else 1
        for version in range(1, versions + 1):
            n = world.next(K_RESULT)
            result_id = uid(K_RESULT, n)
            received = min(answered + (version - 1) * DAY, now - 60)
            payload = (
                world.encrypt(
                    (
                        _PAYLOAD % (product, product, "Påvisad" if positive else "Ej påvisad")
                    ).encode(),
                    _uuid_bytes(result_id),
                )
                if plan.real
                else FILLER
            )
            read = received + 600 + int(r() * 3 * DAY) if r() < 0.8 else now
            read_text = NULL if read >= now else ts(read)
            add_result(
                (
                    result_id,
                    line_id,
                    sampling_date,
                    str(version),
                    insight,
                    payload,
                    ts(received),
                    read_text,
                    lab or NULL,
                    NULL if manual else f"R{n}",
                    NULL if manual else str(version),
                    "manual" if manual else "electronic",
                    NULL,
                    plan.sampler if manual else NULL,
                    "Bench Registrerare" if manual else NULL,
                    recipient if manual else NULL,
                )
            )
            if received > now - 14 * DAY:
                acknowledged = r() < 0.8
                streams["care_unit_result_deliveries"].add(
                    (
                        uid(K_EVENT, world.next(K_EVENT)),
                        recipient,
                        result_id,
                        order_id,
                        ts(received),
                        "1",
                        ts(received + 600) if acknowledged else NULL,
                        "1" if acknowledged else "0",
                    )
                )
        if worklist is not None:
            worklist.add(
                (
                    line_id,
                    order_id,
                    recipient,
                    result_id,
                    sampling_date,
                    str(versions),
                    insight,
                    ts(received),
                    read_text,
                    "t" if insight in followed else "f",
                )
            )


# --- the parts of the world --------------------------------------------------------------------


def status_by_age(rng: random.Random, age_days: float) -> str:
    roll = rng.random()
    if age_days < 2:
        return "ordered" if roll < 0.6 else "handled" if roll < 0.85 else "sampled"
    if age_days < 14:
        for status, upto in (
            ("ordered", 0.05), ("handled", 0.2), ("sampled", 0.4), ("answered", 0.9),
            ("cancelled", 0.95), ("rejected", 0.96),
        ):  # fmt: skip
            if roll < upto:
                return status
        return "expired"
    for status, upto in (("answered", 0.85), ("cancelled", 0.91), ("rejected", 0.93)):
        if roll < upto:
            return status
    return "expired"


# A template filled with %: a million of these, and json.dumps costs several times more.
_PERSON = (
    '{"personnummer": "%s", "given_name": "%s", "middle_name": null, '
    '"family_name": "%s", "address": {"care_of": null, "street": "%s %d", '
    '"postal_code": "%05d", "city": "%s"}, "region_code": "%s", '
    '"municipality_code": "0180", "protected_identity": false, "deceased": false, '
    '"test_person": false, "custodian_of": []}'
)


def write_persons(world: World) -> None:
    """Every person of the cache, encrypted for real (the bench lists read their names)."""
    stream = world.streams["person_cache"]
    rng = world.rng
    now = world.now
    for p, (number, digest) in enumerate(zip(world.numbers, world.hashes, strict=True)):
        if p < len(world.bench_citizens):
            continue  # the bench citizens: the app caches them at login
        given = GIVEN[p % len(GIVEN)]
        family = FAMILY[(p // 7) % len(FAMILY)]
        payload = _PERSON % (
            number,
            given,
            family,
            STREETS[p % len(STREETS)],
            p % 90 + 1,
            11000 + p % 80000,
            CITIES[p % len(CITIES)],
            REGION_CODES[p % len(REGION_CODES)],
        )
        fetched = (
            now - rng.randrange(0, 4 * DAY)
            if rng.random() < 0.7
            else now - rng.randrange(5 * DAY, 200 * DAY)
        )
        stream.add((world.hash_text[p], world.encrypt(payload.encode(), digest), ts(fetched)))


def write_assignments(world: World) -> None:
    """Vårdcentralen Solna's (the bench unit, real encryption) and the synthetic units'."""
    v = world.volumes
    stream = world.streams["assigned_offers"]
    rng = world.rng
    demo = world.org.demo
    persons = len(world.numbers)
    first = len(world.bench_citizens)
    solna_staff = [(f"SE2321000016-{2000 + k}", f"Bench Sjuksköterska {k}") for k in range(20)]

    def one(unit: str, catalog_id: str, p: int, staff: tuple[str, str], real: bool) -> None:
        digest = world.hashes[p]
        assigned = world.now - rng.randrange(3600, 730 * DAY)
        roll = rng.random()
        times = 0 if roll < 0.55 else 1 if roll < 0.85 else rng.randrange(2, 5)
        last = assigned + rng.randrange(600, max(601, world.now - assigned)) if times else None
        removed = assigned + DAY if rng.random() < 0.03 else None
        stream.add(
            (
                uid(K_ASSIGNMENT, world.next(K_ASSIGNMENT)),
                world.hash_text[p],
                world.encrypt(world.numbers[p].encode(), digest) if real else FILLER,
                catalog_id,
                unit,
                staff[0],
                NULL if rng.random() < 0.05 else staff[1],
                ts(assigned),
                NULL if removed is None else ts(removed),
                str(times),
                NULL if last is None else ts(last),
            )
        )

    span = persons - first
    for j in range(v.solna_assignments):
        p = first + (j * 7919) % span
        one(demo.solna, ("1002", "1003")[j % 2], p, solna_staff[j % len(solna_staff)], True)
    remaining = max(0, v.assignments - v.solna_assignments)
    units = [(r, unit_id) for r in world.org.regions for unit_id, _ in r.care_units]
    if not units or remaining == 0:
        return
    # Skewed: a few large units, many small ones.
    weights = [1.0 / (k % 97 + 1) for k in range(len(units))]
    total = sum(weights)
    for k, ((region, unit_id), weight) in enumerate(zip(units, weights, strict=True)):
        count = round(remaining * weight / total)
        for j in range(count):
            offer = region.personal[j % len(region.personal)]
            p = first + (k * 104_729 + j * 7919) % span
            staff = region.staff[j % len(region.staff)]
            one(unit_id, offer.catalog_id, p, (staff, f"Bench Personal {staff[-3:]}"), False)


def write_bench_world(world: World) -> int:
    """The demo organisation's orders (real encryption): the bench citizens' own, today's
    bookings at Huddinge, what Huddinge sampled, STI-mottagningen's kits waiting, the
    KUL queue, and (scaled) the demo offers' answered history. Returns the orders made."""
    v = world.volumes
    rng = world.rng
    demo = world.org.demo
    offers = demo.offers
    now = world.now
    made = 0
    persons = len(world.numbers)
    first = len(world.bench_citizens)
    kul_clients = world.org.clients_by_lab[demo.kul]

    def person() -> int:
        return first + rng.randrange(persons - first)

    def site(offer: OfferRef, **extra: Any) -> OrderPlan:
        """An order of the demo organisation analysed at KUL."""
        extra.setdefault("recipient", offer.result_unit)
        return OrderPlan(
            offer=offer, lab=demo.kul, clients=kul_clients, manual_result_share=0.05, **extra
        )

    # The bench citizens' own orders (fixed in both databases).
    for index, count in enumerate(BENCH_CITIZEN_ORDERS.values()):
        for n in range(count):
            offer = (offers["1001"], offers["1004"], offers["2001"])[n % 3]
            age = n * 5 + 1
            status = (
                ("ordered", "handled", "sampled")[n % 3]
                if n < max(3, count // 16)
                else status_by_age(rng, age + 30)
            )
            plan = OrderPlan(
                person=index,
                offer=offer,
                status=status,
                created=now - age * DAY - rng.randrange(DAY),
                real=True,
                lab=demo.lms if offer.catalog_id == "2001" else demo.kul,
                recipient=offer.result_unit,
                clients=kul_clients if offer.catalog_id != "2001" else (),
            )
            if offer.method == "site_booking":
                plan.sampling_unit = demo.huddinge
                plan.booked_start = plan.created + 3 * DAY
                plan.sampled_unit = demo.huddinge
                plan.sampled_unit_care_hsa = "SE2321000016-A003"
            write_order(world, plan)
            made += 1
    # Today's bookings at Huddinge (Bokade tider).
    today = datetime.now(STOCKHOLM).date()
    opening = int(datetime.combine(today, clock(8, 0), tzinfo=STOCKHOLM).timestamp())
    for n in range(BOOKINGS_TODAY_AT_HUDDINGE):
        write_order(
            world,
            site(
                offers["1004"],
                person=person(),
                status="ordered",
                created=now - rng.randrange(DAY, 10 * DAY),
                real=True,
                sampling_unit=demo.huddinge,
                booked_start=opening + (n % 32) * 900,
            ),
        )
        made += 1
    # Sampled at Huddinge (Utskrivna, Utskriftslogg), newest within the last months.
    for n in range(v.huddinge_sampled):
        days = rng.random() * min(365, 3 + n / 40)
        offer = offers["1004"]
        created = now - int(days * DAY) - 5 * DAY
        status = "sampled" if days < 3 else "answered"
        write_order(
            world,
            site(
                offer,
                person=person(),
                status=status,
                created=created,
                real=True,
                sampling_unit=demo.huddinge,
                booked_start=created + 2 * DAY,
                sampled_unit=demo.huddinge,
                sampled_unit_care_hsa="SE2321000016-A003",
            ),
        )
        made += 1
    # STI-mottagningen's kits waiting to be sent (Etiketter, Ordermottagning).
    for catalog_id, count in (
        ("1001", v.sti_home_kits_waiting),
        ("1005", v.sti_anonymous_kits_waiting),
    ):
        for _ in range(count):
            write_order(
                world,
                OrderPlan(
                    person=person(),
                    offer=offers[catalog_id],
                    status="ordered",
                    created=now - rng.randrange(600, 3 * DAY),
                    real=True,
                ),
            )
            made += 1
    # The KUL queue: home kits sampled, waiting for the laboratory's clients (claims).
    for _ in range(KUL_QUEUE):
        write_order(
            world,
            site(
                offers["1001"],
                person=person(),
                status="sampled",
                created=now - rng.randrange(2 * DAY, 6 * DAY),
                real=True,
            ),
        )
        made += 1
    # The demo offers' history: answered, with results (worklists, Svarslogg, results).
    history = (offers["1001"], offers["1002"], offers["1003"], offers["1004"], offers["2001"])
    recipients = {"1002": demo.solna, "1003": demo.solna}
    for n in range(v.demo_answered):
        offer = history[n % len(history)]
        days = rng.random() * 730
        plan = site(
            offer,
            person=person(),
            status=status_by_age(rng, days),
            created=now - int(days * DAY) - DAY,
            real=True,
            recipient=recipients.get(offer.catalog_id, offer.result_unit),
        )
        if offer.catalog_id == "2001":
            plan.lab, plan.clients = demo.lms, ()
        if offer.method == "site_booking":
            plan.sampling_unit = plan.sampled_unit = demo.solna_site
            plan.booked_start = plan.created + 2 * DAY
            plan.sampled_unit_care_hsa = "SE2321000016-A001"
        elif offer.method == "site_drop_in":
            plan.sampled_unit = demo.solna_site
            plan.sampled_unit_care_hsa = "SE2321000016-A001"
        write_order(world, plan)
        made += 1
    return made


def write_synthetic_orders(world: World, first_n: int, last_n: int, count: int) -> None:
    """Orders first_n … last_n - 1 of the `count` of the rest of the country: synthetic
    regions, filler bytes for ciphertext; n orders them in time (older first, a little more
    in the last months, as campaigns do)."""
    rng = world.rng
    r = rng.random
    regions = world.org.regions
    persons = len(world.numbers)
    first = len(world.bench_citizens)
    span = persons - first
    now = world.now
    for n in range(first_n, last_n):
        region = regions[n % len(regions)]
        offer = region.offers[(n // len(regions)) % len(region.offers)]
        age = 730 * (1 - (n / count) ** 0.8)
        created = now - int(age * DAY) - int(r() * 3600)
        plan = OrderPlan(
            person=first + int(r() * span),
            offer=offer,
            status=status_by_age(rng, age),
            created=created,
            real=False,
            lab=region.lab,
            recipient=offer.result_unit,
            sampler=region.staff[n % len(region.staff)],
            clients=(region.client,),
            manual_result_share=0.03,
            print_labels=n % 3 == 0,
        )
        if offer.method == "site_booking":
            plan.sampling_unit = region.sampling_units[n % len(region.sampling_units)]
            plan.booked_start = (created + DAY + int(r() * 9 * DAY)) // 900 * 900
            plan.sampled_unit = plan.sampling_unit
            plan.sampled_unit_care_hsa = region.care_units[0][1]
        elif offer.method == "site_drop_in":
            plan.sampled_unit = region.sampling_units[n % len(region.sampling_units)]
            plan.sampled_unit_care_hsa = region.care_units[0][1]
        write_order(world, plan)


def write_audit(world: World, count: int) -> None:
    """Staff look-ups and list views of synthetic units (filler patients)."""
    stream = world.streams["audit_log"]
    rng = world.rng
    regions = world.org.regions
    if not regions:
        return
    persons = len(world.hashes)
    for n in range(count):
        region = regions[n % len(regions)]
        age = 730 * (1 - n / count)
        stream.add(
            (
                ts(world.now - int(age * DAY)),
                "staff",
                region.staff[n % len(region.staff)],
                region.care_units[n % len(region.care_units)][1],
                f"uppdrag-{n % 50}",
                "Vård och behandling",
                world.hash_text[rng.randrange(persons)],
                FILLER,
                ("sampling_search", "sampling_order_opened", "labels_printed")[n % 3],
                "success",
                NULL,
                "{}",
            )
        )


# --- main --------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[national_volume {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def _sync_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def prepare_database(url: str) -> None:
    """Migrated to head and loaded with the demo data (idempotent)."""
    from tests.support import environment

    environment.migrate(url)

    async def load() -> None:
        from adapters.db.engine import create_engine, create_session_factory
        from adapters.demo_data import load_demo_data
        from adapters.protection import DataProtector
        from adapters.settings import Settings

        settings = Settings(environment="development", database_url=url)
        protector = DataProtector(
            hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
        )
        engine = create_engine(settings)
        try:
            async with create_session_factory(engine)() as session:
                await load_demo_data(session, protector=protector)
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(load())


def vacuum_analyze(url: str, tables: Sequence[str], *, parallel: int = 2) -> None:
    """The visibility map (index-only scans) and statistics of what was loaded, as
    autovacuum would make them (it may be off), `parallel` tables at once; then ANALYZE."""
    from concurrent.futures import ThreadPoolExecutor

    def run(table: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute(f"VACUUM (ANALYZE) {table}")

    with ThreadPoolExecutor(max_workers=parallel) as executor:
        for done in [executor.submit(run, t) for t in tables]:
            done.result()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


ORDER_TABLES: dict[str, tuple[str, ...]] = {
    "orders": ORDER_COLUMNS,
    "order_lines": LINE_COLUMNS,
    "results": RESULT_COLUMNS,
    "label_prints": PRINT_COLUMNS,
    "integration_deliveries": DELIVERY_COLUMNS,
    "care_unit_result_deliveries": RESULT_DELIVERY_COLUMNS,
    "inbox_messages": MESSAGE_COLUMNS,
    "worklist_entries": WORKLIST_COLUMNS,
}


def open_streams(
    url: str, tables: dict[str, tuple[str, ...]], present: set[str]
) -> dict[str, Stream]:
    """A COPY stream per table the schema has (issue 10's may not be there yet)."""
    return {name: Stream(url, name, columns) for name, columns in tables.items() if name in present}


def bench_world_orders(volumes: Volumes) -> int:
    """How many orders write_bench_world() makes at these volumes."""
    return (
        sum(BENCH_CITIZEN_ORDERS.values())
        + BOOKINGS_TODAY_AT_HUDDINGE
        + volumes.huddinge_sampled
        + volumes.sti_home_kits_waiting
        + volumes.sti_anonymous_kits_waiting
        + KUL_QUEUE
        + volumes.demo_answered
    )


# Where each process's counters start (ids and RIDs of different processes never meet).
WORKER_OFFSET = 10**10


def _synthetic_worker(world: World, first_n: int, last_n: int, count: int, out: Any) -> None:
    """In a process of its own (forked: the persons' hashes are shared, not copied)."""
    try:
        world.streams = open_streams(world.url, ORDER_TABLES, set(world.tables))
        write_synthetic_orders(world, first_n, last_n, count)
        for stream in world.streams.values():
            stream.close()
        out.put(({name: s.count for name, s in world.streams.items()}, None))
    except BaseException as error:  # reported to the parent, which stops the run
        out.put(({}, f"{type(error).__name__}: {error}"))
    finally:
        out.close()
        out.join_thread()
        # No interpreter teardown: nothing of the parent's (connections) may be touched.
        os._exit(0)


def generate(url: str, *, scale: float, seed: int = 12, jobs: int = 2) -> dict[str, Any]:
    """Fills the database at `url` (see the module's docstring); returns what it made."""
    import multiprocessing

    from adapters.person_register.local import load_test_persons
    from adapters.protection import DataProtector
    from adapters.settings import Settings

    url = _sync_url(url)
    phases: dict[str, float] = {}
    started = time.monotonic()
    volumes = Volumes.at(scale)
    log(f"scale {scale}: {volumes}")
    prepare_database(url)
    phases["migrate_and_demo_data"] = time.monotonic() - started
    settings = Settings(environment="development", database_url=url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    with psycopg.connect(url) as conn:
        existing = conn.execute("SELECT count(*) FROM orders").fetchone()
        if existing and existing[0] > 0:
            raise SystemExit(
                f"the database holds {existing[0]} orders already: fill a fresh one "
                "(createdb …), the generator does not add to a filled one"
            )
        org = create_organisation(
            conn,
            now=datetime.now(UTC),
            secret_key=settings.secret_key,
            synthetic=volumes.orders > 0,
        )
        conn.commit()
        present = {
            table
            for (table,) in conn.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)",
                (list(BIG_TABLES),),
            ).fetchall()
        }
        followed = {
            str(unit_id): frozenset(insights)
            for unit_id, insights in conn.execute(
                "SELECT id, worklist_insights FROM care_units WHERE worklist_insights <> '[]'"
            ).fetchall()
        }
        defs = read_definitions(conn, BIG_TABLES)
        drop_definitions(conn, defs)
    log(
        f"organisation: {len(org.regions)} synthetic regions; dropped {len(defs.keys)} keys, "
        f"{len(defs.indexes)} indexes, {len(defs.foreign_keys)} foreign keys; "
        f"tables of issue 10 here: {sorted(present & {'inbox_messages', 'worklist_entries'})}"
    )
    # Persons: the bench citizens first (their keys are their numbers), then the others.
    t = time.monotonic()
    demo_persons = {entry.key: entry.person.personnummer.value for entry in load_test_persons()}
    bench = {key: demo_persons[key] for key in BENCH_CITIZEN_ORDERS}
    taken = frozenset(demo_persons.values())
    numbers = list(bench.values()) + [
        personnummer(p, taken) for p in range(volumes.persons - len(bench))
    ]
    hashes = [protector.lookup_hash(n) for n in numbers]
    hash_text = [hexa(h) for h in hashes]
    phases["persons_numbers_and_hashes"] = time.monotonic() - t
    world = World(
        url=url,
        volumes=volumes,
        org=org,
        now=int(time.time()),
        rng=random.Random(seed),
        protector=protector,
        hashes=hashes,
        hash_text=hash_text,
        numbers=numbers,
        streams={},
        tables=frozenset(present),
        bench_citizens=bench,
        followed=followed,
    )
    # The synthetic orders in worker processes, forked before this one opens a connection.
    synthetic = max(0, volumes.orders - bench_world_orders(volumes))
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    workers = []
    # jobs=0: in this process, after the bench world (no fork: e.g. inside a test run).
    forked = jobs if synthetic and org.regions else 0
    for w in range(forked):
        first_n, last_n = synthetic * w // forked, synthetic * (w + 1) // forked
        worker_world = dataclasses.replace(
            world,
            rng=random.Random(seed * 1000 + w + 1),
            offset=(w + 1) * WORKER_OFFSET,
            counters={},
        )
        process = context.Process(
            target=_synthetic_worker,
            args=(worker_world, first_n, last_n, synthetic, out),
            name=f"national-volume-{w}",
        )
        process.start()
        workers.append(process)
    streams: dict[str, Stream] = {}
    restored = False
    counts: dict[str, int] = {}
    try:
        streams = open_streams(
            url,
            {
                "person_cache": PERSON_COLUMNS,
                "assigned_offers": ASSIGNMENT_COLUMNS,
                "audit_log": AUDIT_COLUMNS,
                **ORDER_TABLES,
            },
            present,
        )
        for stream in streams.values():
            if stream.skipped:
                log(f"{stream.table}: the schema has no {', '.join(stream.skipped)} (skipped)")
        world.streams = streams
        t = time.monotonic()
        for name, step in (
            ("person_cache", lambda: write_persons(world)),
            ("assigned_offers", lambda: write_assignments(world)),
            ("bench_world", lambda: write_bench_world(world)),
            ("audit_log", lambda: write_audit(world, volumes.audit_entries)),
            (
                "synthetic_orders",
                lambda: (
                    None
                    if forked or not org.regions
                    else write_synthetic_orders(world, 0, synthetic, synthetic)
                ),
            ),
        ):
            step_started = time.monotonic()
            step()
            log(f"rows: {name} ({time.monotonic() - step_started:.1f}s)")
        for stream in streams.values():
            stream.close()
        counts = {name: stream.count for name, stream in streams.items()}
        phases["rows_here"] = time.monotonic() - t
        for _ in workers:
            made, error = out.get()
            if error:
                raise RuntimeError(f"a worker failed: {error}")
            for name, count in made.items():
                counts[name] = counts.get(name, 0) + count
        for process in workers:
            process.join()
        phases["rows_all"] = time.monotonic() - t
        log(
            f"rows written ({forked} forked workers for the {synthetic:,} synthetic orders): "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        t = time.monotonic()
        log("keys, indexes and foreign keys again:")
        restore_definitions(url, defs, log)
        restored = True
        phases["constraints_and_indexes"] = time.monotonic() - t
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()
        if not restored:
            log("FAILED while loading: making the constraints and indexes again (rows so far kept)")
            for stream in streams.values():
                with contextlib.suppress(psycopg.Error):
                    stream.conn.close()
            try:
                restore_definitions(url, defs, log)
            except psycopg.Error as error:
                log(f"could not restore them ({error}); drop this database")
    t = time.monotonic()
    vacuum_analyze(url, [t for t in BIG_TABLES if t in present])
    phases["vacuum_analyze"] = time.monotonic() - t
    phases["total"] = time.monotonic() - started
    summary = {
        "scale": scale,
        "seed": seed,
        "jobs": forked,
        "rows": counts,
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "synthetic_regions": len(org.regions),
    }
    log(f"done in {phases['total']:.0f}s: " + json.dumps(summary["phases_s"]))
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national volume")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="the database to fill (a fresh one; default $DATABASE_URL)",
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2, help="processes making the synthetic orders")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    if not 0 <= args.scale <= 4:
        parser.error("--scale must be in [0, 4]")
    summary = generate(args.database_url, scale=args.scale, seed=args.seed, jobs=args.jobs)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
