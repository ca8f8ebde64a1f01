"""The SQL the product sends, taken from the product's own repositories, for the baseline.

Each statement is compiled with SQLAlchemy's asyncpg dialect — the one the server uses — so
the baseline sends PostgreSQL byte for byte the same text (`$n` parameters, the same casts)
and cannot drift when a repository changes. Module-level statements (`_LIST_SQL`,
`_ONE_SQL`, the repositories' `PreparedQuery`s) are imported; statements built inside a
repository method are captured by calling the method once on a recording executor that
answers every query with nothing.

`Statement.args(**values)` puts the values in `$n` order by the names the repository uses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql.elements import ClauseElement

from adapters.db.repositories import PreparedQuery
from adapters.db.repositories.audit import _INSERT as _AUDIT_INSERT
from adapters.db.repositories.idempotency import _CLAIM, _COMPLETE, _STORED
from adapters.db.repositories.offers import _LIST_SQL, _ONE_SQL, OfferRepository
from adapters.db.repositories.orders import _INSERT_ORDER, OrderRepository
from adapters.protection import DataProtector

_DIALECT = PGDialect_asyncpg()


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str
    names: tuple[str, ...]  # parameter names in $1, $2, … order

    def args(self, **values: Any) -> list[Any]:
        return [values[name] for name in self.names]


def compile_statement(statement: ClauseElement) -> Statement:
    compiled = statement.compile(dialect=_DIALECT)
    return Statement(compiled.string, tuple(compiled.positiontup or ()))


def prepared(query: PreparedQuery) -> Statement:
    # Compiled by PreparedQuery with the same dialect.
    return Statement(query.sql, query.names)


class _NoRows:
    """A result with no rows: every accessor answers "nothing"."""

    def scalar_one_or_none(self) -> None:
        return None

    def one_or_none(self) -> None:
        return None

    def scalar_one(self) -> Any:
        raise LookupError("recording: no row")

    def one(self) -> Any:
        raise LookupError("recording: no row")

    def __iter__(self) -> Any:
        return iter(())


class _Recorder:
    def __init__(self) -> None:
        self.statements: list[ClauseElement] = []

    async def execute(self, statement: ClauseElement, _params: Any = None) -> _NoRows:
        self.statements.append(statement)
        return _NoRows()


def _capture(call: Callable[[Any], Coroutine[Any, Any, Any]], count: int) -> list[Statement]:
    """The first `count` statements `call(executor)` executes (what it does with the empty
    answers afterwards does not matter)."""
    recorder = _Recorder()

    async def run() -> None:
        try:
            await call(recorder)
        except LookupError:
            pass  # a method that needs a row: the statement was recorded before

    # The recorder never suspends, so the coroutine runs to its end in one step, without an
    # event loop (this also runs at import in a uvicorn worker, inside a running loop).
    coroutine = run()
    try:
        coroutine.send(None)
    except StopIteration:
        pass
    else:
        coroutine.close()
        raise RuntimeError("a repository method suspended while being recorded")
    if len(recorder.statements) < count:
        raise RuntimeError(f"expected {count} statements, recorded {len(recorder.statements)}")
    return [compile_statement(s) for s in recorder.statements[:count]]


@dataclass(frozen=True, slots=True)
class AppStatements:
    list_offers: Statement
    one_offer: Statement
    sampling_places: Statement
    idempotency_claim: Statement
    idempotency_stored: Statement
    idempotency_complete: Statement
    book_slot: Statement
    insert_order: Statement
    mark_assignment_used: Statement
    audit_insert: Statement


def app_statements() -> AppStatements:
    protector = DataProtector(hash_key="capture", encryption_key="capture")
    some_id = uuid.UUID(int=1)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    (places,) = _capture(lambda ex: OfferRepository(ex).sampling_places(some_id), 1)

    def orders(ex: Any) -> OrderRepository:
        return OrderRepository(ex, protector)

    (book,) = _capture(
        lambda ex: orders(ex).book_slot(slot_id=some_id, sampling_unit_id=some_id, now=now), 1
    )
    (mark_used,) = _capture(
        lambda ex: orders(ex).mark_assignment_used(citizen_hash=b"", catalog_id="1", now=now), 1
    )
    return AppStatements(
        list_offers=compile_statement(_LIST_SQL),
        one_offer=compile_statement(_ONE_SQL),
        sampling_places=places,
        idempotency_claim=prepared(_CLAIM),
        idempotency_stored=compile_statement(_STORED),
        idempotency_complete=prepared(_COMPLETE),
        book_slot=book,
        insert_order=prepared(_INSERT_ORDER),
        mark_assignment_used=mark_used,
        audit_insert=prepared(_AUDIT_INSERT),
    )
