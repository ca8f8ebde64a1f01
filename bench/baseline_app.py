"""The baseline: GET /baseline/profile does the work of GET /api/citizen/profile with no
framework layers — a bare ASGI callable, redis-py asyncio and a raw asyncpg pool.

Same round trips as the real path's data work, nothing cached that the real one does not
cache:

1. Redis GET of the session (same key scheme as adapters/sessions.py), idle and absolute
   timeouts checked, Redis SET back with the same TTL rule (the session is renewed);
2. one PostgreSQL query, the one the ORM runs for the person cache
   (SELECT payload_encrypted, fetched_at FROM person_cache WHERE personnummer_hash = $1),
   the payload decrypted with adapters.protection.DataProtector (same keys as the server);
3. the same JSON shape as the real endpoint.

Like the real code it answers only from a fresh cache entry; a missing or stale entry (where
the real code would ask the person register) is a 503 here, so it shows up as errors.

Run with the same uvicorn options as the server:

    python -m uvicorn bench.baseline_app:app --workers 2 --loop uvloop --http httptools

GET /baseline/profile?orm_round_trips=1 additionally makes the PostgreSQL round trips the
SQLAlchemy path makes around its query (pool pre-ping: BEGIN, ';', ROLLBACK; then BEGIN,
the query, COMMIT) — a diagnostic to separate round-trip cost from framework cost.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import uuid
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import asyncpg
import orjson
from redis.asyncio import Redis

from adapters.protection import DataProtector
from adapters.sessions import RENEW_AFTER
from adapters.settings import Settings
from api.ordering.usecases import OrderRequest
from api.web.idempotency import fingerprint as request_fingerprint
from bench.app_sql import app_statements
from domain.codes import RID_BODY_LENGTH, formatted, new_code
from domain.errors import InvalidInput
from domain.identity_numbers import PersonalIdentityNumber
from domain.offers import (
    CitizenFacts,
    OfferRules,
    SamplingMethod,
    Unavailability,
    Visibility,
    unavailability,
)
from domain.orders import (
    CancellableOrder,
    OrderStatus,
    cancel_refusal,
    process_steps,
    result_recipient,
    validated_answers,
)
from domain.regions import REGIONS

PERSON_CACHE_QUERY = (
    "SELECT payload_encrypted, fetched_at FROM person_cache WHERE personnummer_hash = $1"
)
JSON_HEADERS = [(b"content-type", b"application/json")]

Scope = dict[str, Any]


async def _no_reset(connection: asyncpg.Connection) -> None:
    """asyncpg's pool runs a reset query (RESET ALL, UNLISTEN *, ...) on every release by
    default; the SQLAlchemy pool does not, and these connections never change session state."""


def _asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


class BaselineApp:
    def __init__(self) -> None:
        settings = Settings()
        self.settings = settings
        self.cookie_name = settings.session_cookie_name.encode()
        self.prefix = settings.redis_prefix
        self.idle_timeout = timedelta(seconds=settings.session_idle_timeout_seconds)
        self.absolute_timeout = timedelta(seconds=settings.session_absolute_timeout_seconds)
        self.max_age = timedelta(days=settings.person_cache_max_age_days)
        self.protector = DataProtector(
            hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
        )
        self.pool: asyncpg.Pool | None = None
        self.redis: Redis | None = None
        # The product's statements, compiled as its engine compiles them (bench/app_sql.py).
        self.sql = app_statements()

    async def startup(self) -> None:
        if not self.settings.database_url or not self.settings.redis_url:
            raise RuntimeError("DATABASE_URL and REDIS_URL must be set")
        # The same pool size the server's engine has (pool_size + max_overflow).
        self.pool = await asyncpg.create_pool(
            _asyncpg_dsn(self.settings.database_url),
            min_size=1,
            max_size=self.settings.db_pool_size + self.settings.db_max_overflow,
            reset=_no_reset,
            # Idle connections are closed after a second, so that while the app is measured
            # the baseline holds none: both servers' pools together would otherwise come
            # close to PostgreSQL's max_connections (100 by default). Under load no
            # connection is idle that long.
            max_inactive_connection_lifetime=1.0,
        )
        self.redis = Redis.from_url(self.settings.redis_url, decode_responses=False)

    async def shutdown(self) -> None:
        if self.pool is not None:
            await self.pool.close()
        if self.redis is not None:
            await self.redis.aclose()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        method = scope["method"]
        if path == "/baseline/profile" and method == "GET":
            orm_trips = scope["query_string"] == b"orm_round_trips=1"
            status, body = await self.profile(scope, orm_round_trips=orm_trips)
        elif path == "/baseline/offers" and method == "GET":
            status, body = await self.offers(scope)
        elif path == "/baseline/orders" and method == "POST":
            status, body = await self.place_order(scope, await _read_body(receive))
        elif path == "/baseline/health":
            status, body = 200, b'{"status":"ok"}'
        else:
            status, body = 404, b'{"title":"not found"}'
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as error:  # noqa: BLE001 - reported to uvicorn
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _token(self, scope: Scope) -> str | None:
        for name, value in scope["headers"]:
            if name == b"cookie":
                for part in value.split(b";"):
                    key, _, token = part.strip().partition(b"=")
                    if key == self.cookie_name and token:
                        return token.decode("latin-1")
        return None

    async def _session(self, token: str, now: datetime) -> dict[str, Any] | None:
        """SessionStore.get: GET, check the timeouts, SET back renewed with the TTL when the
        last renewal is older than RENEW_AFTER (as the real store does)."""
        assert self.redis is not None
        key = f"{self.prefix}:session:{hashlib.sha256(token.encode()).hexdigest()}"
        raw = await self.redis.get(key)
        if raw is None:
            return None
        data: dict[str, Any] = json.loads(raw)
        created_at = datetime.fromisoformat(data["created_at"])
        last_seen_at = datetime.fromisoformat(data["last_seen_at"])
        if now - created_at >= self.absolute_timeout or now - last_seen_at >= self.idle_timeout:
            await self.redis.delete(key)
            return None
        if now - last_seen_at < RENEW_AFTER:
            return data
        data["last_seen_at"] = now.isoformat()
        remaining_absolute = self.absolute_timeout - (now - created_at)
        ttl = max(1, int(min(self.idle_timeout, remaining_absolute).total_seconds()))
        await self.redis.set(key, json.dumps(data), ex=ttl)
        return data

    async def _person_row(self, lookup: bytes, *, orm_round_trips: bool) -> Any:
        assert self.pool is not None
        if not orm_round_trips:
            return await self.pool.fetchrow(PERSON_CACHE_QUERY, lookup)
        async with self.pool.acquire() as connection:
            ping = connection.transaction()
            await ping.start()
            await connection.fetchrow(";")
            await ping.rollback()
            async with connection.transaction():
                return await connection.fetchrow(PERSON_CACHE_QUERY, lookup)

    async def profile(self, scope: Scope, *, orm_round_trips: bool) -> tuple[int, bytes]:
        token = self._token(scope)
        now = datetime.now(UTC)
        session = await self._session(token, now) if token else None
        if session is None or session["kind"] != "citizen":
            return 401, b'{"title":"not authenticated"}'
        lookup = self.protector.lookup_hash(session["subject"])
        row = await self._person_row(lookup, orm_round_trips=orm_round_trips)
        if row is None or now - row["fetched_at"] >= self.max_age:
            return 503, b'{"title":"no fresh cached person (baseline does not ask the register)"}'
        data = orjson.loads(self.protector.decrypt(row["payload_encrypted"], context=lookup))
        number = PersonalIdentityNumber(data["personnummer"])
        address = data["address"]
        protected = data["protected_identity"]
        region_code = data["region_code"]
        profile = {
            "personnummer": number.formatted,
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "age": number.age(now.date()),
            "legal_sex": number.legal_sex,
            "address": None
            if address is None or protected
            else {
                "care_of": address["care_of"],
                "street": address["street"],
                "postal_code": address["postal_code"],
                "city": address["city"],
            },
            "region": {"code": region_code, "name": REGIONS[region_code]}
            if region_code in REGIONS
            else None,
            "municipality_code": data["municipality_code"],
            "protected_identity": protected,
        }
        return 200, orjson.dumps(profile)

    # --- GET /baseline/offers ------------------------------------------------------------

    async def _citizen(self, scope: Scope, now: datetime) -> dict[str, Any] | None:
        token = self._token(scope)
        session = await self._session(token, now) if token else None
        if session is None or session["kind"] != "citizen":
            return None
        return session

    async def offers(self, scope: Scope) -> tuple[int, bytes]:
        """ordering.list_offers: one statement (the repository's own SQL), then the
        availability rule per offer with the citizen's age, sex and region."""
        assert self.pool is not None
        now = datetime.now(UTC)
        session = await self._citizen(scope, now)
        if session is None:
            return NOT_AUTHENTICATED
        wanted = parse_qs(scope["query_string"].decode("latin-1")).get("scope", ["home"])[-1]
        if wanted not in ("home", "other_regions"):
            return 422, b'{"title":"scope: home or other_regions"}'
        subject = session["subject"]
        number = PersonalIdentityNumber(subject)
        region_code = session["extra"].get("region_code")
        rows = await self.pool.fetch(
            self.sql.list_offers.sql,
            *self.sql.list_offers.args(
                citizen=self.protector.lookup_hash(subject),
                region=region_code,
                scope="home" if wanted == "home" else "other",
                now=now,
            ),
        )
        today = now.date()
        facts = CitizenFacts(
            age=number.age(today), legal_sex=number.legal_sex, region_code=region_code
        )
        offers = []
        for row in rows:
            rules = _offer_rules(row)
            reason = unavailability(
                rules,
                facts,
                today=today,
                assigned=row["assigned"],
                uses_in_period=row["uses_in_period"],
            )
            if reason is None:
                offers.append(_offer_summary(row, json.loads(row["products"])))
        return 200, orjson.dumps(offers)

    # --- POST /baseline/orders -----------------------------------------------------------

    async def place_order(self, scope: Scope, raw_body: bytes) -> tuple[int, bytes]:
        """ordering.place_order, statement by statement, in one transaction: idempotency
        claim, the offer, (sampling places and the slot UPDATE when booking), a free RID,
        the order and its lines (citizen and answers encrypted), the audit entry, the
        read-back the answer is rendered from, the idempotency record completed."""
        now = datetime.now(UTC)
        session = await self._citizen(scope, now)
        if session is None:
            return NOT_AUTHENTICATED
        headers = dict(scope["headers"])
        sent = headers.get(b"x-csrf-token", b"")
        if not hmac.compare_digest(sent, session["csrf_token"].encode()):
            return 403, b'{"title":"CSRF token missing or wrong"}'
        key = headers.get(b"idempotency-key", b"").decode("latin-1")
        if not 8 <= len(key) <= 100 or not _IDEMPOTENCY_KEY.match(key):
            return 422, b'{"title":"Idempotency-Key missing or malformed"}'
        try:
            request = _order_request(orjson.loads(raw_body))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            return 422, orjson.dumps({"title": "invalid order", "detail": str(error)})
        try:
            return 201, await self._place_order(session, request, key, now)
        except _Refused as refused:
            return refused.status, refused.body
        except InvalidInput as error:
            return 422, orjson.dumps({"title": "invalid field", "detail": str(error)})

    async def _place_order(
        self, session: dict[str, Any], request: OrderRequest, key: str, now: datetime
    ) -> bytes:
        assert self.pool is not None
        sql, protector = self.sql, self.protector
        subject = session["subject"]
        number = PersonalIdentityNumber(subject)
        citizen_hash = protector.lookup_hash(subject)
        fingerprint = request_fingerprint(protector, "place_order", asdict(request))
        async with self.pool.acquire() as connection, connection.transaction():
            claimed = await connection.fetchval(
                sql.idempotency_claim.sql,
                *sql.idempotency_claim.args(
                    actor=citizen_hash, key=key, fingerprint=fingerprint, now=now
                ),
            )
            if claimed is None:
                stored = await connection.fetchrow(
                    sql.idempotency_stored.sql,
                    *sql.idempotency_stored.args(actor=citizen_hash, key=key),
                )
                if stored["fingerprint"] != fingerprint:
                    raise _Refused(409, b'{"title":"Idempotency-Key reused"}')
                return str(stored["response"]).encode()
            row = await connection.fetchrow(
                sql.one_offer.sql,
                *sql.one_offer.args(catalog_id=request.catalog_id, citizen=citizen_hash, now=now),
            )
            if row is None:
                raise _Refused(404, b'{"title":"there is no offer with that id"}')
            rules = _offer_rules(row)
            today = now.date()
            reason = unavailability(
                rules,
                CitizenFacts(
                    age=number.age(today),
                    legal_sex=number.legal_sex,
                    region_code=session["extra"].get("region_code"),
                ),
                today=today,
                assigned=row["assigned"],
                uses_in_period=row["uses_in_period"],
            )
            if reason is None and rules.sampling_method is SamplingMethod.ANONYMOUS_KIT:
                reason = Unavailability.REGISTER_KIT
            if reason is not None:
                problem = {"title": "offer not available", "reason": reason.value}
                raise _Refused(403, orjson.dumps(problem))
            stored_answers = validated_answers(json.loads(row["asks"]), request, now=now)
            offer_id = row["id"]

            slot_id = sampling_unit_id = booked_start = None
            method = rules.sampling_method
            places: list[Any] = []
            if method is SamplingMethod.SITE_BOOKING:
                if request.slot_id is None or request.sampling_unit_id is None:
                    raise InvalidInput("booking", "choose a sampling place and a time")
                places = await connection.fetch(
                    sql.sampling_places.sql, *sql.sampling_places.args(offer_id=offer_id)
                )
                if request.sampling_unit_id not in {p["id"] for p in places}:
                    raise InvalidInput(
                        "booking.sampling_unit_id", "not a sampling place for this offer"
                    )
                booked_start = await connection.fetchval(
                    sql.book_slot.sql,
                    *sql.book_slot.args(
                        slot=request.slot_id, unit=request.sampling_unit_id, now=now
                    ),
                )
                if booked_start is None:
                    raise _Refused(409, SLOT_NOT_AVAILABLE)
                slot_id, sampling_unit_id = request.slot_id, request.sampling_unit_id
            elif request.slot_id is not None:
                raise InvalidInput("booking", "this offer has no time booking")
            elif method is SamplingMethod.SITE_DROP_IN:
                places = await connection.fetch(
                    sql.sampling_places.sql, *sql.sampling_places.args(offer_id=offer_id)
                )

            order_id = uuid.uuid4()
            products = json.loads(row["products"])
            for _ in range(5):
                rid = new_code(secrets.randbelow, RID_BODY_LENGTH)
                inserted = await connection.fetchval(
                    sql.insert_order.sql,
                    *sql.insert_order.args(
                        id=order_id,
                        rid=rid,
                        citizen_hash=citizen_hash,
                        citizen_encrypted=protector.encrypt(subject.encode(), context=citizen_hash),
                        offer_id=offer_id,
                        catalog_id=rules.catalog_id,
                        sampling_method=method.value,
                        answers=protector.encrypt(
                            json.dumps(stored_answers).encode(), context=order_id.bytes
                        ),
                        slot_id=slot_id,
                        sampling_unit_id=sampling_unit_id,
                        booked_start=booked_start,
                        kit_id=None,
                        now=now,
                        codes=[p["code"] for p in products],
                        result_care_unit_id=result_recipient(
                            visibility=Visibility(row["visibility"]),
                            assigning_care_unit_id=row["assigning_care_unit_id"],
                            offer_result_care_unit_id=row["result_care_unit_id"],
                        ),
                    ),
                )
                if inserted:
                    break
            else:
                raise RuntimeError("could not find a free RID")
            if row["assigned"]:
                await connection.execute(
                    sql.mark_assignment_used.sql,
                    *sql.mark_assignment_used.args(
                        citizen=citizen_hash, catalog_id=rules.catalog_id, now=now
                    ),
                )
            await connection.fetchval(
                sql.audit_insert.sql,
                *sql.audit_insert.args(
                    occurred_at=now,
                    actor_kind="citizen",
                    actor_id=citizen_hash.hex(),
                    care_unit_hsa_id=None,
                    assignment_id=None,
                    assignment_purpose=None,
                    patient_hash=citizen_hash,
                    patient_encrypted=protector.encrypt(subject.encode(), context=citizen_hash),
                    action="order_placed",
                    outcome="success",
                    request_id=uuid.uuid4().hex,  # the app's middleware makes one per request
                    details=json.dumps({"order_id": str(order_id)}),
                ),
            )
            # Rendered from what was written, as the app does (no read-back).
            place = next((p for p in places if p["id"] == sampling_unit_id), None)
            order = {
                "id": order_id,
                "rid": rid,
                "catalog_id": rules.catalog_id,
                "offer_name": row["name"],
                "sampling_method": method.value,
                "status": "ordered",
                "created_at": now,
                "handled_at": None,
                "sampled_at": None,
                "answered_at": None,
                "expires_at": None,
                "booked_start": booked_start,
                "sampling_unit_id": sampling_unit_id,
                "sampling_unit_name": place["name"] if place else None,
                "sampling_unit_address": f"{place['street']}, {place['postal_code']} "
                f"{place['city']}"
                if place
                else None,
                "version": 1,
                "results": 0,
                "unread_results": 0,
            }
            lines = [
                {
                    "line_no": n,
                    "product_code": p["code"],
                    "product_name": p["name"],
                    "result_id": None,
                    "payload_encrypted": None,
                }
                for n, p in enumerate(products, start=1)
            ]
            answers = stored_answers
            body = orjson.dumps(
                self._render_order(
                    order,
                    lines,
                    answers,
                    now,
                    places if method is SamplingMethod.SITE_DROP_IN else [],
                ),
                option=orjson.OPT_UTC_Z,
                default=str,  # asyncpg's own UUID type
            )
            await connection.execute(
                sql.idempotency_complete.sql,
                *sql.idempotency_complete.args(
                    actor=citizen_hash, key=key, status=201, order_id=order_id
                ),
            )
        return body

    def _render_order(
        self,
        order: Any,
        lines: list[Any],
        answers: dict[str, Any],
        now: datetime,
        places: list[Any],
    ) -> dict[str, Any]:
        """The JSON of OrderDetails (api/ordering/schemas.py order_details)."""
        refusal = cancel_refusal(
            CancellableOrder(
                status=OrderStatus(order["status"]),
                sampling_method=SamplingMethod(order["sampling_method"]),
                booked_start=order["booked_start"],
            ),
            now=now,
        )
        booking = None
        if order["booked_start"] is not None and order["sampling_unit_id"] is not None:
            booking = {
                "sampling_unit_id": order["sampling_unit_id"],
                "sampling_unit_name": order["sampling_unit_name"],
                "address": order["sampling_unit_address"],
                "starts_at": order["booked_start"],
            }
        contact = answers.get("contact")
        address = answers.get("delivery_address")
        return {
            "order_id": order["id"],
            "rid": formatted(order["rid"]),
            "offer_name": order["offer_name"],
            "sampling_method": order["sampling_method"],
            "status": order["status"],
            "created_at": order["created_at"],
            "expires_at": order["expires_at"],
            "booking_starts_at": order["booked_start"],
            "sampling_unit_name": order["sampling_unit_name"],
            "results": order["results"],
            "unread_results": order["unread_results"],
            "catalog_id": order["catalog_id"],
            "version": order["version"],
            "booking": booking,
            "lines": [self._render_line(line) for line in lines],
            "contact": None
            if contact is None
            else {"phone": contact.get("phone"), "email": contact.get("email")},
            "delivery_address": None
            if address is None
            else {
                "care_of": address.get("care_of"),
                "street": address["street"],
                "postal_code": address["postal_code"],
                "city": address["city"],
            },
            "can_cancel": refusal is None,
            "cancel_refusal": None if refusal is None else refusal.value,
            "sampling_places": [
                {
                    "id": p["id"],
                    "name": p["name"],
                    "street": p["street"],
                    "postal_code": p["postal_code"],
                    "city": p["city"],
                    "opening_hours": p["opening_hours"],
                }
                for p in places
            ],
            "steps": [
                {"step": step.value, "at": at}
                for step, at in process_steps(
                    ordered_at=order["created_at"],
                    handled_at=order["handled_at"],
                    sampled_at=order["sampled_at"],
                    answered_at=order["answered_at"],
                )
            ],
        }

    def _render_line(self, line: Any) -> dict[str, Any]:
        result = None
        if line["result_id"] is not None and line["payload_encrypted"] is not None:
            payload = json.loads(
                self.protector.decrypt(line["payload_encrypted"], context=line["result_id"].bytes)
            )
            result = {
                "sampling_date": line["sampling_date"],
                "version": line["version"],
                "corrected": (line["version"] or 1) > 1,
                "insight": line["insight"],
                "values": [
                    {
                        "analysis": v["analysis"],
                        "value": v["value"],
                        "unit": v.get("unit"),
                        "reference_range": v.get("reference_range"),
                        "flag": v.get("flag"),
                    }
                    for v in payload.get("values", [])
                ],
                "comment": payload.get("comment"),
                "received_at": line["received_at"],
                "read": line["read_at"] is not None,
            }
        return {
            "line_no": line["line_no"],
            "product_code": line["product_code"],
            "product_name": line["product_name"],
            "result": result,
        }


class _Refused(Exception):
    """An answer other than 201 from inside the transaction (which it rolls back)."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]+$")
NOT_AUTHENTICATED = (401, b'{"title":"not authenticated"}')
SLOT_NOT_AVAILABLE = orjson.dumps(
    {
        "type": "slot-not-available",
        "title": "The chosen time is no longer free",
        "status": 409,
        "detail": "the chosen time is no longer free: choose another",
    }
)


def _offer_rules(row: Any) -> OfferRules:
    sex = row["sex"]
    return OfferRules(
        catalog_id=row["catalog_id"],
        region_code=row["region_code"],
        visibility=Visibility(row["visibility"]),
        sampling_method=SamplingMethod(row["sampling_method"]),
        min_age=row["min_age"],
        max_age=row["max_age"],
        sex=sex if sex in ("F", "M") else None,
        usage_limit=row["usage_limit"],
        usage_period_days=row["usage_period_days"],
        active_from=row["active_from"],
        active_until=row["active_until"],
    )


def _offer_summary(row: Any, products: list[dict[str, str]]) -> dict[str, Any]:
    """OfferSummary (api/ordering/schemas.py _summary)."""
    return {
        "catalog_id": row["catalog_id"],
        "name": row["name"],
        "sampling_method": row["sampling_method"],
        "visibility": row["visibility"],
        "region": {"code": row["region_code"], "name": row["region_name"]},
        "products": [{"code": p["code"], "name": p["name"]} for p in products],
        "validity_days": row["validity_days"],
    }


def _order_request(data: dict[str, Any]) -> OrderRequest:
    """The body as ordering.OrderRequest, with the shape checks pydantic makes in the app
    reduced to types (the field-level rules are the same validated_answers)."""
    catalog_id = data["catalog_id"]
    if not isinstance(catalog_id, str) or not 1 <= len(catalog_id) <= 32:
        raise ValueError("catalog_id")
    contact = data.get("contact")
    address = data.get("delivery_address")
    booking = data.get("booking")
    answers = data.get("answers") or {}
    if not isinstance(answers, dict):
        raise ValueError("answers")
    when = data.get("sampling_datetime")
    return OrderRequest(
        catalog_id=catalog_id,
        contact=None
        if contact is None
        else {"phone": contact.get("phone"), "email": contact.get("email")},
        delivery_address=None
        if address is None
        else {
            "care_of": address.get("care_of"),
            "street": str(address["street"]),
            "postal_code": str(address["postal_code"]),
            "city": str(address["city"]),
        },
        order_key=data.get("order_key"),
        sampling_datetime=None if when is None else datetime.fromisoformat(when),
        answers=answers,
        sampling_unit_id=None if booking is None else uuid.UUID(booking["sampling_unit_id"]),
        slot_id=None if booking is None else uuid.UUID(booking["slot_id"]),
    )


async def _read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


app = BaselineApp()
